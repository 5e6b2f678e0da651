// What a management cluster runs for the workload clusters it creates (dist/management/<mgmt>/
// bootstrap/): the `management` AppProject and root Application, and one part per backend its
// clusters use (crossplane/management.ts, capi/management.ts), each with its credentials as a
// committed SopsSecret. Applied once by hand (the tree's README.md says how), then the root
// Application keeps the folder in sync.
import { toYaml } from '../../charts/cluster.js';
import type { SecretFile } from '../../secret-store/store.js';
import type { OutputFile } from '../../writer/types.js';
import { MGMT_ARGOCD_NAMESPACE, MGMT_PROJECT, managementRoot, managementSyncPolicy, manifestFile, type GitSource } from './tree.js';

/** Where a backend's controllers read their credentials from: a Secret that only a SopsSecret provides. */
export interface CredentialsRef {
  readonly namespace: string;
  readonly name: string;
  /** The data keys the controllers read (what `secrets add` requires). */
  readonly keys: readonly string[];
  /** What the Secret holds, for the warning while it is missing (e.g. `the vCenter account's "username" and "password"`). */
  readonly holds: string;
  /** The docs section that says how to make it. */
  readonly docs: string;
}

/** One backend's share of a management cluster's bootstrap. */
export interface BootstrapPart {
  /** What it installs, for the AppProject's description (e.g. "Crossplane"). */
  readonly description: string;
  /** Repositories its Applications read besides the tree's own. */
  readonly sourceRepos: readonly string[];
  /** Namespaces its objects live in (AppProject destinations), besides argocd and the clusters'. */
  readonly namespaces: readonly string[];
  /** Cluster-scoped kinds it creates, besides the base set every management tree allows. */
  readonly clusterResources: readonly { readonly group: string; readonly kind: string }[];
  /** The Secret its credentials are; the committed SopsSecret is copied next to the bootstrap. */
  readonly credentials: CredentialsRef;
  /** Its objects in bootstrap/. */
  readonly objects: readonly Record<string, any>[];
  /** Steps a person runs before `kubectl apply`: one list of Markdown lines per step, numbered by the README. */
  readonly steps: readonly (readonly string[])[];
}

export interface ManagementBootstrapProps {
  /** The management cluster's name. */
  readonly mgmt: string;
  /** The workload clusters it creates (their namespaces are the Applications' destinations). */
  readonly clusters: readonly string[];
  readonly git: GitSource;
  /** One per backend its clusters use, in a fixed order (Crossplane, then Cluster API). */
  readonly parts: readonly BootstrapPart[];
  /** The parts' credentials that are committed: copied byte for byte. @default - none (synth warns) */
  readonly credentials?: readonly SecretFile[];
}

/** Cluster-scoped kinds every management bootstrap creates: namespaces, the providers' CRDs and RBAC. */
const BASE_CLUSTER_RESOURCES = [
  { group: '', kind: 'Namespace' },
  { group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition' },
  { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' },
  { group: 'rbac.authorization.k8s.io', kind: 'ClusterRoleBinding' },
];

/** The bootstrap files of one management cluster, and its README. */
export function managementBootstrap(p: ManagementBootstrapProps): OutputFile[] {
  const root = managementRoot(p.mgmt);
  const objects: Record<string, any>[] = [
    {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AppProject',
      metadata: { name: MGMT_PROJECT, namespace: MGMT_ARGOCD_NAMESPACE },
      spec: {
        description: `${p.parts.map((x) => x.description).join(', ')} and the infrastructure of the clusters ${p.mgmt} creates`,
        sourceRepos: [p.git.repoURL, ...p.parts.flatMap((x) => x.sourceRepos)],
        destinations: [MGMT_ARGOCD_NAMESPACE, ...p.parts.flatMap((x) => x.namespaces), ...p.clusters].map((namespace) => ({ server: 'https://kubernetes.default.svc', namespace })),
        clusterResourceWhitelist: [...BASE_CLUSTER_RESOURCES, ...p.parts.flatMap((x) => x.clusterResources)],
      },
    },
    {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      // The bootstrap keeps itself in sync once applied; no finalizer, so deleting it removes nothing.
      metadata: { name: MGMT_PROJECT, namespace: MGMT_ARGOCD_NAMESPACE, annotations: { 'argocd.argoproj.io/sync-wave': '0' } },
      spec: {
        project: MGMT_PROJECT,
        source: { repoURL: p.git.repoURL, targetRevision: p.git.targetRevision, path: `${root}/bootstrap`, directory: { recurse: true } },
        destination: { server: 'https://kubernetes.default.svc', namespace: MGMT_ARGOCD_NAMESPACE },
        syncPolicy: managementSyncPolicy(['SkipDryRunOnMissingResource=true']),
      },
    },
    ...p.parts.flatMap((x) => x.objects),
  ];
  const files = objects.map((o) => ({ path: `${root}/bootstrap/${manifestFile(o)}`, content: toYaml(o) }));
  for (const part of p.parts) {
    const committed = p.credentials?.find((c) => c.namespace === part.credentials.namespace && c.name === part.credentials.name);
    if (committed) files.push({ path: `${root}/bootstrap/secrets/${committed.namespace}.${committed.name}.enc.yaml`, content: committed.text });
  }
  files.push({ path: `${root}/README.md`, content: readme(p) });
  return files;
}

function readme(p: ManagementBootstrapProps): string {
  const root = managementRoot(p.mgmt);
  const steps = p.parts.flatMap((x) => x.steps);
  return [
    `# ${root}: what management cluster ${p.mgmt} runs (generated by infra-synth; do not edit)`,
    '',
    `It creates the infrastructure of ${p.clusters.join(', ')}: bootstrap/ holds ${p.parts.map((x) => x.description).join(' and ')}, the`,
    '`management` AppProject and root Application, and per cluster its namespace and Application; clusters/<cluster>/ holds',
    'what each cluster\'s Application syncs. Nothing here is ever pruned or deleted by Argo CD (docs/infra.md).',
    '',
    '## Bootstrap (once, with an admin kubeconfig of the management cluster)',
    '',
    ...steps.flatMap((lines, i) => lines.map((l, j) => (j === 0 ? `${i + 1}. ${l}` : l ? `   ${l}` : ''))),
    `${steps.length + 1}. Credentials, encrypted to the recipients of overlays/management/${p.mgmt}.ts: ${p.parts.map((x) => `\`infra-synth secrets add ${p.mgmt} ${x.credentials.name} ${x.credentials.keys.map((k) => `--from-file ${k}=<file>`).join(' ')}\``).join(' and ')}`,
    `   (${p.parts.map((x) => `management-secrets/${p.mgmt}/${x.credentials.namespace}/${x.credentials.name}.enc.yaml`).join(' and ')}, docs/infra.md#management-clusters); commit, synth, and push.`,
    `${steps.length + 2}. \`kubectl apply --server-side -R -f ${root}/bootstrap/\` (Argo CD must already run in namespace ${MGMT_ARGOCD_NAMESPACE}, with the SOPS operator);`,
    '   from then on the `management` Application keeps bootstrap/ in sync, and each `infra-<cluster>` Application its cluster.',
    '',
  ].join('\n');
}
