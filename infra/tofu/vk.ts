// VK Cloud → vk-cs/vkcs resources (schema: ../shared/infra/terraform/vkcs-*.json). What vkcs
// cannot create (S3 buckets and keys, the registry add-on's storage) is listed as not automated.
import { Bucket, DnsZone, InfraPropError, ManagedCluster, NodePool, Registry, ServiceAccount, type InfraStack } from '../model.js';
import { expr, type TofuDocument } from './document.js';
import { resourceName } from './names.js';

export function mapVk(stack: InfraStack, doc: TofuDocument): void {
  const cluster = stack.one(ManagedCluster)!;
  const net = cluster.props.network;
  const name = stack.props.cluster;
  if (!/^(?!.*--)[a-z0-9][-a-z0-9]{1,23}[a-z0-9]$/.test(name)) {
    throw new InfraPropError(`${stack.path}: props.cluster: received "${name}"; VK Cloud cluster names are 3-25 lower-case letters, digits and single "-"`);
  }
  // vkcs documents no environment variables for a password login: the credentials are inputs.
  doc.provider('vkcs', {
    username: doc.variable('vk_username', { type: 'string', description: 'VK Cloud user the stack acts as' }),
    password: doc.variable('vk_password', { type: 'string', description: 'Its password', sensitive: true }),
    project_id: doc.variable('vk_project_id', { type: 'string', description: 'The VK Cloud project (console: Terraform tab)' }),
  });

  // The project's network, its router and subnet exist before the stack (vkcs_networking_router
  // is not in the reference schema, and a cluster on an unrouted network never comes up).
  const networkId = doc.variable('network_id', { type: 'string', description: `ID of the project network (with a router) the cluster runs in; its subnet is ${net.nodesCidr}` });
  const subnetId = doc.variable('subnet_id', { type: 'string', description: `ID of the subnet ${net.nodesCidr} of that network` });
  doc.manual({ construct: cluster.path, what: `the network, router and subnet ${net.nodesCidr}`, how: 'create them once per project (console or openstack CLI) and pass their IDs as TF_VAR_network_id and TF_VAR_subnet_id' });
  doc.manual({ construct: cluster.path, what: `the service range ${net.servicesCidr}`, how: 'VK Cloud picks the cluster\'s service range itself (vkcs_kubernetes_cluster_v2 has no argument for it): check it does not overlap other clusters' });

  const ha = cluster.highAvailability && net.zones.length >= 3;
  // A full version: the overlay's patch, or an input checked to be a patch of the overlay's minor.
  const version = cluster.props.patch !== undefined
    ? `v${cluster.props.version}.${cluster.props.patch}`
    : doc.variable('kubernetes_version', {
      type: 'string',
      description: `Full Kubernetes version VK Cloud offers for ${cluster.props.version}, e.g. v${cluster.props.version}.3 (or set infra.kubernetesPatch in the overlay)`,
      validation: {
        condition: expr(`startswith(var.kubernetes_version, "v${cluster.props.version}.")`),
        error_message: `The version must be a patch release of ${cluster.props.version} (the overlay's kubernetesVersion), such as v${cluster.props.version}.3.`,
      },
    });
  const k8s = doc.resource('cluster', 'vkcs_kubernetes_cluster_v2', 'main', {
    name,
    version,
    cluster_type: ha ? 'regional' : 'standard',
    master_count: ha ? 3 : 1,
    availability_zones: ha ? net.zones.slice(0, 3) : [net.zones[0]],
    master_flavor: doc.variable('master_flavor_id', { type: 'string', description: 'Flavor ID of the masters (openstack flavor list)' }),
    network_id: networkId,
    subnet_id: subnetId,
    loadbalancer_subnet_id: subnetId,
    network_plugin: 'calico',
    pods_ipv4_cidr: net.podsCidr,
    public_ip: true,
  });
  doc.output('cluster_id', { value: expr(`${k8s}.id`), description: 'Cloud Containers cluster ID' });

  const defaultFlavor = () => doc.variable('node_flavor_id', { type: 'string', description: 'Flavor ID of the node pools that name none (openstack flavor list)' });
  for (const pool of stack.all(NodePool)) {
    const p = pool.props;
    doc.resource('cluster', 'vkcs_kubernetes_node_group_v2', resourceName(pool.name), {
      cluster_id: expr(`${k8s}.id`),
      name: pool.name,
      node_flavor: p.flavor ?? defaultFlavor(),
      availability_zone: net.zones[0],
      disk_type: 'ceph-ssd',
      disk_size: p.diskGiB,
      // A third of the nodes at a time: two thirds keep serving during an upgrade.
      parallel_upgrade_chunk: 34,
      ...(pool.autoscaled
        ? { scale_type: 'auto_scale', auto_scale_min_size: p.min, auto_scale_max_size: p.max }
        : { scale_type: 'fixed_scale', fixed_scale_node_count: p.min }),
    });
  }

  const zone = stack.one(DnsZone);
  if (zone) {
    const z = doc.resource('dns', 'vkcs_publicdns_zone', 'main', {
      zone: zone.props.zone,
      ...(zone.props.protect ? { lifecycle: { prevent_destroy: true } } : {}),
    });
    doc.output('dns_zone_id', { value: expr(`${z}.id`), description: `Public DNS zone ${zone.props.zone} (delegate it from the parent zone to VK Cloud's name servers)` });
  }

  const registry = stack.one(Registry);
  if (registry) {
    doc.manual({ construct: registry.path, what: 'the container registry', how: 'VK Cloud\'s registry is the docker-registry cluster add-on backed by an S3 bucket: install it from the console (docs/infra.md)' });
  }
  const buckets = stack.all(Bucket);
  if (buckets.length) {
    doc.manual({
      construct: `${stack.path}/Bucket`,
      what: `the buckets ${buckets.map((b) => b.props.bucket).join(', ')}`,
      how: 'vkcs has no bucket resource (VK\'s guide uses hashicorp/aws with a custom endpoint, whose schema is not in the reference data): create them in the console or with aws s3 mb --endpoint-url https://hb.ru-msk.vkcloud-storage.ru',
    });
  }
  for (const sa of stack.all(ServiceAccount)) {
    doc.manual({
      construct: sa.path,
      what: sa.props.purpose === 'storage' ? 'the S3 account and keys of the platform buckets' : 'the identity of ExternalDNS (VK Cloud has no ExternalDNS provider)',
      how: sa.props.purpose === 'storage'
        ? 'create an S3 account in the console (vkcs_iam_s3_account is not in the reference schema) and store its keys with infra-synth secrets add (docs/infra.md)'
        : 'keep dns.provider "none" on VK Cloud',
    });
  }
}
