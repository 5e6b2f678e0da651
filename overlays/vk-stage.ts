import type { ClusterOverlay } from '../spec/overlay.js';

// Staging on VK Cloud: Traefik ingress and the Linkerd mesh (edge channel, identity from
// cert-manager). VK Cloud DNS has no ExternalDNS provider: records are kept in Terraform.
export default {
  cloud: 'vk',
  environment: 'stage',
  domain: 'stage.company.ru',
  kubernetesVersion: '1.32',
  // The stack creates the cluster and its DNS zone; VK Cloud's buckets and network are made by
  // hand (dist/infra/vk-stage/README.md lists what, docs/infra.md how).
  infra: { backend: 'opentofu' },
  ingress: { kind: 'traefik' },
  mesh: { kind: 'linkerd' },
  dns: { provider: 'none' },
  // Log-in through the company's Keycloak (client secret in secrets/vk-stage/argocd/argocd-oidc.enc.yaml);
  // the local admin is off. docs/argocd-access.md says what to register.
  argocd: { sso: { name: 'Company SSO', issuer: 'https://sso.company.ru/realms/company', clientID: 'argocd-vk-stage' } },
  // Stage alerts go to the platform's chat bridge (no credentials: it only accepts the cluster
  // network); prod clusters must have a receiver, stage may.
  // The frontend team tries browser telemetry here first: https://otlp.stage.company.ru takes OTLP
  // from the storefront's pages (its DNS record is in Terraform, like the cluster's other names).
  observability: {
    browserTelemetry: { enabled: true },
    alertmanager: { receivers: [{ name: 'platform-chat', webhook: { url: 'https://chat-bridge.company.ru/alertmanager/vk-stage' } }] },
  },
  secrets: {
    ageRecipients: [
      'age1d5ra9vt2cyw7h9x53zj66e9n68q37v4qrvxnmzv4gvcca7cfxvkqz7wdh8',
      'age14xy04c3759aayt8h3kpgrkff3ka6fpsty9ec5uetxsl00xlfjchs35s9ws',
    ],
  },
} satisfies ClusterOverlay;
