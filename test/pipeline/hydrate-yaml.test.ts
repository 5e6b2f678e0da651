// The YAML text of hydrated objects is toYaml's, whether it comes from the cache or not.
import { toYaml } from '../../charts/cluster.js';
import { hydratedYaml } from '../../pipeline/hydrate-yaml.js';

/** An object over the cache's 16 KiB threshold, like a CRD. */
const large = (extra: Record<string, unknown> = {}) => ({
  apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'big' },
  data: { text: 'x: "quoted" & <escaped>\n'.repeat(1000), ...extra },
});

describe('hydratedYaml', () => {
  test('a large object gives toYaml\'s text the first time and from the cache the second', () => {
    const o = large({ first: 'a' });
    expect(hydratedYaml(o)).toBe(toYaml(o));
    expect(hydratedYaml(structuredClone(o))).toBe(toYaml(o));
  });

  test('a small object gives toYaml\'s text', () => {
    const o = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'small' }, data: { a: '1' } };
    expect(hydratedYaml(o)).toBe(toYaml(o));
  });

  test('a Date is not taken for the string JSON makes of it: each keeps its own YAML', () => {
    const when = new Date('2026-01-02T03:04:05.000Z');
    const asString = large({ when: when.toISOString() });
    const asDate = large({ when });
    expect(hydratedYaml(asString)).toBe(toYaml(asString));
    expect(hydratedYaml(asDate)).toBe(toYaml(asDate));
    expect(toYaml(asDate)).not.toBe(toYaml(asString));
  });
});
