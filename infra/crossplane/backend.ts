// The Crossplane backend: a stack becomes namespaced managed resources in the tree of the
// management cluster that creates it (management/<mgmt>/clusters/<cluster>/), plus the namespace
// and the Argo CD Application that sync them (management/tree.ts). What every workload cluster of
// one management cluster shares (Crossplane, the provider, its credentials) is management.ts's.
import { toYaml } from '../../charts/cluster.js';
import type { OutputFile } from '../../writer/types.js';
import { type InfraBackend, type InfraRender, type NotAutomated } from '../backend.js';
import { AccessKey, ServiceAccount, type InfraStack } from '../model.js';
import { clusterFolderReadme, managementRoot, manifestFile, workloadClusterEntry, type GitSource } from '../management/tree.js';
import { mapYandexCrossplane } from './yandex.js';

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
    files.push(...workloadClusterEntry(mgmt, cluster, this.git(stack)));
    const manual = notAutomated(stack);
    files.push({ path: `${root}/clusters/${cluster}/README.md`, content: readme(cluster, mgmt, manual) });
    return { files, notAutomated: manual };
  }
}

function readme(cluster: string, mgmt: string, manual: readonly NotAutomated[]): string {
  return clusterFolderReadme(`management/${mgmt}/clusters/${cluster}: the infrastructure of cluster ${cluster} as Crossplane managed resources`, [
    `Argo CD on ${mgmt} syncs this folder into namespace ${cluster} (Application infra-${cluster}). The cluster, the zone, the registry`,
    'and the buckets are never deleted by Crossplane or Argo CD: removing them takes a person (docs/infra.md).',
  ], manual);
}

function notAutomated(stack: InfraStack): NotAutomated[] {
  const out: NotAutomated[] = [];
  const ns = stack.props.cluster;
  for (const sa of stack.all(ServiceAccount)) {
    if (sa.props.purpose === 'external-dns') {
      out.push({
        construct: sa.path,
        what: 'the authorized key (key.json) of the ExternalDNS service account (a ServiceAccountKey would write the private key into the management cluster, and from there it would still need copying)',
        how: `yc iam key create --service-account-name ${ns}-external-dns --folder-id ${stack.props.yandex?.dnsFolderId} --output key.json, then infra-synth secrets add ${ns} yandex-dns-editor --from-file key.json=key.json (docs/infra.md)`,
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
