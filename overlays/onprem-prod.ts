import type { ClusterOverlay } from '../spec/overlay.js';

// Production in the company's data centre on vSphere: certificates from the company CA (its key
// pair Secret comes from the secrets component), DNS in BIND through RFC 2136.
export default {
  cloud: 'onprem',
  infrastructure: 'vsphere',
  environment: 'prod',
  domain: 'corp.company.ru',
  kubernetesVersion: '1.35',
  ingress: { kind: 'istio', loadBalancerIP: '10.20.0.10' },
  // No NSX Advanced Load Balancer licence in this data centre: kube-vip (installed with the
  // cluster, docs/overlay-edge.md) announces the ingress address and the pool of the teams'
  // LoadBalancer Services.
  loadBalancer: { provider: 'kube-vip', addresses: ['10.20.0.10-10.20.0.40'] },
  // The data centre's S3 (MinIO, run by the storage team outside the cluster): Loki, Tempo,
  // Velero and the Vault snapshots; credentials in secrets/onprem-prod/.
  objectStorage: { endpoint: 'https://s3.corp.company.ru', region: 'msk-dc1' },
  tls: { issuer: 'company-ca', companyCaSecret: 'company-ca-key-pair' },
  // The stack creates the Harbor project the data centre's images come from, and the buckets in
  // the data centre's S3 (its state lives there too); the cluster itself is built by hand.
  infra: {
    backend: 'opentofu',
    registry: { name: 'soft-yt', host: 'harbor.corp.company.ru' },
  },
  // The data centre reaches no public Rekor: the release pipeline signs with the platform's cosign
  // key (in Vault) without the transparency log, and Kyverno checks the key alone.
  imagePolicy: {
    signedImages: ['ghcr.io/soft-yt/*', 'harbor.corp.company.ru/soft-yt/*'],
    signer: {
      mode: 'keyed',
      publicKey: [
        '-----BEGIN PUBLIC KEY-----',
        'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEiDcS+aHPzDxlDRKFNxkhjf1h6WfV',
        'zDdzg7w39NQVUgWsp3aHzYbezuFliqI7FeD6WcZwqa0zJS7MtCV0qXSjKw==',
        '-----END PUBLIC KEY-----',
      ].join('\n') + '\n',
      ignoreTlog: true,
    },
  },
  // Log-in through the company's Keycloak (client secret in secrets/onprem-prod/argocd/argocd-oidc.enc.yaml);
  // the local admin is off. docs/argocd-access.md says what to register.
  argocd: {
    replicas: 3,
    sso: { name: 'Company SSO', issuer: 'https://sso.company.ru/realms/company', clientID: 'argocd-onprem-prod' },
  },
  // Alerts by mail through the data centre's relay (password in
  // secrets/onprem-prod/monitoring/alertmanager-smtp.enc.yaml): critical ones to the on-call.
  observability: {
    alertmanager: {
      smtp: { smarthost: 'smtp.corp.company.ru:587', from: 'alertmanager-onprem-prod@company.ru', username: 'alertmanager', passwordSecret: 'alertmanager-smtp' },
      receivers: [
        { name: 'platform', email: ['platform@company.ru'] },
        { name: 'platform-oncall', email: ['platform-oncall@company.ru'] },
      ],
      defaultReceiver: 'platform',
      routes: [{ receiver: 'platform-oncall', severity: ['critical'] }],
    },
  },
  secrets: {
    ageRecipients: [
      'age1vn6276hw7gfe739ywhlxqhvtd2etfxk3qz9m55qg7c7x35xe2swqc9ay9a',
      'age14xy04c3759aayt8h3kpgrkff3ka6fpsty9ec5uetxsl00xlfjchs35s9ws',
    ],
  },
} satisfies ClusterOverlay;
