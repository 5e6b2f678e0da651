// Browser telemetry (platform document §5: the frontend's browser metrics): an OTLP/HTTP endpoint
// on the ingress, TLS from cert-manager, CORS for the cluster's own pages, a rate limit at the
// ingress, and a collector of its own that bounds what it takes and marks it as from browsers.
// Read back from the rendered objects, and the collector's config from what the pinned chart renders.
import yaml from 'js-yaml';
import { BROWSER_COLLECTOR_RELEASE, LOKI_URL } from '../../charts/monitoring.js';
import { renderCluster } from '../../charts/cluster.js';
import { EXTERNAL_DNS_HOSTNAME_ANNOTATION } from '../../charts/external-dns.js';
import { BROWSER_TELEMETRY_PAGE, renderServiceDocs } from '../../pipeline/service-docs.js';
import { resolveCluster } from '../../spec/load.js';
import { specFor, withAlertReceiver } from '../helpers/fleet.js';
import { describeWithReferenceData } from '../helpers/reference-data.js';
import { ofKind, useRealCharts, type K8sObject } from '../charts-real/real-charts.js';

const on = (extra: Record<string, unknown> = {}) => ({ observability: { browserTelemetry: { enabled: true, ...extra } } });
const traefik = { ingress: { kind: 'traefik' } };
const objectsOf = (overlay: Record<string, unknown>, name = 'c1'): K8sObject[] => renderCluster(specFor(overlay, name)).manifests.map((m) => m.object);
const find = (objects: K8sObject[], kind: string, name: string): K8sObject | undefined =>
  objects.find((o) => o.kind === kind && o.metadata.name === name);
const HOST = 'otlp.prod.company.ru';

/** The overlay's problems (file: field: message), or [] when it loads. */
function problems(overlay: Record<string, unknown>): string[] {
  return resolveCluster({
    name: 'c1', file: 'overlays/c1.ts',
    overlay: withAlertReceiver({ cloud: 'vk', environment: 'prod', domain: 'prod.company.ru', secrets: { ageRecipients: ['age190vd7ndvmhuc23dvgfpznujeuwufj92f0lpajhlfl52rky3kdprsnqz0pm'] }, ...overlay }),
  }).problems;
}

describe('browser telemetry: off unless the overlay turns it on', () => {
  test('by default no browser collector, no endpoint route and no Certificate for it', () => {
    const objects = objectsOf({});
    expect(find(objects, 'Application', BROWSER_COLLECTOR_RELEASE)).toBeUndefined();
    expect(objects.filter((o) => JSON.stringify(o).includes(HOST))).toEqual([]);
  });

  test('turned on, the collector is its own Application in the opentelemetry namespace, next to the services\' gateway', () => {
    const app = find(objectsOf(on()), 'Application', BROWSER_COLLECTOR_RELEASE)!;
    expect(app.spec.destination.namespace).toBe('opentelemetry');
    expect(app.spec.source.helm.releaseName).toBe(BROWSER_COLLECTOR_RELEASE);
  });
});

describe('browser telemetry through the Istio gateway', () => {
  const objects = objectsOf(on());

  test('the Gateway serves the endpoint over HTTPS with a cert-manager Certificate for that name', () => {
    const cert = find(objects, 'Certificate', 'otlp-browser')!;
    expect(cert.spec.dnsNames).toEqual([HOST]);
    const servers = find(objects, 'Gateway', 'platform')!.spec.servers;
    expect(servers).toContainEqual(expect.objectContaining({ hosts: [HOST], tls: expect.objectContaining({ mode: 'SIMPLE', credentialName: cert.spec.secretName }) }));
  });

  test('the VirtualService sends only the three OTLP/HTTP paths to the browser collector', () => {
    const vs = find(objects, 'VirtualService', 'otlp-browser')!;
    expect(vs.spec.hosts).toEqual([HOST]);
    expect(vs.spec.http).toEqual([{
      match: [{ uri: { prefix: '/v1/traces' } }, { uri: { prefix: '/v1/metrics' } }, { uri: { prefix: '/v1/logs' } }],
      route: [{ destination: { host: `${BROWSER_COLLECTOR_RELEASE}.opentelemetry.svc.cluster.local`, port: { number: 4318 } } }],
    }]);
  });

  test('an EnvoyFilter on the gateway pods gives the endpoint\'s virtual host a token bucket of the overlay\'s rate', () => {
    const f = find(objectsOf(on({ rateLimit: { requestsPerSecond: 50, burst: 120 } })), 'EnvoyFilter', 'platform-rate-limit')!;
    expect(f.metadata.namespace).toBe('istio-ingress');
    expect(f.spec.workloadSelector.labels).toEqual({ istio: 'ingressgateway' });
    const [filter, vhost] = f.spec.configPatches;
    expect([filter.applyTo, filter.patch.operation, filter.patch.value.name]).toEqual(['HTTP_FILTER', 'INSERT_BEFORE', 'envoy.filters.http.local_ratelimit']);
    expect(vhost.match).toEqual({ context: 'GATEWAY', routeConfiguration: { gateway: 'istio-ingress/platform', vhost: { name: `${HOST}:443` } } });
    const limit = vhost.patch.value.typed_per_filter_config['envoy.filters.http.local_ratelimit'];
    expect(limit.token_bucket).toEqual({ max_tokens: 120, tokens_per_fill: 50, fill_interval: '1s' });
    expect([limit.filter_enabled.default_value.numerator, limit.filter_enforced.default_value.numerator]).toEqual([100, 100]);
  });

  test('ExternalDNS publishes the endpoint: its istio-gateway source reads the Gateway\'s hosts', () => {
    const yc = objectsOf({ cloud: 'yandex', ...on(), dns: { provider: 'yandex-webhook' } });
    expect(find(yc, 'Application', 'external-dns')!.spec.source.helm.valuesObject.sources).toContain('istio-gateway');
    expect(find(yc, 'Gateway', 'platform')!.spec.servers.flatMap((s: K8sObject) => s.hosts)).toContain(HOST);
  });
});

