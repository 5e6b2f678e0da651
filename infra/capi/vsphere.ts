// An on-prem vSphere cluster → Cluster API v1beta2 objects (CAPI v1.14.0 and CAPV v1.16.1; CRDs:
// ../shared/infra/capi/): Cluster, VSphereCluster, KubeadmControlPlane and its
// VSphereMachineTemplate, and per node pool a MachineDeployment with its VSphereMachineTemplate
// and KubeadmConfigTemplate. Every object lives in the cluster's namespace of the management
// cluster and is named after the cluster.
import { createHash } from 'node:crypto';
import { KUBE_VIP_IMAGE } from '../../catalog/versions.js';
import { toYaml } from '../../charts/cluster.js';
import { ManagedCluster, NodePool, type InfraStack, type MachineSize, type VSpherePlacement } from '../model.js';
import { KEEP_SYNC_OPTIONS } from '../management/tree.js';

const CLUSTER_GROUP = 'cluster.x-k8s.io';
const CONTROL_PLANE_GROUP = 'controlplane.cluster.x-k8s.io';
const BOOTSTRAP_GROUP = 'bootstrap.cluster.x-k8s.io';
const INFRA_GROUP = 'infrastructure.cluster.x-k8s.io';
const V = 'v1beta2';

/** The VSphereClusterIdentity every cluster of a management cluster uses (capi/management.ts). */
export const VSPHERE_IDENTITY = 'vsphere';

/** The API server's port behind the VIP. */
const API_PORT = 6443;

/** Autoscaler bounds of a MachineDeployment (cluster-autoscaler's Cluster API provider reads them). */
const AUTOSCALER_MIN = 'cluster.x-k8s.io/cluster-api-autoscaler-node-group-min-size';
const AUTOSCALER_MAX = 'cluster.x-k8s.io/cluster-api-autoscaler-node-group-max-size';

/** One Cluster API object and the folder-like concern its file goes under. */
export interface CapiObject {
  readonly object: Record<string, any>;
  /** cluster (Cluster, VSphereCluster), control-plane, or workers. */
  readonly concern: string;
}

/** The Kubernetes release Cluster API installs: v<MAJOR.MINOR>.<patch>. */
export function capiVersion(cluster: ManagedCluster): string {
  if (cluster.props.patch === undefined) throw new Error(`${cluster.path}: props.patch: missing; Cluster API needs the full Kubernetes release the VM template was built for`);
  return `v${cluster.props.version}.${cluster.props.patch}`;
}

/**
 * `<base>-<hash>`: machine and bootstrap templates are immutable (CAPV's and CAPI's webhooks refuse
 * a changed spec), so a changed template is a new object and its owner rolls its machines onto it.
 * The hash is of the spec, so the name is stable while nothing changes.
 */
function templateName(base: string, spec: unknown): string {
  return `${base}-${createHash('sha256').update(toYaml(spec)).digest('hex').slice(0, 8)}`;
}

const ref = (apiGroup: string, kind: string, name: string) => ({ apiGroup, kind, name });

function machineTemplateSpec(v: VSpherePlacement, size: MachineSize): Record<string, unknown> {
  return {
    template: {
      spec: {
        server: v.server,
        ...(v.thumbprint ? { thumbprint: v.thumbprint } : {}),
        datacenter: v.datacenter,
        datastore: v.datastore,
        folder: v.folder,
        resourcePool: v.resourcePool,
        template: v.template,
        // A full clone needs no snapshot on the template and no shared disk chain between VMs.
        cloneMode: 'fullClone',
        numCPUs: size.cpu,
        memoryMiB: size.memoryGiB * 1024,
        diskGiB: size.diskGiB,
        os: 'Linux',
        powerOffMode: 'trySoft',
        // Addresses by DHCP on the port group: no IPAM provider here (docs/infra.md).
        network: { devices: [{ networkName: v.network, dhcp4: true }] },
      },
    },
  };
}

/**
 * The kubelet of every machine: named after its host, and `cloud-provider: external`, because the
 * vSphere cloud controller manager sets the Node's providerID by which Cluster API finds it.
 */
