import type { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import {
  ClusterIssuer as ClusterIssuerResource,
  type ClusterIssuerSpec,
  type ClusterIssuerSpecAcmeSolvers,
} from '../imports/cert-manager.io.js';
import { invalidProp, requireDnsLabel, requireDnsSubdomain } from './validation.js';

/** What a Certificate names in `issuerRef`. */
export interface IssuerRef {
  readonly name: string;
  /** `ClusterIssuer` (cluster-wide) or `Issuer` (the Certificate's namespace). */
  readonly kind: 'ClusterIssuer' | 'Issuer';
}

/** The Let's Encrypt ACME directories. */
export const LETS_ENCRYPT = {
  production: 'https://acme-v02.api.letsencrypt.org/directory',
  staging: 'https://acme-staging-v02.api.letsencrypt.org/directory',
} as const;

/** A key of a Secret in the cert-manager namespace (the cluster resource namespace). */
export interface SecretKeySelector {
  readonly name: string;
  readonly key: string;
}

/** How an ACME issuer proves control of a name. Build one with the static factories. */
export abstract class AcmeSolver {
  /** HTTP-01 through an Ingress of the given class (`traefik`, `istio`): no wildcards. */
  static http01Ingress(ingressClassName: string): AcmeSolver {
    return new Solver('http01 ingress', { http01: { ingress: { ingressClassName } } }, () =>
      (/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(ingressClassName) ? [] : [`ingressClassName: received ${JSON.stringify(ingressClassName)}; expected an IngressClass name such as traefik`]));
  }

  /**
   * DNS-01 through a cert-manager webhook solver, e.g. Yandex Cloud DNS:
   * `groupName` is the webhook chart's `groupName`, `solverName` the name the webhook registers
   * (`yandex-cloud-dns` for the official Yandex webhook), `config` is passed to it as is.
   */
  static dns01Webhook(props: { readonly groupName: string; readonly solverName: string; readonly config: Record<string, unknown> }): AcmeSolver {
    return new Solver('dns01 webhook', { dns01: { webhook: { groupName: props.groupName, solverName: props.solverName, config: props.config } } }, () => [
      ...(/^[a-z0-9.-]+\.[a-z]+$/.test(props.groupName) ? [] : [`groupName: received ${JSON.stringify(props.groupName)}; expected an API group such as acme.company.ru`]),
      ...(props.solverName ? [] : ['solverName: missing; expected the name the webhook registers']),
    ]);
  }

  /** DNS-01 through RFC 2136 dynamic updates (BIND, Windows DNS) signed with a TSIG key. */
  static dns01Rfc2136(props: {
    /** `host:port` of the primary name server. */
    readonly nameserver: string;
    readonly tsigKeyName: string;
    /** e.g. HMACSHA256. */
    readonly tsigAlgorithm: string;
    readonly tsigSecret: SecretKeySelector;
  }): AcmeSolver {
    return new Solver('dns01 rfc2136', {
      dns01: {
        rfc2136: {
          nameserver: props.nameserver,
          tsigKeyName: props.tsigKeyName,
          tsigAlgorithm: props.tsigAlgorithm,
          tsigSecretSecretRef: { name: props.tsigSecret.name, key: props.tsigSecret.key },
        },
      },
    }, () => (/^[^\s:]+:\d{1,5}$/.test(props.nameserver) ? [] : [`nameserver: received ${JSON.stringify(props.nameserver)}; expected host:port such as ns1.company.ru:53`]));
  }

  /** Limits the solver to names in these DNS zones (and their subdomains). */
  abstract forZones(zones: readonly string[]): AcmeSolver;
  /** @internal */
  abstract problems(): string[];
  /** @internal */
  abstract toSpec(): ClusterIssuerSpecAcmeSolvers;
}

class Solver extends AcmeSolver {
  constructor(
    private readonly what: string,
    private readonly spec: ClusterIssuerSpecAcmeSolvers,
    private readonly check: () => string[],
    private readonly zones: readonly string[] = [],
  ) {
    super();
  }
  forZones(zones: readonly string[]): AcmeSolver {
    return new Solver(this.what, this.spec, this.check, [...zones]);
  }
  problems(): string[] {
    return this.check().map((p) => `${this.what} solver: ${p}`);
  }
  toSpec(): ClusterIssuerSpecAcmeSolvers {
    return this.zones.length ? { selector: { dnsZones: [...this.zones] }, ...this.spec } : this.spec;
  }
}

export interface ClusterIssuerBaseProps {
  /** The ClusterIssuer's name. @default - the construct id */
  readonly name?: string;
  /** Labels and annotations of the object. @default - none */
  readonly labels?: Readonly<Record<string, string>>;
}

export interface AcmeIssuerProps extends ClusterIssuerBaseProps {
  /** ACME directory URL. @default LETS_ENCRYPT.production */
  readonly server?: string;
  /** Contact for expiry notices and account problems. */
  readonly email: string;
  /** Secret (in the cert-manager namespace) cert-manager creates for the ACME account key. @default - `<name>-account-key` */
  readonly accountKeySecretName?: string;
  /** At least one solver; cert-manager picks the most specific selector. */
  readonly solvers: readonly AcmeSolver[];
}

export interface CaIssuerProps extends ClusterIssuerBaseProps {
  /**
   * TLS Secret (tls.crt, tls.key) with the CA key pair. For a ClusterIssuer it must be in the
   * cluster resource namespace (cert-manager's own, unless `--cluster-resource-namespace`).
   */
  readonly secretName: string;
}

export interface VaultIssuerProps extends ClusterIssuerBaseProps {
  /** Vault address, e.g. https://vault.vault.svc:8200. */
  readonly server: string;
  /** PKI signing path, e.g. pki_int/sign/platform. */
  readonly path: string;
  /** Vault role of the Kubernetes auth method. */
  readonly role: string;
  /** Kubernetes auth mount. @default /v1/auth/kubernetes */
  readonly mountPath?: string;
  /** Service account (in the cert-manager namespace) whose token authenticates. @default cert-manager */
  readonly serviceAccountName?: string;
  /** Secret with the CA bundle that signs Vault's serving certificate. @default - system roots */
  readonly caBundleSecret?: SecretKeySelector;
}

export type SelfSignedIssuerProps = ClusterIssuerBaseProps;

/**
 * A cert-manager ClusterIssuer. Build one with a static factory, one per issuer type:
 * `ClusterIssuer.acme`, `.ca`, `.selfSigned`, `.vault`. Its `ref` goes into a Certificate.
 */
export class ClusterIssuer extends Construct implements IssuerRef {
  /** An ACME issuer (Let's Encrypt) with HTTP-01 or DNS-01 solvers. */
  static acme(scope: Construct, id: string, props: AcmeIssuerProps): ClusterIssuer {
    return new ClusterIssuer(scope, id, props, 'acme', (self, name) => {
      const server = props.server ?? LETS_ENCRYPT.production;
      if (!/^https:\/\/[^\s]+$/.test(server)) invalidProp(self, 'server', server, 'an https:// ACME directory URL');
      if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(props.email)) invalidProp(self, 'email', props.email, 'an e-mail address');
      if (!props.solvers.length) invalidProp(self, 'solvers', [], 'at least one solver');
      const problems = props.solvers.flatMap((s, i) => s.problems().map((p) => `solvers[${i}]: ${p}`));
      if (problems.length) throw new Error(`${self.node.path}: ${problems.join('; ')}`);
      const accountKey = props.accountKeySecretName ?? `${name}-account-key`;
      requireDnsSubdomain(self, 'accountKeySecretName', accountKey);
      return {
        acme: {
          server,
          email: props.email,
          privateKeySecretRef: { name: accountKey },
          solvers: props.solvers.map((s) => s.toSpec()),
        },
      };
    });
  }

  /** Signs with a CA key pair kept in a Secret of the cert-manager namespace. */
  static ca(scope: Construct, id: string, props: CaIssuerProps): ClusterIssuer {
    return new ClusterIssuer(scope, id, props, 'ca', (self) => {
      requireDnsSubdomain(self, 'secretName', props.secretName);
      return { ca: { secretName: props.secretName } };
    });
  }

  /** Signs each certificate with its own key: only good for bootstrapping a CA certificate. */
  static selfSigned(scope: Construct, id: string, props: SelfSignedIssuerProps = {}): ClusterIssuer {
    return new ClusterIssuer(scope, id, props, 'selfSigned', () => ({ selfSigned: {} }));
  }

  /** Signs through a Vault PKI engine, authenticating with Kubernetes auth. */
  static vault(scope: Construct, id: string, props: VaultIssuerProps): ClusterIssuer {
    return new ClusterIssuer(scope, id, props, 'vault', (self) => {
      if (!/^https?:\/\/[^\s]+$/.test(props.server)) invalidProp(self, 'server', props.server, 'a Vault URL such as https://vault.vault.svc:8200');
      if (!/^[^\s/][^\s]*\/sign\/[^\s/]+$/.test(props.path)) invalidProp(self, 'path', props.path, 'a PKI signing path such as pki_int/sign/platform');
      if (!props.role) invalidProp(self, 'role', props.role, 'a Vault role name');
      return {
        vault: {
          server: props.server,
          path: props.path,
          ...(props.caBundleSecret ? { caBundleSecretRef: { name: props.caBundleSecret.name, key: props.caBundleSecret.key } } : {}),
          auth: {
            kubernetes: {
              role: props.role,
              mountPath: props.mountPath ?? '/v1/auth/kubernetes',
              serviceAccountRef: { name: props.serviceAccountName ?? 'cert-manager' },
            },
          },
        },
      };
    });
  }

  readonly name: string;
  readonly kind = 'ClusterIssuer' as const;
  /** The issuer type: `acme`, `ca`, `selfSigned` or `vault`. */
  readonly type: 'acme' | 'ca' | 'selfSigned' | 'vault';

  private constructor(
    scope: Construct,
    id: string,
    props: ClusterIssuerBaseProps,
    type: ClusterIssuer['type'],
    spec: (self: ClusterIssuer, name: string) => ClusterIssuerSpec,
  ) {
    super(scope, id);
    this.name = props.name ?? id;
    this.type = type;
    requireDnsLabel(this, 'name', this.name);
    const resource = new ClusterIssuerResource(this, 'Resource', {
      metadata: {
        name: this.name,
        ...(props.labels && Object.keys(props.labels).length ? { labels: { ...props.labels } } : {}),
      },
      spec: spec(this, this.name),
    });
    clearNamespace(resource);
  }

  /** The issuerRef a Certificate uses. */
  get ref(): IssuerRef {
    return { name: this.name, kind: this.kind };
  }
}

/**
 * cdk8s gives every object its chart's namespace; a cluster-scoped object must have none (the
 * rendered YAML would claim a namespace the API server ignores, and diffs would show it).
 */
export function clearNamespace(obj: ApiObject): void {
  (obj.metadata as unknown as { namespace?: string }).namespace = undefined;
}
