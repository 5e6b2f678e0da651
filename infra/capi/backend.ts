// The Cluster API backend, for on-prem vSphere clusters: the cluster and its node pools become
// Cluster API objects (vsphere.ts) in the tree of the management cluster that builds them
// (management/<mgmt>/clusters/<cluster>/), with the namespace and Argo CD Application every
// workload cluster gets there (management/tree.ts). What Cluster API does not make — the Harbor
// project, the buckets — stays the OpenTofu stack's (infra/<cluster>/), from the same model, so
// the consistency rules see one stack either way. The providers and CAPV's credentials, shared by
// every cluster of the management cluster, are capi/management.ts's.
import { toYaml } from '../../charts/cluster.js';
import type { OutputFile } from '../../writer/types.js';
import { type InfraBackend, type InfraRender, type NotAutomated } from '../backend.js';
import { ManagedCluster, NodePool, type InfraStack } from '../model.js';
import { clusterFolderReadme, managementRoot, manifestFile, workloadClusterEntry, type GitSource } from '../management/tree.js';
import { OpenTofuBackend } from '../tofu/backend.js';
import { capiVersion, mapVSphereClusterApi } from './vsphere.js';

export class ClusterApiBackend implements InfraBackend {
  readonly name = 'cluster-api';
  constructor(private readonly git: (stack: InfraStack) => GitSource) {}

  render(stack: InfraStack): InfraRender {
    const mgmt = stack.props.management;
    if (!mgmt) throw new Error(`${stack.path}: props.management: missing; the Cluster API backend writes into a management cluster's tree`);
    if (stack.props.cloud !== 'onprem' || !stack.props.vsphere) throw new Error(`${stack.path}: props.vsphere: missing; the Cluster API backend builds on-prem vSphere clusters only`);
    const cluster = stack.props.cluster;
    const root = managementRoot(mgmt);
    const files: OutputFile[] = mapVSphereClusterApi(stack).map((r) => ({ path: `${root}/clusters/${cluster}/${r.concern}/${manifestFile(r.object)}`, content: toYaml(r.object) }));
    files.push(...workloadClusterEntry(mgmt, cluster, this.git(stack)));
    const manual = notAutomated(stack);
    files.push({ path: `${root}/clusters/${cluster}/README.md`, content: readme(cluster, mgmt, manual) });
    // The Harbor project and the buckets: the on-prem OpenTofu mapping, which leaves the cluster
    // to the objects above because the stack has a vSphere placement.
    const rest = new OpenTofuBackend().render(stack);
    return { files: [...files, ...rest.files], notAutomated: [...manual, ...rest.notAutomated] };
  }
}

function readme(cluster: string, mgmt: string, manual: readonly NotAutomated[]): string {
  return clusterFolderReadme(`management/${mgmt}/clusters/${cluster}: cluster ${cluster} as Cluster API objects on vSphere`, [
    `Argo CD on ${mgmt} syncs this folder into namespace ${cluster} (Application infra-${cluster}); CAPV builds the VMs.`,
    'The Cluster, VSphereCluster, KubeadmControlPlane and MachineDeployments carry Prune=false,Delete=false: deleting one',
    'deletes VMs, so Argo CD never does; offboarding deletes the Cluster by hand (docs/infra.md).',
    `Machine templates are immutable: a changed one gets a new name (a hash of its spec) and Cluster API rolls the machines onto it;`,
    'the old templates stay (Argo CD does not prune) until a person deletes them once no MachineSet uses them.',
    `The Harbor project and the buckets of ${cluster} are its OpenTofu stack (infra/${cluster}/).`,
    '',
    `Its kubeconfig: \`kubectl -n ${cluster} get secret ${cluster}-kubeconfig -o jsonpath='{.data.value}' | base64 -d\` on ${mgmt}.`,
  ], manual);
}

function notAutomated(stack: InfraStack): NotAutomated[] {
  const cluster = stack.one(ManagedCluster)!;
  const v = stack.props.vsphere!;
  const out: NotAutomated[] = [
    {
      construct: cluster.path,
      what: `the VM template ${v.template} (Kubernetes ${capiVersion(cluster)}, cloud-init, containerd)`,
      how: `build it with image-builder (make build-node-ova-vsphere-<os>) for exactly ${capiVersion(cluster)} and import it into ${v.datacenter}; a new Kubernetes release is a new template and a new vsphere.template`,
    },
    {
      construct: cluster.path,
      what: `the machines' addresses (no IPAM provider): DHCP on port group ${v.network} in ${cluster.props.network.nodesCidr}, and the control plane's VIP ${v.controlPlaneEndpoint}`,
      how: 'the network team serves DHCP on the port group and keeps the VIP (and loadBalancer.addresses) out of its range',
    },
    {
      construct: cluster.path,
      what: 'the vSphere cloud controller manager (CPI) and CSI driver, and the CNI, in the workload cluster',
      how: `install them right after the first control-plane machine is up (kubeconfig: Secret ${stack.props.cluster}-kubeconfig in namespace ${stack.props.cluster} of ${stack.props.management}): until CPI runs the nodes keep their uninitialized taint and Cluster API cannot match Machines to Nodes; until the CNI runs no node is Ready`,
    },
  ];
  const scaled = stack.all(NodePool).filter((p) => p.autoscaled);
  if (scaled.length) {
    out.push({
      construct: `${stack.path}/NodePool`,
      what: `cluster-autoscaler for the pools ${scaled.map((p) => p.name).join(', ')} (their MachineDeployments carry the min/max annotations)`,
      how: 'run cluster-autoscaler with --cloud-provider=clusterapi against the management cluster, or make the pools fixed-size (min = max)',
    });
  }
  return out;
}
