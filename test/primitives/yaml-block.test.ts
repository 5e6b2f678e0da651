// blockYaml writes plain data byte for byte as js-yaml's dump with synth's options, and leaves
// everything else to js-yaml.
import yaml from 'js-yaml';
import { DUMP_OPTIONS, blockYaml } from '../../primitives/yaml-block.js';
import { toYaml } from '../../primitives/yaml-text.js';

const jsYaml = (o: unknown) => yaml.dump(o, DUMP_OPTIONS);

/** Strings each of which some YAML rule treats specially: types, indicators, breaks, escapes. */
const TRICKY = [
  '', ' ', 'a', 'yes', 'No', 'ON', 'y', 'true', 'False', 'null', 'Null', '~', '0', '1', '-1', '+1', '007', '0o17', '0x1F', '0b101',
  '1.0', '1e3', '.5', '.inf', '-.Inf', '.NaN', '1_000', '1:30', '190:20:30.15', '2026-01-02', '2026-01-02T03:04:05Z', '<<', '=',
  '-', '- a', '-a', '?', '? a', '?a', ':', ': a', 'a:', 'a: b', 'a:b', 'http://x.y/z', '#a', 'a #b', 'a#b', ',a', 'a,b', '[a]', '{a}',
  '"q"', "'s'", "it's", '@a', '`a', '%a', '!a', '&a', '*a', '|a', '>a', 'a ', ' a', 'a\tb', '\t', 'a\rb', 'a\nb', '\n', '\n\n',
  'x\n', 'x\n\n', '\nx', '  x\ny', '\n  x', 'a\n  b\n', 'a\n\n\nb', 'line\n \n', 'ü', 'Привет', '🙂', 'a\u2028b', 'a\u0085b',
  '\ufeffa', 'a\u0000b', 'a\u001bb', '\\', 'a\\nb', 'a"b', '\u00a0', 'x'.repeat(300), 'y\n'.repeat(50), 'k'.repeat(1030),
];

/** A small seeded generator (mulberry32), so that a failure can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function value(next: () => number, depth: number): unknown {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)];
  const string = () => (next() < 0.3 ? pick(TRICKY) + pick(TRICKY) : pick(TRICKY));
  const r = next();
  if (depth > 0 && r < 0.3) {
    const o: Record<string, unknown> = {};
    for (let i = Math.floor(next() * 5); i > 0; i--) o[string()] = value(next, depth - 1);
    return o;
  }
  if (depth > 0 && r < 0.5) return Array.from({ length: Math.floor(next() * 4) }, () => value(next, depth - 1));
  if (r < 0.8) return string();
  return pick([0, 1, -1, 42, 0.5, -2.25, 1e21, 1e-7, 5e-100, 123456789.125, -0, NaN, Infinity, -Infinity, true, false, null, undefined]);
}

describe('blockYaml', () => {
  test('writes a Kubernetes object as js-yaml does', () => {
    const o = {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', labels: { 'app.kubernetes.io/name': 'web', version: '1.0' }, annotations: {} },
      spec: { replicas: 2, template: { spec: { containers: [{ name: 'web', image: 'registry.company.ru/web:1.2.3', args: ['--port=8080', 'yes'], ports: [] }] } } },
    };
    expect(blockYaml(o)).toBe(jsYaml(o));
  });

  test('writes every tricky string as a key, a value and a sequence item at each depth', () => {
    for (const s of TRICKY) {
      const nested = { a: { b: [s, { c: s, [s]: [[s]] }] }, [s]: s };
      const expected = jsYaml(nested);
      // A key js-yaml would write as an explicit pair, or with a line break, is left to js-yaml.
      expect(blockYaml(nested) ?? expected).toBe(expected);
      expect(blockYaml({ v: s, d: { e: { f: s } } })).toBe(jsYaml({ v: s, d: { e: { f: s } } }));
    }
  });

  test('writes multi-line strings as literal blocks indented for their depth', () => {
    const o = { a: 'x\ny\n', b: { c: { d: '  lead\nz', e: ['p\n\nq', { f: 'keep\n\n' }] } } };
    const text = blockYaml(o);
    expect(text).toBe(jsYaml(o));
    expect(text).toContain('\n    d: |2-\n        lead\n      z\n');
  });

  test('writes numbers with js-yaml\'s int and float forms', () => {
    const o = { n: [0, 7, -3, 0.5, 1e21, 1e-7, 5e-100, -0, NaN, Infinity, -Infinity, 2 ** 53] };
    expect(blockYaml(o)).toBe(jsYaml(o));
    expect(blockYaml(o)).toContain('- 5.e-100');
  });

  test('leaves out undefined values in mappings and writes undefined items as null', () => {
    const o = { a: undefined, b: [undefined, 1], c: { d: undefined } };
    expect(blockYaml(o)).toBe(jsYaml(o));
    expect(blockYaml(o)).toBe('b:\n  - null\n  - 1\nc: {}\n');
  });

  test('writes empty mappings and sequences in flow style, also as sequence items', () => {
    const o = { a: {}, b: [], c: [{}, [], [[]], [{ d: [] }]] };
    expect(blockYaml(o)).toBe(jsYaml(o));
  });

  test('gives a Date, a Buffer, a class instance or a function to js-yaml', () => {
    class Box { constructor(readonly v = 1) {} }
    for (const o of [{ when: new Date(0) }, { bytes: Buffer.from('x') }, { box: new Box() }, { f: () => 1 }]) expect(blockYaml(o)).toBeUndefined();
  });

  test('gives a key over 1,024 characters and a key with a line break to js-yaml', () => {
    expect(blockYaml({ ['k'.repeat(1030)]: 1 })).toBeUndefined();
    expect(blockYaml({ 'a\nb': 1 })).toBeUndefined();
  });

  test('writes a null-prototype object as js-yaml does', () => {
    const o = Object.assign(Object.create(null), { a: 1, b: { c: 'yes' } });
    expect(blockYaml(o)).toBe(jsYaml(o));
  });

  test('matches js-yaml on 3,000 random nested values', () => {
    const next = random(20261203);
    let written = 0;
    for (let i = 0; i < 3000; i++) {
      const v = value(next, 5);
      const expected = jsYaml(v);
      const text = blockYaml(v);
      if (text !== undefined) written++;
      expect({ i, text: text ?? expected }).toEqual({ i, text: expected });
    }
    // Most random values are plain data with ordinary keys: the fast path must be what runs.
    expect(written).toBeGreaterThan(2000);
  });
});

describe('toYaml', () => {
  test('is js-yaml\'s dump for plain data and for what blockYaml leaves to js-yaml', () => {
    for (const o of [{ a: ['yes', 1.5] }, { when: new Date(0) }, { ['k'.repeat(1030)]: 'v' }]) expect(toYaml(o)).toBe(jsYaml(o));
  });
});
