import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../primitives/errors.js';
import { writeTree, type OutputFile } from '../../writer/index.js';
import { removeDir, tempDir } from './helpers.js';

let root: string;
let out: string;
beforeEach(() => { root = tempDir(); out = join(root, 'dist'); });
afterEach(() => removeDir(root));

/** The problems writeTree reports for these paths; the out dir must not even be created. */
function problems(paths: string[], scope?: string[]): readonly string[] {
  const fs: OutputFile[] = paths.map((path) => ({ path, content: 'x' }));
  try {
    writeTree(out, fs, { scope });
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    expect(existsSync(out)).toBe(false);
    return e.problems;
  }
  throw new Error('expected a UserError');
}

test('an absolute path is refused', () => {
  expect(problems(['/etc/passwd'])).toEqual(['output path "/etc/passwd": must be relative to the out dir, not absolute']);
});

test('a ".." segment is refused', () => {
  expect(problems(['clusters/../../x.yaml'])).toEqual(['output path "clusters/../../x.yaml": must not contain ".." segments']);
});

test('a path into a dot-folder is refused', () => {
  expect(problems(['.infra-synth/generated.json', 'clusters/.hidden/x.yaml'])).toEqual([
    'output path ".infra-synth/generated.json": must not be inside a dot-folder (".infra-synth/" holds tool state, not manifests)',
    'output path "clusters/.hidden/x.yaml": must not be inside a dot-folder (".hidden/" holds tool state, not manifests)',
  ]);
});

test('a dot-file at a leaf is allowed (the tree has a .sops.yaml)', () => {
  writeTree(out, [{ path: '.sops.yaml', content: 'creation_rules: []\n' }]);
  expect(existsSync(join(out, '.sops.yaml'))).toBe(true);
});

test('the names of git and infra-synth state are refused as files', () => {
  expect(problems(['.git', 'clusters/.infra-synth'])).toEqual([
    'output path ".git": ".git" is reserved for git',
    'output path "clusters/.infra-synth": ".infra-synth" is reserved for infra-synth',
  ]);
});

test('a path that is not normalized is refused', () => {
  expect(problems(['clusters//a.yaml', './a.yaml', 'clusters\\a.yaml', ''])).toEqual([
    'output path "clusters//a.yaml": must be a normalized path (no empty or "." segments)',
    'output path "./a.yaml": must be a normalized path (no empty or "." segments)',
    'output path "clusters\\\\a.yaml": must use "/" separators, not "\\"',
    'output path "" is empty',
  ]);
});

test('a path produced twice is refused once', () => {
  expect(problems(['clusters/a/x.yaml', 'clusters/a/x.yaml', 'clusters/a/x.yaml']))
    .toEqual(['output path "clusters/a/x.yaml" is produced more than once']);
});

test('a path that is both a file and a folder is refused', () => {
  expect(problems(['clusters/a', 'clusters/a/x.yaml']))
    .toEqual(['output path "clusters/a" is both a file and a folder (of "clusters/a/x.yaml")']);
});

test('each path under a file is named, at every depth', () => {
  expect(problems(['clusters/b/y.yaml', 'clusters/a', 'clusters/a/x.yaml', 'clusters/a/z/w.yaml', 'clusters/b/y.yaml/v.yaml']))
    .toEqual([
      'output path "clusters/a" is both a file and a folder (of "clusters/a/x.yaml")',
      'output path "clusters/a" is both a file and a folder (of "clusters/a/z/w.yaml")',
      'output path "clusters/b/y.yaml" is both a file and a folder (of "clusters/b/y.yaml/v.yaml")',
    ]);
});

test('a bad scope prefix is refused', () => {
  expect(problems(['clusters/a/x.yaml'], ['../clusters/'])).toEqual(['scope prefix "../clusters": must not contain ".." segments']);
});

test('paths that differ only in letter case are refused', () => {
  expect(problems(['clusters/a/Issuer.yaml', 'clusters/a/issuer.yaml']))
    .toEqual(['output paths "clusters/a/Issuer.yaml" and "clusters/a/issuer.yaml" differ only in letter case (one file on macOS and Windows)']);
});
