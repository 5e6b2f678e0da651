// What a management cluster runs for the Yandex clusters its Crossplane creates: Crossplane from its
// pinned chart, the Yandex provider package, the provider's credentials (a SopsSecret, added by
// management/bootstrap.ts), and the ClusterProviderConfig every managed resource uses by default.
// The AppProject and the root Application around it are management/bootstrap.ts's.
import { CROSSPLANE_PACKAGES, MANAGEMENT_CHARTS } from '../../catalog/versions.js';
import type { BootstrapPart } from '../management/bootstrap.js';
import { MGMT_ARGOCD_NAMESPACE, MGMT_PROJECT, managementSyncPolicy } from '../management/tree.js';

export const CROSSPLANE_NAMESPACE = 'crossplane-system';

/** The Secret the provider reads: the Yandex service account's authorized key under `key.json`. */
export const PROVIDER_CREDENTIALS = { namespace: CROSSPLANE_NAMESPACE, name: 'yc-credentials', key: 'key.json' } as const;

const wave = (n: number, extra: Record<string, string> = {}) => ({ annotations: { 'argocd.argoproj.io/sync-wave': String(n), ...extra } });

/** Crossplane and provider-yc in a management cluster's bootstrap. */
export function crossplaneBootstrap(): BootstrapPart {
  const chart = MANAGEMENT_CHARTS.crossplane;
  const pkg = CROSSPLANE_PACKAGES.providerYc;
  return {
    description: 'Crossplane',
    sourceRepos: [chart.repoURL],
    namespaces: [CROSSPLANE_NAMESPACE],
    // What the Crossplane chart, the provider package and the bootstrap create cluster-wide.
    clusterResources: [
      { group: 'admissionregistration.k8s.io', kind: 'ValidatingWebhookConfiguration' },
      { group: 'admissionregistration.k8s.io', kind: 'MutatingWebhookConfiguration' },
      { group: 'pkg.crossplane.io', kind: 'Provider' },
      { group: 'yandex-cloud.m.jet.crossplane.io', kind: 'ClusterProviderConfig' },
    ],
    credentials: { ...PROVIDER_CREDENTIALS, keys: [PROVIDER_CREDENTIALS.key], holds: `the service account's authorized key under "${PROVIDER_CREDENTIALS.key}"`, docs: 'docs/infra.md#crossplane-on-a-management-cluster' },
    objects: [
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
    ],
    steps: [],
  };
}
