import { App, Chart } from 'cdk8s';
import { Certificate } from '../../constructs/certificate.js';
import { AcmeSolver, ClusterIssuer, LETS_ENCRYPT } from '../../constructs/cluster-issuer.js';
import { IstioGateway, IstioLocalRateLimit } from '../../constructs/istio-gateway.js';
import { TraefikMiddleware, TraefikRoute } from '../../constructs/traefik-route.js';
import { validateSchemas } from '../../validate/schema.js';

const chart = (namespace = 'edge') => new Chart(new App({ outdir: '/nonexistent' }), 'c', { namespace });
const objects = (c: Chart) => c.toJson() as Record<string, any>[];
/** Schema errors of a chart's objects against the upstream CRDs, one line each. */
const schemaErrors = async (c: Chart) => (await validateSchemas(objects(c).map((object, i) => ({ file: `f${i}.yaml`, index: 0, object }))))
  .map((e) => `${e.object} ${e.path}: ${e.message}`);

describe('ClusterIssuer', () => {
  test('acme: Let\'s Encrypt production by default, account key named after the issuer, solvers in order', async () => {
    const c = chart();
    ClusterIssuer.acme(c, 'le', {
      email: 'ops@company.ru',
      solvers: [AcmeSolver.http01Ingress('traefik').forZones(['prod.company.ru'])],
    });
    const [o] = objects(c);
    expect(o.metadata).toEqual({ name: 'le' });
    expect(o.spec.acme).toEqual({
      server: LETS_ENCRYPT.production, email: 'ops@company.ru', privateKeySecretRef: { name: 'le-account-key' },
      solvers: [{ selector: { dnsZones: ['prod.company.ru'] }, http01: { ingress: { ingressClassName: 'traefik' } } }],
    });
    expect(await schemaErrors(c)).toEqual([]);
  });

  test('acme: DNS-01 through a webhook or RFC 2136 renders valid solvers', async () => {
    const c = chart();
    ClusterIssuer.acme(c, 'dns', {
      email: 'ops@company.ru', server: LETS_ENCRYPT.staging,
      solvers: [
        AcmeSolver.dns01Webhook({ groupName: 'acme.cloud.yandex.com', solverName: 'yandex-cloud-dns', config: { folder: 'b1g' } }),
        AcmeSolver.dns01Rfc2136({ nameserver: 'ns1.company.ru:53', tsigKeyName: 'k', tsigAlgorithm: 'HMACSHA256', tsigSecret: { name: 'tsig', key: 'secret' } }),
      ],
    });
    expect(objects(c)[0].spec.acme.solvers.map((s: any) => Object.keys(s.dns01)[0])).toEqual(['webhook', 'rfc2136']);
    expect(await schemaErrors(c)).toEqual([]);
  });

  test('ca, selfSigned and vault render valid, cluster-scoped issuers', async () => {
    const c = chart();
    ClusterIssuer.ca(c, 'company-ca', { secretName: 'company-ca-key-pair' });
    ClusterIssuer.selfSigned(c, 'selfsigned');
    ClusterIssuer.vault(c, 'vault', { server: 'https://vault.vault.svc:8200', path: 'pki_int/sign/platform', role: 'cert-manager' });
    const os = objects(c);
    expect(os.map((o) => Object.keys(o.spec)[0])).toEqual(['ca', 'selfSigned', 'vault']);
    expect(os.every((o) => o.metadata.namespace === undefined)).toBe(true);
    expect(os[2].spec.vault.auth.kubernetes).toEqual({ role: 'cert-manager', mountPath: '/v1/auth/kubernetes', serviceAccountRef: { name: 'cert-manager' } });
    expect(await schemaErrors(c)).toEqual([]);
  });

  test('bad props name the construct path and the field', () => {
    expect(() => ClusterIssuer.acme(chart(), 'le', { email: 'nobody', solvers: [AcmeSolver.http01Ingress('traefik')] }))
      .toThrow('c/le: email: received "nobody"; expected an e-mail address');
    expect(() => ClusterIssuer.acme(chart(), 'le', { email: 'a@b.ru', solvers: [AcmeSolver.dns01Rfc2136({ nameserver: 'ns1', tsigKeyName: 'k', tsigAlgorithm: 'HMACSHA256', tsigSecret: { name: 't', key: 'k' } })] }))
      .toThrow('c/le: solvers[0]: dns01 rfc2136 solver: nameserver: received "ns1"; expected host:port such as ns1.company.ru:53');
    expect(() => ClusterIssuer.vault(chart(), 'v', { server: 'https://vault', path: 'pki/issue/x', role: 'r' }))
      .toThrow('c/v: path: received "pki/issue/x"; expected a PKI signing path such as pki_int/sign/platform');
    expect(() => ClusterIssuer.acme(chart(), 'le', { email: 'a@b.ru', solvers: [] })).toThrow('c/le: solvers: received []; expected at least one solver');
  });
});

