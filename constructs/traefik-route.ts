import { Construct } from 'constructs';
import {
  IngressRoute,
  IngressRouteSpecRoutesKind,
  IngressRouteSpecRoutesServicesPort,
  Middleware,
  MiddlewareSpecRateLimitPeriod,
  type MiddlewareSpec,
} from '../imports/traefik.io.js';
import { invalidProp, requireDnsLabel, requireDnsSubdomain } from './validation.js';

export interface TraefikMiddlewareProps {
  /** @default - the construct id */
  readonly name?: string;
  /** @default - the chart's namespace */
  readonly namespace?: string;
}

/** A Traefik Middleware (traefik.io/v1alpha1). Build one with the static factories. */
export class TraefikMiddleware extends Construct {
  /** Answers HTTP with a permanent redirect to HTTPS. */
  static redirectToHttps(scope: Construct, id: string, props: TraefikMiddlewareProps = {}): TraefikMiddleware {
    return new TraefikMiddleware(scope, id, props, { redirectScheme: { scheme: 'https', permanent: true } });
  }

  /** Security headers for HTTPS responses: HSTS (a year), no sniffing, no framing, strict referrer. */
  static securityHeaders(scope: Construct, id: string, props: TraefikMiddlewareProps & {
    /** Send HSTS with includeSubDomains. @default false */
    readonly stsIncludeSubdomains?: boolean;
  } = {}): TraefikMiddleware {
    return new TraefikMiddleware(scope, id, props, {
      headers: {
        stsSeconds: 31536000,
        stsIncludeSubdomains: props.stsIncludeSubdomains ?? false,
        contentTypeNosniff: true,
        frameDeny: true,
        referrerPolicy: 'strict-origin-when-cross-origin',
      },
    });
  }

  /**
   * At most `average` requests per second with bursts of `burst`, counted for all clients of a
   * host together (`sourceCriterion.requestHost`) in each Traefik replica. Not per client IP: behind
   * a cloud load balancer with the default `externalTrafficPolicy: Cluster` Traefik sees node
   * addresses, not clients, so a per-IP bucket would be a per-node one.
   */
  static rateLimit(scope: Construct, id: string, props: TraefikMiddlewareProps & {
    /** Requests per second (Traefik `average` over a period of 1s); at least 1. */
    readonly average: number;
    /** Requests let through at once above the average; at least `average`. */
    readonly burst: number;
  }): TraefikMiddleware {
    if (!Number.isInteger(props.average) || props.average < 1) invalidProp(scope, `${id}.average`, props.average, 'a whole number of requests per second, at least 1');
    if (!Number.isInteger(props.burst) || props.burst < props.average) invalidProp(scope, `${id}.burst`, props.burst, `a whole number of requests, at least average (${props.average})`);
    return new TraefikMiddleware(scope, id, props, {
      rateLimit: { average: props.average, burst: props.burst, period: MiddlewareSpecRateLimitPeriod.fromString('1s'), sourceCriterion: { requestHost: true } },
    });
  }

  readonly name: string;
  readonly namespace?: string;

  private constructor(scope: Construct, id: string, props: TraefikMiddlewareProps, spec: MiddlewareSpec) {
    super(scope, id);
    this.name = props.name ?? id;
    this.namespace = props.namespace;
    requireDnsLabel(this, 'name', this.name);
    if (props.namespace !== undefined) requireDnsLabel(this, 'namespace', props.namespace);
    new Middleware(this, 'Resource', {
      metadata: { name: this.name, ...(props.namespace ? { namespace: props.namespace } : {}) },
      spec,
    });
  }
}

export interface TraefikRouteProps {
  /** @default - the construct id */
  readonly name?: string;
  /** Namespace of the IngressRoute; with TLS the Secret must be in this namespace too. @default - the chart's namespace */
  readonly namespace?: string;
  /** Traefik entry points. @default ['websecure'] with tls, else ['web'] */
  readonly entryPoints?: readonly string[];
  readonly host: string;
  /** Path prefixes routed to the service. @default ['/'] */
  readonly paths?: readonly string[];
  readonly service: { readonly name: string; readonly namespace: string; readonly port: number };
  /** Middlewares applied in order. @default - none */
  readonly middlewares?: readonly TraefikMiddleware[];
  /** TLS Secret in the route's namespace (cert-manager ignores IngressRoutes: make a Certificate). @default - no TLS */
  readonly tlsSecretName?: string;
  /** Annotations, e.g. the ExternalDNS target. @default - none */
  readonly annotations?: Readonly<Record<string, string>>;
}

const HOST = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const PATH = /^\/[^\s`]*$/;

/** A Traefik IngressRoute for one host: `Host(...)` plus path prefixes to one Service. */
export class TraefikRoute extends Construct {
  readonly name: string;
  readonly host: string;
  readonly tlsSecretName?: string;

  constructor(scope: Construct, id: string, props: TraefikRouteProps) {
    super(scope, id);
    this.name = props.name ?? id;
    this.host = props.host;
    this.tlsSecretName = props.tlsSecretName;
    requireDnsLabel(this, 'name', this.name);
    if (props.namespace !== undefined) requireDnsLabel(this, 'namespace', props.namespace);
    if (!HOST.test(props.host)) invalidProp(this, 'host', props.host, 'a lower-case DNS name');
    requireDnsLabel(this, 'service.name', props.service.name);
    requireDnsLabel(this, 'service.namespace', props.service.namespace);
    if (!Number.isInteger(props.service.port) || props.service.port < 1 || props.service.port > 65535) invalidProp(this, 'service.port', props.service.port, 'a port number 1-65535');
    const paths = props.paths ?? ['/'];
    if (!paths.length) invalidProp(this, 'paths', paths, 'at least one path prefix');
    paths.forEach((p, i) => { if (!PATH.test(p)) invalidProp(this, `paths[${i}]`, p, 'a path prefix starting with "/" without spaces or backticks'); });
    if (props.tlsSecretName !== undefined) requireDnsSubdomain(this, 'tlsSecretName', props.tlsSecretName);
    (props.middlewares ?? []).forEach((m, i) => {
      if (m.namespace && props.namespace && m.namespace !== props.namespace) {
        invalidProp(this, `middlewares[${i}]`, `${m.namespace}/${m.name}`, `a middleware in the route's namespace ${props.namespace}`);
      }
    });

    const hostRule = `Host(\`${props.host}\`)`;
    const match = paths.length === 1 && paths[0] === '/'
      ? hostRule
      : `${hostRule} && (${paths.map((p) => `PathPrefix(\`${p}\`)`).join(' || ')})`;
    new IngressRoute(this, 'Resource', {
      metadata: {
        name: this.name,
        ...(props.namespace ? { namespace: props.namespace } : {}),
        ...(props.annotations && Object.keys(props.annotations).length ? { annotations: { ...props.annotations } } : {}),
      },
      spec: {
        entryPoints: [...(props.entryPoints ?? [props.tlsSecretName ? 'websecure' : 'web'])],
        routes: [{
          kind: IngressRouteSpecRoutesKind.RULE,
          match,
          ...(props.middlewares?.length ? { middlewares: props.middlewares.map((m) => ({ name: m.name, ...(m.namespace ? { namespace: m.namespace } : {}) })) } : {}),
          services: [{ name: props.service.name, namespace: props.service.namespace, port: IngressRouteSpecRoutesServicesPort.fromNumber(props.service.port) }],
        }],
        ...(props.tlsSecretName ? { tls: { secretName: props.tlsSecretName } } : {}),
      },
    });
  }
}
