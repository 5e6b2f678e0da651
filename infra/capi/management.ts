// What a management cluster runs for the vSphere clusters Cluster API builds: the providers are
// installed by `clusterctl init` (a bootstrap step the tree's README prints, not an Application:
// docs/infra.md#vsphere-clusters-through-cluster-api says why); bootstrap/ holds CAPV's
// credentials (a SopsSecret, added by management/bootstrap.ts) and the VSphereClusterIdentity that
// lets the clusters' namespaces, and only those, use them.
import { CLUSTER_API_PROVIDERS } from '../../catalog/versions.js';
import type { BootstrapPart } from '../management/bootstrap.js';
import { VSPHERE_IDENTITY } from './vsphere.js';

/** The namespace `clusterctl init` installs CAPV into; its identities' Secrets must live there. */
export const CAPV_NAMESPACE = 'capv-system';

/** The Secret a VSphereClusterIdentity reads: keys `username` and `password` of the vCenter account. */
export const VSPHERE_CREDENTIALS = { namespace: CAPV_NAMESPACE, name: 'vsphere-credentials', keys: ['username', 'password'] } as const;

/** The `clusterctl init` command of the pinned providers. */
export function clusterctlInit(): string {
  const p = CLUSTER_API_PROVIDERS;
  return `clusterctl init --core ${p.core.name}:${p.core.version} --bootstrap ${p.bootstrap.name}:${p.bootstrap.version} --control-plane ${p.controlPlane.name}:${p.controlPlane.version} --infrastructure ${p.infrastructure.name}:${p.infrastructure.version}`;
}

/** Cluster API's share of a management cluster's bootstrap, for the vSphere clusters `clusters`. */
export function clusterApiBootstrap(clusters: readonly string[]): BootstrapPart {
  return {
    description: 'Cluster API (CAPV)',
    sourceRepos: [],
    namespaces: [CAPV_NAMESPACE],
    clusterResources: [{ group: 'infrastructure.cluster.x-k8s.io', kind: 'VSphereClusterIdentity' }],
    credentials: { ...VSPHERE_CREDENTIALS, holds: 'the vCenter account\'s "username" and "password"', docs: 'docs/infra.md#vsphere-clusters-through-cluster-api' },
    objects: [{
      apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta2',
      kind: 'VSphereClusterIdentity',
      metadata: { name: VSPHERE_IDENTITY, annotations: { 'argocd.argoproj.io/sync-wave': '0', 'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=true' } },
      spec: {
        secretName: VSPHERE_CREDENTIALS.name,
        // Only the namespaces of the clusters this tree builds may use the account.
        allowedNamespaces: { selector: { matchExpressions: [{ key: 'cluster', operator: 'In', values: [...clusters] }] } },
      },
    }],
    steps: [[
      'Cluster API, with the pinned providers (the versions whose CRDs synth checks the objects against). CAPV\'s own',
      'credentials stay empty — every cluster uses the VSphereClusterIdentity below instead — (U) if clusterctl refuses an',
      'empty variable, any placeholder does, the Secret it fills is never used:',
      '',
      '```sh',
      `VSPHERE_USERNAME='' VSPHERE_PASSWORD='' ${clusterctlInit()}`,
      '```',
      '',
      'Offline: mirror the providers\' release files and point clusterctl at them (`providers:` in clusterctl.yaml),',
      'and their images into the company registry (`images:`); docs/infra.md#vsphere-clusters-through-cluster-api.',
    ]],
  };
}
