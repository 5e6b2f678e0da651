// Go encoding/json as Helm's toJson/fromJson use it; cases follow encoding/json's own tests
// (encode_test.go: string escaping, float formatting, HTML escaping, Indent; scanner_test.go
// and decode_test.go: syntax error texts).
import { marshal, unmarshal } from '../../../helm/encoding/json.js';
import { GoInt, GoTime, int64 } from '../../../helm/template/value.js';

describe('json.marshal', () => {
  test.each<[string, unknown, string]>([
    ['nil', null, 'null'],
    ['bool', true, 'true'],
    ['string', 'hello', '"hello"'],
    ['map keys sorted', { b: 1, a: 2, C: 3 }, '{"C":3,"a":2,"b":1}'],
    ['nested', { a: [1, 'x', null, { b: false }], e: {}, f: [] }, '{"a":[1,"x",null,{"b":false}],"e":{},"f":[]}'],
    ['GoInt', { n: int64(-42), u: new GoInt(18446744073709551615n, 'uint64') }, '{"n":-42,"u":18446744073709551615}'],
    ['[]byte is base64', new Uint8Array([0, 1, 2, 253, 254, 255]), '"AAEC/f7/"'],
    ['time.Time is RFC 3339 with nanoseconds', new GoTime(Date.UTC(2019, 5, 13, 20, 39, 39, 120), 5), '"2019-06-13T20:39:39.120000005Z"'],
    ['time.Time in a fixed zone', new GoTime(Date.UTC(2015, 1, 24, 21, 19, 39), 0, '-03:00'), '"2015-02-24T18:19:39-03:00"'],
  ])('%s', (_name, v, want) => {
    expect(marshal(v)).toBe(want);
  });

  // encode_test.go encodeStringTests (Go ≥ 1.22 writes \b and \f short).
  test.each<[string, string]>([
    ['\x00', '"\\u0000"'], ['\x01', '"\\u0001"'], ['\x07', '"\\u0007"'], ['\x08', '"\\b"'], ['\t', '"\\t"'],
    ['\n', '"\\n"'], ['\x0b', '"\\u000b"'], ['\x0c', '"\\f"'], ['\r', '"\\r"'], ['\x0e', '"\\u000e"'],
    ['\x1f', '"\\u001f"'], ['"', '"\\""'], ['\\', '"\\\\"'], ['\x7f', '"\x7f"'],
    ['<', '"\\u003c"'], ['>', '"\\u003e"'], ['&', '"\\u0026"'], ['\u2028', '"\\u2028"'], ['\u2029', '"\\u2029"'],
    ['é 你好 😀', '"é 你好 😀"'], ['\ud800', '"\\ufffd"'], ['a\udc00b', '"a\\ufffdb"'],
  ])('string %j', (s, want) => {
    expect(marshal(s)).toBe(want);
  });

  test('SetEscapeHTML(false) keeps <>& but still escapes U+2028', () => {
    expect(marshal('<a href="x">&\u2028', { escapeHTML: false })).toBe('"<a href=\\"x\\">&\\u2028"');
  });

  // strconv.FormatFloat(f, 'f' or 'e', -1, 64) with the 1e21 / 1e-6 cutoffs and e-07 → e-7.
  test.each<[number, string]>([
    [0, '0'], [-0, '-0'], [1, '1'], [-1.5, '-1.5'], [0.1, '0.1'], [1e6, '1000000'], [123456789, '123456789'],
    [1e20, '100000000000000000000'], [1e21, '1e+21'], [1.5e21, '1.5e+21'], [0.000001, '0.000001'],
    [1e-7, '1e-7'], [1.5e-7, '1.5e-7'], [1.7976931348623157e308, '1.7976931348623157e+308'],
    [5e-324, '5e-324'], [123456789012345680000, '123456789012345680000'], [0.30000000000000004, '0.30000000000000004'],
  ])('float %p', (f, want) => {
    expect(marshal(f)).toBe(want);
  });

  test.each<[number, string]>([[NaN, 'NaN'], [Infinity, '+Inf'], [-Infinity, '-Inf']])('%p is unsupported', (f, text) => {
    expect(() => marshal({ a: f })).toThrow(`json: unsupported value: ${text}`);
  });

  test('functions are an unsupported type', () => {
    expect(() => marshal({ f: () => 1 })).toThrow('json: unsupported type: func(');
  });

  test('MarshalIndent keeps empty collections compact', () => {
    expect(marshal({ a: [1, { b: 2 }], c: {}, d: [] }, { prefix: '', indent: '  ' })).toBe(
      '{\n  "a": [\n    1,\n    {\n      "b": 2\n    }\n  ],\n  "c": {},\n  "d": []\n}',
    );
    expect(marshal([1, 2], { prefix: '>', indent: '\t' })).toBe('[\n>\t1,\n>\t2\n>]');
    expect(marshal({ 'a"b': 'x,y:{z}' }, { indent: ' ' })).toBe('{\n "a\\"b": "x,y:{z}"\n}');
  });
});

