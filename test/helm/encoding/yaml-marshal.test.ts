// toYaml bytes: sigs.k8s.io/yaml.Marshal (encoding/json, then go-yaml v2's emitter). Cases are
// go-yaml v2's encode_test.go marshalTests that a JSON-shaped value can express, sigs.k8s.io/
// yaml's JSONToYAML expectations, and the float and folding behaviour charts hit.
import { isDeepStrictEqual } from 'node:util';
import { marshal, marshalPretty, unmarshal } from '../../../helm/encoding/yaml.js';
import { GoInt, GoTime, int64 } from '../../../helm/template/value.js';

describe('yaml.marshal: go-yaml v2 marshalTests', () => {
  test.each<[string, unknown, string]>([
    ['nil', null, 'null\n'],
    ['empty map', {}, '{}\n'],
    ['string', { v: 'hi' }, 'v: hi\n'],
    ['"true" is quoted', { v: 'true' }, 'v: "true"\n'],
    ['"false" is quoted', { v: 'false' }, 'v: "false"\n'],
    ['bool', { v: true }, 'v: true\n'],
    ['int', { v: 10 }, 'v: 10\n'],
    ['negative int', { v: -10 }, 'v: -10\n'],
    ['int64', { v: int64(4294967296) }, 'v: 4294967296\n'],
    ['numeric string', { v: '10' }, 'v: "10"\n'],
    ['float', { v: 0.1 }, 'v: 0.1\n'],
    ['negative float', { v: -0.1 }, 'v: -0.1\n'],
    ['null value', { v: null }, 'v: null\n'],
    ['empty string', { v: '' }, 'v: ""\n'],
    ['sequence under a key is not indented', { v: ['A', 'B'] }, 'v:\n- A\n- B\n'],
    ['literal in a sequence', { v: ['A', 'B\nC'] }, 'v:\n- A\n- |-\n  B\n  C\n'],
    ['mapping in a sequence', { v: ['A', 1, { B: [2, 3] }] }, 'v:\n- A\n- 1\n- B:\n  - 2\n  - 3\n'],
    ['nested map', { a: { b: 'c' } }, 'a:\n  b: c\n'],
    ['lone dash', { a: '-' }, "a: '-'\n"],
    ['top-level int', 123, '123\n'],
    ['issue #24', { a: '<foo>' }, 'a: <foo>\n'],
    ['base 60 float is quoted', { a: '1:1' }, 'a: "1:1"\n'],
    ['NUL is escaped', { a: '\x00' }, 'a: "\\0"\n'],
    ['unicode stays UTF-8', { a: '你好' }, 'a: 你好\n'],
    ['timestamp-like strings are quoted', { a: '2015-02-24T18:19:39Z' }, 'a: "2015-02-24T18:19:39Z"\n'],
    ['": " is quoted', { a: 'b: c' }, "a: 'b: c'\n"],
    ['" #" is quoted', { a: 'Hello #comment' }, "a: 'Hello #comment'\n"],
    ['" #" after unicode', { a: '你好 #comment' }, "a: '你好 #comment'\n"],
    ['time.Time goes through JSON as a string, then reads as a timestamp', { a: new GoTime(Date.UTC(2015, 1, 24, 18, 19, 39)) }, 'a: "2015-02-24T18:19:39Z"\n'],
  ])('%s', (_name, v, want) => {
    expect(marshal(v)).toBe(want);
  });

  test('TestLineWrapping: single-quoted text folds after column 80', () => {
    const v = { a: 'abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 1234567890 abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 1234567890 ' };
    expect(marshal(v)).toBe(
      "a: 'abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 1234567890 abcdefghijklmnopqrstuvwxyz\n" +
      "  ABCDEFGHIJKLMNOPQRSTUVWXYZ 1234567890 '\n",
    );
  });
});

describe('yaml.marshal: the JSON round trip', () => {
  // A float64 is printed by encoding/json and read back by go-yaml: integral values below 1e21
  // become ints, the rest floats printed with strconv 'g' (exponent from 1e6 on).
  test.each<[number, string]>([
    [1e6, '1000000'], [3, '3'], [-0, '0'], [1.5, '1.5'], [1234567.5, '1.2345675e+06'], [123456.5, '123456.5'],
    [1e20, '1e+20'], [1e21, '1e+21'], [0.000001, '1e-06'], [0.0001, '0.0001'], [0.00001, '1e-05'],
    [1.5e-7, '1.5e-07'], [9007199254740993, '9007199254740992'], [18446744073709551615, '1.8446744073709552e+19'],
    [1e19, '10000000000000000000'], [-1e19, '-1e+19'],
  ])('float64 %p', (f, want) => {
    expect(marshal({ v: f })).toBe(`v: ${want}\n`);
  });

  test('GoInt, []byte, structs', () => {
    expect(marshal({ u: new GoInt(18446744073709551615n, 'uint64') })).toBe('u: 18446744073709551615\n');
    expect(marshal({ b: new Uint8Array([104, 105]) })).toBe('b: aGk=\n');
  });

  test('NaN cannot go through JSON', () => {
    expect(() => marshal({ a: NaN })).toThrow('error marshaling into JSON: json: unsupported value: NaN');
  });
});