describe('Certificate', () => {
  test('writes <name>-tls in its namespace, signed by the issuer it is given', async () => {
    const c = chart();
    const issuer = ClusterIssuer.selfSigned(c, 'selfsigned');
    new Certificate(c, 'grafana', { namespace: 'istio-ingress', issuer: issuer.ref, dnsNames: ['grafana.prod.company.ru'] });
    const cert = objects(c).find((o) => o.kind === 'Certificate')!;
    expect(cert.metadata).toEqual({ name: 'grafana', namespace: 'istio-ingress' });
    expect(cert.spec.secretName).toBe('grafana-tls');
    expect(cert.spec.issuerRef).toEqual({ name: 'selfsigned', kind: 'ClusterIssuer', group: 'cert-manager.io' });
    expect(await schemaErrors(c)).toEqual([]);
  });

  test('a CA certificate renders isCA and an ECDSA key', async () => {
    const c = chart();
    new Certificate(c, 'ca', { issuer: { kind: 'ClusterIssuer', name: 'selfsigned' }, isCA: true, commonName: 'root', keyAlgorithm: 'ECDSA', keySize: 256 });
    const [o] = objects(c);
    expect([o.spec.isCA, o.spec.privateKey.algorithm, o.spec.privateKey.size]).toEqual([true, 'ECDSA', 256]);
    expect(await schemaErrors(c)).toEqual([]);
  });

  test.each([
    [{ dnsNames: [] }, 'dnsNames: received []; expected at least one name (only a CA certificate may go by its commonName alone)'],
    [{ dnsNames: ['Bad_Name'] }, 'dnsNames[0]: received "Bad_Name"; expected a lower-case DNS name, optionally starting with "*."'],
    [{ dnsNames: ['a.ru'], keyAlgorithm: 'ECDSA', keySize: 2048 }, 'keySize: received 2048; expected one of 256, 384, 521 for ECDSA'],
    [{ dnsNames: ['a.ru'], duration: '90 days' }, 'duration: received "90 days"; expected a Go duration such as 2160h'],
  ] as const)('refuses %j', (props, message) => {
    expect(() => new Certificate(chart(), 'x', { issuer: { kind: 'ClusterIssuer', name: 'i' }, ...props })).toThrow(`c/x: ${message}`);
  });
});

describe('IstioGateway', () => {
  test('one HTTPS server per TLS host with its credential, one HTTP server that redirects', async () => {
    const c = chart('istio-ingress');
    const gw = new IstioGateway(c, 'platform', {
      namespace: 'istio-ingress', selector: { istio: 'ingressgateway' },
      hosts: [{ host: 'a.prod.company.ru', credentialName: 'a-tls' }, { host: 'b.prod.company.ru' }],
    });
    gw.addRoute('a', { host: 'a.prod.company.ru', service: 'svc', serviceNamespace: 'shop', port: 8080, paths: ['/api'] });
    const [g, vs] = objects(c);
    expect(g.spec.servers).toEqual([
      { port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['a.prod.company.ru', 'b.prod.company.ru'], tls: { httpsRedirect: true } },
      { port: { number: 443, name: 'https-a-prod-company-ru', protocol: 'HTTPS' }, hosts: ['a.prod.company.ru'], tls: { mode: 'SIMPLE', credentialName: 'a-tls' } },
    ]);
    expect(vs.spec).toEqual({
      hosts: ['a.prod.company.ru'], gateways: ['istio-ingress/platform'],
      http: [{ match: [{ uri: { prefix: '/api' } }], route: [{ destination: { host: 'svc.shop.svc.cluster.local', port: { number: 8080 } } }] }],
    });
    expect(await schemaErrors(c)).toEqual([]);
  });

  test('a route for a host the gateway does not serve is refused', () => {
    const c = chart();
    const gw = new IstioGateway(c, 'gw', { namespace: 'edge', selector: { istio: 'x' }, hosts: [{ host: 'a.ru' }] });
    expect(() => gw.addRoute('r', { host: 'b.ru', service: 's', serviceNamespace: 'n', port: 80 }))
      .toThrow('c/r: host: received "b.ru"; expected one of the hosts of gateway edge/gw (a.ru)');
  });
});

