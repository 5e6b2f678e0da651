// The Cluster API backend: an on-prem vSphere cluster as Cluster API v1beta2 objects in its
// management cluster's tree, checked against the upstream CRDs (CAPI v1.14.0, CAPV v1.16.1), with
// deletion guarded (Argo CD's Prune=false,Delete=false), no credential in Git, and the rest of the
// stack (Harbor, buckets) still OpenTofu's.
import yaml from 'js-yaml';
import { checkManagementFiles, CLUSTER_API_CRDS, loadManagementCrds, loadReferenceCrds } from '../../infra/management/crds.js';
import { renderInfra } from '../../infra/render.js';
import { resolveCluster } from '../../spec/load.js';
import { withAlertReceiver } from '../helpers/fleet.js';
import { ONPREM_SITE } from '../helpers/onprem-site.js';
import { describeWithReferenceData, referencePath, SHARED_DIR } from '../helpers/reference-data.js';
import { join } from 'node:path';
import { stackSpec } from './helpers.js';

const VSPHERE = {
  server: 'vcenter.corp.company.ru',
  datacenter: 'msk-dc1',
  datastore: 'vsan-prod',
  network: 'k8s-prod',
  folder: '/msk-dc1/vm/k8s/vs1',
  resourcePool: '/msk-dc1/host/cluster1/Resources/k8s',
  template: 'ubuntu-2404-kube-v1.35.2',
  controlPlaneEndpoint: '10.20.0.5',
  sshAuthorizedKeys: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl admin@company.ru'],
};

const INFRA = {
  backend: 'cluster-api',
  management: 'mgmt',
  kubernetesPatch: 2,
  vsphere: VSPHERE,
  registry: { name: 'soft-yt', host: 'harbor.corp.company.ru' },
  nodePools: [
    { name: 'system', cpu: 4, memoryGiB: 16, diskGiB: 64, min: 3, max: 3 },
    { name: 'apps', cpu: 8, memoryGiB: 32, diskGiB: 100, min: 2, max: 6 },
  ],
};

const capiSpec = () => stackSpec('onprem', { kubernetesVersion: '1.35', infra: INFRA }, 'vs1');

// Rendered once for the file: every test reads the same tree.
const rendered = renderInfra([capiSpec()]);
const files = rendered.files;
const objects = files.filter((f) => f.path.endsWith('.yaml') && !f.path.endsWith('.enc.yaml'))
  .map((f) => ({ path: f.path, o: yaml.load(f.content) as Record<string, any> }));
const ofKind = (kind: string) => objects.filter(({ o }) => o.kind === kind).map(({ o }) => o);