describe('yaml.marshal: go-yaml key order and quoting', () => {
  test('keys sort naturally: digit runs as numbers, letters before other characters', () => {
    const v = Object.fromEntries(['a10', 'a2', 'b', 'B', 'a', '_x', '1', '10', '2', 'a01', 'a1', 'x-y', 'xy', 'é'].map((k) => [k, 0]));
    expect(marshal(v).split('\n').map((l) => l.split(':')[0])).toEqual(
      ['_x', '"1"', '"2"', '"10"', 'B', 'a', 'a1', 'a01', 'a2', 'a10', 'b', 'x-y', 'xy', 'é', ''],
    );
  });

  test.each<[string, string]>([
    ['yes', '"yes"'], ['No', '"No"'], ['on', '"on"'], ['OFF', '"OFF"'], ['y', '"y"'], ['n', '"n"'], ['~', '"~"'],
    ['null', '"null"'], ['Null', '"Null"'], ['1e3', '"1e3"'], ['0x1F', '"0x1F"'], ['0777', '"0777"'], ['0o17', '"0o17"'],
    ['0b101', '"0b101"'], ['.inf', '".inf"'], ['-.Inf', '"-.Inf"'], ['.NaN', '".NaN"'], ['1_000', '"1_000"'], ['+1', '"+1"'],
    ['2001-12-14', '"2001-12-14"'], ['2001-12-14 21:59:43.10', '"2001-12-14 21:59:43.10"'], ['1:20', '"1:20"'],
    ['2001-02-30', '2001-02-30'], ['yesno', 'yesno'], ['1.2.3', '1.2.3'], ['08', '"08"'], ['1e400', '1e400'],
    ['<<', '<<'], ['=', '='], ['a:b', 'a:b'], ['a:', "'a:'"], ['?x', '?x'], ['? x', "'? x'"], [': x', "': x'"], ['- x', "'- x'"],
    ['-x', '-x'], ['#x', "'#x'"], ['a#x', 'a#x'], ['a #x', "'a #x'"], ['[x]', "'[x]'"], ['x]', 'x]'], ['{x', "'{x'"],
    ['*x', "'*x'"], ['&x', "'&x'"], ['!x', "'!x'"], ['|x', "'|x'"], ['>x', "'>x'"], ["'x", "'''x'"], ['"x', `'"x'`],
    ['%x', "'%x'"], ['@x', "'@x'"], ['`x', "'`x'"], ['---', "'---'"], ['...', "'...'"], [' x', "' x'"], ['x ', "'x '"],
    ["it's", "it's"], ['a\tb', '"a\\tb"'], ['a\rb', '"a\\rb"'], ['\x1b', '"\\e"'], ['\x85', '"\\N"'], ['\xa0', '\xa0'],
    ['\u2028', "'\u2028'"], ['\ufeffx', '"\\uFEFF\\x78"'], ['\uffff', '"\\uFFFF"'], ['😀', '"\\U0001F600"'], ['\x7f', '"\\x7F"'],
    ['@', "'@'"], ['a,b', 'a,b'], ['http://x.y/z?a=b&c=d#f', 'http://x.y/z?a=b&c=d#f'],
  ])('string %j', (s, want) => {
    expect(marshal({ k: s })).toBe(`k: ${want}\n`);
  });

  test('keys are quoted by the same rules; a long key becomes a complex key', () => {
    expect(marshal({ yes: 1, 'a b': 2, '': 3, 'x: y': 4 })).toBe('"": 3\na b: 2\n\'x: y\': 4\n"yes": 1\n');
    const long = 'k'.repeat(129);
    expect(marshal({ [long]: 'v' })).toBe(`? ${long}\n: v\n`);
    // A multi-line key is not a simple key either.
    expect(marshal({ 'a\nb': 1 })).toBe('? |-\n  a\n  b\n: 1\n');
  });
});

