import {
  certificateIssuerExists, hostInDnsZone, noLetsEncryptForLocalhost, tlsSecretHasCertificate, uniqueHostsAndOwners,
} from '../../validate/edge-rules.js';
import { checkFleetRules, FLEET_RULES, FLEET_WIDE_RULES, wideView } from '../../validate/fleet-rules.js';
import { manifestsFor, mutate, runRule, runWideRule } from './helpers.js';
import { ONPREM_SITE } from '../helpers/onprem-site.js';

const yandex = { cloud: 'yandex', environment: 'prod', domain: 'prod.company.ru' };
const onprem = { cloud: 'onprem', infrastructure: 'vsphere', ...ONPREM_SITE, environment: 'prod', domain: 'corp.company.ru' };
const traefik = { cloud: 'sber', environment: 'prod', domain: 'sber.company.ru', ingress: { kind: 'traefik' } };
const dev = { cloud: 'onprem', infrastructure: 'baremetal', ...ONPREM_SITE, environment: 'dev', domain: 'dev.localhost', dns: { provider: 'none' }, tls: { issuer: 'self-signed' }, ingress: { kind: 'traefik' } };

const isCert = (name: string) => (o: Record<string, any>) => o.kind === 'Certificate' && o.metadata.name === name;

describe('the edge fleet rules hold on rendered clusters', () => {
  test.each([['yandex + istio', yandex], ['on-prem CA + istio', onprem], ['sber + traefik', traefik], ['dev local CA', dev],
    ['vk + istio, no ExternalDNS', { cloud: 'vk', environment: 'prod', domain: 'vk.company.ru' }],
    ['ambient istio mesh', { ...yandex, mesh: { kind: 'istio', istioMode: 'ambient' } }],
    ['linkerd', { ...traefik, environment: 'stage', mesh: { kind: 'linkerd' } }]])('%s', (_what, overlay) => {
    const ms = manifestsFor(overlay);
    expect(checkFleetRules(ms, ms.map((m) => m.file))).toEqual([]);
  });
});

describe('certificate-issuer-exists', () => {
  test('a Certificate naming a ClusterIssuer the cluster lacks is reported', () => {
    const ms = mutate(manifestsFor(yandex), isCert('grafana'), (o) => { o.spec.issuerRef.name = 'letsencrypt-prod'; });
    const [f, ...rest] = runRule(certificateIssuerExists, ms);
    expect(rest).toEqual([]);
    expect(f.object).toBe('Certificate/istio-ingress/grafana');
    expect(f.path).toBe('.spec.issuerRef.name');
    expect(f.message).toMatch(/ClusterIssuer "letsencrypt-prod" does not exist in this cluster \(ClusterIssuers: internal-ca, letsencrypt-production, letsencrypt-staging, selfsigned\)/);
  });

  test('issuerRef without a kind means a namespaced Issuer, which must be in the Certificate\'s namespace', () => {
    const ms = mutate(manifestsFor(yandex), isCert('grafana'), (o) => { delete o.spec.issuerRef.kind; });
    expect(runRule(certificateIssuerExists, ms).map((f) => f.message)).toEqual([
      expect.stringContaining('Issuer "letsencrypt-production" does not exist in namespace istio-ingress'),
    ]);
  });

  test('a removed ClusterIssuer breaks the certificates that use it', () => {
    const ms = manifestsFor(onprem).filter((m) => !(m.object.kind === 'ClusterIssuer' && m.object.metadata.name === 'company-ca'));
    expect(runRule(certificateIssuerExists, ms).length).toBe(3);
  });
});

describe('tls-secret-has-certificate', () => {
  test('an Istio credentialName without a Certificate in the gateway namespace is reported', () => {
    const ms = mutate(manifestsFor(yandex), isCert('argocd'), (o) => { o.metadata.namespace = 'argocd'; });
    const [f, ...rest] = runRule(tlsSecretHasCertificate, ms);
    expect(rest).toEqual([]);
    expect(f.object).toBe('Gateway/istio-ingress/platform');
    expect(f.path).toMatch(/^\.spec\.servers\[\d\]\.tls\.credentialName$/);
    expect(f.message).toBe('no Certificate writes Secret "argocd-tls" in namespace istio-ingress (a Certificate writes it in argocd, which this Gateway cannot read); add a Certificate with secretName argocd-tls there');
  });

  test('a Traefik secretName that no Certificate writes is reported', () => {
    const ms = mutate(manifestsFor(traefik), (o) => o.kind === 'IngressRoute' && o.metadata.name === 'grafana', (o) => { o.spec.tls.secretName = 'grafana-cert'; });
    const findings = runRule(tlsSecretHasCertificate, ms);
    expect(findings.map((f) => [f.object, f.path])).toEqual([['IngressRoute/traefik/grafana', '.spec.tls.secretName']]);
  });
});

