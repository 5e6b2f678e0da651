// Yandex Cloud → provider-yc v0.14.0 namespaced managed resources (Crossplane v2,
// `<svc>.yandex-cloud.m.jet.crossplane.io`; CRDs: ../shared/infra/crossplane/provider-yc-v0.14.0.yaml).
// The same things as the OpenTofu mapping (tofu/yandex.ts), in the same folders, linked by
// `*Ref` names instead of expressions: every object lives in the cluster's namespace of the
// management cluster, so a ref by name finds it.
import { subnetOf } from '../../spec/infra.js';
import { KEEP_SYNC_OPTIONS } from '../management/tree.js';
import { AccessKey, Bucket, DnsZone, ManagedCluster, NodePool, Registry, ServiceAccount, type InfraStack } from '../model.js';

/** Roles of the cluster's own service account (as tofu/yandex.ts: cluster agent, public IPs, load balancers). */
const CLUSTER_ROLES = ['k8s.clusters.agent', 'vpc.publicAdmin', 'load-balancer.admin'];

const GROUP = (svc: string) => `${svc}.yandex-cloud.m.jet.crossplane.io/v1alpha1`;

/**
 * What Crossplane may do to a protected resource: everything but Delete. Deleting the managed
 * resource (by hand, or by a sync that prunes it) then orphans the cloud resource instead of
 * destroying it — v2 namespaced resources have no `deletionPolicy`; `managementPolicies` replace it.
 */
export const KEEP_POLICIES = ['Observe', 'Create', 'Update', 'LateInitialize'];


/** One managed resource, and whether it outlives its removal from Git. */
export interface ManagedResource {
  readonly object: Record<string, any>;
  /** A folder-like concern (network, iam, cluster, dns, registry, buckets), for the file names. */
  readonly concern: string;
}

