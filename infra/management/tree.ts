// The layout of a management cluster's tree (dist/management/<mgmt>/), shared by the backends that
// write into it (Crossplane for Yandex, Cluster API for vSphere): where files go, how they are
// named, the sync settings of its Applications, and the namespace + Application that every
// workload cluster gets in bootstrap/.
import { toYaml } from '../../charts/cluster.js';
import type { OutputFile } from '../../writer/types.js';

/** Namespace of the management cluster's Argo CD, which holds its Applications. */
export const MGMT_ARGOCD_NAMESPACE = 'argocd';
/** The AppProject of everything in a management tree (management/bootstrap.ts). */
export const MGMT_PROJECT = 'management';

/** Argo CD never prunes or deletes it, even when it leaves Git or its Application is deleted. */
export const KEEP_SYNC_OPTIONS = 'Prune=false,Delete=false';

/** Where Argo CD on the management cluster reads the tree from. */
export interface GitSource {
  readonly repoURL: string;
  readonly targetRevision: string;
}

export const managementRoot = (mgmt: string) => `management/${mgmt}`;

/** `<kind>-<name>.yaml`, as the cluster trees name their files. */
export const manifestFile = (o: Record<string, any>) => `${String(o.kind).toLowerCase()}-${o.metadata.name}.yaml`;

/** The sync settings every management Application shares: automated, never pruning, retried. */
export function managementSyncPolicy(options: readonly string[]): Record<string, unknown> {
  return {
    automated: { prune: false, selfHeal: true },
    retry: { limit: 5, backoff: { duration: '10s', factor: 2, maxDuration: '3m' } },
    syncOptions: [...options],
  };
}

/**
 * A workload cluster's entry in bootstrap/: its namespace on the management cluster and the
 * Application `infra-<cluster>` that syncs management/<mgmt>/clusters/<cluster>/ into it.
 */
export function workloadClusterEntry(mgmt: string, cluster: string, git: GitSource): OutputFile[] {
  const root = managementRoot(mgmt);
  // Deleting the namespace would delete every object in it, and with them what they created (cloud
  // resources, or a cluster's VMs): Argo CD never deletes it.
  const namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: cluster, labels: { cluster }, annotations: { 'argocd.argoproj.io/sync-options': KEEP_SYNC_OPTIONS } } };
  const app = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    // No resources finalizer: deleting the Application must leave the objects (and so the cloud or
    // the VMs) alone; offboarding deletes them one by one, on purpose.
    metadata: { name: `infra-${cluster}`, namespace: MGMT_ARGOCD_NAMESPACE, labels: { cluster }, annotations: { 'argocd.argoproj.io/sync-wave': '10' } },
    spec: {
      project: MGMT_PROJECT,
      source: { repoURL: git.repoURL, targetRevision: git.targetRevision, path: `${root}/clusters/${cluster}`, directory: { recurse: true } },
      destination: { server: 'https://kubernetes.default.svc', namespace: cluster },
      // The providers install the objects' CRDs after Argo CD first looks.
      syncPolicy: managementSyncPolicy(['SkipDryRunOnMissingResource=true']),
    },
  };
  return [namespace, app].map((o) => ({ path: `${root}/bootstrap/${manifestFile(o)}`, content: toYaml(o) }));
}
