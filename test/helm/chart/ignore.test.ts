// .helmignore rules, ported from Helm v3.19.5 pkg/ignore/rules_test.go (TestIgnore, TestParseFail,
// TestAddDefaults), plus Go filepath.Match cases the rules rely on.
import { filepathMatch, IgnoreRules } from '../../../helm/chart/ignore.js';

// Upstream stats fixtures to know which names are directories; these are its directories.
const directories = new Set(['cargo', 'cargo/', 'mast/', '.', './']);

describe('IgnoreRules.ignore (Helm\'s TestIgnore)', () => {
  test.each<[string, string, boolean]>([
    ['helm.txt', 'helm.txt', true],
    ['helm.*', 'helm.txt', true],
    ['helm.*', 'rudder.txt', false],
    ['*.txt', 'tiller.txt', true],
    ['*.txt', 'cargo/a.txt', true],
    ['cargo/*.txt', 'cargo/a.txt', true],
    ['cargo/*.*', 'cargo/a.txt', true],
    ['cargo/*.txt', 'mast/a.txt', false],
    ['ru[c-e]?er.txt', 'rudder.txt', true],
    ['templates/.?*', 'templates/.dotfile', true],
    ['.*', '.', false],
    ['.*', './', false],
    ['.*', '.joonix', true],
    ['.*', 'helm.txt', false],
    ['.*', '', false],
    ['cargo/', 'cargo', true],
    ['cargo/', 'cargo/', true],
    ['cargo/', 'mast/', false],
    ['helm.txt/', 'helm.txt', false],
    ['!helm.txt', 'helm.txt', false],
    ['!helm.txt', 'tiller.txt', true],
    ['!*.txt', 'cargo', true],
    ['!cargo/', 'mast/', true],
    ['/a.txt', 'a.txt', true],
    ['/a.txt', 'cargo/a.txt', false],
    ['/cargo/a.txt', 'cargo/a.txt', true],
  ])('pattern %p on %p ignores: %p', (pattern, name, want) => {
    expect(IgnoreRules.parse(pattern).ignore(name, directories.has(name))).toBe(want);
  });

  test('rules apply in order and the first match decides', () => {
    const rules = IgnoreRules.parse('# comment\n\n*.txt\r\n!important.txt\n');
    expect(rules.ignore('notes.txt', false)).toBe(true);
    // Helm's quirk: a negated rule that does not match ignores the path.
    expect(rules.ignore('values.yaml', false)).toBe(true);
  });

  test('the default rule ignores dotfiles directly in templates/', () => {
    const rules = IgnoreRules.empty();
    rules.addDefaults();
    expect(rules.ignore('templates/.dotfile', false)).toBe(true);
    expect(rules.ignore('templates/deployment.yaml', false)).toBe(false);
    expect(rules.ignore('.helmignore', false)).toBe(false);
  });
});

describe('IgnoreRules.parse failures (Helm\'s TestParseFail)', () => {
  test.each(['foo/**/bar', '[z-'])('%p is refused', (pattern) => {
    expect(() => IgnoreRules.parse(pattern)).toThrow();
  });

  test('double star names the reason', () => {
    expect(() => IgnoreRules.parse('a/**')).toThrow('double-star (**) syntax is not supported');
  });
});

describe('filepathMatch (Go path/filepath.Match)', () => {
  test.each<[string, string, boolean]>([
    ['abc', 'abc', true],
    ['*', 'abc', true],
    ['*c', 'abc', true],
    ['a*', 'a', true],
    ['a*', 'ab/c', false],
    ['a*/b', 'abc/b', true],
    ['a*b*c*d*e*/f', 'axbxcxdxe/f', true],
    ['a*b*c*d*e*/f', 'axbxcxdxexxx/f', true],
    ['a*b*c*d*e*/f', 'axbxcxdxe/xxx/f', false],
    ['a*b?c*x', 'abxbbxdbxebxczzx', true],
    ['a*b?c*x', 'abxbbxdbxebxczzy', false],
    ['ab[c]', 'abc', true],
    ['ab[b-d]', 'abc', true],
    ['ab[e-g]', 'abc', false],
    ['ab[^c]', 'abc', false],
    ['ab[^b-d]', 'abc', false],
    ['ab[^e-g]', 'abc', true],
    ['a\\*b', 'a*b', true],
    ['a\\*b', 'ab', false],
    ['a?b', 'a☺b', true],
    ['a[^a]b', 'a☺b', true],
    ['*x', 'xxx', true],
    ['a?b', 'a/b', false],
  ])('%p matches %p: %p', (pattern, name, want) => {
    expect(filepathMatch(pattern, name)).toBe(want);
  });

  test.each([['[', 'a'], ['[^', 'a'], ['[-]', '-'], ['a\\', 'a'], ['[x-]', 'x']])('%p is a bad pattern', (pattern, name) => {
    expect(() => filepathMatch(pattern, name)).toThrow('syntax error in pattern');
  });
});