export function mapYandexCrossplane(stack: InfraStack): ManagedResource[] {
  const y = stack.props.yandex;
  if (!y) throw new Error(`${stack.path}: props.yandex: missing; a Yandex Cloud stack needs its cloud and folders`);
  const namespace = stack.props.cluster;
  const out: ManagedResource[] = [];
  const mr = (concern: string, svc: string, kind: string, name: string, forProvider: Record<string, unknown>, opts: { keep?: boolean; secret?: string } = {}) => {
    out.push({
      concern,
      object: {
        apiVersion: GROUP(svc),
        kind,
        metadata: {
          name,
          namespace,
          labels: { cluster: stack.props.cluster },
          ...(opts.keep ? { annotations: { 'argocd.argoproj.io/sync-options': KEEP_SYNC_OPTIONS } } : {}),
        },
        spec: {
          forProvider,
          ...(opts.keep ? { managementPolicies: KEEP_POLICIES } : {}),
          // Written into the cluster's namespace of the management cluster, never into Git.
          ...(opts.secret ? { writeConnectionSecretToRef: { name: opts.secret } } : {}),
        },
      },
    });
    return name;
  };
  const cluster = stack.one(ManagedCluster)!;
  const net = cluster.props.network;

  const network = mr('network', 'vpc', 'Network', 'main', { name: stack.props.cluster, folderId: y.folderId });
  const subnets = net.zones.map((zone, i) => ({
    zone,
    name: mr('network', 'vpc', 'Subnet', zone, {
      name: `${stack.props.cluster}-${zone}`, folderId: y.folderId, networkIdRef: { name: network }, zone, v4CidrBlocks: [subnetOf(net.nodesCidr, 2, i)],
    }),
  }));

  const account = (name: string, folder: string, roles: readonly string[]) => {
    const sa = mr('iam', 'iam', 'ServiceAccount', name, { name: `${stack.props.cluster}-${name}`, folderId: folder });
    for (const role of roles) mr('iam', 'iam', 'FolderIAMMember', `${name}-${role.replace(/\./g, '-')}`, { folderId: folder, role, serviceAccountRef: { name: sa } });
    return sa;
  };
  const control = account('k8s-cluster', y.folderId, CLUSTER_ROLES);
  const nodes = account('k8s-nodes', y.folderId, ['container-registry.images.puller']);

  const regional = cluster.highAvailability && subnets.length >= 3;
  mr('cluster', 'kubernetes', 'Cluster', 'main', {
    name: stack.props.cluster,
    folderId: y.folderId,
    networkIdRef: { name: network },
    serviceAccountIdRef: { name: control },
    nodeServiceAccountIdRef: { name: nodes },
    clusterIpv4Range: net.podsCidr,
    serviceIpv4Range: net.servicesCidr,
    releaseChannel: stack.props.environment === 'prod' ? 'STABLE' : 'REGULAR',
    networkPolicyProvider: 'CALICO',
    master: [{
      version: cluster.props.version,
      publicIp: true,
      ...(regional
        ? { regional: [{ region: stack.props.region, location: subnets.slice(0, 3).map((s) => ({ zone: s.zone, subnetIdRef: { name: s.name } })) }] }
        : { zonal: [{ zone: subnets[0].zone, subnetIdRef: { name: subnets[0].name } }] }),
      // Upgrades follow the overlay's kubernetesVersion, reviewed in a PR, never the cloud's schedule.
      maintenancePolicy: [{ autoUpgrade: false }],
    }],
  }, { keep: true });

  for (const pool of stack.all(NodePool)) {
    const p = pool.props;
    mr('cluster', 'kubernetes', 'NodeGroup', pool.name, {
      clusterIdRef: { name: 'main' },
      name: `${stack.props.cluster}-${pool.name}`,
      version: cluster.props.version,
      instanceTemplate: [{
        platformId: 'standard-v3',
        resources: [{ cores: p.cpu, memory: p.memoryGiB }],
        bootDisk: [{ type: 'network-ssd', size: p.diskGiB }],
        // A public address per node, as in the OpenTofu mapping (no NAT gateway in the reference CRDs).
        networkInterface: [{ subnetIdsRefs: subnets.map((s) => ({ name: s.name })), nat: true }],
        containerRuntime: [{ type: 'containerd' }],
      }],
      scalePolicy: [pool.autoscaled ? { autoScale: [{ min: p.min, max: p.max, initial: p.min }] } : { fixedScale: [{ size: p.min }] }],
      allocationPolicy: [{ location: subnets.map((s) => ({ zone: s.zone })) }],
      maintenancePolicy: [{ autoUpgrade: false, autoRepair: true }],
    });
  }

  const zone = stack.one(DnsZone);
  if (zone) {
    mr('dns', 'dns', 'Zone', 'main', {
      name: zone.props.zone.replace(/\./g, '-'), zone: `${zone.props.zone}.`, public: true, folderId: y.dnsFolderId,
      deletionProtection: zone.props.protect ?? false,
    }, { keep: true });
  }

  for (const sa of stack.all(ServiceAccount)) {
    if (sa.props.purpose === 'external-dns') {
      account('external-dns', y.dnsFolderId, ['dns.editor']);
    } else {
      const a = account('storage', y.folderId, ['storage.editor']);
      const key = stack.all(AccessKey).find((k) => k.props.serviceAccount === sa);
      if (key) {
        mr('iam', 'iam', 'ServiceAccountStaticAccessKey', key.name, {
          serviceAccountIdRef: { name: a }, description: `S3 key of ${stack.props.cluster}'s platform buckets`,
        }, { secret: `${key.name}-access-key` });
      }
    }
  }

  const registry = stack.one(Registry);
  if (registry) mr('registry', 'container', 'Registry', registry.name, { name: registry.name, folderId: y.folderId }, { keep: true });

  // Every bucket is kept, not only the protected ones: an object store emptied by a pruned
  // resource cannot be undone, and Crossplane has no plan to review before it happens.
  for (const b of stack.all(Bucket)) mr('buckets', 'storage', 'Bucket', b.name, { bucket: b.props.bucket, folderId: y.folderId }, { keep: true });
  return out;
}
