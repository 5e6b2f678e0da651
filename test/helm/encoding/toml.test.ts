// BurntSushi/toml as Helm's toToml/fromToml use it: encode cases from BurntSushi's TestEncode
// that a Go map can express (ints as GoInt, float64 as numbers), and Helm's funcs_test cases.
import { decode, encode } from '../../../helm/encoding/toml.js';
import { GoInt, GoTime, int, int64 } from '../../../helm/template/value.js';

const i = (n: number) => int(n);

describe('toml.encode', () => {
  test.each<[string, unknown, string]>([
    ['simple map', { a: i(1), b: i(2) }, 'a = 1\nb = 2\n'],
    ['map with any value type', { a: i(1), b: 'c' }, 'a = 1\nb = "c"\n'],
    ['map with a table value', { a: { Int: i(2) }, b: i(1) }, 'b = 1\n\n[a]\n  Int = 2\n'],
    ['nested map', { a: { b: i(1) }, c: { d: i(2) } }, '[a]\n  b = 1\n\n[c]\n  d = 2\n'],
    ['datetime as primitive', { Date: new GoTime(Date.UTC(2014, 4, 11, 19, 30, 40)), Int: i(1) }, 'Date = 2014-05-11T19:30:40Z\nInt = 1\n'],
    ['arrays', { IntArray0: [], IntArray3: [i(1), i(2), i(3)] }, 'IntArray0 = []\nIntArray3 = [1, 2, 3]\n'],
    ['mixed arrays', { Mixed: [i(1), 'a'], MixedF: [i(1), 2.5], Nested: [i(1), [i(2)]] }, 'Mixed = [1, "a"]\nMixedF = [1, 2.5]\nNested = [1, [2]]\n'],
    ['array of tables order', { map: { zero: i(5), arr: [{ friend: i(5) }] } }, '[map]\n  zero = 5\n\n  [[map.arr]]\n    friend = 5\n'],
    ['empty key name', { '': i(1) }, '"" = 1\n'],
    ['key with \\n escape', { '\n': '\n' }, '"\\n" = "\\n"\n'],
    ['empty map name', { '': { v: i(1) } }, '[""]\n  v = 1\n'],
    [
      'tables in a nested array are inline',
      { arr: [[{ a: ['hello', 'world'], b: [1.12, 4.1], c: i(1), d: { e: 'E' }, g: [{ A: i(3), B: i(4) }] }]] },
      'arr = [[{a = ["hello", "world"], b = [1.12, 4.1], c = 1, d = {e = "E"}, g = [{A = 3, B = 4}]}]]\n',
    ],
    ['table in array', { A: [{ I: i(1), M: { c: i(2) } }] }, '[[A]]\n  I = 1\n  [A.M]\n    c = 2\n'],
    // Helm's funcs_test.go.
    ['helm: toToml', { foo: 'bar' }, 'foo = "bar"\n'],
    ['helm: nested table', { mast: { sail: 'white' } }, '[mast]\n  sail = "white"\n'],
    // Values read from YAML are float64: toToml prints them with a decimal point.
    ['float64 values', { replicas: 3, ratio: 0.5, big: 1e21, small: 1e-7, neg: -0 }, 'big = 1000000000000000000000.0\nneg = -0.0\nratio = 0.5\nreplicas = 3.0\nsmall = 0.0000001\n'],
    ['nil values are left out', { a: null, b: 'x' }, 'b = "x"\n'],
    ['quoting', { 'a.b': 'q"\\\t\x01\x7fé', 'x-y_Z9': true }, '"a.b" = "q\\"\\\\\\t\\u0001\\u007fé"\nx-y_Z9 = true\n'],
  ])('%s', (_name, v, want) => {
    expect(encode(v)).toBe(want);
  });

  test('errors as BurntSushi words them', () => {
    expect(() => encode({ NilElement: [i(1), null] })).toThrow('toml: cannot encode array with nil element');
    expect(() => encode([{ Int: i(1) }])).toThrow('toml: top-level values must be Go maps or structs');
  });
});

describe('toml.decode', () => {
  test('Go types: int64, float64, time.Time, maps, slices', () => {
    const v = decode('a = 1\nb = 2.5\nc = "s"\nd = true\ne = 1979-05-27T07:32:00-08:00\n[t]\nx = [1, "a"]\n[[arr]]\ny = 1\n') as Record<string, unknown>;
    expect(v.a).toEqual(int64(1));
    expect(v.b).toBe(2.5);
    expect(v.c).toBe('s');
    expect(v.d).toBe(true);
    expect(v.e).toBeInstanceOf(GoTime);
    expect((v.e as GoTime).ms).toBe(Date.UTC(1979, 4, 27, 15, 32));
    expect(v.t).toEqual({ x: [new GoInt(1n, 'int64'), 'a'] });
    expect(v.arr).toEqual([{ y: new GoInt(1n, 'int64') }]);
  });

  test("Helm's funcs_test cases", () => {
    expect(decode('hello = "world"')).toEqual({ hello: 'world' });
    expect(decode('\n[table]\nkeyInTable = "valueInTable"\n[table.subtable]\nkeyInSubtable = "valueInSubTable"')).toEqual(
      { table: { keyInTable: 'valueInTable', subtable: { keyInSubtable: 'valueInSubTable' } } },
    );
    expect(decode('\n[[tableArray]]\nkeyInElement0 = "valueInElement0"\n[[tableArray]]\nkeyInElement1 = "valueInElement1"')).toEqual(
      { tableArray: [{ keyInElement0: 'valueInElement0' }, { keyInElement1: 'valueInElement1' }] },
    );
    expect(() => decode('one')).toThrow("toml: line 1: unexpected EOF; expected key separator '='");
  });

  test('other errors name the line', () => {
    expect(() => decode('a = 1\na = 2\n')).toThrow(/^toml: line 2: /);
  });
});
