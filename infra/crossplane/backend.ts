// The Crossplane backend: a stack becomes namespaced managed resources in the tree of the
// management cluster that creates it (management/<mgmt>/clusters/<cluster>/), plus the namespace
// and the Argo CD Application that sync them (management/<mgmt>/bootstrap/). What every workload
// cluster of one management cluster shares (Crossplane, the provider, its credentials) is
// management.ts's.
import { toYaml } from '../../charts/cluster.js';
import type { OutputFile } from '../../writer/types.js';
import type { InfraBackend, InfraRender, NotAutomated } from '../backend.js';
import { AccessKey, ServiceAccount, type InfraStack } from '../model.js';
import { mapYandexCrossplane } from './yandex.js';

/** Namespace of the management cluster's Argo CD, which holds its Applications. */
export const MGMT_ARGOCD_NAMESPACE = 'argocd';
/** The AppProject of everything in a management tree (management.ts). */
export const MGMT_PROJECT = 'management';

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

export class CrossplaneBackend implements InfraBackend {
  readonly name = 'crossplane';
  constructor(private readonly git: (stack: InfraStack) => GitSource) {}

  render(stack: InfraStack): InfraRender {
    const mgmt = stack.props.management;
    if (!mgmt) throw new Error(`${stack.path}: props.management: missing; the Crossplane backend writes into a management cluster's tree`);
    if (stack.props.cloud !== 'yandex') throw new Error(`${stack.path}: props.cloud: "${stack.props.cloud}" has no Crossplane mapping (Yandex Cloud only)`);
    const cluster = stack.props.cluster;
    const root = managementRoot(mgmt);
    const files: OutputFile[] = mapYandexCrossplane(stack).map((r) => ({ path: `${root}/clusters/${cluster}/${r.concern}/${manifestFile(r.object)}`, content: toYaml(r.object) }));
    const git = this.git(stack);
    const namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: cluster, labels: { cluster } } };
    const app = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      // No resources finalizer: deleting the Application must leave the managed resources (and
      // so the cloud) alone; offboarding deletes them one by one, on purpose.
      metadata: { name: `infra-${cluster}`, namespace: MGMT_ARGOCD_NAMESPACE, labels: { cluster }, annotations: { 'argocd.argoproj.io/sync-wave': '10' } },
      spec: {
        project: MGMT_PROJECT,
        source: { repoURL: git.repoURL, targetRevision: git.targetRevision, path: `${root}/clusters/${cluster}`, directory: { recurse: true } },
        destination: { server: 'https://kubernetes.default.svc', namespace: cluster },
        // The provider installs the managed resources' CRDs after Argo CD first looks.
        syncPolicy: managementSyncPolicy(['SkipDryRunOnMissingResource=true']),
      },
    };
    files.push({ path: `${root}/bootstrap/${manifestFile(namespace)}`, content: toYaml(namespace) });
    files.push({ path: `${root}/bootstrap/${manifestFile(app)}`, content: toYaml(app) });
    return { files, notAutomated: notAutomated(stack) };
  }
}

function notAutomated(stack: InfraStack): NotAutomated[] {
  const out: NotAutomated[] = [];
  const ns = stack.props.cluster;
  for (const sa of stack.all(ServiceAccount)) {
    if (sa.props.purpose === 'external-dns') {
      out.push({
        construct: sa.path,
        what: 'the authorized key (key.json) of the ExternalDNS service account (a ServiceAccountKey would write the private key into the management cluster, and from there it would still need copying)',
        how: `yc iam key create --service-account-name ${ns}-external-dns --folder-id <dns folder> --output key.json, then infra-synth secrets add ${ns} yandex-dns-editor --from-file key.json=key.json (docs/infra.md)`,
      });
    }
  }
  for (const key of stack.all(AccessKey)) {
    out.push({
      construct: key.path,
      what: 'copying the S3 key of the platform buckets into the workload cluster',
      how: `kubectl -n ${ns} get secret ${key.name}-access-key on the management cluster, then infra-synth secrets add ${ns} velero-s3 ... (and loki-s3, tempo-s3, vault-snapshot-s3; docs/infra.md)`,
    });
  }
  return out;
}
