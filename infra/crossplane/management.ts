// What a management cluster runs for the workload clusters it creates (dist/management/<mgmt>/
// bootstrap/): Crossplane from its pinned chart, the Yandex provider package, the provider's
// credentials as a SopsSecret, and the ClusterProviderConfig every managed resource uses by
// default. Applied once by hand (`kubectl apply -f bootstrap/ -R`), then the `management` root
// Application keeps the folder in sync.
import { CROSSPLANE_PACKAGES, MANAGEMENT_CHARTS } from '../../catalog/versions.js';
import { toYaml } from '../../charts/cluster.js';
import type { SecretFile } from '../../secret-store/store.js';
import type { OutputFile } from '../../writer/types.js';
import { MGMT_ARGOCD_NAMESPACE, MGMT_PROJECT, managementRoot, managementSyncPolicy, manifestFile, type GitSource } from './backend.js';

export const CROSSPLANE_NAMESPACE = 'crossplane-system';

/** The Secret the provider reads: the Yandex service account's authorized key under `key.json`. */
export const PROVIDER_CREDENTIALS = { namespace: CROSSPLANE_NAMESPACE, name: 'yc-credentials', key: 'key.json' } as const;

export interface ManagementTreeProps {
  /** The management cluster's name. */
  readonly mgmt: string;
  /** The workload clusters it creates (their namespaces are the Application destinations). */
  readonly clusters: readonly string[];
  readonly git: GitSource;
  /** The provider's credentials, when committed: copied byte for byte. @default - none (synth warns) */
  readonly credentials?: SecretFile;
}

const wave = (n: number, extra: Record<string, string> = {}) => ({ annotations: { 'argocd.argoproj.io/sync-wave': String(n), ...extra } });

/** The shared bootstrap files of one management cluster. */
export function managementBootstrap(p: ManagementTreeProps): OutputFile[] {
  const root = managementRoot(p.mgmt);
  const chart = MANAGEMENT_CHARTS.crossplane;
  const pkg = CROSSPLANE_PACKAGES.providerYc;
  const objects: Record<string, any>[] = [
    {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AppProject',
      metadata: { name: MGMT_PROJECT, namespace: MGMT_ARGOCD_NAMESPACE },
      spec: {
        description: `Crossplane and the infrastructure of the clusters ${p.mgmt} creates`,
        sourceRepos: [p.git.repoURL, chart.repoURL],
        destinations: [MGMT_ARGOCD_NAMESPACE, CROSSPLANE_NAMESPACE, ...p.clusters].map((namespace) => ({ server: 'https://kubernetes.default.svc', namespace })),
        // What the Crossplane chart, the provider package and the bootstrap create cluster-wide.
        clusterResourceWhitelist: [
          { group: '', kind: 'Namespace' },
          { group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition' },
          { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' },
          { group: 'rbac.authorization.k8s.io', kind: 'ClusterRoleBinding' },
          { group: 'admissionregistration.k8s.io', kind: 'ValidatingWebhookConfiguration' },
          { group: 'admissionregistration.k8s.io', kind: 'MutatingWebhookConfiguration' },
          { group: 'pkg.crossplane.io', kind: 'Provider' },
          { group: 'yandex-cloud.m.jet.crossplane.io', kind: 'ClusterProviderConfig' },
        ],
      },
    },
    {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      // The bootstrap keeps itself in sync once applied; no finalizer, so deleting it removes nothing.
      metadata: { name: MGMT_PROJECT, namespace: MGMT_ARGOCD_NAMESPACE, ...wave(0) },
      spec: {
        project: MGMT_PROJECT,
        source: { repoURL: p.git.repoURL, targetRevision: p.git.targetRevision, path: `${root}/bootstrap`, directory: { recurse: true } },
        destination: { server: 'https://kubernetes.default.svc', namespace: MGMT_ARGOCD_NAMESPACE },
        syncPolicy: managementSyncPolicy(['SkipDryRunOnMissingResource=true']),
      },
    },
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: CROSSPLANE_NAMESPACE, ...wave(-20) } },
    {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'crossplane', namespace: MGMT_ARGOCD_NAMESPACE, ...wave(-10) },
      spec: {
        project: MGMT_PROJECT,
        // Rendered by Argo CD from the chart repository: synth cannot render or check this chart
        // (it is not in the chart cache), only pin it.
        source: { repoURL: chart.repoURL, chart: chart.chart, targetRevision: chart.version, helm: { releaseName: 'crossplane' } },
        destination: { server: 'https://kubernetes.default.svc', namespace: CROSSPLANE_NAMESPACE },
        syncPolicy: managementSyncPolicy(['ServerSideApply=true']),
      },
    },
    {
      apiVersion: 'pkg.crossplane.io/v1',
      kind: 'Provider',
      metadata: { name: 'provider-yc', ...wave(-5, { 'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=true' }) },
      spec: { package: `${pkg.repository}:${pkg.tag}`, packagePullPolicy: 'IfNotPresent', revisionActivationPolicy: 'Automatic' },
    },
    {
      apiVersion: 'yandex-cloud.m.jet.crossplane.io/v1beta1',
      kind: 'ClusterProviderConfig',
      // `default` is what a namespaced managed resource uses when it names no provider config.
      metadata: { name: 'default', ...wave(0, { 'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=true' }) },
      spec: { credentials: { source: 'Secret', secretRef: { ...PROVIDER_CREDENTIALS } } },
    },
  ];
  const files = objects.map((o) => ({ path: `${root}/bootstrap/${manifestFile(o)}`, content: toYaml(o) }));
  if (p.credentials) files.push({ path: `${root}/bootstrap/secrets/${p.credentials.namespace}.${p.credentials.name}.enc.yaml`, content: p.credentials.text });
  return files;
}
