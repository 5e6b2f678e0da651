import { CHARTS, IMAGES } from '../catalog/versions.js';
import { WAVES, type PlatformComponent } from './component.js';

export const SOPS_NAMESPACE = 'sops';

/**
 * The Secret holding the cluster's age private key. The cluster admin creates it at bootstrap
 * (docs/secrets.md); it is never in Git, and Argo CD does not track it, so no sync prunes it.
 */
export const AGE_KEY_SECRET = { name: 'sops-age-key', key: 'keys.txt' } as const;
const AGE_KEY_DIR = '/etc/sops-age';

/**
 * sops-secrets-operator (isindir), which turns each `SopsSecret` into the Secrets it templates,
 * decrypting in the cluster with the cluster's age key: Argo CD only ever sees ciphertext.
 *
 * Cluster-wide (`namespaced: false`): the Secrets land in the namespaces of the components that
 * read them (cert-manager, external-dns, ...), and a namespaced operator would need one install
 * and one copy of the age key per namespace. The chart's ClusterRole therefore manages Secrets in
 * every namespace, and it decrypts any SopsSecret, wherever it is, with the cluster's key into the
 * SopsSecret's own namespace (never taking over a Secret it does not own). A copy of a platform
 * SopsSecret in a team's namespace would decrypt there: the Kyverno policy restrict-sops-secrets
 * (constructs/sops-secret-policy.ts) admits SopsSecrets only from the platform Argo CD and only in
 * platform namespaces.
 */
export function sopsSecretsOperatorComponent(): PlatformComponent {
  const image = IMAGES.sopsSecretsOperator;
  return {
    name: 'sops-secrets-operator',
    namespace: SOPS_NAMESPACE,
    helm: {
      chart: CHARTS.sopsSecretsOperator,
      // Before the operators that read the Secrets it creates (WAVES.operators).
      wave: WAVES.secretsOperator,
      values: {
        namespaced: false,
        // Pinned here (not the chart default) so that the image-coverage rule sees it.
        image: { repository: image.repository, tag: image.tag, pullPolicy: 'IfNotPresent' },
        secretsAsFiles: [{ name: 'age-key', mountPath: AGE_KEY_DIR, secretName: AGE_KEY_SECRET.name }],
        extraEnv: [{ name: 'SOPS_AGE_KEY_FILE', value: `${AGE_KEY_DIR}/${AGE_KEY_SECRET.key}` }],
        securityContext: {
          enabled: true,
          container: {
            enabled: true,
            customContainerSecurityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
          },
        },
        resources: { requests: { cpu: '10m', memory: '64Mi' }, limits: { memory: '256Mi' } },
      },
    },
    // The SopsSecret CRD (the chart's crds/ folder), and the ClusterRole over Secrets and SopsSecrets.
  };
}