describe('yaml.marshal: block scalars and folding', () => {
  test.each<[string, string]>([
    ['a\nb', 'k: |-\n  a\n  b\n'],
    ['a\nb\n', 'k: |\n  a\n  b\n'],
    ['a\nb\n\n', 'k: |+\n  a\n  b\n\n'],
    ['\n', 'k: |2+\n\n'],
    ['  indented\nx', 'k: |2-\n    indented\n  x\n'],
    ['a\n\nb', 'k: |-\n  a\n\n  b\n'],
    // A line with trailing spaces, or a tab, rules out the literal style.
    ['a \nb', 'k: "a \\nb"\n'],
    ['a\tb\nc', 'k: "a\\tb\\nc"\n'],
    ['a\n b', 'k: |-\n  a\n   b\n'],
    ['trailing space\n ', 'k: "trailing space\\n "\n'],
  ])('%j', (s, want) => {
    expect(marshal({ k: s })).toBe(want);
  });

  test('nested literal indentation', () => {
    expect(marshal({ a: [{ b: 'x\ny\n' }], c: { d: { e: 'p\nq' } } })).toBe('a:\n- b: |\n    x\n    y\nc:\n  d:\n    e: |-\n      p\n      q\n');
    expect(marshal('x\ny')).toBe('|-\n  x\n  y\n');
    expect(marshal(['x\ny'])).toBe('- |-\n  x\n  y\n');
  });

  test('plain scalars fold at the first space after column 80, never inside keys', () => {
    const words = Array.from({ length: 30 }, (_, i) => `word${i}`).join(' ');
    expect(marshal({ description: words })).toBe(
      'description: word0 word1 word2 word3 word4 word5 word6 word7 word8 word9 word10 word11\n' +
      '  word12 word13 word14 word15 word16 word17 word18 word19 word20 word21 word22 word23\n' +
      '  word24 word25 word26 word27 word28 word29\n',
    );
    const key = words.slice(0, 120);
    expect(marshal({ [key]: 1 })).toBe(`${key}: 1\n`);
    expect(marshal({ k: 'x'.repeat(100) })).toBe(`k: ${'x'.repeat(100)}\n`);
    // Two spaces in a row are never a fold point in plain style.
    const spaced = `${'y'.repeat(85)}  z z`;
    expect(marshal({ k: spaced })).toBe(`k: ${'y'.repeat(85)}  z\n  z\n`);
  });

  test('double-quoted text folds with an escaped space when two spaces meet', () => {
    expect(marshal({ k: `${'a'.repeat(80)}\t b  c` })).toBe(`k: "${'a'.repeat(80)}\\t\n  b  c"\n`);
    expect(marshal({ k: `${'a'.repeat(80)}\t  b` })).toBe(`k: "${'a'.repeat(80)}\\t\n  \\ b"\n`);
  });
});

describe('yaml.marshal: layout', () => {
  test('nested collections', () => {
    expect(marshal({ a: [[1, 2], [], {}], b: [{ c: [{ d: 1 }] }], e: { f: [] } })).toBe(
      'a:\n- - 1\n  - 2\n- []\n- {}\nb:\n- c:\n  - d: 1\ne:\n  f: []\n',
    );
    expect(marshal([])).toBe('[]\n');
    expect(marshal([{ a: 1, b: 2 }])).toBe('- a: 1\n  b: 2\n');
  });
});

describe('yaml.marshalPretty (toYamlPretty: go-yaml v3, indent 2)', () => {
  test('sequences are indented under their key', () => {
    expect(marshalPretty({ baz: [new GoInt(1n), new GoInt(2n), new GoInt(3n)] })).toBe('baz:\n  - 1\n  - 2\n  - 3\n');
    expect(marshalPretty({ a: { b: [{ c: 1, d: 'yes' }] } })).toBe('a:\n  b:\n    - c: 1\n      d: "yes"\n');
  });

  test('v3 keeps the literal style for text with tabs, and literal blocks as v2 prints them', () => {
    expect(marshalPretty({ k: 'a\tb\nc' })).toBe('k: |-\n  a\tb\n  c\n');
    expect(marshalPretty({ k: 'a\tb' })).toBe('k: "a\\tb"\n');
    expect(marshalPretty({ a: ['x\ny\n', { b: 'p\nq' }], c: 1 })).toBe('a:\n  - |\n    x\n    y\n  - b: |-\n      p\n      q\nc: 1\n');
  });

  test('no JSON step: floats print with strconv g, no folding', () => {
    expect(marshalPretty({ a: 1e6, b: 1 })).toBe('a: 1e+06\nb: 1\n');
    const long = Array.from({ length: 30 }, (_, i) => `w${i}`).join(' ');
    expect(marshalPretty({ k: long })).toBe(`k: ${long}\n`);
  });
});

describe('yaml.marshal output reads back as the same value', () => {
  // Helm parses what templates print: any string toYaml prints must read back unchanged.
  // Deterministic pseudo-random strings over the characters that steer the emitter. U+2028/9
  // are left out: YAML 1.1 reads them as line breaks (go-yaml folds the printed text back),
  // the YAML 1.2 parser under unmarshal as ordinary characters.
  const alphabet = ['a', 'b', ' ', ' ', '\n', '\n', '\t', ':', '#', '-', '?', "'", '"', '\\', '[', ']', '{', '}', ',', '&', '*', '!',
    '|', '>', '%', '@', '`', '.', '0', '1', 'y', 'é', '你', '😀', '\r', '\u0085', '\u00a0', '\ufeff', '~', '=', '<'];
  let seed = 12345;
  const next = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const samples = Array.from({ length: 1500 }, (_, i) => {
    const len = next(i % 7 === 0 ? 120 : 12);
    return Array.from({ length: len }, () => alphabet[next(alphabet.length)]).join('');
  });

  test('1500 strings as keys, values, list items and nested values', () => {
    const failures = samples.filter((s) => {
      const v = { [Array.from(s).slice(0, 5).join('')]: s, list: [s, { k: s }] };
      return !isDeepStrictEqual(unmarshal(marshal(v)), v);
    });
    expect(failures).toEqual([]);
  });
});