describe('host-in-dns-zone', () => {
  test('a host outside the ExternalDNS domainFilters is reported', () => {
    const ms = mutate(manifestsFor(yandex), (o) => o.kind === 'VirtualService' && o.metadata.name === 'grafana', (o) => { o.spec.hosts = ['grafana.company.com']; });
    expect(runRule(hostInDnsZone, ms).map((f) => `${f.object} ${f.path}: ${f.message}`)).toEqual([
      'VirtualService/istio-ingress/grafana .spec.hosts[0]: host grafana.company.com is outside the ExternalDNS domainFilters of this cluster (prod.company.ru); no record would be written for it',
    ]);
  });

  test('without ExternalDNS, a Traefik host outside the cluster\'s zone is reported', () => {
    const ms = mutate(manifestsFor(traefik), (o) => o.kind === 'IngressRoute' && o.metadata.name === 'shop' || (o.kind === 'IngressRoute' && o.metadata.name === 'storefront-api'),
      (o) => { o.spec.routes[0].match = 'Host(`shop.other.ru`) && PathPrefix(`/api`)'; });
    expect(runRule(hostInDnsZone, ms).map((f) => f.message)).toEqual(['host shop.other.ru is outside the cluster\'s DNS zone sber.company.ru']);
  });

  test('without ExternalDNS, a host-claiming object that states no zone is reported', () => {
    const ms = mutate(manifestsFor(traefik), (o) => o.kind === 'IngressRoute' && o.metadata.name === 'argocd', (o) => { delete o.metadata.annotations; });
    expect(runRule(hostInDnsZone, ms).map((f) => f.message)).toEqual([
      'host argocd.sber.company.ru: this cluster runs no ExternalDNS and the object has no platform.company.ru/dns-zone annotation; cannot tell which zone holds the name',
    ]);
  });

  test('a narrowed domainFilters leaves the other hosts uncovered', () => {
    const ms = mutate(manifestsFor(yandex), (o) => o.kind === 'Application' && o.metadata.name === 'external-dns',
      (o) => { o.spec.source.helm.valuesObject.domainFilters = ['grafana.prod.company.ru']; });
    const hosts = runRule(hostInDnsZone, ms).map((f) => f.message.split(' ')[1]);
    expect(new Set(hosts)).toEqual(new Set(['argocd.prod.company.ru', 'shop.prod.company.ru']));
  });
});

describe('unique-hosts-and-owners', () => {
  test('two clusters serving the same host are reported on the later one', () => {
    const a = manifestsFor(yandex, 'a');
    const b = manifestsFor({ ...yandex, ingress: { hosts: [{ name: 'grafana', host: 'grafana', service: 'grafana', namespace: 'monitoring', port: 80 }] } }, 'b');
    const findings = runWideRule(uniqueHostsAndOwners, [...a, ...b]);
    expect(findings.filter((f) => f.cluster === 'a')).toEqual([]);
    expect(findings.map((f) => f.message)).toContain('host grafana.prod.company.ru is also served by cluster a; a name belongs to one cluster');
  });

  test('two clusters with one txtOwnerId are reported', () => {
    const a = manifestsFor(yandex, 'a');
    const b = mutate(manifestsFor({ ...yandex, domain: 'other.company.ru' }, 'b'), (o) => o.kind === 'Application' && o.metadata.name === 'external-dns',
      (o) => { o.spec.source.helm.valuesObject.txtOwnerId = 'a'; });
    expect(runWideRule(uniqueHostsAndOwners, [...a, ...b]).map((f) => `${f.cluster}: ${f.message}`)).toEqual([
      'b: txtOwnerId "a" is also the owner ID of cluster a; each cluster needs its own',
    ]);
  });

  test('on the cut-down objects a synth keeps of each cluster (keep), the findings are the same', () => {
    const a = manifestsFor(yandex, 'a');
    const b = mutate(manifestsFor({ ...yandex, ingress: { hosts: [{ name: 'grafana', host: 'grafana', service: 'grafana', namespace: 'monitoring', port: 80 }] } }, 'b'),
      (o) => o.kind === 'Application' && o.metadata.name === 'external-dns', (o) => { o.spec.source.helm.valuesObject.txtOwnerId = 'a'; });
    const kept = [...a, ...b].flatMap((m) => wideView(m, { rule: uniqueHostsAndOwners }) ?? []);
    const full = runWideRule(uniqueHostsAndOwners, [...a, ...b]);
    expect(full.length).toBeGreaterThanOrEqual(2);
    expect(runWideRule(uniqueHostsAndOwners, kept)).toEqual(full);
    // Of the Applications only ExternalDNS's is kept.
    expect(kept.filter((m) => m.object.kind === 'Application').map((m) => `${m.cluster}/${m.object.metadata.name}`)).toEqual(['a/external-dns', 'b/external-dns']);
  });

  test('separate runs do not see each other\'s claims', () => {
    const a = manifestsFor(yandex, 'a');
    expect(runWideRule(uniqueHostsAndOwners, a)).toEqual([]);
    expect(runWideRule(uniqueHostsAndOwners, a)).toEqual([]);
  });
});

describe('no-letsencrypt-for-localhost', () => {
  test('a .localhost Certificate signed by a Let\'s Encrypt issuer is reported', () => {
    const ms = mutate(manifestsFor(yandex), isCert('grafana'), (o) => { o.spec.dnsNames = ['grafana.dev.localhost']; });
    expect(runRule(noLetsEncryptForLocalhost, ms).map((f) => [f.object, f.path])).toEqual([['Certificate/istio-ingress/grafana', '.spec.dnsNames[0]']]);
  });

  test('an ACME solver for a .localhost zone is reported', () => {
    const ms = mutate(manifestsFor(yandex), (o) => o.kind === 'ClusterIssuer' && o.metadata.name === 'letsencrypt-staging',
      (o) => { o.spec.acme.solvers[0].selector.dnsZones = ['dev.localhost']; });
    expect(runRule(noLetsEncryptForLocalhost, ms).map((f) => f.message)).toEqual(['zone dev.localhost is .localhost, which Let\'s Encrypt never issues for; use a local CA issuer']);
  });

  test('the local CA may sign .localhost names', () => {
    expect(runRule(noLetsEncryptForLocalhost, manifestsFor(dev))).toEqual([]);
  });
});

test('every edge rule is registered with the fleet rules', () => {
  expect(Object.keys(FLEET_RULES)).toEqual(expect.arrayContaining([
    'certificate-issuer-exists', 'tls-secret-has-certificate', 'host-in-dns-zone', 'no-letsencrypt-for-localhost',
  ]));
  expect(Object.keys(FLEET_WIDE_RULES)).toContain('unique-hosts-and-owners');
});
