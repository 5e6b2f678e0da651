import { find, objectsFor } from './helpers.js';
import { ONPREM_SITE } from '../helpers/onprem-site.js';

const yandex = { cloud: 'yandex', environment: 'prod', domain: 'prod.company.ru', mesh: { kind: 'istio' } };
const onprem = { cloud: 'onprem', infrastructure: 'vsphere', ...ONPREM_SITE, environment: 'prod', domain: 'corp.company.ru' };
const sber = { cloud: 'sber', environment: 'prod', domain: 'sber.company.ru', ingress: { kind: 'traefik' } };
const vk = { cloud: 'vk', environment: 'stage', domain: 'stage.company.ru', ingress: { kind: 'traefik' }, mesh: { kind: 'linkerd' } };
const dev = { cloud: 'onprem', infrastructure: 'baremetal', ...ONPREM_SITE, environment: 'dev', domain: 'dev.localhost', dns: { provider: 'none' }, tls: { issuer: 'self-signed' }, ingress: { kind: 'traefik' } };

const app = (os: Record<string, any>[], name: string) => find(os, 'Application', name);
const values = (os: Record<string, any>[], name: string) => app(os, name)?.spec.source.helm.valuesObject;
const wave = (os: Record<string, any>[], name: string) => Number(app(os, name).metadata.annotations['argocd.argoproj.io/sync-wave']);
const names = (os: Record<string, any>[], kind: string) => os.filter((o) => o.kind === kind).map((o) => o.metadata.name).sort();

describe('cert-manager', () => {
  test('every cluster gets the pinned chart with its CRDs, server-side applied, before its issuers', () => {
    for (const overlay of [yandex, onprem, sber, vk, dev]) {
      const os = objectsFor(overlay);
      const cm = app(os, 'cert-manager');
      expect(cm.spec.source).toMatchObject({ chart: 'cert-manager', targetRevision: 'v1.21.1' });
      expect(cm.spec.source.helm.valuesObject.crds).toEqual({ enabled: true, keep: true });
      expect(cm.spec.source.helm.valuesObject.global.leaderElection.namespace).toBe('cert-manager');
      expect(cm.spec.syncPolicy.syncOptions).toContain('ServerSideApply=true');
      expect(wave(os, 'cert-manager')).toBeLessThan(wave(os, 'cert-manager-config'));
    }
  });

  test('Yandex: Let\'s Encrypt staging and production with the official DNS-01 webhook, whose chart is pinned too', () => {
    const os = objectsFor(yandex);
    expect(names(os, 'ClusterIssuer')).toEqual(['internal-ca', 'letsencrypt-production', 'letsencrypt-staging', 'selfsigned']);
    const solver = find(os, 'ClusterIssuer', 'letsencrypt-production').spec.acme.solvers[0];
    expect(solver.dns01.webhook).toMatchObject({ groupName: 'acme.cloud.yandex.com', solverName: 'yandex-cloud-dns' });
    expect(solver.selector.dnsZones).toEqual(['prod.company.ru']);
    expect(values(os, 'cert-manager-webhook-yandex').groupName).toBe('acme.cloud.yandex.com');
  });

  test('Cloud.ru: HTTP-01 through the cluster\'s ingress class, no webhook', () => {
    const os = objectsFor(sber);
    expect(find(os, 'ClusterIssuer', 'letsencrypt-staging').spec.acme.solvers[0].http01).toEqual({ ingress: { ingressClassName: 'traefik' } });
    expect(app(os, 'cert-manager-webhook-yandex')).toBeUndefined();
  });

  test('HTTP-01 through Istio gets an IngressClass and no HTTPS redirect on the gateway', () => {
    const os = objectsFor({ ...sber, ingress: { kind: 'istio' } });
    expect(find(os, 'IngressClass', 'istio').spec.controller).toBe('istio.io/ingress-controller');
    expect(find(os, 'Gateway', 'platform').spec.servers[0].tls).toBeUndefined();
    expect(values(os, 'istiod').meshConfig.ingressClass).toBe('istio');
  });

  test('on-prem: the company CA issuer signs with the CA key pair Secret named in the overlay', () => {
    const os = objectsFor({ ...onprem, tls: { companyCaSecret: 'corp-ca' } });
    expect(names(os, 'ClusterIssuer')).toEqual(['company-ca', 'internal-ca', 'selfsigned']);
    expect(find(os, 'ClusterIssuer', 'company-ca').spec).toEqual({ ca: { secretName: 'corp-ca' } });
    expect(find(os, 'Certificate', 'grafana').spec.issuerRef.name).toBe('company-ca');
  });

  test('on-prem DNS-01 uses RFC 2136 and checks propagation on the company name server', () => {
    const os = objectsFor({ ...onprem, tls: { issuer: 'letsencrypt', acme: { challenge: 'dns01' } } });
    expect(find(os, 'ClusterIssuer', 'letsencrypt-production').spec.acme.solvers[0].dns01.rfc2136).toEqual({
      nameserver: 'ns1.company.ru:53', tsigKeyName: 'externaldns.company.ru', tsigAlgorithm: 'HMACSHA256', tsigSecretSecretRef: { name: 'rfc2136-tsig', key: 'secret' },
    });
    expect(values(os, 'cert-manager').dns01RecursiveNameserversOnly).toBe(true);
  });

  test('dev: selfSigned -> CA Certificate -> CA issuer, which signs the hosts', () => {
    const os = objectsFor(dev);
    expect(names(os, 'ClusterIssuer')).toEqual(['local-ca', 'selfsigned']);
    const ca = find(os, 'Certificate', 'local-ca', 'cert-manager');
    expect([ca.spec.isCA, ca.spec.issuerRef.name, ca.spec.secretName]).toEqual([true, 'selfsigned', 'local-ca']);
    expect(find(os, 'ClusterIssuer', 'local-ca').spec.ca.secretName).toBe('local-ca');
    expect(find(os, 'Certificate', 'grafana').spec).toMatchObject({ dnsNames: ['grafana.dev.localhost'], issuerRef: { name: 'local-ca' } });
  });

  test('the certificates follow tls.acme.server', () => {
    const os = objectsFor({ ...sber, tls: { acme: { server: 'staging' } } });
    expect(find(os, 'Certificate', 'argocd').spec.issuerRef.name).toBe('letsencrypt-staging');
  });
});