describe('the Cluster API backend', () => {
  test('renders without problems', () => {
    expect(rendered.problems).toEqual([]);
  });

  test('the cluster is written into its management cluster\'s tree, one namespace and Application for it', () => {
    expect(files.map((f) => f.path)).toEqual(expect.arrayContaining([
      'management/mgmt/clusters/vs1/cluster/cluster-vs1.yaml',
      'management/mgmt/clusters/vs1/cluster/vspherecluster-vs1.yaml',
      'management/mgmt/clusters/vs1/control-plane/kubeadmcontrolplane-vs1.yaml',
      'management/mgmt/clusters/vs1/workers/machinedeployment-vs1-system.yaml',
      'management/mgmt/clusters/vs1/workers/machinedeployment-vs1-apps.yaml',
      'management/mgmt/bootstrap/namespace-vs1.yaml',
      'management/mgmt/bootstrap/application-infra-vs1.yaml',
      'management/mgmt/bootstrap/vsphereclusteridentity-vsphere.yaml',
    ]));
  });

  test('what Cluster API does not make (the Harbor project, the buckets) stays the OpenTofu stack, without the cluster', () => {
    const stack = files.filter((f) => f.path.startsWith('infra/vs1/')).map((f) => f.path);
    expect(stack).toEqual(expect.arrayContaining(['infra/vs1/registry.tf.json', 'infra/vs1/buckets.tf.json']));
    expect(rendered.notAutomated.get('vs1')!.some((n) => n.how.includes('build it with Cluster API (CAPV)'))).toBe(false);
  });

  test('every Cluster API object is v1beta2, the CRDs\' storage version, in the cluster\'s namespace', () => {
    const capi = objects.filter(({ path }) => path.includes('/clusters/vs1/'));
    expect(capi.map(({ o }) => o.kind).sort()).toEqual(['Cluster', 'KubeadmConfigTemplate', 'KubeadmControlPlane', 'MachineDeployment', 'MachineDeployment', 'VSphereCluster', 'VSphereMachineTemplate', 'VSphereMachineTemplate', 'VSphereMachineTemplate']);
    expect(capi.every(({ o }) => /\.x-k8s\.io\/v1beta2$/.test(o.apiVersion) && o.metadata.namespace === 'vs1')).toBe(true);
  });

  test('the Kubernetes release is the overlay\'s version and patch, on the control plane and every pool', () => {
    expect(ofKind('KubeadmControlPlane')[0].spec.version).toBe('v1.35.2');
    expect(ofKind('MachineDeployment').map((d) => d.spec.template.spec.version)).toEqual(['v1.35.2', 'v1.35.2']);
  });

  test.each(['Cluster', 'VSphereCluster', 'KubeadmControlPlane', 'MachineDeployment'])('%s, whose deletion deletes VMs, is never pruned or deleted by Argo CD', (kind) => {
    const found = ofKind(kind);
    expect(found.length).toBeGreaterThan(0);
    for (const o of found) expect(o.metadata.annotations['argocd.argoproj.io/sync-options']).toBe('Prune=false,Delete=false');
  });

  test('the workload cluster\'s namespace is never deleted by Argo CD', () => {
    const ns = objects.find(({ path }) => path.endsWith('bootstrap/namespace-vs1.yaml'))!.o;
    expect(ns.metadata.annotations['argocd.argoproj.io/sync-options']).toBe('Prune=false,Delete=false');
  });

  test('the control plane is three machines behind the VIP in prod', () => {
    expect(ofKind('KubeadmControlPlane')[0].spec.replicas).toBe(3);
    expect(ofKind('VSphereCluster')[0].spec.controlPlaneEndpoint).toEqual({ host: '10.20.0.5', port: 6443 });
    const kubeVip = yaml.load(ofKind('KubeadmControlPlane')[0].spec.kubeadmConfigSpec.files[0].content) as Record<string, any>;
    expect(kubeVip.spec.containers[0].env).toEqual(expect.arrayContaining([{ name: 'address', value: '10.20.0.5' }]));
  });

  test('a fixed pool has its replicas; an autoscaled one only the autoscaler\'s bounds', () => {
    const [system, apps] = ['vs1-system', 'vs1-apps'].map((n) => ofKind('MachineDeployment').find((d) => d.metadata.name === n)!);
    expect(system.spec.replicas).toBe(3);
    expect(apps.spec.replicas).toBeUndefined();
    expect(apps.metadata.annotations).toMatchObject({
      'cluster.x-k8s.io/cluster-api-autoscaler-node-group-min-size': '2',
      'cluster.x-k8s.io/cluster-api-autoscaler-node-group-max-size': '6',
    });
  });

  test('each pool\'s machines have the pool\'s size, cloned from the overlay\'s template', () => {
    const md = ofKind('MachineDeployment').find((d) => d.metadata.name === 'vs1-apps')!;
    const template = ofKind('VSphereMachineTemplate').find((t) => t.metadata.name === md.spec.template.spec.infrastructureRef.name)!;
    expect(template.spec.template.spec).toMatchObject({ numCPUs: 8, memoryMiB: 32768, diskGiB: 100, template: VSPHERE.template, datacenter: 'msk-dc1', network: { devices: [{ networkName: 'k8s-prod', dhcp4: true }] } });
  });

  test('a changed machine size gives the immutable template a new name', () => {
    const bigger = stackSpec('onprem', { kubernetesVersion: '1.35', infra: { ...INFRA, nodePools: [INFRA.nodePools[0], { ...INFRA.nodePools[1], cpu: 16 }] } }, 'vs1');
    const names = (fs: typeof files) => fs.filter((f) => f.path.includes('/workers/vspheremachinetemplate-vs1-apps-')).map((f) => f.path);
    expect(names(renderInfra([bigger]).files)).not.toEqual(names(files));
  });

  test('no plaintext credential: the clusters use the VSphereClusterIdentity, whose Secret only a SopsSecret provides', () => {
    expect(ofKind('VSphereCluster')[0].spec.identityRef).toEqual({ kind: 'VSphereClusterIdentity', name: 'vsphere' });
    expect(ofKind('VSphereClusterIdentity')[0].spec).toEqual({
      secretName: 'vsphere-credentials',
      allowedNamespaces: { selector: { matchExpressions: [{ key: 'cluster', operator: 'In', values: ['vs1'] }] } },
    });
    expect(ofKind('Secret')).toEqual([]);
    expect(files.some((f) => /password: \S/i.test(f.content))).toBe(false);
  });

  test('a management cluster of vSphere clusters only installs no Crossplane', () => {
    expect(ofKind('Provider')).toEqual([]);
    expect(files.some((f) => f.path.endsWith('application-crossplane.yaml'))).toBe(false);
  });

  test('the management tree\'s README prints the pinned clusterctl init', () => {
    const readme = files.find((f) => f.path === 'management/mgmt/README.md')!.content;
    expect(readme).toContain('clusterctl init --core cluster-api:v1.14.0 --bootstrap kubeadm:v1.14.0 --control-plane kubeadm:v1.14.0 --infrastructure vsphere:v1.16.1');
  });
});

