import type { ClusterOverlay } from '../spec/overlay.js';

// Production on Yandex Managed Kubernetes: Istio ingress and sidecar mesh, DNS-01 through the
// Yandex Cloud DNS webhook.
export default {
  cloud: 'yandex',
  environment: 'prod',
  domain: 'prod.company.ru',
  ingress: { kind: 'istio' },
  mesh: { kind: 'istio' },
  // The reference cluster for supply-chain checks: images also need the CycloneDX SBOM that the
  // pipeline attests with Syft, and must be deployed by digest.
  imagePolicy: { sbom: true, requireDigest: true },
  secrets: {
    ageRecipients: [
      'age190vd7ndvmhuc23dvgfpznujeuwufj92f0lpajhlfl52rky3kdprsnqz0pm',
      'age14xy04c3759aayt8h3kpgrkff3ka6fpsty9ec5uetxsl00xlfjchs35s9ws',
    ],
  },
} satisfies ClusterOverlay;
