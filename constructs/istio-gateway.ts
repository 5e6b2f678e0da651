import { Construct } from 'constructs';
import {
  EnvoyFilter,
  EnvoyFilterSpecConfigPatchesApplyTo as ApplyTo,
  EnvoyFilterSpecConfigPatchesMatchContext as MatchContext,
  EnvoyFilterSpecConfigPatchesPatchOperation as Operation,
  Gateway,
  GatewaySpecServersTlsMode,
  VirtualService,
  type GatewaySpecServers,
} from '../imports/networking.istio.io.js';
import { invalidProp, requireDnsLabel, requireDnsSubdomain } from './validation.js';

/** One name the gateway accepts. */
export interface GatewayHost {
  readonly host: string;
  /**
   * TLS Secret for HTTPS, in the gateway deployment's namespace (that is where the gateway reads
   * it). @default - plain HTTP only
   */
  readonly credentialName?: string;
}

export interface IstioGatewayProps {
  /** @default - the construct id */
  readonly name?: string;
  /** Namespace of the Gateway: the gateway deployment's namespace, so credentialName resolves there. */
  readonly namespace: string;
  /** Labels of the gateway pods the Gateway configures (the gateway chart's `labels`). */
  readonly selector: Readonly<Record<string, string>>;
  readonly hosts: readonly GatewayHost[];
  /**
   * HTTP (port 80) answers with a redirect to HTTPS for the TLS hosts. Off while HTTP-01 challenges
   * must reach the solver over plain HTTP. @default true
   */
  readonly httpsRedirect?: boolean;
  /** @default - none */
  readonly annotations?: Readonly<Record<string, string>>;
}

const HOST = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * An Istio Gateway (networking.istio.io/v1): one HTTPS server per TLS host, each with its own
 * credential, and one HTTP server for every host. Routes attach with `addRoute`.
 */
export class IstioGateway extends Construct {
  readonly name: string;
  readonly namespace: string;
  readonly hosts: readonly GatewayHost[];

  constructor(scope: Construct, id: string, props: IstioGatewayProps) {
    super(scope, id);
    this.name = props.name ?? id;
    this.namespace = props.namespace;
    this.hosts = [...props.hosts];
    requireDnsLabel(this, 'name', this.name);
    requireDnsLabel(this, 'namespace', this.namespace);
    if (!Object.keys(props.selector).length) invalidProp(this, 'selector', props.selector, 'the labels of the gateway pods, e.g. { istio: "ingressgateway" }');
    if (!this.hosts.length) invalidProp(this, 'hosts', [], 'at least one host');
    const seen = new Set<string>();
    this.hosts.forEach((h, i) => {
      if (!HOST.test(h.host)) invalidProp(this, `hosts[${i}].host`, h.host, 'a lower-case DNS name');
      if (seen.has(h.host)) invalidProp(this, `hosts[${i}].host`, h.host, 'a host not listed twice');
      seen.add(h.host);
      if (h.credentialName !== undefined) requireDnsSubdomain(this, `hosts[${i}].credentialName`, h.credentialName);
    });

    const redirect = props.httpsRedirect ?? true;
    const https: GatewaySpecServers[] = this.hosts.filter((h) => h.credentialName).map((h) => ({
      // Port names must be unique in a Gateway: the host's first label is not, the full name is.
      port: { number: 443, name: `https-${h.host.replace(/\./g, '-')}`.slice(0, 63).replace(/-+$/, ''), protocol: 'HTTPS' },
      hosts: [h.host],
      tls: { mode: GatewaySpecServersTlsMode.SIMPLE, credentialName: h.credentialName },
    }));
    const http: GatewaySpecServers = {
      port: { number: 80, name: 'http', protocol: 'HTTP' },
      hosts: this.hosts.map((h) => h.host),
      ...(redirect && https.length ? { tls: { httpsRedirect: true } } : {}),
    };
    new Gateway(this, 'Resource', {
      metadata: {
        name: this.name,
        namespace: this.namespace,
        ...(props.annotations && Object.keys(props.annotations).length ? { annotations: { ...props.annotations } } : {}),
      },
      spec: { selector: { ...props.selector }, servers: [http, ...https] },
    });
  }

