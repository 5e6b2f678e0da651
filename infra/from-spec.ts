// A cluster spec → its infrastructure stack (model.ts). The spec is already validated (spec/),
// so this only decides what exists: the same spec gives the same stack on every backend.
import type { ClusterSpec } from '../spec/schema.js';
import { AccessKey, Bucket, DnsZone, InfraStack, ManagedCluster, NodePool, Registry, ServiceAccount } from './model.js';

/** One bucket a platform component writes, and the spec field that names it. */
export interface UsedBucket {
  readonly bucket: string;
  readonly usedBy: string;
  /** The spec field naming it (or the one whose default it is). */
  readonly field: string;
}

/** The buckets the cluster's components write: Loki and Tempo on S3, Velero, the Vault snapshots. */
export function usedBuckets(spec: ClusterSpec): UsedBucket[] {
  const o = spec.observability;
  const out: UsedBucket[] = [];
  if (o.loki.backend === 's3') out.push({ bucket: o.loki.bucket ?? `${spec.name}-loki`, usedBy: 'loki', field: 'observability.loki.bucket' });
  if (o.tempo.backend === 's3') out.push({ bucket: o.tempo.bucket ?? `${spec.name}-tempo`, usedBy: 'tempo', field: 'observability.tempo.bucket' });
  out.push({ bucket: spec.backup.bucket, usedBy: 'velero', field: 'backup.bucket' });
  out.push({ bucket: spec.vault.snapshots.bucket, usedBy: 'vault-snapshots', field: 'vault.snapshots.bucket' });
  return out;
}

/** The zone the stack holds the cluster's names in. */
export function zoneOf(spec: ClusterSpec): string {
  return spec.infra.zone ?? spec.domain;
}

/** The stack's resource name of a bucket: a name, not the bucket (dots are not allowed). */
export function bucketConstructName(bucket: string): string {
  return bucket.replace(/\./g, '-');
}

/** Control-plane machines of a Cluster API cluster unless the overlay sizes them: enough for etcd and the API server of a platform cluster. */
export const CONTROL_PLANE_MACHINE = { cpu: 4, memoryGiB: 8, diskGiB: 64 } as const;

/** Builds the cluster's stack; undefined when its backend is `none`. */
export function stackFromSpec(spec: ClusterSpec): InfraStack | undefined {
  const infra = spec.infra;
  if (infra.backend === 'none') return undefined;
  const stack = new InfraStack({
    cluster: spec.name,
    cloud: spec.cloud,
    environment: spec.environment,
    region: spec.region,
    objectStorage: spec.objectStorage,
    state: {
      bucket: infra.state.bucket,
      key: `infra/${spec.name}/terraform.tfstate`,
      endpoint: infra.state.endpoint ?? spec.objectStorage.endpoint,
      region: infra.state.region ?? spec.objectStorage.region,
    },
    mirror: infra.mirror,
    management: infra.management,
    vsphere: infra.backend === 'cluster-api' && infra.vsphere ? { ...infra.vsphere, controlPlane: infra.vsphere.controlPlane ?? CONTROL_PLANE_MACHINE } : undefined,
    yandex: infra.yandex && { cloudId: infra.yandex.cloudId, folderId: infra.yandex.folderId, dnsFolderId: infra.yandex.dnsFolderId ?? infra.yandex.folderId },
  });
  const prod = spec.environment === 'prod';
  const cluster = new ManagedCluster(stack, 'main', {
    version: spec.kubernetesVersion,
    patch: infra.kubernetesPatch,
    network: infra.network,
    highAvailability: prod,
    infrastructure: spec.infrastructure,
  });
  for (const p of infra.nodePools) {
    new NodePool(stack, p.name, { cluster, cpu: p.cpu, memoryGiB: p.memoryGiB, diskGiB: p.diskGiB, min: p.min, max: p.max, flavor: p.flavor });
  }
  new DnsZone(stack, 'main', { zone: zoneOf(spec), protect: prod });
  if (spec.dns.provider !== 'none') new ServiceAccount(stack, 'external-dns', { purpose: 'external-dns' });
  if (infra.registry) new Registry(stack, infra.registry.name, { host: infra.registry.host, id: infra.registry.id });
  const used = usedBuckets(spec);
  const names = infra.buckets ?? [...new Set(used.map((u) => u.bucket))];
  for (const b of names) {
    // Backups and snapshots outlive a mistaken destroy; so does everything in prod.
    const usedBy = used.filter((u) => u.bucket === b).map((u) => u.usedBy);
    const protect = prod || usedBy.includes('velero') || usedBy.includes('vault-snapshots');
    new Bucket(stack, bucketConstructName(b), { bucket: b, usedBy, protect });
  }
  if (names.length) new AccessKey(stack, 'storage', { serviceAccount: new ServiceAccount(stack, 'storage', { purpose: 'storage' }) });
  return stack;
}
