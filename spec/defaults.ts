import type { Cloud, Environment } from './schema.js';
import type { SpecLayer } from './overlay.js';
import { DEFAULT_KUBERNETES_VERSIONS } from './kubernetes-version.js';
import { EXAMPLE_BACKEND, OBSERVABILITY_DEFAULTS } from './observability.js';
import { INFRA_DEFAULTS } from './infra.js';

// Defaults in layers: platform, then cloud, then environment; the cluster's overlay goes last.
// Only what every cluster of a layer shares belongs here.

/** Age recipient of the platform team's offline key, so that the team can always decrypt. */
export const PLATFORM_AGE_RECIPIENT = 'age14xy04c3759aayt8h3kpgrkff3ka6fpsty9ec5uetxsl00xlfjchs35s9ws';

/**
 * EXAMPLE host key of git.company.ru, generated for this repository (no server holds its private
 * half): the platform admin replaces it with the real one, `ssh-keyscan -t ed25519 git.company.ru`
 * checked against the fingerprint the Git server's admins publish (docs/argocd-access.md).
 */
export const EXAMPLE_GIT_HOST_KEY = 'git.company.ru ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBkpL+o3+mrbYMGlP2YtdRyAVwU8nGINOiFeRO3HMXHA';

export const platformDefaults: SpecLayer = {
  ...OBSERVABILITY_DEFAULTS.platform,
  ...INFRA_DEFAULTS.platform,
  gitops: {
    repoURL: 'ssh://git@git.company.ru/platform/infra-gitops.git',
    targetRevision: 'main',
    // One read-only SSH key (a deploy key of a machine user) reads infra-gitops and the teams'
    // repositories on the company's Git server; the host key is pinned, never learned on first use.
    git: { host: 'git.company.ru', credential: 'ssh', credentialSecret: 'git-repo-creds', knownHosts: [EXAMPLE_GIT_HOST_KEY] },
  },
  argocd: {
    namespace: 'argocd',
    adminGroups: ['platform-engineers'],
    replicas: 1,
    // Helm sources unless an overlay asks for hydrated folders (docs/hydration.md).
    hydrate: false,
  },
  ingress: {
    kind: 'istio',
    // Every cluster serves the Argo CD UI, Grafana and the example backend; single labels are
    // names under the cluster's domain (argocd.prod.company.ru, ...).
    hosts: [
      { name: 'argocd', host: 'argocd', service: 'argocd-server', namespace: 'argocd', port: 80, paths: ['/'], tls: true },
      { name: 'grafana', host: 'grafana', service: 'kube-prometheus-stack-grafana', namespace: 'monitoring', port: 80, paths: ['/'], tls: true },
      { name: 'storefront-api', host: 'shop', service: 'storefront-api', namespace: 'storefront', port: 8080, paths: ['/api', '/healthz'], tls: true },
    ],
  },
  // Sidecar mode: it works with either ingress and with every CNI; ambient is opt-in per overlay.
  mesh: { kind: 'none', istioMode: 'sidecar' },
  tls: {
    acme: { email: 'platform@company.ru', challenge: 'http01', server: 'production' },
    companyCaSecret: 'company-ca-key-pair',
  },
  dns: {
    provider: 'none',
    policy: 'sync',
  },
  secrets: { ageRecipients: [PLATFORM_AGE_RECIPIENT] },
  // The company's CI signs every image it pushes to ghcr.io/soft-yt keyless (GitHub OIDC →
  // Fulcio, logged in the public Rekor), from a release workflow of a soft-yt repository.
  imagePolicy: {
    signedImages: ['ghcr.io/soft-yt/*'],
    signer: {
      mode: 'keyless',
      keyless: {
        issuer: 'https://token.actions.githubusercontent.com',
        subjectRegExp: '^https://github\\.com/soft-yt/[^/]+/\\.github/workflows/release\\.ya?ml@refs/(heads/main|tags/v.+)$',
      },
      rekorURL: 'https://rekor.sigstore.dev',
      ignoreTlog: false,
    },
    sbom: false,
    requireDigest: false,
    exemptions: [],
  },
  teams: [
    {
      name: 'payments',
      groups: ['team-payments'],
      namespaces: ['payments'],
      repos: ['ssh://git@git.company.ru/payments/deploy.git'],
    },
    {
      name: 'storefront',
      groups: ['team-storefront'],
      namespaces: ['storefront', 'storefront-jobs'],
      repos: ['ssh://git@git.company.ru/storefront/deploy.git'],
      services: [EXAMPLE_BACKEND],
    },
  ],
};