  /** `<namespace>/<name>`, as a VirtualService names its gateways. */
  get reference(): string {
    return `${this.namespace}/${this.name}`;
  }

  /** Adds a VirtualService that routes one of the gateway's hosts to a Service. */
  addRoute(id: string, props: Omit<IstioRouteProps, 'gateway'>): IstioRoute {
    return new IstioRoute(this.node.scope ?? this, id, { ...props, gateway: this });
  }
}

export interface IstioRouteProps {
  /** @default - the construct id */
  readonly name?: string;
  /** Namespace of the VirtualService. @default - the gateway's namespace */
  readonly namespace?: string;
  readonly gateway: IstioGateway;
  /** One of the gateway's hosts. */
  readonly host: string;
  readonly service: string;
  readonly serviceNamespace: string;
  readonly port: number;
  /** Path prefixes routed to the service. @default ['/'] */
  readonly paths?: readonly string[];
  /** @default - none */
  readonly annotations?: Readonly<Record<string, string>>;
}

/** An Istio VirtualService that sends a gateway host's paths to a Service (by its cluster FQDN). */
export class IstioRoute extends Construct {
  readonly name: string;
  readonly host: string;

  constructor(scope: Construct, id: string, props: IstioRouteProps) {
    super(scope, id);
    this.name = props.name ?? id;
    this.host = props.host;
    requireDnsLabel(this, 'name', this.name);
    requireDnsLabel(this, 'service', props.service);
    requireDnsLabel(this, 'serviceNamespace', props.serviceNamespace);
    if (!props.gateway.hosts.some((h) => h.host === props.host)) {
      invalidProp(this, 'host', props.host, `one of the hosts of gateway ${props.gateway.reference} (${props.gateway.hosts.map((h) => h.host).join(', ')})`);
    }
    if (!Number.isInteger(props.port) || props.port < 1 || props.port > 65535) invalidProp(this, 'port', props.port, 'a port number 1-65535');
    const paths = props.paths ?? ['/'];
    paths.forEach((p, i) => { if (!p.startsWith('/')) invalidProp(this, `paths[${i}]`, p, 'a path prefix starting with "/"'); });

    new VirtualService(this, 'Resource', {
      metadata: {
        name: this.name,
        namespace: props.namespace ?? props.gateway.namespace,
        ...(props.annotations && Object.keys(props.annotations).length ? { annotations: { ...props.annotations } } : {}),
      },
      spec: {
        hosts: [props.host],
        gateways: [props.gateway.reference],
        http: [{
          ...(paths.length === 1 && paths[0] === '/' ? {} : { match: paths.map((prefix) => ({ uri: { prefix } })) }),
          route: [{
            destination: {
              // The full name: the VirtualService does not live in the Service's namespace.
              host: `${props.service}.${props.serviceNamespace}.svc.cluster.local`,
              port: { number: props.port },
            },
          }],
        }],
      },
    });
  }
}

/** A host of a gateway whose HTTPS requests are limited. */
export interface RateLimitedHost {
  /** One of the gateway's hosts with a credential (HTTPS on 443). */
  readonly host: string;
  /** Requests per second let through; at least 1. */
  readonly requestsPerSecond: number;
  /** Requests let through at once (the token bucket's size); at least requestsPerSecond. */
  readonly burst: number;
}

export interface IstioLocalRateLimitProps {
  /** @default - the construct id */
  readonly name?: string;
  /** The gateway whose pods enforce the limits: the EnvoyFilter goes into its namespace and selects its pods. */
  readonly gateway: IstioGateway;
  /** Labels of the gateway pods (the gateway chart's `labels`), as the Gateway selects them. */
  readonly selector: Readonly<Record<string, string>>;
  readonly hosts: readonly RateLimitedHost[];
}

