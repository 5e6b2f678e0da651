// On-prem → goharbor/harbor (registry) and aminueza/minio (buckets) in the data centre
// (schemas: ../shared/infra/terraform/{harbor,minio}-*.json). The cluster itself is built by
// kubeadm or by hand (listed as not automated here) or by the Cluster API backend (capi/), and the
// zone lives in the company's BIND (not automated either).
import { Bucket, DnsZone, ManagedCluster, NodePool, Registry, ServiceAccount, type InfraStack } from '../model.js';
import { expr, type TofuDocument } from './document.js';
import { bucketOutputs, resourceName } from './names.js';

export function mapOnprem(stack: InfraStack, doc: TofuDocument): void {
  const cluster = stack.one(ManagedCluster)!;
  // With a vSphere placement the cluster and its pools are the Cluster API backend's (capi/): this
  // stack then holds only what Cluster API does not make.
  if (!stack.props.vsphere) manualCluster(stack, cluster, doc);
  mapOnpremServices(stack, doc);
}

function manualCluster(stack: InfraStack, cluster: ManagedCluster, doc: TofuDocument): void {
  const how = cluster.props.infrastructure === 'vsphere'
    ? 'the vSphere provider has no guest-cluster resource: build it with Cluster API (CAPV) or the vSphere Supervisor'
    : 'build it with kubeadm on the data centre\'s machines';
  doc.manual({ construct: cluster.path, what: `the cluster (Kubernetes ${cluster.props.version}) and its network ${cluster.props.network.nodesCidr}`, how });
  const pools = stack.all(NodePool);
  if (pools.length) doc.manual({ construct: `${stack.path}/NodePool`, what: `the node pools ${pools.map((p) => p.name).join(', ')}`, how: 'machines of the cluster build above' });
}

/** The zone, the Harbor project, the buckets and their user. */
function mapOnpremServices(stack: InfraStack, doc: TofuDocument): void {
  const zone = stack.one(DnsZone);
  if (zone) {
    doc.manual({
      construct: zone.path,
      what: `the zone ${zone.props.zone}`,
      how: 'RFC 2136 updates records, it does not create zones: the DNS team creates the zone in BIND, delegates it and grants the TSIG key of dns.rfc2136 updates to it',
    });
  }

  const registry = stack.one(Registry);
  if (registry) {
    // Harbor's provider takes no credentials from the environment: they are inputs, kept by CI.
    doc.provider('harbor', {
      url: `https://${registry.props.host}`,
      username: doc.variable('harbor_username', { type: 'string', description: 'Harbor user (a robot or admin) that creates projects' }),
      password: doc.variable('harbor_password', { type: 'string', description: 'Its password', sensitive: true }),
      insecure: false,
    });
    const project = doc.resource('registry', 'harbor_project', 'main', { name: registry.name, public: false, vulnerability_scanning: true, force_destroy: false });
    doc.output('registry_id', { value: expr(`${project}.project_id`), description: `Harbor project ID (images are ${registry.props.host}/${registry.name}/...)` });
  }

  const buckets = stack.all(Bucket);
  if (buckets.length) {
    const url = new URL(stack.props.objectStorage.endpoint);
    const https = url.protocol === 'https:';
    doc.provider('minio', {
      minio_server: `${url.hostname}:${url.port || (https ? '443' : '80')}`,
      minio_region: stack.props.objectStorage.region,
      minio_ssl: https,
      minio_user: doc.variable('minio_user', { type: 'string', description: 'Object-store user that creates buckets' }),
      minio_password: doc.variable('minio_password', { type: 'string', description: 'Its password', sensitive: true }),
    });
    bucketOutputs(doc, buckets.map((b) => ({
      bucket: b,
      address: doc.resource('buckets', 'minio_s3_bucket', resourceName(b.name), {
        bucket: b.props.bucket, acl: 'private', force_destroy: false,
        ...(b.props.protect ? { lifecycle: { prevent_destroy: true } } : {}),
      }),
    })));
  }
  for (const sa of stack.all(ServiceAccount)) {
    if (sa.props.purpose !== 'storage') continue;
    doc.manual({
      construct: sa.path,
      what: 'the object-store user and keys of the platform buckets',
      how: 'ask the storage team for a user limited to these buckets (minio_iam_user is not in the reference schema) and store its keys with infra-synth secrets add (docs/infra.md)',
    });
  }
}
