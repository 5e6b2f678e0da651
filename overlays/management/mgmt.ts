import type { ManagementOverlay } from '../../spec/management.js';

// The management cluster that runs Crossplane for yc-prod (infra.management: 'mgmt'): its tree is
// dist/management/mgmt/, applied once by hand (its README.md says how). Its providers' credentials
// are in management-secrets/mgmt/, encrypted to these keys: the management cluster's own (held by
// its sops-secrets-operator) and the platform team's. The example's private keys are held by nobody.
export default {
  secrets: {
    ageRecipients: [
      'age1r6ml3jshe8shhldpmuzh92e7q24gn0lj5ecfux4lpxpqhcmhjafqgep945',
      'age14xy04c3759aayt8h3kpgrkff3ka6fpsty9ec5uetxsl00xlfjchs35s9ws',
    ],
  },
} satisfies ManagementOverlay;
