// Step 5: the bootstrap commands for this cluster, exactly as the README's "Bootstrapping a
// cluster" gives them, with the cluster's paths, namespace and credentials filled in — the only
// imperative step, run once by an admin with a short-lived credential.
import { gitCredentialURL } from '../spec/argocd-access.js';
import type { ClusterSpec } from '../spec/schema.js';
import type { StepReport } from './step.js';

/** How an admin gets a short-lived kubeconfig for the new cluster. */
export function credentialsCommand(spec: ClusterSpec): string {
  const id = spec.infra.outputs?.cluster_id;
  switch (spec.cloud) {
    case 'yandex':
      return `yc managed-kubernetes cluster get-credentials --id ${id ?? '<cluster_id output>'} --external --kubeconfig ./${spec.name}.kubeconfig`;
    case 'sber':
      return `# download the kubeconfig of CCE cluster ${id ?? '<cluster_id output>'} from the Cloud.ru console (Kubectl > Download), to ./${spec.name}.kubeconfig`;
    case 'vk':
      return `# download the kubeconfig of Cloud Containers cluster ${id ?? '<cluster_id output>'} from the VK Cloud console, to ./${spec.name}.kubeconfig`;
    default:
      return `# the admin kubeconfig from the cluster build (kubeadm's admin.conf, or Cluster API's <cluster>-kubeconfig Secret), to ./${spec.name}.kubeconfig`;
  }
}

/** The commands, one string (shell), run from an infra-gitops checkout. */
export function bootstrapCommands(spec: ClusterSpec): string {
  const ns = spec.argocd.namespace;
  const secret = spec.gitops.git.credentialSecret;
  const credential = spec.gitops.git.credential === 'ssh'
    ? '--from-file=sshPrivateKey=<path to the cluster\'s Git key>'
    : '--from-literal=username=<user> --from-file=password=<path to the token>';
  const argocd = spec.argocd.hydrate
    ? ['# 1. Install Argo CD from the objects rendered for this cluster (argocd.hydrate).', `kubectl apply --server-side -f $C/hydrated/argo-cd/`]
    : [
      '# 1. Install Argo CD with the values rendered for this cluster (its CRDs come with the chart).',
      `yq '.spec.source.helm.valuesObject' $C/apps/application-argo-cd.yaml > /tmp/argocd-values.yaml`,
      'helm upgrade --install argocd argo-cd --repo https://argoproj.github.io/argo-helm \\',
      `  --version "$(yq -r '.spec.source.targetRevision' $C/apps/application-argo-cd.yaml)" \\`,
      `  --namespace ${ns} --create-namespace -f /tmp/argocd-values.yaml`,
    ];
  return [
    credentialsCommand(spec),
    `export KUBECONFIG=$PWD/${spec.name}.kubeconfig`,
    `C=clusters/${spec.name}`,
    ...argocd,
    '# 2. The cluster\'s age private key, for the in-cluster SOPS decryptor (never in Git).',
    'kubectl create namespace sops',
    'kubectl -n sops create secret generic sops-age-key --from-file=keys.txt=<path to the cluster\'s age key>',
    `# 3. Argo CD's Git credential, the same as secrets/${spec.name}/${ns}/${secret}.enc.yaml.`,
    `kubectl -n ${ns} create secret generic ${secret} --from-literal=type=git \\`,
    `  --from-literal=url=${gitCredentialURL(spec)} ${credential}`,
    `kubectl -n ${ns} label secret ${secret} argocd.argoproj.io/secret-type=repo-creds`,
    `kubectl -n ${ns} annotate secret ${secret} sopssecret/managed=true`,
    '# 4. Namespaces, RBAC, the platform project and the root Application.',
    'kubectl apply --server-side -f $C/bootstrap/',
    '# 5. When vault-0 runs: initialise Vault once (README, "Vault: first start").',
    `# Then: infra-synth onboard ${spec.name} --verify --kubeconfig ./${spec.name}.kubeconfig`,
  ].join('\n');
}

export function bootstrapStep(spec: ClusterSpec, missingSecrets: readonly string[]): StepReport {
  return {
    step: 'bootstrap',
    state: 'waiting',
    lines: [
      'run once, from an infra-gitops checkout, with a short-lived admin credential:',
      ...bootstrapCommands(spec).split('\n').map((l) => `  ${l}`),
      ...(missingSecrets.length ? [`${missingSecrets.length} secret(s) are still missing (above): the Applications that read them will not become healthy until they are added`] : []),
    ],
    next: `bootstrap the cluster with the commands above, then \`infra-synth onboard ${spec.name} --verify --kubeconfig <file>\``,
  };
}
