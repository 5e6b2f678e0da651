import type { ClusterOverlay } from '../spec/overlay.js';

// Production on Cloud.ru (SberCloud): Traefik ingress, Let's Encrypt over HTTP-01. Cloud.ru has
// no ExternalDNS provider and no DNS-01 solver, so the records are kept in Terraform.
export default {
  cloud: 'sber',
  environment: 'prod',
  domain: 'sber.prod.company.ru',
  kubernetesVersion: '1.32',
  ingress: { kind: 'traefik' },
  tls: { issuer: 'letsencrypt', acme: { challenge: 'http01' } },
  dns: { provider: 'none' },
  // The stack creates the SWR organization the release pipeline pushes to; the image policy
  // trusts it beside GitHub's registry.
  infra: { backend: 'opentofu', registry: { name: 'soft-yt' } },
  imagePolicy: { signedImages: ['ghcr.io/soft-yt/*', 'swr.ru-moscow-1.hc.sbercloud.ru/soft-yt/*'] },
  // Log-in through the company's Keycloak (client secret in secrets/sber-prod/argocd/argocd-oidc.enc.yaml);
  // the local admin is off. docs/argocd-access.md says what to register.
  argocd: { sso: { name: 'Company SSO', issuer: 'https://sso.company.ru/realms/company', clientID: 'argocd-sber-prod' } },
  // Alerts to the company's incident tool (bearer token in
  // secrets/sber-prod/monitoring/alertmanager-webhook.enc.yaml).
  observability: {
    alertmanager: {
      receivers: [{ name: 'incidents', webhook: { url: 'https://incidents.company.ru/api/alertmanager', tokenSecret: 'alertmanager-webhook' } }],
    },
  },
  secrets: {
    ageRecipients: [
      'age1p26z2qhtsddmkfv986d6sla3exsc9vvsay9tfz9xdpvjuqf2vyrqyzl6rh',
      'age14xy04c3759aayt8h3kpgrkff3ka6fpsty9ec5uetxsl00xlfjchs35s9ws',
    ],
  },
} satisfies ClusterOverlay;