describe('json.unmarshal', () => {
  test('numbers decode as float64, objects as maps', () => {
    expect(unmarshal('{"a":[1,2.5,-0,1e3,"x",true,null],"b":{"c":{}}}')).toEqual({ a: [1, 2.5, -0, 1000, 'x', true, null], b: { c: {} } });
    expect(unmarshal(' "\\u00e9\\ud83d\\ude00\\n\\/" ')).toBe('é😀\n/');
    expect(unmarshal('"\\ud800x"')).toBe('\ufffdx');
    expect(unmarshal('{"a":1,"a":2}')).toEqual({ a: 2 });
    expect(Object.keys(unmarshal('{"__proto__":1}') as object)).toEqual(['__proto__']);
  });

  test.each<[string, string]>([
    ['', 'unexpected end of JSON input'],
    ['{"a":1', 'unexpected end of JSON input'],
    ['[1,]', "invalid character ']' looking for beginning of value"],
    ['[01]', "invalid character '1' after array element"],
    ['01', "invalid character '1' after top-level value"],
    ['{"a" 1}', "invalid character '1' after object key"],
    ['{"a":1 "b":2}', `invalid character '"' after object key:value pair`],
    ['{,}', "invalid character ',' looking for beginning of object key string"],
    ['{1:2}', "invalid character '1' looking for beginning of object key string"],
    ['trx', "invalid character 'x' in literal true (expecting 'u')"],
    ['nul', 'unexpected end of JSON input'],
    ['"\\x"', "invalid character 'x' in string escape code"],
    ['"\\u12g4"', "invalid character 'g' in \\u hexadecimal character escape"],
    ['"a\tb"', "invalid character '\\t' in string literal"],
    ['-', 'unexpected end of JSON input'],
    ['-a', "invalid character 'a' in numeric literal"],
    ['1.e3', "invalid character 'e' after decimal point in numeric literal"],
    ['1e+x', "invalid character 'x' in exponent of numeric literal"],
    ["'a'", "invalid character '\\'' looking for beginning of value"],
    ['é', "invalid character 'Ã' looking for beginning of value"],
    ['1e999', 'json: cannot unmarshal number 1e999 into Go value of type float64'],
  ])('error for %j', (text, want) => {
    expect(() => unmarshal(text)).toThrow(want);
  });

  test('targets as Helm decodes them: fromJson into a map, fromJsonArray into a slice', () => {
    expect(unmarshal('{"hello":"world"}', 'map')).toEqual({ hello: 'world' });
    expect(() => unmarshal('["one", "two"]', 'map')).toThrow('json: cannot unmarshal array into Go value of type map[string]interface {}');
    expect(unmarshal('["one", 2, { "name": "helm" }]', 'slice')).toEqual(['one', 2, { name: 'helm' }]);
    expect(() => unmarshal('{"hello": "world"}', 'slice')).toThrow('json: cannot unmarshal object into Go value of type []interface {}');
    expect(() => unmarshal('"x"', 'slice')).toThrow('json: cannot unmarshal string into Go value of type []interface {}');
    expect(unmarshal('null', 'map')).toBeNull();
    // The syntax check runs before any type check.
    expect(() => unmarshal('[1,', 'map')).toThrow('unexpected end of JSON input');
  });
});
