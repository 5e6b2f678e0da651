// sigs.k8s.io/yaml.Unmarshal as Helm reads values and fromYaml: go-yaml v2's decode_test.go
// unmarshalTests / mergeTests / unmarshalErrorTests that decode into interface{}, seen after
// the JSON step (numbers float64, keys strings), and sigs.k8s.io/yaml's own expectations.
import { marshal, unmarshal, unmarshalStrict, unmarshalWithOptions } from '../../../helm/encoding/yaml.js';
import { GoInt } from '../../../helm/template/value.js';

const PREFIX = 'error converting YAML to JSON: ';

describe('yaml.unmarshal: go-yaml v2 unmarshalTests', () => {
  test.each<[string, unknown]>([
    ['v: hi', { v: 'hi' }],
    ['v: true', { v: true }],
    ['v: 10', { v: 10 }],
    ['v: 0b10', { v: 2 }],
    ['v: 0xA', { v: 10 }],
    ['v: 4294967296', { v: 4294967296 }],
    ['v: 0.1', { v: 0.1 }],
    ['v: .1', { v: 0.1 }],
    ['v: -10', { v: -10 }],
    ['v: -.1', { v: -0.1 }],
    ['canonical: 6.8523e+5', { canonical: 685230 }],
    ['expo: 685.230_15e+03', { expo: 685230.15 }],
    ['fixed: 685_230.15', { fixed: 685230.15 }],
    ['answer: NO', { answer: false }],
    ['logical: True', { logical: true }],
    ['option: on', { option: true }],
    ['canonical: 685230', { canonical: 685230 }],
    ['decimal: +685_230', { decimal: 685230 }],
    ['octal: 02472256', { octal: 685230 }],
    ['hexa: 0x_0A_74_AE', { hexa: 685230 }],
    ['bin: 0b1010_0111_0100_1010_1110', { bin: 685230 }],
    ['bin: -0b101010', { bin: -42 }],
    ['bin: -0b1000000000000000000000000000000000000000000000000000000000000000', { bin: -9223372036854775808 }],
    ['empty:', { empty: null }],
    ['canonical: ~', { canonical: null }],
    ['english: null', { english: null }],
    ['~: null key', undefined],
    ['seq: [A,B]', { seq: ['A', 'B'] }],
    ['seq: [A,1,C]', { seq: ['A', 1, 'C'] }],
    ['seq:\n - A\n - B', { seq: ['A', 'B'] }],
    ['seq:\n - A\n - 1\n - C', { seq: ['A', 1, 'C'] }],
    ['a: {b: c}', { a: { b: 'c' } }],
    ["'1': '\"2\"'", { 1: '"2"' }],
    ["v: !!float '1.1'", { v: 1.1 }],
    ['v: !!float 0', { v: 0 }],
    ['v: !!float -1', { v: -1 }],
    ["v: !!null ''", { v: null }],
    ["%TAG !y! tag:yaml.org,2002:\n---\nv: !y!int '1'", { v: 1 }],
    ['v: ! test', { v: 'test' }],
    ['a: -b_c', { a: '-b_c' }],
    ['a: +b_c', { a: '+b_c' }],
    ['a: 50cent_of_dollar', { a: '50cent_of_dollar' }],
    ['a: {b: https://github.com/go-yaml/yaml}', { a: { b: 'https://github.com/go-yaml/yaml' } }],
    ['a: [https://github.com/go-yaml/yaml]', { a: ['https://github.com/go-yaml/yaml'] }],
    [
      'First occurrence: &anchor Foo\nSecond occurrence: *anchor\nOverride anchor: &anchor Bar\nReuse anchor: *anchor\n',
      { 'First occurrence': 'Foo', 'Second occurrence': 'Foo', 'Override anchor': 'Bar', 'Reuse anchor': 'Bar' },
    ],
    // Timestamps decode into interface{} as their text.
    ['a: 2015-02-24T18:19:39Z', { a: '2015-02-24T18:19:39Z' }],
    ['a: 2015-01-01', { a: '2015-01-01' }],
    ['a: 2015-02-30', { a: '2015-02-30' }],
    // YAML 1.1 as go-yaml has it: y/n are booleans, base 60 is a string, 08 is the float 8.
    ['a: y\nb: N\nc: 1:20\nd: 08\ne: 0o17\nf: 1e400\ng: .inf_', { a: true, b: false, c: '1:20', d: 8, e: 15, f: '1e400', g: '.inf_' }],
  ])('%j', (text, want) => {
    if (want === undefined) {
      expect(() => unmarshal(text)).toThrow(`${PREFIX}unsupported map key of type: <nil>`);
      return;
    }
    expect(unmarshal(text)).toEqual(want);
  });

  test('non-string keys become strings as sigs.k8s.io/yaml converts them', () => {
    expect(unmarshal('1: a\n-2: b\n1.5: c\ntrue: d\nno: e\n0x10: f\n3.14159265: g\n1e3: h\n')).toEqual(
      { 1: 'a', '-2': 'b', 1.5: 'c', true: 'd', false: 'e', 16: 'f', 3.1415927: 'g', 1000: 'h' },
    );
  });

  test('keepInts: YAML integers as GoInt, for decoders that coerce scalars into Go strings', () => {
    expect(unmarshalWithOptions('version: 20230101\nf: 1.10\nu: 18446744073709551615\n', { keepInts: true })).toEqual(
      { version: new GoInt(20230101n, 'int'), f: 1.1, u: new GoInt(18446744073709551615n, 'uint64') },
    );
  });

  test('syntax libyaml accepts: a comment right after a quoted scalar or flow collection, CRLF, a BOM', () => {
    expect(unmarshal('a: "b"#c\nd: [1]#e\n')).toEqual({ a: 'b', d: [1] });
    expect(unmarshal('k: v\r\nk2: v2\r\n')).toEqual({ k: 'v', k2: 'v2' });
    expect(unmarshal('\ufeffa: 1\n')).toEqual({ a: 1 });
    // NEL is a line break in YAML 1.1.
    expect(unmarshal('a: |\u0085  x\u0085  y\u0085b: "p\u0085  q"\n')).toEqual({ a: 'x\ny\n', b: 'p q' });
    // In a plain scalar an unspaced # is text.
    expect(unmarshal('a: b#c\n')).toEqual({ a: 'b#c' });
  });

  test('each call returns its own value, even for a text decoded before', () => {
    const first = unmarshal('a: {b: [1]}\n') as { a: { b: number[] } };
    first.a.b.push(2);
    expect(unmarshal('a: {b: [1]}\n')).toEqual({ a: { b: [1] } });
  });

  test('the first document only; empty input is null', () => {
    expect(unmarshal('a: 1\n---\nb: 2\n')).toEqual({ a: 1 });
    expect(unmarshal('')).toBeNull();
    expect(unmarshal('# comment only\n')).toBeNull();
    expect(unmarshal('---\n')).toBeNull();
  });

  test('repeated keys: the last wins, UnmarshalStrict refuses', () => {
    expect(unmarshal('a: 1\na: 2\n')).toEqual({ a: 2 });
    expect(() => unmarshalStrict('a: 1\nb: 0\na: 2\n')).toThrow(`${PREFIX}yaml: unmarshal errors:\n  line 3: key "a" already set in map`);
  });
});

