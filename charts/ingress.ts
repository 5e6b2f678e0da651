import type { Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { CHARTS } from '../catalog/versions.js';
import { Certificate } from '../constructs/certificate.js';
import { clearNamespace } from '../constructs/cluster-issuer.js';
import { IstioGateway, IstioLocalRateLimit } from '../constructs/istio-gateway.js';
import { TraefikMiddleware, TraefikRoute } from '../constructs/traefik-route.js';
import { BROWSER_TELEMETRY_ROUTE } from '../spec/observability.js';
import type { ClusterSpec, HostRoute } from '../spec/schema.js';
// The cluster's DNS zone, stamped on the objects that claim hosts: the fleet rules check hosts
// against it where no ExternalDNS `domainFilters` exist (records managed outside the cluster).
import { DNS_ZONE_ANNOTATION } from '../validate/edge-rules.js';
import { hostIssuer } from './cert-manager.js';
import { WAVES, type PlatformComponent } from './component.js';
import { EXTERNAL_DNS_HOSTNAME_ANNOTATION, EXTERNAL_DNS_TARGET_ANNOTATION } from './external-dns.js';
import { ingressAddressRequest } from './load-balancer.js';
import { BROWSER_COLLECTOR_RELEASE, BROWSER_OTLP_PATHS, BROWSER_OTLP_PORT, OTEL_NAMESPACE } from './monitoring.js';
import { runtimePatchedWebhook } from './webhook-drift.js';

export const ISTIO_NAMESPACE = 'istio-system';
export const ISTIO_INGRESS_NAMESPACE = 'istio-ingress';
/**
 * The sidecar mesh's CNI node agent runs privileged (host network, host paths, NET_ADMIN): in a
 * namespace of its own, so that istio-system (istiod) keeps the level its own pods need instead of
 * privileged. Ambient keeps it beside ztunnel in istio-system, which ztunnel makes privileged anyway.
 */
export const ISTIO_CNI_NAMESPACE = 'istio-cni';
export const TRAEFIK_NAMESPACE = 'traefik';
/** Release of the istio gateway chart: its Service, and (without "istio-") the pods' `istio` label. */
export const ISTIO_GATEWAY_RELEASE = 'istio-ingressgateway';
export const ISTIO_GATEWAY_SELECTOR = { istio: 'ingressgateway' } as const;
/** The Gateway every host is served through. */
export const PLATFORM_GATEWAY = 'platform';


/** A name the ingress serves, with what the platform adds to some of them. */
export interface ServedHost extends HostRoute {
  /**
   * Requests per second let through, and the burst above it, per ingress replica for all clients
   * of the host together. @default - no limit
   */
  readonly rateLimit?: { readonly requestsPerSecond: number; readonly burst: number };
}

/**
 * Every name the ingress serves: the overlay's hosts, and the browser-telemetry endpoint when it
 * is on (only its three OTLP paths, to the browser collector, TLS and rate-limited). Routes,
 * Certificates, the ExternalDNS hostnames and the names reserved from teams all come from here.
 */
export function servedHosts(spec: ClusterSpec): ServedHost[] {
  const b = spec.observability.browserTelemetry;
  if (!b.enabled) return spec.ingress.hosts;
  return [...spec.ingress.hosts, {
    name: BROWSER_TELEMETRY_ROUTE, host: b.host, service: BROWSER_COLLECTOR_RELEASE, namespace: OTEL_NAMESPACE,
    port: BROWSER_OTLP_PORT, paths: [...BROWSER_OTLP_PATHS], tls: true, rateLimit: b.rateLimit,
  }];
}

/** After the control plane (-4), before the objects that use it (0). */
const GATEWAY_WAVE = -3;

/** The Istio control plane is shared by the Istio ingress and the Istio mesh. */
export function usesIstio(spec: ClusterSpec): boolean {
  return spec.ingress.kind === 'istio' || spec.mesh.kind === 'istio';
}

const http01ThroughIstio = (spec: ClusterSpec) =>
  spec.ingress.kind === 'istio' && spec.tls.issuer === 'letsencrypt' && spec.tls.acme.challenge === 'http01';

/** istio base (CRDs, validation) and istiod; with the mesh the CNI node agent, and in ambient mode ztunnel. */
export function istioControlPlaneComponents(spec: ClusterSpec): PlatformComponent[] {
  if (!usesIstio(spec)) return [];
  const prod = spec.environment === 'prod';
  const ambient = spec.mesh.kind === 'istio' && spec.mesh.istioMode === 'ambient';
  const sidecar = spec.mesh.kind === 'istio' && spec.mesh.istioMode === 'sidecar';
  const out: PlatformComponent[] = [
    {
      name: 'istio-base',
      namespace: ISTIO_NAMESPACE,
      helm: {
        chart: CHARTS.istioBase, wave: WAVES.operators, serverSideApply: true, values: { defaultRevision: 'default' },
        // istiod's webhook controller patches the default-revision validator once it serves.
        ignoreDifferences: [runtimePatchedWebhook('ValidatingWebhookConfiguration', 'istiod-default-validator')],
      },
    },
    {
      name: 'istiod',
      namespace: ISTIO_NAMESPACE,
      helm: {
        chart: CHARTS.istiod,
        wave: WAVES.operatorsExtras,
        // istiod's webhook controller sets failurePolicy Fail and the caBundle once it serves.
        ignoreDifferences: [runtimePatchedWebhook('ValidatingWebhookConfiguration', `istio-validator-${ISTIO_NAMESPACE}`)],
        values: {
          ...(ambient ? { profile: 'ambient' } : {}),
          // Top-level keys, as istiod 1.30's values.yaml documents them (its templates also lift a
          // legacy `pilot.` block, templates/zzy_descope_legacy.yaml). Prod: an HPA from 2, and a
          // PodDisruptionBudget (rendered only when autoscaleMin > 1); below prod one replica.
          autoscaleEnabled: prod,
          ...(prod ? { autoscaleMin: 2, autoscaleMax: 5 } : { replicaCount: 1 }),
          meshConfig: {
            accessLogFile: '/dev/stdout',
            // cert-manager's HTTP-01 solver is an Ingress of class "istio", served by the gateway.
            ...(http01ThroughIstio(spec)
              ? { ingressClass: 'istio', ingressControllerMode: 'STRICT', ingressService: ISTIO_GATEWAY_RELEASE, ingressSelector: ISTIO_GATEWAY_SELECTOR.istio }
              : { ingressControllerMode: 'OFF' }),
          },
          // Sidecar mesh: namespaces opt in (istio-injection=enabled). Injecting everything by
          // default would put proxies in front of admission webhooks (cert-manager, Kyverno) that
          // the API server calls in plaintext, which mesh-wide STRICT mTLS would then refuse.
          // With the CNI node agent setting up the redirection, the injected init container needs
          // no NET_ADMIN/NET_RAW and runs as 1337: meshed pods pass the team namespaces' Pod
          // Security level restricted (istio-init would be refused by it, and by baseline).
          // The injected containers declare the seccomp profile restricted requires, so a team
          // pod that sets it per container (not for the pod) is not refused for the sidecar's.
          ...(sidecar ? {
            sidecarInjectorWebhook: { enableNamespacesByDefault: false },
            cni: { enabled: true },
            global: { proxy: { seccompProfile: { type: 'RuntimeDefault' } } },
          } : {}),
        },
      },
    },
  ];
  if (ambient || sidecar) {
    out.push({
      name: 'istio-cni',
      namespace: ambient ? ISTIO_NAMESPACE : ISTIO_CNI_NAMESPACE,
      helm: { chart: CHARTS.istioCni, wave: WAVES.operatorsExtras, values: ambient ? { profile: 'ambient' } : {} },
    });
  }
  if (ambient) {
    out.push(
      {
        name: 'ztunnel',
        namespace: ISTIO_NAMESPACE,
        helm: { chart: CHARTS.ztunnel, wave: WAVES.operatorsExtras, values: {} },
      },
    );
  }
  return out;
}

/** The ingress controller (istio gateway or Traefik) as a pinned chart, with the routes and certificates of every host. */
export function ingressComponent(spec: ClusterSpec): PlatformComponent {
  const prod = spec.environment === 'prod';
  const lbIP = spec.ingress.loadBalancerIP;
  const address = ingressAddressRequest(spec);
  if (spec.ingress.kind === 'istio') {
    return {
      name: 'istio-ingress',
      namespace: ISTIO_INGRESS_NAMESPACE,
      helm: {
        chart: CHARTS.istioGateway,
        releaseName: ISTIO_GATEWAY_RELEASE,
        wave: GATEWAY_WAVE,
        values: {
          labels: { ...ISTIO_GATEWAY_SELECTOR },
          service: {
            type: 'LoadBalancer',
            ...(address.loadBalancerIP ? { loadBalancerIP: address.loadBalancerIP } : {}),
            ...(Object.keys(address.annotations).length ? { annotations: address.annotations } : {}),
          },
          autoscaling: { enabled: prod, minReplicas: prod ? 2 : 1 },
          // A Role to read TLS Secrets in its own namespace only: Certificates go there.
          rbac: { enabled: true },
        },
      },
      addObjects: (chart, s) => addIstioRoutes(chart, s),
    };
  }
  return {
    name: 'traefik',
    namespace: TRAEFIK_NAMESPACE,
    helm: {
      chart: CHARTS.traefik,
      wave: WAVES.operators,
      // The chart's CRDs sit in crds/ (Argo CD applies them); large enough to need server-side apply.
      serverSideApply: true,
      values: {
        ingressClass: { enabled: true, isDefaultClass: true, name: 'traefik' },
        providers: {
          // Routes live in the traefik namespace and point at Services elsewhere.
          kubernetesCRD: { enabled: true, allowCrossNamespace: true },
          // cert-manager's HTTP-01 solver is an Ingress of class traefik.
          kubernetesIngress: { enabled: true, publishedService: { enabled: true } },
        },
        ports: { websecure: { http: { tls: { enabled: true } } } },
        deployment: { replicas: prod ? 2 : 1 },
        ...(lbIP
          ? { service: address.loadBalancerIP ? { spec: { loadBalancerIP: address.loadBalancerIP } } : { annotations: address.annotations } }
          // No reserved address: ExternalDNS's service source reads the hosts here and the
          // address from the Service's status.
          : spec.dns.provider !== 'none'
            ? { service: { annotations: { [EXTERNAL_DNS_HOSTNAME_ANNOTATION]: [...new Set(servedHosts(spec).map((h) => h.host))].sort().join(',') } } }
            : {}),
      },
    },
    addObjects: (chart, s) => addTraefikRoutes(chart, s),
  };
}

/** One Certificate per TLS host, in the namespace of the object that reads its Secret. */
function hostCertificate(chart: Chart, spec: ClusterSpec, h: HostRoute, namespace: string): Certificate {
  return new Certificate(chart, `cert-${h.name}`, {
    name: h.name,
    namespace,
    secretName: `${h.name}-tls`,
    issuer: hostIssuer(spec),
    dnsNames: [h.host],
  });
}

/** The platform Gateway (one HTTPS server per TLS host) and one VirtualService per host, all in the gateway's namespace. */
export function addIstioRoutes(chart: Chart, spec: ClusterSpec): void {
  if (http01ThroughIstio(spec)) {
    clearNamespace(new k8s.KubeIngressClass(chart, 'ingress-class-istio', {
      metadata: { name: 'istio' },
      spec: { controller: 'istio.io/ingress-controller' },
    }));
  }
  const hosts = servedHosts(spec);
  if (!hosts.length) return;
  const certs = new Map(hosts.filter((h) => h.tls).map((h) => [h.name, hostCertificate(chart, spec, h, ISTIO_INGRESS_NAMESPACE)]));
  const gateway = new IstioGateway(chart, 'gateway', {
    name: PLATFORM_GATEWAY,
    namespace: ISTIO_INGRESS_NAMESPACE,
    selector: ISTIO_GATEWAY_SELECTOR,
    hosts: hosts.map((h) => ({ host: h.host, ...(certs.has(h.name) ? { credentialName: certs.get(h.name)!.secretName } : {}) })),
    // HTTP-01 answers over plain HTTP on the same names.
    httpsRedirect: !http01ThroughIstio(spec),
    annotations: { [DNS_ZONE_ANNOTATION]: spec.domain },
  });
  for (const h of hosts) {
    gateway.addRoute(`route-${h.name}`, {
      name: h.name, host: h.host, service: h.service, serviceNamespace: h.namespace, port: h.port, paths: h.paths,
      annotations: { [DNS_ZONE_ANNOTATION]: spec.domain },
    });
  }
  const limited = hosts.filter((h) => h.rateLimit);
  if (limited.length) {
    new IstioLocalRateLimit(chart, 'rate-limit', {
      name: `${PLATFORM_GATEWAY}-rate-limit`, gateway, selector: ISTIO_GATEWAY_SELECTOR,
      hosts: limited.map((h) => ({ host: h.host, ...h.rateLimit! })),
    });
  }
}

/** Per host: an IngressRoute on websecure with the host's Certificate, and one on web that redirects. */
export function addTraefikRoutes(chart: Chart, spec: ClusterSpec): void {
  const hosts = servedHosts(spec);
  if (!hosts.length) return;
  const ns = TRAEFIK_NAMESPACE;
  const annotations: Record<string, string> = {
    [DNS_ZONE_ANNOTATION]: spec.domain,
    // Traefik CRDs carry no address: ExternalDNS publishes only what this annotation names.
    ...(spec.dns.provider !== 'none' && spec.ingress.loadBalancerIP ? { [EXTERNAL_DNS_TARGET_ANNOTATION]: spec.ingress.loadBalancerIP } : {}),
  };
  const anyTls = hosts.some((h) => h.tls);
  const redirect = anyTls ? TraefikMiddleware.redirectToHttps(chart, 'https-redirect', { namespace: ns }) : undefined;
  const headers = anyTls ? TraefikMiddleware.securityHeaders(chart, 'security-headers', { namespace: ns }) : undefined;
  for (const h of hosts) {
    const service = { name: h.service, namespace: h.namespace, port: h.port };
    // Before the headers: a refused request costs nothing further.
    const limit = h.rateLimit
      ? [TraefikMiddleware.rateLimit(chart, `rate-limit-${h.name}`, { namespace: ns, average: h.rateLimit.requestsPerSecond, burst: h.rateLimit.burst })]
      : [];
    if (h.tls) {
      const cert = hostCertificate(chart, spec, h, ns);
      new TraefikRoute(chart, `route-${h.name}`, {
        name: h.name, namespace: ns, host: h.host, paths: h.paths, service, annotations,
        entryPoints: ['websecure'], middlewares: [...limit, headers!], tlsSecretName: cert.secretName,
      });
      new TraefikRoute(chart, `route-${h.name}-http`, {
        name: `${h.name}-http`, namespace: ns, host: h.host, paths: h.paths, service, annotations,
        entryPoints: ['web'], middlewares: [redirect!],
      });
    } else {
      new TraefikRoute(chart, `route-${h.name}`, {
        name: h.name, namespace: ns, host: h.host, paths: h.paths, service, annotations, entryPoints: ['web'],
        ...(limit.length ? { middlewares: limit } : {}),
      });
    }
  }
}