export const cloudDefaults: Record<Cloud, SpecLayer> = {
  // Yandex has an official cert-manager DNS-01 webhook and a community ExternalDNS webhook.
  yandex: {
    ...OBSERVABILITY_DEFAULTS.cloud.yandex,
    ...INFRA_DEFAULTS.cloud.yandex,
    infrastructure: 'managed',
    region: 'ru-central1',
    kubernetesVersion: DEFAULT_KUBERNETES_VERSIONS.yandex,
    dns: {
      provider: 'yandex-webhook',
      // The company's DNS folder holds every Cloud DNS zone; a cluster may point at its own.
      yandex: { folderId: 'b1gc0mpanydns0000001', serviceAccountSecret: { name: 'yandex-dns-editor', key: 'key.json' } },
    },
    tls: { issuer: 'letsencrypt', acme: { challenge: 'dns01' } },
  },
  // Cloud.ru and VK Cloud have no ExternalDNS provider and no usable DNS-01 solver: records are
  // managed outside the cluster (Terraform) and ACME answers HTTP-01 through the ingress.
  sber: {
    ...OBSERVABILITY_DEFAULTS.cloud.sber,
    ...INFRA_DEFAULTS.cloud.sber,
    infrastructure: 'managed',
    region: 'ru-moscow-1',
    kubernetesVersion: DEFAULT_KUBERNETES_VERSIONS.sber,
    dns: { provider: 'none' },
    tls: { issuer: 'letsencrypt', acme: { challenge: 'http01' } },
  },
  vk: {
    ...OBSERVABILITY_DEFAULTS.cloud.vk,
    ...INFRA_DEFAULTS.cloud.vk,
    infrastructure: 'managed',
    region: 'ru-msk',
    kubernetesVersion: DEFAULT_KUBERNETES_VERSIONS.vk,
    dns: { provider: 'none' },
    tls: { issuer: 'letsencrypt', acme: { challenge: 'http01' } },
  },
  onprem: {
    ...OBSERVABILITY_DEFAULTS.cloud.onprem,
    ...INFRA_DEFAULTS.cloud.onprem,
    region: 'msk-dc1',
    kubernetesVersion: DEFAULT_KUBERNETES_VERSIONS.onprem,
    dns: {
      provider: 'rfc2136',
      // The company's primary BIND; each cluster's zone is delegated there (see docs/overlay-edge.md).
      rfc2136: {
        host: 'ns1.company.ru', port: 53, tsigKeyName: 'externaldns.company.ru', tsigAlgorithm: 'hmac-sha256',
        tsigSecret: { name: 'rfc2136-tsig', key: 'secret' },
      },
    },
    tls: { issuer: 'company-ca' },
  },
};

export const environmentDefaults: Record<Environment, SpecLayer> = {
  dev: {
    ...OBSERVABILITY_DEFAULTS.environment.dev,
    argocd: { sync: { automated: true, prune: true, selfHeal: true } },
    imagePolicy: { action: 'Audit' },
  },
  stage: {
    ...OBSERVABILITY_DEFAULTS.environment.stage,
    argocd: { sync: { automated: true, prune: true, selfHeal: true } },
    imagePolicy: { action: 'Enforce' },
  },
  // Prod syncs changes on its own but never deletes without a person: a deletion shows in the PR
  // diff, and an operator runs the pruning sync after the merge.
  prod: {
    ...OBSERVABILITY_DEFAULTS.environment.prod,
    argocd: { sync: { automated: true, prune: false, selfHeal: true }, replicas: 2 },
    imagePolicy: { action: 'Enforce' },
    // Like pruning, deleting a prod DNS record waits for a person.
    dns: { policy: 'upsert-only' },
  },
};
