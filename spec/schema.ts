import { z } from 'zod';
import { AGE_PRIVATE_KEY_HINT, isAgePrivateKey } from '../primitives/redact.js';
import { isCaBundlePem } from '../primitives/pem.js';
import { imagePolicySchema } from './image-policy.js';
import { infraSchema } from './infra.js';
import { kubernetesVersionSchema } from './kubernetes-version.js';
import { loadBalancerSchema } from './load-balancer.js';
import { backupSchema, costSchema, objectStorageSchema, observabilitySchema, serviceSchema, vaultSchema, type BrowserTelemetry } from './observability.js';

// The merged, validated description of one cluster. Every later stage (charts, constructs,
// writer) trusts it: values are checked here once, at the edge, and nowhere else.

const dnsLabel = z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'a DNS label (lower-case letters, digits and "-", at most 63 characters)');
const hostname = z.string().regex(/^(?=.{1,253}$)([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*$/, 'a lower-case DNS name such as prod.company.ru');
// A private key pasted where a recipient belongs gets its own message; the value itself is never
// echoed (UserError redacts it, primitives/redact.ts).
export const ageRecipient = z.string()
  .refine((s) => !isAgePrivateKey(s), { message: AGE_PRIVATE_KEY_HINT, abort: true })
  .regex(/^age1[02-9ac-hj-np-z]{58}$/, 'an age X25519 public key (age1 followed by 58 bech32 characters)');
const gitUrl = z.string().regex(/^(https:\/\/|ssh:\/\/|git@)[^\s]+$/, 'a git URL (https://..., ssh://... or git@host:path)');

export const CLOUDS = ['yandex', 'sber', 'vk', 'onprem'] as const;
export const INGRESS_KINDS = ['istio', 'traefik'] as const;

const ipv4 = z.string().regex(/^((25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(25[0-5]|2[0-4]\d|1?\d?\d)$/, 'an IPv4 address such as 203.0.113.10');

/** A key of a Secret, referenced by name: the secrets component delivers the Secret encrypted. */
export const secretKeyRef = z.strictObject({
  name: dnsLabel,
  key: z.string().regex(/^[-._a-zA-Z0-9]+$/, 'a Secret data key such as key.json'),
});

/**
 * One name the cluster serves, the same for both ingress kinds: the Istio Gateway server and
 * VirtualService, or the Traefik IngressRoute, plus a Certificate when `tls` is on, are all built
 * from it.
 */
export const hostSchema = z.strictObject({
  /** Route name, unique in the cluster; names the rendered route, Certificate and TLS Secret. */
  name: dnsLabel,
  /**
   * The DNS name. A single label (`grafana`) means a name under the cluster's domain
   * (`grafana.prod.company.ru`); a name with dots must be the domain or lie under it.
   */
  host: hostname,
  /** Service the traffic goes to. */
  service: dnsLabel,
  /** Namespace of that Service. */
  namespace: dnsLabel,
  /** Service port. */
  port: z.number().int().min(1).max(65535),
  /** Path prefixes routed to the service. @default ['/'] */
  paths: z.array(z.string().regex(/^\/[^\s`"']*$/, 'a path prefix starting with "/"')).min(1).default(['/']),
  /** Serve HTTPS with a cert-manager Certificate (HTTP redirects to it). @default true */
  tls: z.boolean().default(true),
});

export const ENVIRONMENTS = ['dev', 'stage', 'prod'] as const;

/** `ssh`: an SSH private key (`sshPrivateKey`); `https`: a user and an access token (`username`, `password`). */
export const GIT_CREDENTIAL_KINDS = ['ssh', 'https'] as const;

// One line of an OpenSSH known_hosts file, as `ssh-keyscan` prints it (host, key type, base64 key).
const knownHostLine = z.string().regex(
  /^\S+ (ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)|sk-ssh-ed25519@openssh\.com|sk-ecdsa-sha2-nistp256@openssh\.com) [A-Za-z0-9+/]+={0,2}$/,
  'a known_hosts line "<host> <key type> <base64 key>" as `ssh-keyscan <host>` prints it, e.g. "git.company.ru ssh-ed25519 AAAAC3Nza..."',
);

/**
 * How Argo CD reaches the Git server of `gitops.repoURL` and of the teams' repositories: one
 * credential template (an Argo CD `repo-creds` Secret) for every repository under the host, and
 * the host's SSH keys (spec/argocd-access.ts checks them against the repository URLs).
 */
export const gitAccessSchema = z.strictObject({
  /** The Git server, e.g. git.company.ru (port 22 for SSH, 443 for HTTPS). */
  host: hostname,
  /** What the credential is: `ssh` (a private key) or `https` (a user and a token). */
  credential: z.enum(GIT_CREDENTIAL_KINDS),
  /**
   * Secret in the Argo CD namespace holding the credential, delivered SOPS-encrypted from
   * secrets/<cluster>/<argocd namespace>/<name>.enc.yaml. @default git-repo-creds
   */
  credentialSecret: dnsLabel.default('git-repo-creds'),
  /**
   * The host's SSH public keys, one known_hosts line each (verify them against the fingerprints
   * the Git server's admins publish). Needed for `ssh`; Argo CD refuses an unknown host key.
   */
  knownHosts: z.array(knownHostLine),
});

/**
 * Single sign-on with the company's OIDC provider (Argo CD's own OIDC client, no Dex). Setting it
 * disables the local admin: the SSO groups of `argocd.adminGroups` and `teams[].groups` are the
 * only way in.
 */
export const ssoSchema = z.strictObject({
  /** Name on the login button. @default SSO */
  name: z.string().min(1).default('SSO'),
  /** The provider's issuer URL (its /.well-known/openid-configuration is read from there). */
  issuer: z.string().regex(/^https:\/\/[^\s/]+(\/[^\s]*)?$/, 'an https:// issuer URL such as https://sso.company.ru/realms/company'),
  /** The client registered for this cluster's Argo CD (redirect URI https://<argocd host>/auth/callback). */
  clientID: z.string().min(1),
  /** Key of a Secret in the Argo CD namespace holding the client secret. @default { name: argocd-oidc, key: clientSecret } */
  clientSecret: secretKeyRef.default({ name: 'argocd-oidc', key: 'clientSecret' }),
  /** ID-token claim with the user's groups, matched by Argo CD's RBAC. @default groups */
  groupsClaim: z.string().regex(/^[-._:/a-zA-Z0-9]+$/, 'a claim name such as groups').default('groups'),
  /** Scopes Argo CD asks for. @default [openid, profile, email, groups] */
  requestedScopes: z.array(z.string().regex(/^\S+$/, 'a scope name')).min(1).default(['openid', 'profile', 'email', 'groups']),
  /**
   * PEM CA certificates Argo CD trusts for the provider's TLS (oidc.config `rootCA`): the company
   * CA's certificate where the provider's is issued by it (on-prem). Public certificates only.
   * @default - the system trust store of the argocd-server image
   */
  rootCA: z.string().refine(isCaBundlePem, 'PEM CA certificates (-----BEGIN CERTIFICATE----- ... -----END CERTIFICATE-----, each with the CA flag); no private key, no server certificate').optional(),
});


export const teamSchema = z.strictObject({
  /** Team name; also the name of its Argo CD AppProject. */
  name: dnsLabel,
  /** SSO groups whose members may sync and read the team's applications. */
  groups: z.array(z.string().min(1)).min(1),
  /** Namespaces the team deploys into; the project allows no others. */
  namespaces: z.array(dnsLabel).min(1),
  /** Git repositories the team's Applications may read. */
  repos: z.array(gitUrl).min(1),
  /** Services of the team the platform scrapes and gives Vault secrets (spec/observability.ts). @default [] */
  services: z.array(serviceSchema).optional(),
  /**
   * Which of the team's namespaces join the cluster's mesh (`mesh.kind`): `true` for all of them,
   * or a list of them. Namespaces are the platform's (bootstrap), so this is the only way in: Istio
   * sidecar mode labels them `istio-injection=enabled`, ambient `istio.io/dataplane-mode=ambient`.
   * @default false - no namespace of the team is meshed
   */
  mesh: z.union([z.boolean(), z.array(dnsLabel).min(1)]).optional(),
});

export const syncPolicySchema = z.strictObject({
  /** Argo CD syncs on its own when Git changes. */
  automated: z.boolean(),
  /** Automated sync deletes objects that left Git (else deletions wait for a manual sync). */
  prune: z.boolean(),
  /** Automated sync reverts changes made in the cluster by hand. */
  selfHeal: z.boolean(),
});

export const clusterSpecSchema = z.strictObject({
  /** Cluster name: the overlay file's name, a DNS label; the output lands in clusters/<name>/. */
  name: dnsLabel,
  cloud: z.enum(CLOUDS),
  /** Where the nodes run: `managed` for the clouds' managed Kubernetes, `baremetal` or `vsphere` on-prem. */
  infrastructure: z.enum(['managed', 'baremetal', 'vsphere']),
  region: z.string().min(1),
  /**
   * Kubernetes minor version of the control plane, `MAJOR.MINOR` as a string (`'1.33'`), one of
   * 1.28 … 1.36: what synth validates against and renders charts for (spec/kubernetes-version.ts).
   */
  kubernetesVersion: kubernetesVersionSchema,
  environment: z.enum(ENVIRONMENTS),
  /** DNS zone of the cluster's services, e.g. prod.company.ru; every host lives under it. */
  domain: hostname,
  gitops: z.strictObject({
    /** The infra-gitops repository Argo CD reads the rendered tree from. */
    repoURL: gitUrl,
    targetRevision: z.string().min(1),
    /** The Git server's host keys and Argo CD's credential for it (gitAccessSchema). */
    git: gitAccessSchema,
  }),
  argocd: z.strictObject({
    /** Namespace of the cluster's namespaced Argo CD. */
    namespace: dnsLabel,
    /** SSO groups with full rights on the platform project. */
    adminGroups: z.array(z.string().min(1)).min(1),
    /** How Argo CD syncs the platform's Applications. */
    sync: syncPolicySchema,
    /** Replicas of the Argo CD server and repo-server (2+ for HA). */
    replicas: z.number().int().min(1).max(9),
    /**
     * Hydrated output (the rendered-manifests pattern): each platform Application with a Helm
     * source points instead at a folder of the objects the chart renders for this cluster
     * (`clusters/<cluster>/hydrated/<Application>/`), so Argo CD reads only the infra-gitops
     * repository and needs no access to chart registries. See docs/hydration.md.
     * @default false - Helm sources, rendered by Argo CD's repo-server from the chart repository
     */
    hydrate: z.boolean(),
    /** Single sign-on (ssoSchema). @default - none: only the local admin logs in */
    sso: ssoSchema.optional(),
  }),
  ingress: z.strictObject({
    /** `istio` (Gateway + VirtualService through the istio gateway chart) or `traefik` (IngressRoute). */
    kind: z.enum(INGRESS_KINDS),
    /**
     * Address reserved for the ingress load balancer, requested the way `loadBalancer.provider`
     * reads it (kube-vip and MetalLB: their annotation; the clouds and AKO: the Service's
     * loadBalancerIP), and the ExternalDNS target of Traefik routes (Traefik CRDs publish no
     * address of their own).
     * @default - the provider assigns one (then ExternalDNS with Traefik has no target: refused)
     */
    loadBalancerIP: ipv4.optional(),
    /** The names the cluster serves; see hostSchema. A list in an overlay replaces the default list. */
    hosts: z.array(hostSchema),
  }),
  mesh: z.strictObject({
    kind: z.enum(['none', 'istio', 'linkerd']),
    /** Istio data plane: sidecars in every pod, or the ztunnel-based ambient mode. */
    istioMode: z.enum(['sidecar', 'ambient']),
  }),
  tls: z.strictObject({
    /** `letsencrypt` (ACME, cloud), `company-ca` (on-prem CA), `self-signed` (local dev CA). */
    issuer: z.enum(['letsencrypt', 'company-ca', 'self-signed']),
    acme: z.strictObject({
      email: z.email(),
      /** `http01` through the cluster's ingress, or `dns01` where the cloud has a solver. */
      challenge: z.enum(['http01', 'dns01']),
      /**
       * Which Let's Encrypt directory the cluster's certificates use. Both ClusterIssuers are always
       * rendered, so switching is one field. `staging` certificates are not browser-trusted.
       */
      server: z.enum(['production', 'staging']),
    }),
    /**
     * TLS Secret (tls.crt, tls.key) in the cert-manager namespace holding the company CA that the
     * `company-ca` ClusterIssuer signs with. Referenced by name here; the secrets component delivers
     * it SOPS-encrypted.
     */
    companyCaSecret: dnsLabel,
  }),
  dns: z.strictObject({
    /** Who writes the cluster's DNS records; `none` when records are managed elsewhere. */
    provider: z.enum(['yandex-webhook', 'rfc2136', 'none']),
    /**
     * ExternalDNS `policy`: `upsert-only` never deletes a record (prod), `sync` also deletes the
     * records of names the cluster no longer serves.
     */
    policy: z.enum(['upsert-only', 'sync']),
    /** Yandex Cloud DNS: used by the ExternalDNS webhook and by the cert-manager DNS-01 webhook. */
    yandex: z.strictObject({
      /** Folder holding the Cloud DNS zones. */
      folderId: z.string().regex(/^[a-z0-9]{20}$/, 'a Yandex Cloud folder ID (20 lower-case letters and digits, e.g. b1g0000000000000dns0)'),
      /** Secret with the authorized key JSON of a service account with role dns.editor (by name; same name in cert-manager and external-dns). */
      serviceAccountSecret: secretKeyRef,
    }).optional(),
    /** RFC 2136 dynamic updates (BIND, Windows DNS) for on-prem zones: ExternalDNS and DNS-01. */
    rfc2136: z.strictObject({
      /** Primary name server that accepts updates. */
      host: hostname,
      port: z.number().int().min(1).max(65535),
      tsigKeyName: hostname,
      tsigAlgorithm: z.enum(['hmac-sha256', 'hmac-sha512']),
      /** Secret with the TSIG key (by name; same name in cert-manager and external-dns). */
      tsigSecret: secretKeyRef,
    }).optional(),
  }),
  secrets: z.strictObject({
    /** age public keys that encrypt this cluster's secrets (the cluster's key, the platform team's). */
    ageRecipients: z.array(ageRecipient).min(1),
  }),
  /** Supply-chain policy: signed images, signer, SBOM, digests, exemptions (spec/image-policy.ts). */
  imagePolicy: imagePolicySchema,
  /** Application teams: each gets an AppProject limited to its namespaces and repos. */
  teams: z.array(teamSchema),
  /**
   * Who gives LoadBalancer Services (the ingress) an address (spec/load-balancer.ts).
   * @default - the cloud's controller in the clouds; required on-prem
   */
  loadBalancer: loadBalancerSchema.optional(),
  /** The cloud's S3-compatible store: backups, Loki and Tempo, Vault snapshots (spec/observability.ts). @default - per cloud; required on-prem */
  objectStorage: objectStorageSchema,
  /** Prometheus, Alertmanager, Grafana, Loki, Tempo, OpenTelemetry Collector (spec/observability.ts). */
  observability: observabilitySchema,
  /** Vault: raft size, injector and CSI provider, snapshots (spec/observability.ts). */
  vault: vaultSchema,
  /** Velero: bucket, schedule, retention (spec/observability.ts). */
  backup: backupSchema,
  /** OpenCost custom pricing of the cloud (spec/observability.ts). */
  cost: costSchema,
  /** The cluster's infrastructure stack: cluster, node pools, network, DNS zone, registry, buckets (spec/infra.ts). */
  infra: infraSchema,
}).transform((spec) => ({
  ...spec,
  // A single-label host is a name under the cluster's domain; resolved here so that every later
  // stage sees full names only. Names with dots stay as written (spec/rules.ts checks the domain).
  ingress: { ...spec.ingress, hosts: spec.ingress.hosts.map((h) => (h.host.includes('.') ? h : { ...h, host: `${h.host}.${spec.domain}` })) },
  observability: { ...spec.observability, browserTelemetry: resolveBrowserTelemetry(spec.observability.browserTelemetry, spec.domain) },
}));

/** Single labels of the browser endpoint and its origins (`otlp`, `shop`, `*.storefront`) become names under the domain. */
function resolveBrowserTelemetry(b: BrowserTelemetry, domain: string): BrowserTelemetry {
  const full = (h: string) => {
    const name = h.replace(/^\*\./, '');
    return name.includes('.') ? h : `${h}.${domain}`;
  };
  return { ...b, host: full(b.host), ...(b.origins ? { origins: b.origins.map(full) } : {}) };
}

export type ClusterSpec = z.output<typeof clusterSpecSchema>;
/**
 * What may be written before validation: defaults (`paths`, `tls` of a host) still optional. The
 * overlay type should derive from this one rather than from ClusterSpec.
 */
export type ClusterSpecInput = z.input<typeof clusterSpecSchema>;
export type Team = z.infer<typeof teamSchema>;
export type HostRoute = z.infer<typeof hostSchema>;
export type SecretKeyRef = z.infer<typeof secretKeyRef>;
export type Cloud = ClusterSpec['cloud'];
export type Environment = ClusterSpec['environment'];
export type GitAccess = z.output<typeof gitAccessSchema>;
export type Sso = z.output<typeof ssoSchema>;
