// The YAML text of an object is toYaml's, whether it comes from the cache or not.
import { YamlTextCache, toYaml } from '../../primitives/yaml-text.js';
import { hydratedYaml } from '../../pipeline/hydrate-yaml.js';

const configMap = (data: Record<string, unknown>) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data });
/** An object over hydration's 16 KiB threshold, like a CRD. */
const large = (extra: Record<string, unknown> = {}) => configMap({ text: 'x: "quoted" & <escaped>\n'.repeat(1000), ...extra });

describe('YamlTextCache', () => {
  test('an equal object gives toYaml\'s text the first time and from the cache the second', () => {
    const cache = new YamlTextCache(1 << 20);
    const o = configMap({ a: '1', b: 'yes', c: '2026-01-02' });
    expect(cache.text(o)).toBe(toYaml(o));
    expect(cache.text(structuredClone(o))).toBe(toYaml(o));
  });

  test('objects with the same keys in another order keep their own order', () => {
    const cache = new YamlTextCache(1 << 20);
    const ab = configMap({ a: '1', b: '2' });
    const ba = configMap({ b: '2', a: '1' });
    expect(cache.text(ab)).toBe(toYaml(ab));
    expect(cache.text(ba)).toBe(toYaml(ba));
  });

  test('a Date is not taken for the string JSON makes of it: each keeps its own YAML', () => {
    const cache = new YamlTextCache(1 << 20);
    const when = new Date('2026-01-02T03:04:05.000Z');
    const asString = configMap({ when: when.toISOString() });
    const asDate = configMap({ when });
    expect(cache.text(asString)).toBe(toYaml(asString));
    expect(cache.text(asDate)).toBe(toYaml(asDate));
    expect(toYaml(asDate)).not.toBe(toYaml(asString));
  });

  test('-0 is not taken for the 0 JSON makes of it', () => {
    const cache = new YamlTextCache(1 << 20);
    const zero = configMap({ n: 0 });
    const minusZero = configMap({ n: -0 });
    expect(cache.text(zero)).toBe(toYaml(zero));
    expect(cache.text(minusZero)).toBe(toYaml(minusZero));
    expect(toYaml(minusZero)).not.toBe(toYaml(zero));
  });

  test('a cache far smaller than the objects still gives each its own text', () => {
    const cache = new YamlTextCache(300);
    const objects = Array.from({ length: 20 }, (_, i) => configMap({ i: String(i % 5) }));
    for (const o of [...objects, ...objects]) expect(cache.text(o)).toBe(toYaml(o));
  });
});

describe('hydratedYaml', () => {
  test('a large object gives toYaml\'s text the first time and from the cache the second', () => {
    const o = large({ first: 'a' });
    expect(hydratedYaml(o)).toBe(toYaml(o));
    expect(hydratedYaml(structuredClone(o))).toBe(toYaml(o));
  });

  test('a small object gives toYaml\'s text', () => {
    const o = configMap({ a: '1' });
    expect(hydratedYaml(o)).toBe(toYaml(o));
  });
});
