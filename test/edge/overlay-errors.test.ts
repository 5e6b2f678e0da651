import { resolveCluster } from '../../spec/load.js';
import { checkSpecRules } from '../../spec/rules.js';
import { ONPREM_SITE } from '../helpers/onprem-site.js';

const base = {
  cloud: 'yandex',
  environment: 'prod',
  domain: 'prod.company.ru',
  secrets: { ageRecipients: ['age190vd7ndvmhuc23dvgfpznujeuwufj92f0lpajhlfl52rky3kdprsnqz0pm'] },
};
const onprem = { ...base, cloud: 'onprem', infrastructure: 'vsphere', ...ONPREM_SITE, domain: 'corp.company.ru' };
const host = (h: Record<string, unknown>) => ({ name: 'api', host: 'api', service: 'api', namespace: 'shop', port: 8080, ...h });

const problemsOf = (overlay: unknown) => resolveCluster({ name: 'c1', file: 'overlays/c1.ts', overlay }).problems;

describe('a bad edge overlay gets one line naming the overlay file and field', () => {
  test.each([
    ['a host outside the domain', { ...base, ingress: { hosts: [host({ host: 'api.company.com' })] } },
      'overlays/c1.ts: ingress.hosts[0].host: received "api.company.com", outside the cluster\'s domain "prod.company.ru"; expected a name under it such as "api.prod.company.ru", or the single label "api"'],
    ['a host that only ends like the domain', { ...base, ingress: { hosts: [host({ host: 'evilprod.company.ru' })] } },
      'overlays/c1.ts: ingress.hosts[0].host: received "evilprod.company.ru", outside the cluster\'s domain "prod.company.ru"; expected a name under it such as "evilprod.prod.company.ru", or the single label "evilprod"'],
    ['an ingress kind that does not exist', { ...base, ingress: { kind: 'nginx' } },
      'overlays/c1.ts: ingress.kind: received "nginx"; expected one of "istio", "traefik"'],
    ['DNS-01 on Cloud.ru, which has no solver', { ...base, cloud: 'sber', tls: { acme: { challenge: 'dns01' } } },
      'overlays/c1.ts: tls.acme.challenge: received "dns01" on cloud "sber" with dns.provider "none"; DNS-01 needs a solver (Yandex Cloud DNS webhook, or RFC 2136 on-prem); use "http01"'],
    ['Linkerd next to the Istio ingress', { ...base, mesh: { kind: 'linkerd' } },
      'overlays/c1.ts: mesh.kind: received "linkerd" with ingress "istio"; the Istio ingress runs istiod and its injector, a second mesh control plane next to Linkerd: use mesh "istio" with the Istio ingress, or ingress "traefik" with Linkerd'],
    ['the ambient mesh without the Istio ingress', { ...base, ingress: { kind: 'traefik', loadBalancerIP: '203.0.113.10' }, mesh: { kind: 'istio', istioMode: 'ambient' } },
      'overlays/c1.ts: mesh.istioMode: received "ambient" with ingress "traefik"; the ambient mesh is supported here with the Istio ingress only'],
    ['RFC 2136 without the name server', { ...base, dns: { provider: 'rfc2136' } },
      'overlays/c1.ts: dns.rfc2136: missing; dns.provider "rfc2136" needs { host, port, tsigKeyName, tsigAlgorithm, tsigSecret: { name, key } } of the name server that accepts updates'],
    ['a company CA Secret name that is not a DNS label', { ...onprem, tls: { companyCaSecret: 'Company CA' } },
      'overlays/c1.ts: tls.companyCaSecret: received "Company CA"; expected a DNS label (lower-case letters, digits and "-", at most 63 characters)'],
    ['a route name used twice', { ...base, ingress: { hosts: [host({}), host({ host: 'api2' })] } },
      'overlays/c1.ts: ingress.hosts[1].name: received "api", already the name of ingress.hosts[0]; route names are unique in a cluster'],
    ['a host served twice', { ...base, ingress: { hosts: [host({}), host({ name: 'api2', host: 'api.prod.company.ru' })] } },
      'overlays/c1.ts: ingress.hosts[1].host: received "api.prod.company.ru", already served by ingress.hosts[0]; add paths to that host instead'],
    ['a path that is not a prefix', { ...base, ingress: { hosts: [host({ paths: ['api'] })] } },
      'overlays/c1.ts: ingress.hosts[0].paths[0]: received "api"; expected a path prefix starting with "/"'],
    ['a Yandex folder ID of the wrong shape', { ...base, dns: { yandex: { folderId: 'my-folder' } } },
      'overlays/c1.ts: dns.yandex.folderId: received "my-folder"; expected a Yandex Cloud folder ID (20 lower-case letters and digits, e.g. b1g0000000000000dns0)'],
    ['an unknown DNS policy', { ...base, dns: { policy: 'create' } },
      'overlays/c1.ts: dns.policy: received "create"; expected one of "upsert-only", "sync"'],
  ])('%s', (_what, overlay, message) => {
    expect(problemsOf(overlay)).toContain(message);
  });

  test('the Yandex webhook without its folder and key is refused', () => {
    // The yandex cloud layer always sets them; a spec without them (a changed layer) is refused.
    const spec = resolveCluster({ name: 'c1', file: 'overlays/c1.ts', overlay: base }).spec!;
    expect(spec.dns.yandex).toEqual({ folderId: 'b1gc0mpanydns0000001', serviceAccountSecret: { name: 'yandex-dns-editor', key: 'key.json' } });
    expect(checkSpecRules({ ...spec, dns: { ...spec.dns, yandex: undefined } })).toEqual([{
      path: 'dns.yandex',
      message: 'missing; dns.provider "yandex-webhook" needs { folderId, serviceAccountSecret: { name, key } } (the folder of the Cloud DNS zone and the dns.editor key Secret)',
    }]);
  });
});

describe('hosts', () => {
  test('a single label is a name under the cluster\'s domain', () => {
    const spec = resolveCluster({ name: 'c1', file: 'overlays/c1.ts', overlay: { ...base, ingress: { hosts: [host({})] } } }).spec!;
    expect(spec.ingress.hosts).toEqual([{ name: 'api', host: 'api.prod.company.ru', service: 'api', namespace: 'shop', port: 8080, paths: ['/'], tls: true }]);
  });

  test('every cluster serves the Argo CD UI, Grafana and the example backend by default', () => {
    const spec = resolveCluster({ name: 'c1', file: 'overlays/c1.ts', overlay: base }).spec!;
    expect(spec.ingress.hosts.map((h) => h.host)).toEqual(['argocd.prod.company.ru', 'grafana.prod.company.ru', 'shop.prod.company.ru']);
  });

  test('prod keeps DNS records (upsert-only), other environments sync them', () => {
    const policy = (environment: string) => resolveCluster({ name: 'c1', file: 'overlays/c1.ts', overlay: { ...base, environment } }).spec!.dns.policy;
    expect([policy('dev'), policy('stage'), policy('prod')]).toEqual(['sync', 'sync', 'upsert-only']);
  });
});
