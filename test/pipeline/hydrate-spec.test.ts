// The overlay field that turns hydration on: `argocd.hydrate`, off unless an overlay says so.
import { resolveCluster } from '../../spec/load.js';
import { ONPREM_SITE } from '../helpers/onprem-site.js';

const base = { domain: 'x.company.ru', secrets: { ageRecipients: ['age190vd7ndvmhuc23dvgfpznujeuwufj92f0lpajhlfl52rky3kdprsnqz0pm'] } };
const resolve = (overlay: Record<string, unknown>) => resolveCluster({ name: 'c1', file: 'overlays/c1.ts', overlay: { ...base, ...overlay } });

describe('argocd.hydrate', () => {
  test.each(['yandex', 'sber', 'vk', 'onprem'])('is false by default on %s, in every environment', (cloud) => {
    for (const environment of ['dev', 'stage', 'prod']) {
      const r = resolve({ cloud, environment, ...(cloud === 'onprem' ? { infrastructure: 'vsphere', dns: { provider: 'rfc2136' }, ...ONPREM_SITE } : {}) });
      expect([environment, r.problems, r.spec?.argocd.hydrate]).toEqual([environment, [], false]);
    }
  });

  test('an overlay turns it on, and keeps the other Argo CD defaults', () => {
    const spec = resolve({ cloud: 'vk', environment: 'prod', argocd: { hydrate: true } }).spec!;
    expect([spec.argocd.hydrate, spec.argocd.namespace, spec.argocd.replicas]).toEqual([true, 'argocd', 2]);
  });

  test('a value that is not a boolean is one line naming the file and field', () => {
    expect(resolve({ cloud: 'vk', environment: 'prod', argocd: { hydrate: 'yes' } }).problems).toEqual(['overlays/c1.ts: argocd.hydrate: received "yes"; expected boolean']);
  });
});
