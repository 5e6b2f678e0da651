import type { ClusterOverlay } from '../spec/overlay.js';

// A developer's local cluster (kind or k3d on a laptop, treated as on-prem bare metal):
// `.localhost` names resolve to loopback, so no DNS writer and no ACME; a local CA signs.
export default {
  cloud: 'onprem',
  infrastructure: 'baremetal',
  environment: 'dev',
  region: 'local',
  domain: 'dev.localhost',
  kubernetesVersion: '1.35',
  ingress: { kind: 'traefik' },
  // k3d's ServiceLB (klipper) or cloud-provider-kind gives the Traefik Service an address.
  loadBalancer: { provider: 'builtin' },
  // The platform deploys no object store: a MinIO container next to the cluster, on its Docker
  // network (docs/overlay-observability.md#on-prem-and-dev-object-storage), holds the Velero
  // backups and Vault snapshots (Loki and Tempo keep dev data on their volumes).
  objectStorage: { endpoint: 'http://minio:9000', region: 'us-east-1' },
  dns: { provider: 'none' },
  // A laptop cluster has no infrastructure stack: kind/k3d and the MinIO container are started by hand.
  infra: { backend: 'none' },
  tls: { issuer: 'self-signed' },
  secrets: {
    ageRecipients: [
      'age1xpj95v38y2uxuk3vzna0vn8r264n7hlmdgcsdz0fsmhdtgvmkgss29c4pq',
      'age14xy04c3759aayt8h3kpgrkff3ka6fpsty9ec5uetxsl00xlfjchs35s9ws',
    ],
  },
} satisfies ClusterOverlay;