describe('a cluster-api backend in an overlay', () => {
  const problemsOf = (overlay: Record<string, unknown>, infra: Record<string, unknown>) => resolveCluster({
    name: 'c1', file: 'overlays/c1.ts',
    overlay: withAlertReceiver({ cloud: 'onprem', infrastructure: 'vsphere', ...ONPREM_SITE, environment: 'prod', domain: 'prod.company.ru', secrets: { ageRecipients: ['age190vd7ndvmhuc23dvgfpznujeuwufj92f0lpajhlfl52rky3kdprsnqz0pm'] }, ...overlay, infra: { ...INFRA, registry: undefined, ...infra } }),
  }).problems;

  test('a valid one has no problems', () => {
    expect(problemsOf({}, {})).toEqual([]);
  });

  test('on a managed cloud is refused, naming what is valid there', () => {
    expect(problemsOf({ cloud: 'yandex', infrastructure: 'managed', loadBalancer: undefined, objectStorage: undefined }, {})).toEqual([
      'overlays/c1.ts: infra.backend: received "cluster-api" on cloud "yandex"; the Cluster API backend builds on-prem vSphere clusters only (docs/infra.md#vsphere-clusters-through-cluster-api): use \'opentofu\' or \'crossplane\'',
    ]);
  });

  test('on bare metal is refused', () => {
    expect(problemsOf({ infrastructure: 'baremetal' }, {})).toEqual([
      'overlays/c1.ts: infra.backend: received "cluster-api" with infrastructure "baremetal"; the Cluster API backend builds vSphere VMs (CAPV) only: set infrastructure: \'vsphere\', or use \'opentofu\' and build the baremetal cluster with kubeadm',
    ]);
  });

  test('without a management cluster is refused', () => {
    expect(problemsOf({}, { management: undefined })).toEqual([
      "overlays/c1.ts: infra.management: missing; backend 'cluster-api' writes the cluster's Cluster API objects into a management cluster's tree (dist/management/<name>/): name that cluster, e.g. infra.management: 'mgmt'",
    ]);
  });

  test('without a vSphere placement is refused', () => {
    expect(problemsOf({}, { vsphere: undefined })).toEqual([
      "overlays/c1.ts: infra.vsphere: missing; backend 'cluster-api' needs where to build the VMs: { server, datacenter, datastore, network, folder, resourcePool, template, controlPlaneEndpoint } (docs/infra.md#vsphere-clusters-through-cluster-api)",
    ]);
  });

  test('without the Kubernetes patch release is refused', () => {
    expect(problemsOf({}, { kubernetesPatch: undefined })).toEqual([
      'overlays/c1.ts: infra.kubernetesPatch: missing; Cluster API needs the full Kubernetes release the VM template was built for (v<kubernetesVersion>.<patch>): set it, e.g. infra.kubernetesPatch: 2',
    ]);
  });

  test('a control-plane VIP that is not an address is refused by the schema', () => {
    expect(problemsOf({}, { vsphere: { ...VSPHERE, controlPlaneEndpoint: '10.20.0.0/24' } })).toEqual([
      'overlays/c1.ts: infra.vsphere.controlPlaneEndpoint: received "10.20.0.0/24"; expected an IPv4 address such as 10.20.0.5',
    ]);
  });

  test('a control-plane VIP outside the nodes\' network is refused', () => {
    expect(problemsOf({}, { vsphere: { ...VSPHERE, controlPlaneEndpoint: '192.168.1.5' } })).toEqual([
      'overlays/c1.ts: infra.vsphere.controlPlaneEndpoint: received "192.168.1.5", outside infra.network.nodesCidr "10.20.0.0/16"; kube-vip announces the VIP on the machines\' network (ARP): pick a free address in it',
    ]);
  });

  test('a control-plane VIP inside the LoadBalancer pool is refused', () => {
    expect(problemsOf({ loadBalancer: { provider: 'kube-vip', addresses: ['10.20.0.0/28'] } }, {})).toEqual([
      'overlays/c1.ts: infra.vsphere.controlPlaneEndpoint: received "10.20.0.5", inside loadBalancer.addresses; kube-vip would hand the control plane\'s address to a LoadBalancer Service: pick one outside the pool',
    ]);
  });

  test('a vSphere placement with another backend is refused', () => {
    expect(problemsOf({}, { backend: 'opentofu', management: undefined, kubernetesPatch: undefined })).toEqual([
      'overlays/c1.ts: infra.vsphere: received a vSphere placement with backend "opentofu"; only the cluster-api backend builds VMs from it: remove infra.vsphere or set infra.backend: \'cluster-api\'',
    ]);
  });

  test('an unknown vSphere field is refused', () => {
    expect(problemsOf({}, { vsphere: { ...VSPHERE, cluster: 'cl1' } })[0]).toMatch(/^overlays\/c1\.ts: infra\.vsphere: .*"cluster"/);
  });
});

