// Cloud.ru Advanced (SberCloud) → sbercloud-terraform/sbercloud resources
// (schema: ../shared/infra/terraform/sbercloud-*.json).
import { parseCidr } from '../../spec/infra.js';
import { Bucket, DnsZone, InfraPropError, ManagedCluster, NodePool, Registry, ServiceAccount, type InfraStack } from '../model.js';
import { expr, type TofuDocument } from './document.js';
import { bucketOutputs, resourceName } from './names.js';

/** The cloud's internal resolvers, which CCE nodes need while they install (sbercloud_cce_cluster docs). */
const CLOUD_DNS = ['100.125.1.250', '100.125.21.250'];

/** General-purpose flavors by vCPUs (`s6.<size>.<GiB per vCPU>`), (U): check the region's flavor list. */
const FLAVOR_SIZES: Record<number, string> = { 2: 'large', 4: 'xlarge', 8: '2xlarge', 16: '4xlarge', 32: '8xlarge' };

export function sberFlavor(pool: NodePool): string {
  const p = pool.props;
  if (p.flavor) return p.flavor;
  const size = FLAVOR_SIZES[p.cpu];
  const ratio = p.memoryGiB / p.cpu;
  if (!size || ![1, 2, 4, 8].includes(ratio)) {
    throw new InfraPropError(`${pool.path}: props.flavor: missing, and ${p.cpu} vCPU / ${p.memoryGiB} GiB is no s6 flavor (2, 4, 8, 16 or 32 vCPU with 1, 2, 4 or 8 GiB per vCPU); name the Cloud.ru flavor in infra.nodePools[].flavor, e.g. s6.xlarge.4`);
  }
  return `s6.${size}.${ratio}`;
}

function gatewayOf(cidr: string): string {
  const { base } = parseCidr(cidr);
  const gw = base + 1;
  return [24, 16, 8, 0].map((s) => Math.floor(gw / 2 ** s) % 256).join('.');
}

export function mapSber(stack: InfraStack, doc: TofuDocument): void {
  const cluster = stack.one(ManagedCluster)!;
  const net = cluster.props.network;
  const name = stack.props.cluster;
  doc.provider('sbercloud', { region: stack.props.region });

  const vpc = doc.resource('network', 'sbercloud_vpc', 'main', { name, cidr: net.nodesCidr });
  const subnet = doc.resource('network', 'sbercloud_vpc_subnet', 'main', {
    name, cidr: net.nodesCidr, gateway_ip: gatewayOf(net.nodesCidr), vpc_id: expr(`${vpc}.id`),
    availability_zone: net.zones[0], primary_dns: CLOUD_DNS[0], secondary_dns: CLOUD_DNS[1],
  });
  const ha = cluster.highAvailability;
  const cce = doc.resource('cluster', 'sbercloud_cce_cluster', 'main', {
    name,
    // s2: three masters (HA), spread over the AZs with multi_az; s1: one master.
    flavor_id: ha ? 'cce.s2.small' : 'cce.s1.small',
    cluster_version: `v${cluster.props.version}`,
    vpc_id: expr(`${vpc}.id`),
    subnet_id: expr(`${subnet}.id`),
    container_network_type: 'overlay_l2',
    container_network_cidr: net.podsCidr,
    service_network_cidr: net.servicesCidr,
    ...(ha ? { multi_az: true } : {}),
  });
  doc.output('cluster_id', { value: expr(`${cce}.id`), description: 'CCE cluster ID' });

  const keyPair = doc.variable('node_key_pair', { type: 'string', description: 'Name of the SSH key pair (made in the console) CCE puts on the nodes' });
  for (const pool of stack.all(NodePool)) {
    const p = pool.props;
    doc.resource('cluster', 'sbercloud_cce_node_pool', resourceName(pool.name), {
      cluster_id: expr(`${cce}.id`),
      name: `${name}-${pool.name}`,
      flavor_id: sberFlavor(pool),
      initial_node_count: p.min,
      availability_zone: net.zones[0],
      key_pair: keyPair,
      runtime: 'containerd',
      root_volume: [{ size: 50, volumetype: 'SSD' }],
      data_volumes: [{ size: p.diskGiB, volumetype: 'SSD' }],
      ...(pool.autoscaled ? { scall_enable: true, min_node_count: p.min, max_node_count: p.max } : {}),
    });
  }

  const zone = stack.one(DnsZone);
  if (zone) {
    const z = doc.resource('dns', 'sbercloud_dns_zone', 'main', {
      name: `${zone.props.zone}.`, zone_type: 'public',
      ...(zone.props.protect ? { lifecycle: { prevent_destroy: true } } : {}),
    });
    doc.output('dns_zone_id', { value: expr(`${z}.id`), description: `DNS zone ${zone.props.zone}. (delegate it from the parent zone to the zone's name servers)` });
  }

  const registry = stack.one(Registry);
  if (registry) {
    const org = doc.resource('registry', 'sbercloud_swr_organization', 'main', { name: registry.name });
    doc.output('registry_id', { value: expr(`${org}.id`), description: 'SWR organization ID' });
    doc.output('registry_login_server', { value: expr(`${org}.login_server`), description: 'SWR host: images are <login_server>/<organization>/...' });
  }

  const buckets = stack.all(Bucket).map((b) => ({
    bucket: b,
    address: doc.resource('buckets', 'sbercloud_obs_bucket', resourceName(b.name), {
      bucket: b.props.bucket, storage_class: 'STANDARD', acl: 'private',
      ...(b.props.protect ? { lifecycle: { prevent_destroy: true } } : {}),
    }),
  }));
  bucketOutputs(doc, buckets);

  for (const sa of stack.all(ServiceAccount)) {
    doc.manual({
      construct: sa.path,
      what: sa.props.purpose === 'storage'
        ? 'the IAM user and AK/SK the platform components use for OBS (no IAM user or access key resource in the reference schema)'
        : 'the IAM identity of ExternalDNS (Cloud.ru has no ExternalDNS provider)',
      how: sa.props.purpose === 'storage'
        ? 'create an IAM user with OBS access to these buckets in the console, then store its AK/SK with infra-synth secrets add (docs/infra.md)'
        : 'keep dns.provider "none" on Cloud.ru: records are managed in the zone by hand or in this stack',
    });
  }
}
