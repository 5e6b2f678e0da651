import { compareKeysV3, decode, decodeAll, encode, resolvePlain } from '../../../helm/unittest/yamlv3.js';

describe('yaml.v3 decoding as helm-unittest sees values', () => {
  test('plain scalars resolve as yaml.v3 does: ints are bigint, floats number, timestamps and yes/no stay text', () => {
    expect(resolvePlain('1')).toBe(1n);
    expect(resolvePlain('1.0')).toBe(1);
    expect(resolvePlain('0755')).toBe(493n);
    expect(resolvePlain('0x1F')).toBe(31n);
    expect(resolvePlain('1_000')).toBe(1000n);
    expect(resolvePlain('08')).toBe(8);
    expect(resolvePlain('2020-01-01')).toBe('2020-01-01');
    expect(resolvePlain('yes')).toBe('yes');
    expect(resolvePlain('~')).toBeNull();
    expect(resolvePlain('.inf')).toBe(Infinity);
  });

  test('quoted and !!str scalars stay strings; anchors, aliases and merge keys resolve', () => {
    expect(decode('a: "1"\nb: !!str 2\nc: &x {q: 1}\nd: *x\ne:\n  <<: *x\n  z: 2\n')).toEqual({ a: '1', b: '2', c: { q: 1n }, d: { q: 1n }, e: { q: 1n, z: 2n } });
  });

  test('a stream keeps empty documents as null', () => {
    expect(decodeAll('a: 1\n---\n# only a comment\n---\nb: 2\n')).toEqual([{ a: 1n }, null, { b: 2n }]);
  });

  test('a duplicate key is an error, as in yaml.v3', () => {
    expect(() => decode('a: 1\na: 2\n')).toThrow(/already defined/);
  });
});

describe('yaml.v3 encoding (snapshots and messages)', () => {
  test('keys in yaml.v3 order, sequences indented under their key, strings quoted only when they would not read back as strings', () => {
    expect(encode({ b: [{ y: 'a: b', x: 1n }, 'q'], a10: 1.5, a2: '9402', c: 'true', d: {}, e: [] })).toBe(
      'a2: "9402"\na10: 1.5\nb:\n  - x: 1\n    "y": \'a: b\'\n  - q\nc: "true"\nd: {}\ne: []\n',
    );
  });

  test('multi-line strings are literal blocks with the chomping indicator', () => {
    expect(encode({ a: 'x\ny\n', b: 'x\ny' })).toBe('a: |\n  x\n  y\nb: |-\n  x\n  y\n');
  });

  test('digit runs in keys compare as numbers', () => {
    expect(['a10', 'a2', 'b', 'a1'].sort(compareKeysV3)).toEqual(['a1', 'a2', 'a10', 'b']);
  });
});
