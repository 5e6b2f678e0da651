import type { ClusterOverlay } from '../spec/overlay.js';

// Production in the company's data centre on vSphere: certificates from the company CA, DNS in
// BIND through RFC 2136.
export default {
  cloud: 'onprem',
  infrastructure: 'vsphere',
  environment: 'prod',
  domain: 'corp.company.ru',
  ingress: { kind: 'istio' },
  argocd: { replicas: 3 },
  secrets: {
    ageRecipients: [
      'age1vn6276hw7gfe739ywhlxqhvtd2etfxk3qz9m55qg7c7x35xe2swqc9ay9a',
      'age14xy04c3759aayt8h3kpgrkff3ka6fpsty9ec5uetxsl00xlfjchs35s9ws',
    ],
  },
} satisfies ClusterOverlay;