describe('yaml.unmarshal: merge keys', () => {
  // decode_test.go mergeTests: every map below equals the first.
  const mergeTests = `
anchors:
  list:
    - &CENTER { "x": 1, "y": 2 }
    - &LEFT   { "x": 0, "y": 2 }
    - &BIG    { "r": 10 }
    - &SMALL  { "r": 1 }

plain:
  "x": 1
  "y": 2
  "r": 10
  label: center/big

mergeOne:
  << : *CENTER
  "r": 10
  label: center/big

mergeMultiple:
  << : [ *CENTER, *BIG ]
  label: center/big

override:
  << : [ *BIG, *LEFT, *SMALL ]
  "x": 1
  label: center/big

shortTag:
  !!merge "<<" : [ *CENTER, *BIG ]
  label: center/big

longTag:
  !<tag:yaml.org,2002:merge> "<<" : [ *CENTER, *BIG ]
  label: center/big

inlineMap:
  << : {"x": 1, "y": 2, "r": 10}
  label: center/big

inlineSequenceMap:
  << : [ *CENTER, {"r": 10} ]
  label: center/big
`;

  test('TestMerge', () => {
    const doc = unmarshal(mergeTests) as Record<string, unknown>;
    const want = { x: 1, y: 2, r: 10, label: 'center/big' };
    for (const [name, v] of Object.entries(doc)) {
      if (name !== 'anchors') expect([name, v]).toEqual([name, want]);
    }
  });

  test('go-yaml v2 lets a merge overwrite keys set before it', () => {
    expect(unmarshal('base: &b {a: 1}\nm:\n  a: 2\n  <<: *b\n')).toEqual({ base: { a: 1 }, m: { a: 1 } });
    expect(unmarshal('m:\n  "<<": {a: 1}\n')).toEqual({ m: { '<<': { a: 1 } } });
  });
});