describe('ExternalDNS', () => {
  test('Yandex: the webhook as a sidecar, its image pinned, the key mounted from a Secret by name', () => {
    const v = values(objectsFor(yandex), 'external-dns');
    expect(v.provider.name).toBe('webhook');
    expect(v.provider.webhook.image).toEqual({ repository: 'ghcr.io/ismailbaskin/external-dns-yandex-webhook', tag: '1.0.0' });
    expect(v.provider.webhook.args).toContain('--folder-id=b1gc0mpanydns0000001');
    expect(v.extraVolumes[0].secret.secretName).toBe('yandex-dns-editor');
  });

  test('domain filter, owner ID, policy, sources and annotation prefix come from the spec', () => {
    const v = values(objectsFor(yandex, 'yc-1'), 'external-dns');
    expect(v).toMatchObject({
      domainFilters: ['prod.company.ru'], txtOwnerId: 'yc-1', policy: 'upsert-only', registry: 'txt',
      sources: ['istio-gateway', 'istio-virtualservice'], annotationPrefix: 'external-dns.alpha.kubernetes.io/',
    });
    expect(values(objectsFor({ ...yandex, environment: 'stage' }), 'external-dns').policy).toBe('sync');
  });

  test('on-prem: RFC 2136 to BIND, the TSIG secret from a Secret reference', () => {
    const v = values(objectsFor(onprem), 'external-dns');
    expect(v.provider).toEqual({ name: 'rfc2136' });
    expect(v.extraArgs).toEqual(expect.arrayContaining(['--rfc2136-host=ns1.company.ru', '--rfc2136-zone=corp.company.ru', '--rfc2136-tsig-axfr']));
    expect(v.env).toEqual([{ name: 'EXTERNAL_DNS_RFC2136_TSIG_SECRET', valueFrom: { secretKeyRef: { name: 'rfc2136-tsig', key: 'secret' } } }]);
  });

  test('VK Cloud and Cloud.ru have no provider: no ExternalDNS at all', () => {
    expect(app(objectsFor(sber), 'external-dns')).toBeUndefined();
    expect(app(objectsFor(vk), 'external-dns')).toBeUndefined();
  });

  test('Traefik with ExternalDNS and no reserved address: the Traefik Service lists every host for the service source', () => {
    const os = objectsFor({ ...yandex, mesh: { kind: 'none' }, ingress: { kind: 'traefik' } });
    expect(values(os, 'external-dns').sources).toEqual(['service']);
    const hosts = values(os, 'traefik').service.annotations['external-dns.alpha.kubernetes.io/hostname'].split(',');
    expect(hosts).toEqual(['argocd.prod.company.ru', 'grafana.prod.company.ru', 'shop.prod.company.ru']);
    expect(os.filter((o) => o.kind === 'IngressRoute').some((r) => r.metadata.annotations?.['external-dns.alpha.kubernetes.io/target'])).toBe(false);
  });

  test('Traefik with ExternalDNS: traefik-proxy source and the target annotation on every route', () => {
    const os = objectsFor({ ...yandex, mesh: { kind: 'none' }, ingress: { kind: 'traefik', loadBalancerIP: '203.0.113.10' } });
    expect(values(os, 'external-dns').sources).toEqual(['traefik-proxy']);
    const routes = os.filter((o) => o.kind === 'IngressRoute');
    expect(routes.length).toBe(6);
    expect(routes.every((r) => r.metadata.annotations['external-dns.alpha.kubernetes.io/target'] === '203.0.113.10')).toBe(true);
    expect(values(os, 'traefik').service).toEqual({ spec: { loadBalancerIP: '203.0.113.10' } });
  });
});