describeWithReferenceData('the Cluster API tree against the CAPI and CAPV CRDs', 'infra/capi', () => {
  const crds = () => loadReferenceCrds(referencePath('infra/capi'))!;

  test('every object of the tree validates against CAPI v1.14.0 and CAPV v1.16.1', async () => {
    expect(await checkManagementFiles(files, crds())).toEqual([]);
  });

  test('a misspelt field is a finding naming the file and the field', async () => {
    const bad = files.map((f) => (f.path.endsWith('cluster/vspherecluster-vs1.yaml') ? { ...f, content: f.content.replace('identityRef:', 'identityReference:') } : f));
    const findings = await checkManagementFiles(bad, crds());
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ cluster: 'mgmt', file: 'management/mgmt/clusters/vs1/cluster/vspherecluster-vs1.yaml', object: 'VSphereCluster/vs1/vs1' });
    expect(findings[0].path).toContain('identityReference');
  });

  test('a v1beta1-shaped reference in a v1beta2 object is a finding', async () => {
    const bad = files.map((f) => (f.path.endsWith('cluster/cluster-vs1.yaml') ? { ...f, content: f.content.replace('apiGroup: infrastructure.cluster.x-k8s.io', 'apiVersion: infrastructure.cluster.x-k8s.io/v1beta2') } : f));
    const findings = await checkManagementFiles(bad, crds());
    expect(findings.map((f) => f.object)).toEqual(expect.arrayContaining(['Cluster/vs1/vs1']));
  });

  test('a Cluster API kind no CRD defines is a finding', async () => {
    const extra = [{ path: 'management/mgmt/clusters/vs1/x.yaml', content: 'apiVersion: infrastructure.cluster.x-k8s.io/v1beta2\nkind: VSphereMachine\nmetadata: {name: x, namespace: vs1}\nspec: {}\n' }];
    expect((await checkManagementFiles(extra, crds())).map((f) => f.message)).toEqual(['no CRD in the reference data defines infrastructure.cluster.x-k8s.io/VSphereMachine']);
  });

  test('with the Cluster API set absent its objects are left unchecked, not reported', async () => {
    const loaded = loadManagementCrds(join(SHARED_DIR, 'no-such-folder'), [CLUSTER_API_CRDS]);
    expect(loaded.missing).toEqual([CLUSTER_API_CRDS]);
    expect(await checkManagementFiles(files, loaded.crds, { unchecked: loaded.missing })).toEqual([]);
  });
});
