// Yandex Cloud → yandex-cloud/yandex resources (schema: ../shared/infra/terraform/yandex-*.json).
import { subnetOf } from '../../spec/infra.js';
import { AccessKey, Bucket, DnsZone, ManagedCluster, NodePool, Registry, ServiceAccount, type InfraStack } from '../model.js';
import { expr, type JsonObject, type TofuDocument } from './document.js';
import { bucketOutputs, resourceName } from './names.js';

/** Roles of the cluster's own service account (Managed Kubernetes docs: cluster agent, public IPs, load balancers). */
const CLUSTER_ROLES = ['k8s.clusters.agent', 'vpc.publicAdmin', 'load-balancer.admin'];

export function mapYandex(stack: InfraStack, doc: TofuDocument): void {
  const y = stack.props.yandex;
  if (!y) throw new Error(`${stack.path}: props.yandex: missing; a Yandex Cloud stack needs its cloud and folders`);
  const cluster = stack.one(ManagedCluster)!;
  const net = cluster.props.network;
  doc.provider('yandex', { cloud_id: y.cloudId, folder_id: y.folderId, zone: net.zones[0] });

  const network = doc.resource('network', 'yandex_vpc_network', 'main', { name: stack.props.cluster, folder_id: y.folderId });
  // One subnet per zone, each a quarter of the nodes' range (up to four zones).
  const subnets = net.zones.map((zone, i) => ({
    zone,
    id: expr(`${doc.resource('network', 'yandex_vpc_subnet', resourceName(zone), {
      name: `${stack.props.cluster}-${zone}`, folder_id: y.folderId, network_id: expr(`${network}.id`), zone, v4_cidr_blocks: [subnetOf(net.nodesCidr, 2, i)],
    })}.id`),
  }));

  const member = (sa: string) => `serviceAccount:${expr(`${sa}.id`)}`;
  const account = (name: string, folder: string, roles: readonly string[]): { sa: string; bindings: string[] } => {
    const sa = doc.resource('iam', 'yandex_iam_service_account', resourceName(name), { name: `${stack.props.cluster}-${name}`, folder_id: folder });
    const bindings = roles.map((role) => doc.resource('iam', 'yandex_resourcemanager_folder_iam_member', resourceName(`${name}-${role}`), { folder_id: folder, role, member: member(sa) }));
    return { sa, bindings };
  };
  const control = account('k8s-cluster', y.folderId, CLUSTER_ROLES);
  const nodes = account('k8s-nodes', y.folderId, ['container-registry.images.puller']);

  // Regional masters need three zones; otherwise one zonal master in the first zone.
  const regional = cluster.highAvailability && subnets.length >= 3;
  const master: JsonObject = {
    version: cluster.props.version,
    public_ip: true,
    ...(regional
      ? { regional: { region: stack.props.region, location: subnets.slice(0, 3).map((s) => ({ zone: s.zone, subnet_id: s.id })) } }
      : { zonal: { zone: subnets[0].zone, subnet_id: subnets[0].id } }),
    // Upgrades happen when the overlay's kubernetesVersion changes, reviewed in a PR, never on the cloud's schedule.
    maintenance_policy: { auto_upgrade: false },
  };
  const k8s = doc.resource('cluster', 'yandex_kubernetes_cluster', 'main', {
    name: stack.props.cluster,
    folder_id: y.folderId,
    network_id: expr(`${network}.id`),
    service_account_id: expr(`${control.sa}.id`),
    node_service_account_id: expr(`${nodes.sa}.id`),
    cluster_ipv4_range: net.podsCidr,
    service_ipv4_range: net.servicesCidr,
    release_channel: stack.props.environment === 'prod' ? 'STABLE' : 'REGULAR',
    network_policy_provider: 'CALICO',
    master,
    // The roles must be bound before the cluster uses its accounts, and kept until it is gone.
    depends_on: [...control.bindings, ...nodes.bindings],
  });
  doc.output('cluster_id', { value: expr(`${k8s}.id`), description: 'Managed Kubernetes cluster ID (yc managed-kubernetes cluster get-credentials --id ...)' });

  for (const pool of stack.all(NodePool)) {
    const p = pool.props;
    doc.resource('cluster', 'yandex_kubernetes_node_group', resourceName(pool.name), {
      cluster_id: expr(`${k8s}.id`),
      name: `${stack.props.cluster}-${pool.name}`,
      version: cluster.props.version,
      instance_template: {
        platform_id: 'standard-v3',
        resources: { cores: p.cpu, memory: p.memoryGiB },
        boot_disk: { type: 'network-ssd', size: p.diskGiB },
        // A public address per node: the nodes pull images from registries outside the cloud
        // (a NAT gateway would do it without one; yandex_vpc_gateway is not in the reference schema).
        network_interface: [{ subnet_ids: subnets.map((s) => s.id), nat: true }],
        container_runtime: { type: 'containerd' },
      },
      scale_policy: pool.autoscaled ? { auto_scale: { min: p.min, max: p.max, initial: p.min } } : { fixed_scale: { size: p.min } },
      allocation_policy: { location: subnets.map((s) => ({ zone: s.zone })) },
      maintenance_policy: { auto_upgrade: false, auto_repair: true },
    });
  }

  const zone = stack.one(DnsZone);
  if (zone) {
    const z = doc.resource('dns', 'yandex_dns_zone', 'main', {
      name: zone.props.zone.replace(/\./g, '-'), zone: `${zone.props.zone}.`, public: true, folder_id: y.dnsFolderId,
      deletion_protection: zone.props.protect ?? false,
    });
    doc.output('dns_zone_id', { value: expr(`${z}.id`), description: `Cloud DNS zone ${zone.props.zone}. (delegate it from the parent zone: NS ns1.yandexcloud.net, ns2.yandexcloud.net)` });
  }

  for (const sa of stack.all(ServiceAccount)) {
    if (sa.props.purpose === 'external-dns') {
      // dns.editor on the DNS folder: the zone-level binding resource is not in the reference schema.
      const a = account('external-dns', y.dnsFolderId, ['dns.editor']);
      doc.output('external_dns_service_account_id', { value: expr(`${a.sa}.id`), description: 'ExternalDNS and cert-manager DNS-01 act as this account: make its authorized key (docs/infra.md)' });
      doc.manual({
        construct: sa.path,
        what: 'the authorized key (key.json) of the ExternalDNS service account (yandex_iam_service_account_key is not in the reference schema, and the key would sit in the state)',
        how: 'yc iam key create --service-account-id "$(tofu output -raw external_dns_service_account_id)" --output key.json, then store it as the dns.yandex.serviceAccountSecret Secret with infra-synth secrets add (docs/infra.md)',
      });
    } else {
      const a = account('storage', y.folderId, ['storage.editor']);
      const key = stack.all(AccessKey).find((k) => k.props.serviceAccount === sa);
      if (key) {
        const k = doc.resource('iam', 'yandex_iam_service_account_static_access_key', resourceName(key.name), {
          service_account_id: expr(`${a.sa}.id`), description: `S3 key of ${stack.props.cluster}'s platform buckets`,
        });
        doc.output('storage_access_key_id', { value: expr(`${k}.access_key`), description: 'S3 access key ID of the platform buckets (Loki, Tempo, Velero, Vault snapshots)' });
        doc.output('storage_secret_key', { value: expr(`${k}.secret_key`), description: 'S3 secret key: copy it into secrets/ (docs/infra.md), never into a file in Git', sensitive: true });
      }
    }
  }

  const registry = stack.one(Registry);
  if (registry) {
    const r = doc.resource('registry', 'yandex_container_registry', 'main', { name: registry.name, folder_id: y.folderId });
    doc.output('registry_id', { value: expr(`${r}.id`), description: 'Images are cr.yandex/<registry_id>/...: set infra.registry.id to it' });
  }

  const buckets = stack.all(Bucket).map((b) => ({
    bucket: b,
    address: doc.resource('buckets', 'yandex_storage_bucket', resourceName(b.name), {
      bucket: b.props.bucket, folder_id: y.folderId,
      ...(b.props.protect ? { lifecycle: { prevent_destroy: true } } : {}),
    }),
  }));
  bucketOutputs(doc, buckets);
}