describe('ingress', () => {
  test('Istio: base, istiod and the gateway as pinned charts; a Certificate per host in the gateway namespace', () => {
    const os = objectsFor(yandex);
    expect(['istio-base', 'istiod', 'istio-ingress'].map((n) => app(os, n).spec.source.targetRevision)).toEqual(['1.30.4', '1.30.4', '1.30.4']);
    expect(wave(os, 'istio-base')).toBeLessThan(wave(os, 'istiod'));
    expect(wave(os, 'istiod')).toBeLessThan(wave(os, 'istio-ingress'));
    const certs = os.filter((o) => o.kind === 'Certificate' && o.metadata.namespace === 'istio-ingress');
    expect(certs.map((c) => `${c.metadata.namespace}/${c.spec.secretName}`).sort()).toEqual(['istio-ingress/argocd-tls', 'istio-ingress/grafana-tls', 'istio-ingress/storefront-api-tls']);
    const credentials = find(os, 'Gateway', 'platform').spec.servers.flatMap((s: any) => (s.tls?.credentialName ? [s.tls.credentialName] : []));
    expect(credentials.sort()).toEqual(['argocd-tls', 'grafana-tls', 'storefront-api-tls']);
    expect(names(os, 'VirtualService')).toEqual(['argocd', 'grafana', 'storefront-api']);
  });

  test('Traefik: the chart, redirect and headers middlewares, a Certificate beside each HTTPS route', () => {
    const os = objectsFor(sber);
    expect(app(os, 'traefik').spec.source).toMatchObject({ chart: 'traefik', targetRevision: '41.3.0' });
    expect(names(os, 'Middleware')).toEqual(['https-redirect', 'security-headers']);
    const route = find(os, 'IngressRoute', 'grafana');
    expect(find(os, 'Certificate', 'grafana', route.metadata.namespace).spec.secretName).toBe(route.spec.tls.secretName);
    expect(find(os, 'IngressRoute', 'grafana-http').spec.routes[0].middlewares).toEqual([{ name: 'https-redirect', namespace: 'traefik' }]);
  });

  test('a host with TLS off gets a plain HTTP route and no Certificate', () => {
    const os = objectsFor({ ...sber, ingress: { kind: 'traefik', hosts: [{ name: 'status', host: 'status', service: 'status', namespace: 'shop', port: 80, tls: false }] } });
    expect(os.filter((o) => o.kind === 'Certificate' && o.metadata.namespace === 'shop')).toEqual([]);
    expect(find(os, 'IngressRoute', 'status').spec).toMatchObject({ entryPoints: ['web'] });
    expect(names(os, 'Middleware')).toEqual([]);
  });
});