const nodeRegistration = {
  name: '{{ local_hostname }}',
  criSocket: '/var/run/containerd/containerd.sock',
  kubeletExtraArgs: [{ name: 'cloud-provider', value: 'external' }],
};

const users = (v: VSpherePlacement) => (v.sshAuthorizedKeys?.length
  ? { users: [{ name: 'capv', sudo: 'ALL=(ALL) NOPASSWD:ALL', sshAuthorizedKeys: [...v.sshAuthorizedKeys] }] }
  : {});

/**
 * kube-vip as a static pod holding the control plane's VIP by ARP. During `kubeadm init` admin.conf
 * has no rights yet (Kubernetes ≥ 1.29), so the first machine points it at super-admin.conf until
 * init is done — the workaround CAPV's kube-vip flavour applies too.
 */
function kubeVip(vip: string): { files: Record<string, unknown>[]; pre: string[]; post: string[] } {
  const manifest = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'kube-vip', namespace: 'kube-system' },
    spec: {
      hostNetwork: true,
      hostAliases: [{ ip: '127.0.0.1', hostnames: ['kubernetes'] }],
      containers: [{
        name: 'kube-vip',
        image: `${KUBE_VIP_IMAGE.repository}:${KUBE_VIP_IMAGE.tag}`,
        imagePullPolicy: 'IfNotPresent',
        args: ['manager'],
        env: Object.entries({
          address: vip,
          port: String(API_PORT),
          vip_arp: 'true',
          vip_cidr: '32',
          cp_enable: 'true',
          cp_namespace: 'kube-system',
          vip_leaderelection: 'true',
          vip_leasename: 'plndr-cp-lock',
          vip_leaseduration: '15',
          vip_renewdeadline: '10',
          vip_retryperiod: '2',
          // Services' addresses are the platform's kube-vip (loadBalancer.provider), not this pod's.
          svc_enable: 'false',
        }).map(([name, value]) => ({ name, value })),
        securityContext: { capabilities: { add: ['NET_ADMIN', 'NET_RAW'] } },
        volumeMounts: [{ name: 'kubeconfig', mountPath: '/etc/kubernetes/admin.conf' }],
      }],
      volumes: [{ name: 'kubeconfig', hostPath: { path: '/etc/kubernetes/admin.conf' } }],
    },
  };
  const path = '/etc/kubernetes/manifests/kube-vip.yaml';
  // /run/kubeadm/kubeadm.yaml exists only on the machine that runs `kubeadm init` (cloud-init).
  const swap = (from: string, to: string) => `if [ -f /run/kubeadm/kubeadm.yaml ]; then sed -i 's#path: /etc/kubernetes/${from}#path: /etc/kubernetes/${to}#' ${path}; fi`;
  return {
    files: [{ path, owner: 'root:root', permissions: '0644', content: toYaml(manifest) }],
    pre: [swap('admin.conf', 'super-admin.conf')],
    post: [swap('super-admin.conf', 'admin.conf')],
  };
}

