import type { ClusterOverlay } from '../spec/overlay.js';

// Production on Yandex Managed Kubernetes: Istio ingress and sidecar mesh (STRICT mTLS), DNS-01
// through the official Yandex Cloud DNS webhook, records written by the ExternalDNS Yandex webhook.
export default {
  cloud: 'yandex',
  environment: 'prod',
  domain: 'prod.company.ru',
  kubernetesVersion: '1.33',
  ingress: { kind: 'istio', loadBalancerIP: '203.0.113.10' },
  mesh: { kind: 'istio', istioMode: 'sidecar' },
  dns: {
    provider: 'yandex-webhook',
    yandex: { folderId: 'b1gc0mpanydns0000001', serviceAccountSecret: { name: 'yandex-dns-editor', key: 'key.json' } },
  },
  // The reference cluster for supply-chain checks: images also need the CycloneDX SBOM that the
  // pipeline attests with Syft, and must be deployed by digest.
  imagePolicy: { sbom: true, requireDigest: true },
  // Crossplane on the management cluster mgmt (overlays/management/mgmt.ts) creates the cluster,
  // its network, DNS zone, buckets and Container Registry; the registry's ID is known once
  // Crossplane reports it (`infra-synth onboard yc-prod --management-kubeconfig ...`, then a
  // cr.yandex/<id>/* entry in imagePolicy.signedImages).
  infra: { backend: 'crossplane', management: 'mgmt', registry: { name: 'soft-yt' } },
  // Vault unseals itself with the cluster's own KMS key in the platform folder; the key of the
  // service account allowed to use it (kms.keys.encrypterDecrypter on this key only) is in
  // secrets/yc-prod/vault/vault-kms-sa.enc.yaml.
  vault: { seal: { yandexcloudkms: { kmsKeyId: 'abj0c0mpanyvau1tyc00' } } },
  // Log-in through the company's Keycloak (client secret in secrets/yc-prod/argocd/argocd-oidc.enc.yaml);
  // the local admin is off. docs/argocd-access.md says what to register.
  argocd: { sso: { name: 'Company SSO', issuer: 'https://sso.company.ru/realms/company', clientID: 'argocd-yc-prod' } },
  // Alerts: critical and warning to the platform on-call's Telegram group and mailbox; the
  // payments team also gets its own namespaces' alerts by mail. Bot token and SMTP password in
  // secrets/yc-prod/monitoring/ (alertmanager-telegram, alertmanager-smtp).
  // The storefront's pages (shop.prod.company.ru) send their browser traces, metrics and logs to
  // https://otlp.prod.company.ru (docs/services/_browser-telemetry.md); ExternalDNS publishes it.
  observability: {
    browserTelemetry: { enabled: true },
    alertmanager: {
      smtp: { smarthost: 'smtp.company.ru:587', from: 'alertmanager-yc-prod@company.ru', username: 'alertmanager', passwordSecret: 'alertmanager-smtp' },
      receivers: [
        { name: 'platform-oncall', telegram: { chatId: -1001000000001, botTokenSecret: 'alertmanager-telegram' }, email: ['platform-oncall@company.ru'] },
        { name: 'payments', email: ['payments-alerts@company.ru'] },
      ],
      routes: [
        { receiver: 'payments', team: 'payments', continue: true },
        { receiver: 'platform-oncall', severity: ['critical', 'warning'] },
      ],
    },
  },
  // The teams' services join the mesh (STRICT mTLS): payments entirely, storefront its API
  // namespace; storefront's batch jobs stay out. (A list here replaces the default teams.)
  teams: [
    { name: 'payments', groups: ['team-payments'], namespaces: ['payments'], repos: ['ssh://git@git.company.ru/payments/deploy.git'], mesh: true },
    {
      name: 'storefront',
      groups: ['team-storefront'],
      namespaces: ['storefront', 'storefront-jobs'],
      repos: ['ssh://git@git.company.ru/storefront/deploy.git'],
      // The example backend (spec/observability.ts EXAMPLE_BACKEND), restated: an overlay imports types only.
      services: [{
        name: 'storefront-api',
        namespace: 'storefront',
        metrics: { port: 'http', path: '/metrics', interval: '30s', containerPort: 8080 },
        vault: {
          delivery: 'csi',
          mountPath: '/mnt/secrets',
          ttl: '1h',
          secrets: [
            { name: 'db-password', path: 'kv/data/storefront/storefront-api', key: 'db_password' },
            { name: 'payments-api-token', path: 'kv/data/storefront/storefront-api', key: 'payments_api_token' },
          ],
        },
        otlp: true,
      }],
      mesh: ['storefront'],
    },
  ],
  secrets: {
    ageRecipients: [
      'age190vd7ndvmhuc23dvgfpznujeuwufj92f0lpajhlfl52rky3kdprsnqz0pm',
      'age14xy04c3759aayt8h3kpgrkff3ka6fpsty9ec5uetxsl00xlfjchs35s9ws',
    ],
  },
} satisfies ClusterOverlay;
