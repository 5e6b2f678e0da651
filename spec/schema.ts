import { z } from 'zod';

// The merged, validated description of one cluster. Every later stage (charts, constructs,
// writer) trusts it: values are checked here once, at the edge, and nowhere else.

const dnsLabel = z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'a DNS label (lower-case letters, digits and "-", at most 63 characters)');
const hostname = z.string().regex(/^(?=.{1,253}$)([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*$/, 'a lower-case DNS name such as prod.company.ru');
const ageRecipient = z.string().regex(/^age1[02-9ac-hj-np-z]{58}$/, 'an age X25519 public key (age1 followed by 58 bech32 characters)');
const gitUrl = z.string().regex(/^(https:\/\/|ssh:\/\/|git@)[^\s]+$/, 'a git URL (https://..., ssh://... or git@host:path)');
const imagePattern = z.string().regex(/^[a-z0-9.-]+(:[0-9]+)?(\/[a-z0-9._\-*]+)*\/?\*?$/, 'an image reference pattern such as ghcr.io/soft-yt/*');

export const CLOUDS = ['yandex', 'sber', 'vk', 'onprem'] as const;
export const ENVIRONMENTS = ['dev', 'stage', 'prod'] as const;

export const teamSchema = z.strictObject({
  /** Team name; also the name of its Argo CD AppProject. */
  name: dnsLabel,
  /** SSO groups whose members may sync and read the team's applications. */
  groups: z.array(z.string().min(1)).min(1),
  /** Namespaces the team deploys into; the project allows no others. */
  namespaces: z.array(dnsLabel).min(1),
  /** Git repositories the team's Applications may read. */
  repos: z.array(gitUrl).min(1),
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
  environment: z.enum(ENVIRONMENTS),
  /** DNS zone of the cluster's services, e.g. prod.company.ru; every host lives under it. */
  domain: hostname,
  gitops: z.strictObject({
    /** The infra-gitops repository Argo CD reads the rendered tree from. */
    repoURL: gitUrl,
    targetRevision: z.string().min(1),
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
  }),
  ingress: z.strictObject({ kind: z.enum(['istio', 'traefik']) }),
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
    }),
  }),
  dns: z.strictObject({
    /** Who writes the cluster's DNS records; `none` when records are managed elsewhere. */
    provider: z.enum(['yandex-webhook', 'rfc2136', 'none']),
  }),
  secrets: z.strictObject({
    /** age public keys that encrypt this cluster's secrets (the cluster's key, the platform team's). */
    ageRecipients: z.array(ageRecipient).min(1),
  }),
  imagePolicy: z.strictObject({
    /** Images that must carry a cosign signature. */
    signedImages: z.array(imagePattern).min(1),
    /** `Enforce` blocks a failing image, `Audit` only reports it. */
    action: z.enum(['Enforce', 'Audit']),
  }),
  /** Application teams: each gets an AppProject limited to its namespaces and repos. */
  teams: z.array(teamSchema),
});

export type ClusterSpec = z.infer<typeof clusterSpecSchema>;
export type Team = z.infer<typeof teamSchema>;
export type Cloud = ClusterSpec['cloud'];
export type Environment = ClusterSpec['environment'];