/** The Cluster API objects of a stack with a vSphere placement. */
export function mapVSphereClusterApi(stack: InfraStack): CapiObject[] {
  const v = stack.props.vsphere;
  if (!v) throw new Error(`${stack.path}: props.vsphere: missing; a Cluster API cluster needs its vSphere placement`);
  const cluster = stack.one(ManagedCluster)!;
  const name = stack.props.cluster;
  const namespace = name;
  const version = capiVersion(cluster);
  const net = cluster.props.network;
  const out: CapiObject[] = [];
  const add = (concern: string, kind: string, objName: string, apiGroup: string, spec: Record<string, unknown>, opts: { keep?: boolean; annotations?: Record<string, string> } = {}) => {
    const annotations = { ...(opts.keep ? { 'argocd.argoproj.io/sync-options': KEEP_SYNC_OPTIONS } : {}), ...opts.annotations };
    out.push({
      concern,
      object: {
        apiVersion: `${apiGroup}/${V}`,
        kind,
        metadata: {
          name: objName,
          namespace,
          labels: { cluster: name, 'cluster.x-k8s.io/cluster-name': name },
          ...(Object.keys(annotations).length ? { annotations } : {}),
        },
        spec,
      },
    });
    return objName;
  };

  // Deleting any of the first four deletes VMs (the Cluster all of them, VSphereCluster its
  // control-plane endpoint, KubeadmControlPlane the control plane, a MachineDeployment its
  // workers): Argo CD never prunes or deletes them; offboarding does it by hand.
  add('cluster', 'Cluster', name, CLUSTER_GROUP, {
    clusterNetwork: { pods: { cidrBlocks: [net.podsCidr] }, services: { cidrBlocks: [net.servicesCidr] } },
    controlPlaneRef: ref(CONTROL_PLANE_GROUP, 'KubeadmControlPlane', name),
    infrastructureRef: ref(INFRA_GROUP, 'VSphereCluster', name),
  }, { keep: true });
  add('cluster', 'VSphereCluster', name, INFRA_GROUP, {
    server: v.server,
    ...(v.thumbprint ? { thumbprint: v.thumbprint } : {}),
    controlPlaneEndpoint: { host: v.controlPlaneEndpoint, port: API_PORT },
    identityRef: { kind: 'VSphereClusterIdentity', name: VSPHERE_IDENTITY },
  }, { keep: true });

  const cpTemplate = machineTemplateSpec(v, v.controlPlane);
  const cpTemplateName = add('control-plane', 'VSphereMachineTemplate', templateName(`${name}-control-plane`, cpTemplate), INFRA_GROUP, cpTemplate);
  const vip = kubeVip(v.controlPlaneEndpoint);
  add('control-plane', 'KubeadmControlPlane', name, CONTROL_PLANE_GROUP, {
    // Three members keep etcd's quorum through one machine's loss (prod); one elsewhere.
    replicas: cluster.highAvailability ? 3 : 1,
    version,
    machineTemplate: { spec: { infrastructureRef: ref(INFRA_GROUP, 'VSphereMachineTemplate', cpTemplateName) } },
    kubeadmConfigSpec: {
      clusterConfiguration: { controllerManager: { extraArgs: [{ name: 'cloud-provider', value: 'external' }] } },
      initConfiguration: { nodeRegistration },
      joinConfiguration: { nodeRegistration },
      files: vip.files,
      preKubeadmCommands: vip.pre,
      postKubeadmCommands: vip.post,
      ...users(v),
    },
  }, { keep: true });

  const workerConfig = { template: { spec: { joinConfiguration: { nodeRegistration }, ...users(v) } } };
  const configName = add('workers', 'KubeadmConfigTemplate', templateName(`${name}-workers`, workerConfig), BOOTSTRAP_GROUP, workerConfig);
  for (const pool of stack.all(NodePool)) {
    const p = pool.props;
    const template = machineTemplateSpec(v, p);
    const machines = add('workers', 'VSphereMachineTemplate', templateName(`${name}-${pool.name}`, template), INFRA_GROUP, template);
    const deployment = `${name}-${pool.name}`;
    const labels = { 'cluster.x-k8s.io/cluster-name': name, 'cluster.x-k8s.io/deployment-name': deployment, 'node-pool': pool.name };
    add('workers', 'MachineDeployment', deployment, CLUSTER_GROUP, {
      clusterName: name,
      // An autoscaled pool has no replicas here: the autoscaler owns the count between its bounds
      // (Cluster API starts it at the minimum), and Argo CD must not reset it.
      ...(pool.autoscaled ? {} : { replicas: p.min }),
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          clusterName: name,
          version,
          bootstrap: { configRef: ref(BOOTSTRAP_GROUP, 'KubeadmConfigTemplate', configName) },
          infrastructureRef: ref(INFRA_GROUP, 'VSphereMachineTemplate', machines),
        },
      },
    }, { keep: true, annotations: pool.autoscaled ? { [AUTOSCALER_MIN]: String(p.min), [AUTOSCALER_MAX]: String(p.max) } : {} });
  }
  return out;
}