describe('mesh', () => {
  test('Istio mesh: mesh-wide PeerAuthentication, STRICT in prod and PERMISSIVE elsewhere', () => {
    expect(find(objectsFor(yandex), 'PeerAuthentication', 'default').spec.mtls.mode).toBe('STRICT');
    expect(find(objectsFor({ ...yandex, environment: 'stage' }), 'PeerAuthentication', 'default').spec.mtls.mode).toBe('PERMISSIVE');
  });

  test('Istio sidecar mode injects only namespaces that opt in; ambient adds the CNI and ztunnel charts', () => {
    expect(values(objectsFor(yandex), 'istiod').sidecarInjectorWebhook).toEqual({ enableNamespacesByDefault: false });
    const ambient = objectsFor({ ...yandex, mesh: { kind: 'istio', istioMode: 'ambient' } });
    expect(values(ambient, 'istiod').profile).toBe('ambient');
    const chartOf = (name: string) => { const s = app(ambient, name).spec.source; return [s.repoURL, s.chart, s.targetRevision]; };
    const istio = 'https://istio-release.storage.googleapis.com/charts';
    const version = app(ambient, 'istiod').spec.source.targetRevision;
    expect([chartOf('istio-cni'), chartOf('ztunnel')]).toEqual([[istio, 'cni', version], [istio, 'ztunnel', version]]);
  });

  test('Traefik without a mesh installs no Istio at all', () => {
    expect(app(objectsFor(sber), 'istiod')).toBeUndefined();
  });

  test('Linkerd: edge charts, ECDSA trust anchor and identity issuer made by cert-manager before the control plane', () => {
    const os = objectsFor(vk);
    expect(app(os, 'linkerd-control-plane').spec.source.repoURL).toBe('https://helm.linkerd.io/edge');
    const anchor = find(os, 'Certificate', 'linkerd-trust-anchor');
    const identity = find(os, 'Certificate', 'linkerd-identity-issuer', 'linkerd');
    expect([anchor.spec.isCA, anchor.spec.privateKey.algorithm, anchor.spec.issuerRef.name]).toEqual([true, 'ECDSA', 'selfsigned']);
    expect([identity.spec.isCA, identity.spec.privateKey.algorithm, identity.spec.issuerRef.name]).toEqual([true, 'ECDSA', 'linkerd-trust-anchor']);
    expect(values(os, 'linkerd-control-plane').identity).toEqual({ externalCA: true, issuer: { scheme: 'kubernetes.io/tls' } });
    expect(wave(os, 'mesh')).toBeLessThan(wave(os, 'linkerd-control-plane'));
    expect(wave(os, 'linkerd-crds')).toBeLessThan(wave(os, 'mesh'));
  });
});

describe('the platform project', () => {
  test('allows the cluster-scoped kinds the edge needs, IngressClass only where the edge makes one', () => {
    const kinds = (overlay: Record<string, unknown>) => find(objectsFor(overlay), 'AppProject', 'platform').spec.clusterResourceWhitelist.map((k: any) => k.kind).sort();
    expect(kinds(yandex)).toEqual(expect.arrayContaining(['APIService', 'ClusterIssuer', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration']));
    expect(kinds(yandex)).not.toContain('IngressClass');
    expect(kinds(sber)).toContain('IngressClass');
    expect(kinds(onprem)).not.toContain('IngressClass');
  });

  test('reads every chart repository the edge uses (an OCI registry as Argo CD names a Helm one: no scheme, no chart name)', () => {
    const repos = find(objectsFor(yandex), 'AppProject', 'platform').spec.sourceRepos;
    expect(repos).toEqual(expect.arrayContaining([
      'https://charts.jetstack.io', 'https://kubernetes-sigs.github.io/external-dns/', 'https://istio-release.storage.googleapis.com/charts',
      'cr.yandex/yc-marketplace/yandex-cloud',
    ]));
  });
});