const LOCAL_RATE_LIMIT = 'envoy.filters.http.local_ratelimit';
const LOCAL_RATE_LIMIT_TYPE = 'type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit';
const ALWAYS = (key: string) => ({ runtime_key: key, default_value: { numerator: 100, denominator: 'HUNDRED' } });

/**
 * Envoy's local rate limit on some hosts of an Istio gateway (networking.istio.io/v1alpha3
 * EnvoyFilter; Istio has no rate-limit API of its own). The filter goes into every HTTP filter
 * chain of the gateway without a bucket, which makes it a no-op there; each listed host's virtual
 * host (`<host>:443` of the Gateway's route configuration) gets a token bucket. The bucket is per
 * gateway pod and shared by all clients of the host (a global, per-client limit needs Envoy's
 * rate-limit service, which the platform does not run); refused requests get 429.
 */
export class IstioLocalRateLimit extends Construct {
  readonly name: string;

  constructor(scope: Construct, id: string, props: IstioLocalRateLimitProps) {
    super(scope, id);
    this.name = props.name ?? id;
    requireDnsLabel(this, 'name', this.name);
    if (!Object.keys(props.selector).length) invalidProp(this, 'selector', props.selector, 'the labels of the gateway pods, e.g. { istio: "ingressgateway" }');
    if (!props.hosts.length) invalidProp(this, 'hosts', [], 'at least one host');
    props.hosts.forEach((h, i) => {
      const served = props.gateway.hosts.find((g) => g.host === h.host);
      if (!served?.credentialName) invalidProp(this, `hosts[${i}].host`, h.host, `one of the HTTPS hosts of gateway ${props.gateway.reference} (${props.gateway.hosts.filter((g) => g.credentialName).map((g) => g.host).join(', ') || 'none'})`);
      if (!Number.isInteger(h.requestsPerSecond) || h.requestsPerSecond < 1) invalidProp(this, `hosts[${i}].requestsPerSecond`, h.requestsPerSecond, 'a whole number of requests per second, at least 1');
      if (!Number.isInteger(h.burst) || h.burst < h.requestsPerSecond) invalidProp(this, `hosts[${i}].burst`, h.burst, `a whole number of requests, at least requestsPerSecond (${h.requestsPerSecond})`);
    });

    new EnvoyFilter(this, 'Resource', {
      metadata: { name: this.name, namespace: props.gateway.namespace },
      spec: {
        workloadSelector: { labels: { ...props.selector } },
        configPatches: [
          {
            applyTo: ApplyTo.HTTP_UNDERSCORE_FILTER,
            match: {
              context: MatchContext.GATEWAY,
              listener: { filterChain: { filter: { name: 'envoy.filters.network.http_connection_manager', subFilter: { name: 'envoy.filters.http.router' } } } },
            },
            patch: { operation: Operation.INSERT_UNDERSCORE_BEFORE, value: { name: LOCAL_RATE_LIMIT, typed_config: { '@type': LOCAL_RATE_LIMIT_TYPE, stat_prefix: 'http_local_rate_limiter' } } },
          },
          ...props.hosts.map((h) => ({
            applyTo: ApplyTo.VIRTUAL_UNDERSCORE_HOST,
            match: { context: MatchContext.GATEWAY, routeConfiguration: { gateway: props.gateway.reference, vhost: { name: `${h.host}:443` } } },
            patch: {
              operation: Operation.MERGE,
              value: {
                typed_per_filter_config: {
                  [LOCAL_RATE_LIMIT]: {
                    '@type': LOCAL_RATE_LIMIT_TYPE,
                    stat_prefix: 'http_local_rate_limiter',
                    token_bucket: { max_tokens: h.burst, tokens_per_fill: h.requestsPerSecond, fill_interval: '1s' },
                    filter_enabled: ALWAYS('local_rate_limit_enabled'),
                    filter_enforced: ALWAYS('local_rate_limit_enforced'),
                    response_headers_to_add: [{ append_action: 'OVERWRITE_IF_EXISTS_OR_ADD', header: { key: 'x-local-rate-limit', value: 'true' } }],
                  },
                },
              },
            },
          })),
        ],
      },
    });
  }
}