describe('browser telemetry through Traefik', () => {
  const objects = objectsOf({ ...traefik, ...on() });

  test('an IngressRoute on websecure serves the three OTLP paths with the Certificate\'s Secret, rate limit first', () => {
    const route = find(objects, 'IngressRoute', 'otlp-browser')!;
    expect(route.spec.entryPoints).toEqual(['websecure']);
    expect(route.spec.tls.secretName).toBe(find(objects, 'Certificate', 'otlp-browser')!.spec.secretName);
    const [r] = route.spec.routes;
    expect(r.match).toBe(`Host(\`${HOST}\`) && (PathPrefix(\`/v1/traces\`) || PathPrefix(\`/v1/metrics\`) || PathPrefix(\`/v1/logs\`))`);
    expect(r.services).toEqual([{ name: BROWSER_COLLECTOR_RELEASE, namespace: 'opentelemetry', port: 4318 }]);
    expect(r.middlewares.map((m: K8sObject) => m.name)).toEqual(['rate-limit-otlp-browser', 'security-headers']);
  });

  test('the RateLimit middleware allows the overlay\'s rate and burst for all clients of the host together', () => {
    const m = find(objectsOf({ ...traefik, ...on({ rateLimit: { requestsPerSecond: 50, burst: 120 } }) }), 'Middleware', 'rate-limit-otlp-browser')!;
    expect(m.spec.rateLimit).toEqual({ average: 50, burst: 120, period: '1s', sourceCriterion: { requestHost: true } });
  });

  test('the other hosts get no rate limit', () => {
    const shop = find(objects, 'IngressRoute', 'storefront-api')!;
    expect(shop.spec.routes[0].middlewares.map((m: K8sObject) => m.name)).toEqual(['security-headers']);
  });

  test('without a reserved address, the Traefik Service names the endpoint for ExternalDNS', () => {
    const values = find(objectsOf({ cloud: 'yandex', dns: { provider: 'yandex-webhook' }, ...traefik, ...on() }), 'Application', 'traefik')!.spec.source.helm.valuesObject;
    expect(values.service.annotations[EXTERNAL_DNS_HOSTNAME_ANNOTATION].split(',')).toContain(HOST);
  });
});