describe('yaml.unmarshal: errors in go-yaml words', () => {
  test.each<[string, string]>([
    ["v: !!float 'error'", 'yaml: cannot decode !!str `error` as a !!float'],
    ['v: !!int 3.5', 'yaml: cannot decode !!float `3.5` as a !!int'],
    ['v: !!timestamp soon', 'yaml: cannot decode !!str `soon` as a !!timestamp'],
    ['a: !!binary ==', 'yaml: !!binary value contains invalid base64 data'],
    ['v: [A,', 'yaml: line 1: did not find expected node content'],
    ['v:\n- [A,', 'yaml: line 2: did not find expected node content'],
    ['a:\n- b: *,', 'yaml: line 2: did not find expected alphabetic or numeric character'],
    ['a: *b\n', "yaml: unknown anchor 'b' referenced"],
    ['a: &a\n  b: *a\n', "yaml: anchor 'a' value contains itself"],
    ['a: &x null\n<<:\n- *x\nb: &x {}\n', 'yaml: map merge requires map or sequence of maps as the value'],
    ['value: -', 'yaml: block sequence entries are not allowed in this context'],
    ['{[.]}', 'yaml: invalid map key: []interface {}{"."}'],
    ['{{.}}', 'yaml: invalid map key: map[interface {}]interface {}{".":interface {}(nil)}'],
    ['b: *a\na: &a {c: 1}', "yaml: unknown anchor 'a' referenced"],
    ['a:\n  1:\nb\n  2:', "yaml: line 4: could not find expected ':'"],
    [
      'a: &a [00,00,00,00,00,00,00,00,00]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n' +
      'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n' +
      'g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\nh: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\ni: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n',
      'yaml: document contains excessive aliasing',
    ],
    // Helm's golden (template-with-invalid-yaml.txt): a dangling key on the last line.
    [
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: "x-y"\nspec:\n  containers:\n  - name: waiter\n    image: "alpine:3.9"\n' +
      '    command: ["/bin/sleep","9000"]\ninvalid\n',
      "yaml: line 11: could not find expected ':'",
    ],
    // The same document as SplitManifests hands it over: trimmed, no final line break.
    [
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: "x-y"\nspec:\n  containers:\n  - name: waiter\n    image: "alpine:3.9"\n' +
      '    command: ["/bin/sleep","9000"]\ninvalid',
      "yaml: line 11: could not find expected ':'",
    ],
    ['a:\n\tb: 1\n', 'yaml: line 2: found character that cannot start any token'],
    ['a: 1\nb: c: d\n', 'yaml: line 2: mapping values are not allowed in this context'],
    ['a: .inf', 'json: unsupported value: +Inf'],
    // Indentation mistakes as charts make them.
    ['a:\n  b: 1\n   c: 2\n', 'yaml: line 3: mapping values are not allowed in this context'],
    ['a: b\n c: d\n', 'yaml: line 2: mapping values are not allowed in this context'],
    ['a:\n  - x\n - y\n', 'yaml: line 2: did not find expected key'],
    ['a: {b: 1\n', "yaml: line 1: did not find expected ',' or '}'"],
    ['a: [1, 2\n', "yaml: line 1: did not find expected ',' or ']'"],
    ['a: "x\\qy"\n', 'yaml: found unknown escape character'],
    ['key: @foo\n', 'yaml: found character that cannot start any token'],
    ['a:\nb\n', "yaml: line 3: could not find expected ':'"],
  ])('%j', (text, want) => {
    expect(() => unmarshal(text)).toThrow(PREFIX + want);
  });

  test('decoding into a map or slice fails as encoding/json does', () => {
    expect(() => unmarshal('- one\n- two\n', 'map')).toThrow(
      'error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type map[string]interface {}',
    );
    expect(() => unmarshal('hello: world', 'slice')).toThrow(
      'error unmarshaling JSON: while decoding JSON: json: cannot unmarshal object into Go value of type []interface {}',
    );
    expect(unmarshal('["one", 2, { "name": "helm" }]', 'slice')).toEqual(['one', 2, { name: 'helm' }]);
  });
});