describe('TraefikRoute', () => {
  test('Host() and PathPrefix() rules, TLS from a Secret, middlewares by name', async () => {
    const c = chart('traefik');
    const headers = TraefikMiddleware.securityHeaders(c, 'security-headers', { namespace: 'traefik' });
    TraefikMiddleware.redirectToHttps(c, 'https-redirect', { namespace: 'traefik' });
    new TraefikRoute(c, 'shop', {
      namespace: 'traefik', host: 'shop.prod.company.ru', paths: ['/api', '/healthz'], service: { name: 'api', namespace: 'shop', port: 8080 },
      middlewares: [headers], tlsSecretName: 'shop-tls', annotations: { 'external-dns.alpha.kubernetes.io/target': '203.0.113.10' },
    });
    const route = objects(c).find((o) => o.kind === 'IngressRoute')!;
    expect(route.spec.entryPoints).toEqual(['websecure']);
    expect(route.spec.routes[0].match).toBe('Host(`shop.prod.company.ru`) && (PathPrefix(`/api`) || PathPrefix(`/healthz`))');
    expect(route.spec.routes[0].middlewares).toEqual([{ name: 'security-headers', namespace: 'traefik' }]);
    expect(route.spec.tls).toEqual({ secretName: 'shop-tls' });
    expect(await schemaErrors(c)).toEqual([]);
  });

  test('a path with a backtick cannot break out of the rule', () => {
    expect(() => new TraefikRoute(chart(), 'r', { host: 'a.ru', paths: ['/a`)||Host(`b'], service: { name: 's', namespace: 'n', port: 80 } }))
      .toThrow('c/r: paths[0]');
  });
});

test('the schema check used above does reject an invalid edge object', async () => {
  const c = chart();
  new Certificate(c, 'x', { issuer: { kind: 'ClusterIssuer', name: 'i' }, dnsNames: ['a.ru'] });
  const broken = objects(c).map((o) => ({ ...o, spec: { ...o.spec, secretName: undefined, isCA: 'yes' } }));
  const errors = await validateSchemas(broken.map((object) => ({ file: 'f.yaml', index: 0, object: JSON.parse(JSON.stringify(object)) })));
  expect(errors.map((e) => e.path).sort()).toEqual(['.spec.isCA', '.spec.secretName']);
});

describe('rate limits on one host', () => {
  const gateway = (c: Chart) => new IstioGateway(c, 'gw', {
    namespace: 'istio-ingress', selector: { istio: 'ingressgateway' },
    hosts: [{ host: 'otlp.prod.company.ru', credentialName: 'otlp-tls' }, { host: 'plain.prod.company.ru' }],
  });

  test('Traefik: a RateLimit Middleware and an Istio local rate limit EnvoyFilter are valid against the upstream CRDs', async () => {
    const c = chart('traefik');
    TraefikMiddleware.rateLimit(c, 'rl', { namespace: 'traefik', average: 10, burst: 20 });
    const i = chart('istio-ingress');
    new IstioLocalRateLimit(i, 'rl', { gateway: gateway(i), selector: { istio: 'ingressgateway' }, hosts: [{ host: 'otlp.prod.company.ru', requestsPerSecond: 10, burst: 20 }] });
    expect([...await schemaErrors(c), ...await schemaErrors(i)]).toEqual([]);
  });

  test('a burst below the rate is refused, naming the field', () => {
    expect(() => TraefikMiddleware.rateLimit(chart(), 'rl', { average: 10, burst: 5 })).toThrow('c: rl.burst: received 5; expected a whole number of requests, at least average (10)');
    const c = chart();
    expect(() => new IstioLocalRateLimit(c, 'rl', { gateway: gateway(c), selector: { istio: 'ingressgateway' }, hosts: [{ host: 'otlp.prod.company.ru', requestsPerSecond: 10, burst: 5 }] }))
      .toThrow('c/rl: hosts[0].burst: received 5; expected a whole number of requests, at least requestsPerSecond (10)');
  });

  test('Istio: a host the gateway does not serve over HTTPS is refused (its virtual host would match nothing)', () => {
    const c = chart();
    expect(() => new IstioLocalRateLimit(c, 'rl', { gateway: gateway(c), selector: { istio: 'ingressgateway' }, hosts: [{ host: 'plain.prod.company.ru', requestsPerSecond: 1, burst: 1 }] }))
      .toThrow('c/rl: hosts[0].host: received "plain.prod.company.ru"; expected one of the HTTPS hosts of gateway istio-ingress/gw (otlp.prod.company.ru)');
  });
});
