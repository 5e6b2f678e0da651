import { resolveCluster } from '../../spec/load.js';
import { PLATFORM_AGE_RECIPIENT } from '../../spec/defaults.js';
import { ONPREM_SITE } from '../helpers/onprem-site.js';

const resolve = (overlay: Record<string, unknown>) => {
  const r = resolveCluster({ name: 'c1', file: 'overlays/c1.ts', overlay });
  if (!r.spec) throw new Error(r.problems.join('\n'));
  return r.spec;
};
const min = (cloud: string, environment: string) => ({ cloud, environment, domain: 'x.company.ru', ...(cloud === 'onprem' ? { infrastructure: 'vsphere', ...ONPREM_SITE } : {}) });

describe('defaults come in layers: platform, cloud, environment, overlay', () => {
  // Every environment, both fields: a change to any default (stage's prune, prod's replicas) fails here.
  test.each([
    ['dev', { automated: true, prune: true, selfHeal: true }, 1],
    ['stage', { automated: true, prune: true, selfHeal: true }, 1],
    ['prod', { automated: true, prune: false, selfHeal: true }, 2],
  ])('%s: Argo CD sync policy %j and %i server/repo-server replica(s), on every cloud', (environment, sync, replicas) => {
    for (const cloud of ['yandex', 'sber', 'vk', 'onprem']) {
      const spec = resolve(min(cloud, environment));
      expect([cloud, spec.argocd.sync, spec.argocd.replicas]).toEqual([cloud, sync, replicas]);
    }
  });

  test('the cloud layer picks the DNS provider and ACME challenge', () => {
    const yc = resolve(min('yandex', 'prod'));
    expect([yc.dns.provider, yc.tls.acme.challenge]).toEqual(['yandex-webhook', 'dns01']);
    const sber = resolve(min('sber', 'prod'));
    expect([sber.dns.provider, sber.tls.acme.challenge]).toEqual(['none', 'http01']);
  });

  test('on-prem clusters take certificates from the company CA', () => {
    expect(resolve(min('onprem', 'prod')).tls.issuer).toBe('company-ca');
  });

  test('the overlay wins over every layer, one field at a time', () => {
    const spec = resolve({ ...min('vk', 'prod'), argocd: { sync: { prune: true } } });
    expect(spec.argocd.sync).toEqual({ automated: true, prune: true, selfHeal: true });
    expect(spec.argocd.namespace).toBe('argocd');
  });

  test('a list in the overlay replaces the default list', () => {
    const spec = resolve({ ...min('vk', 'prod'), teams: [] });
    expect(spec.teams).toEqual([]);
    expect(resolve(min('vk', 'prod')).secrets.ageRecipients).toEqual([PLATFORM_AGE_RECIPIENT]);
  });

  test('Audit in dev, Enforce in stage and prod', () => {
    expect(['dev', 'stage', 'prod'].map((e) => resolve(min('vk', e)).imagePolicy.action)).toEqual(['Audit', 'Enforce', 'Enforce']);
  });
});