describe('sigs.k8s.io/yaml TestYAMLToJSON, through Unmarshal and back through Marshal', () => {
  // [yaml, the decoded value, what Marshal prints for it (the yamlReverseOverwrite, else the input)]
  test.each<[string, unknown, string | null]>([
    ['t: a\n', { t: 'a' }, null],
    ['t: null\n', { t: null }, null],
    ['t: True\n', { t: true }, 't: true\n'],
    ['t: no\n', { t: false }, 't: false\n'],
    ['t: 1000000000000000000000000000000000000\n', { t: 1e36 }, 't: 1e+36\n'],
    [
      't: this is very long line with spaces and it must be longer than 80 so we will repeat\n  that it must be longer that 80\n',
      { t: 'this is very long line with spaces and it must be longer than 80 so we will repeat that it must be longer that 80' },
      null,
    ],
    ['t: ', { t: null }, 't: null\n'],
    ['True: a', { true: 'a' }, '"true": a\n'],
    ['no: a', { false: 'a' }, '"false": a\n'],
    ['1: a', { 1: 'a' }, '"1": a\n'],
    ['1.2: a', { '1.2': 'a' }, '"1.2": a\n'],
    ['1000000000000000000000000000000000000: a', { '1e+36': 'a' }, '"1e+36": a\n'],
    ['1e+36: a', { '1e+36': 'a' }, '"1e+36": a\n'],
    ['"1e+36": a\n', { '1e+36': 'a' }, null],
    ['"1.2": a\n', { '1.2': 'a' }, null],
    ['- t: a\n', [{ t: 'a' }], null],
    ['- t: a\n- t:\n    b: 1\n    c: 2\n', [{ t: 'a' }, { t: { b: 1, c: 2 } }], null],
    ['[{t: a}, {t: {b: 1, c: 2}}]', [{ t: 'a' }, { t: { b: 1, c: 2 } }], '- t: a\n- t:\n    b: 1\n    c: 2\n'],
    ['- t: ', [{ t: null }], '- t: null\n'],
    ['- t: null\n', [{ t: null }], null],
    ['a: !!binary gIGC', { a: '\ufffd\ufffd\ufffd' }, 'a: \ufffd\ufffd\ufffd\n'],
  ])('%j', (text, value, reverse) => {
    const decoded = unmarshal(text);
    expect(decoded).toEqual(value);
    expect(marshal(decoded)).toBe(reverse ?? text);
  });

  test.each(['~: a', 'null: a'])('%j: a null key has no JSON form', (text) => {
    expect(() => unmarshal(text)).toThrow(`${PREFIX}unsupported map key of type: <nil>, key: <nil>, value: "a"`);
  });
});