describe('browser telemetry: the teams cannot take the endpoint\'s name', () => {
  test('an endpoint under a team\'s subdomain is refused, as the platform\'s other hosts are', () => {
    expect(() => objectsOf(on({ host: 'otlp.payments.prod.company.ru' }))).toThrow(/does not cover the platform's host otlp\.payments\.prod\.company\.ru/);
  });
});

describe('browser telemetry: overlay errors name the field', () => {
  test('an origin outside the cluster\'s domain is refused', () => {
    expect(problems(on({ origins: ['shop', 'www.example.com'] }))).toEqual([
      expect.stringMatching(/^overlays\/c1\.ts: observability\.browserTelemetry\.origins\[1\]: received "www\.example\.com", outside the cluster's domain "prod\.company\.ru"/),
    ]);
  });

  test('an endpoint name an ingress host already serves is refused', () => {
    expect(problems(on({ host: 'shop' }))).toEqual([
      expect.stringMatching(/observability\.browserTelemetry\.host: received "shop\.prod\.company\.ru", already served by ingress\.hosts\[2\]/),
    ]);
  });

  test('with no origin given and no team host to default to, the overlay is refused', () => {
    const hosts = [{ name: 'grafana', host: 'grafana', service: 'kube-prometheus-stack-grafana', namespace: 'monitoring', port: 80 }];
    expect(problems({ ingress: { hosts }, ...on() })).toEqual([expect.stringMatching(/observability\.browserTelemetry\.origins: missing, and no TLS host of ingress\.hosts is served from a team namespace/)]);
  });

  test('a burst below the rate is refused (both ingresses read burst as the bucket size)', () => {
    expect(problems(on({ rateLimit: { requestsPerSecond: 100, burst: 10 } }))).toEqual([
      expect.stringMatching(/observability\.browserTelemetry\.rateLimit\.burst: received 10, below requestsPerSecond \(100\)/),
    ]);
  });
});

describe('browser telemetry: the frontend teams\' page', () => {
  test('names each cluster\'s endpoint, allowed pages and limits, and points the OpenTelemetry JS exporters at the endpoint without headers', () => {
    const page = renderServiceDocs([specFor(on(), 'a'), specFor({}, 'b')]).get(BROWSER_TELEMETRY_PAGE)!;
    expect(page.match(/^## Clusters: .*$/gm)).toEqual(['## Clusters: a']);
    expect(page).toContain('Endpoint: `https://otlp.prod.company.ru`');
    expect(page).toContain('- `https://shop.prod.company.ru`');
    expect(page).toContain('200 requests per second (bursts of 400)');
    for (const signal of ['traces', 'metrics', 'logs']) expect(page).toContain('url: `${endpoint}/v1/' + signal + '`');
    expect(page).toContain("const endpoint = 'https://otlp.prod.company.ru';");
    expect(page).not.toMatch(/headers: *\{/);
  });

  test('no cluster with the endpoint, no page', () => {
    expect(renderServiceDocs([specFor()]).has(BROWSER_TELEMETRY_PAGE)).toBe(false);
  });
});

describeWithReferenceData('the browser collector as the pinned chart renders it', 'helm/charts', () => {
  const charts = useRealCharts(['opentelemetry-collector']);
  const rendered = (overlay: Record<string, unknown> = on(), name = 'browser'): K8sObject[] => charts().render(specFor(overlay, name), BROWSER_COLLECTOR_RELEASE);
  const config = (o: K8sObject[]) => yaml.load(ofKind(o, 'ConfigMap')[0].data.relay) as Record<string, any>;

  test('its one receiver is OTLP/HTTP with CORS for the https origins of the team hosts only, and a 1 MiB body limit', () => {
    const c = config(rendered());
    expect(Object.keys(c.receivers)).toEqual(['otlp']);
    expect(Object.keys(c.receivers.otlp.protocols)).toEqual(['http']);
    const http = c.receivers.otlp.protocols.http;
    // shop (storefront) is a team host; argocd and grafana are the platform's pages, not origins.
    expect(http.cors.allowed_origins).toEqual(['https://shop.prod.company.ru']);
    expect(http.max_request_body_size).toBe(1048576);
  });

  test('the overlay\'s origins replace the default, single labels and subdomain wildcards under the domain', () => {
    const c = config(rendered(on({ origins: ['shop', '*.storefront', 'app.prod.company.ru'] }), 'origins'));
    expect(c.receivers.otlp.protocols.http.cors.allowed_origins).toEqual(['https://*.storefront.prod.company.ru', 'https://app.prod.company.ru', 'https://shop.prod.company.ru']);
  });

  test('every pipeline limits memory first, then attribute sizes, then marks the resource; traces, metrics and logs only', () => {
    const c = config(rendered());
    expect(Object.keys(c.service.pipelines).sort()).toEqual(['logs', 'metrics', 'traces']);
    for (const p of Object.values<any>(c.service.pipelines)) {
      expect(p.receivers).toEqual(['otlp']);
      expect(p.processors).toEqual(['memory_limiter', 'transform/limits', 'resource/browser', 'batch']);
    }
    expect(c.processors['transform/limits'].trace_statements.map((s: K8sObject) => s.context)).toEqual(['resource', 'span', 'spanevent']);
    expect(c.processors['transform/limits'].log_statements[1].statements).toEqual(expect.arrayContaining(['truncate_all(attributes, 1024)', 'limit(attributes, 64, [])']));
  });

  test('it drops the k8s.* attributes a page may claim and sets the cluster and telemetry.source=browser', () => {
    const attributes = config(rendered()).processors['resource/browser'].attributes;
    expect(attributes[0]).toEqual({ pattern: '^k8s\\..*', action: 'delete' });
    expect(attributes).toEqual(expect.arrayContaining([
      { key: 'k8s.cluster.name', value: 'browser', action: 'upsert' },
      { key: 'telemetry.source', value: 'browser', action: 'upsert' },
    ]));
  });

  test('it exports to Tempo, Loki and every Prometheus replica, not through the services\' gateway', () => {
    const c = config(rendered());
    expect(c.service.pipelines.traces.exporters).toEqual(['otlp/tempo']);
    expect(c.exporters['otlphttp/loki'].endpoint).toBe(`${LOKI_URL}/otlp`);
    expect(c.service.pipelines.metrics.exporters).toEqual(['otlphttp/prometheus-0', 'otlphttp/prometheus-1']);
    expect(JSON.stringify(c.exporters)).not.toContain('opentelemetry-collector.opentelemetry');
  });

  test('its pods have a memory limit and open only OTLP/HTTP and their metrics port', () => {
    const [d] = ofKind(rendered(), 'Deployment');
    const [container] = d.spec.template.spec.containers;
    expect(container.resources.limits.memory).toBe('512Mi');
    expect(container.ports.map((p: K8sObject) => [p.name, p.containerPort])).toEqual([['metrics', 8888], ['otlp-http', 4318]]);
    expect(d.spec.replicas).toBe(2);
  });
});
