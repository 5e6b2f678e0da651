// The API kinds a simulated cluster serves: the built-in ones of a Kubernetes 1.31 API server (the
// groups enabled by default, as `kubectl api-resources --verbs=list` lists them; alpha and beta
// groups that are off by default are left out) plus every established CRD. Argo CD's cluster cache
// lists each of them; the API server needs the scope of each object it receives.

export interface ApiResource {
  readonly group: string;
  readonly kind: string;
  /** Plural, as RBAC rules name it. */
  readonly resource: string;
  readonly namespaced: boolean;
  /** Where the kind comes from: `built-in` or the CRD's name. */
  readonly source: string;
}

// [group, kind, resource, namespaced]
const BUILTIN: readonly (readonly [string, string, string, boolean])[] = [
  ['', 'ComponentStatus', 'componentstatuses', false],
  ['', 'ConfigMap', 'configmaps', true],
  ['', 'Endpoints', 'endpoints', true],
  ['', 'Event', 'events', true],
  ['', 'LimitRange', 'limitranges', true],
  ['', 'Namespace', 'namespaces', false],
  ['', 'Node', 'nodes', false],
  ['', 'PersistentVolume', 'persistentvolumes', false],
  ['', 'PersistentVolumeClaim', 'persistentvolumeclaims', true],
  ['', 'Pod', 'pods', true],
  ['', 'PodTemplate', 'podtemplates', true],
  ['', 'ReplicationController', 'replicationcontrollers', true],
  ['', 'ResourceQuota', 'resourcequotas', true],
  ['', 'Secret', 'secrets', true],
  ['', 'Service', 'services', true],
  ['', 'ServiceAccount', 'serviceaccounts', true],
  ['admissionregistration.k8s.io', 'MutatingWebhookConfiguration', 'mutatingwebhookconfigurations', false],
  ['admissionregistration.k8s.io', 'ValidatingAdmissionPolicy', 'validatingadmissionpolicies', false],
  ['admissionregistration.k8s.io', 'ValidatingAdmissionPolicyBinding', 'validatingadmissionpolicybindings', false],
  ['admissionregistration.k8s.io', 'ValidatingWebhookConfiguration', 'validatingwebhookconfigurations', false],
  ['apiextensions.k8s.io', 'CustomResourceDefinition', 'customresourcedefinitions', false],
  ['apiregistration.k8s.io', 'APIService', 'apiservices', false],
  ['apps', 'ControllerRevision', 'controllerrevisions', true],
  ['apps', 'DaemonSet', 'daemonsets', true],
  ['apps', 'Deployment', 'deployments', true],
  ['apps', 'ReplicaSet', 'replicasets', true],
  ['apps', 'StatefulSet', 'statefulsets', true],
  ['autoscaling', 'HorizontalPodAutoscaler', 'horizontalpodautoscalers', true],
  ['batch', 'CronJob', 'cronjobs', true],
  ['batch', 'Job', 'jobs', true],
  ['certificates.k8s.io', 'CertificateSigningRequest', 'certificatesigningrequests', false],
  ['coordination.k8s.io', 'Lease', 'leases', true],
  ['discovery.k8s.io', 'EndpointSlice', 'endpointslices', true],
  ['events.k8s.io', 'Event', 'events', true],
  ['flowcontrol.apiserver.k8s.io', 'FlowSchema', 'flowschemas', false],
  ['flowcontrol.apiserver.k8s.io', 'PriorityLevelConfiguration', 'prioritylevelconfigurations', false],
  ['networking.k8s.io', 'Ingress', 'ingresses', true],
  ['networking.k8s.io', 'IngressClass', 'ingressclasses', false],
  ['networking.k8s.io', 'NetworkPolicy', 'networkpolicies', true],
  ['node.k8s.io', 'RuntimeClass', 'runtimeclasses', false],
  ['policy', 'PodDisruptionBudget', 'poddisruptionbudgets', true],
  ['rbac.authorization.k8s.io', 'ClusterRole', 'clusterroles', false],
  ['rbac.authorization.k8s.io', 'ClusterRoleBinding', 'clusterrolebindings', false],
  ['rbac.authorization.k8s.io', 'Role', 'roles', true],
  ['rbac.authorization.k8s.io', 'RoleBinding', 'rolebindings', true],
  ['scheduling.k8s.io', 'PriorityClass', 'priorityclasses', false],
  ['storage.k8s.io', 'CSIDriver', 'csidrivers', false],
  ['storage.k8s.io', 'CSINode', 'csinodes', false],
  ['storage.k8s.io', 'CSIStorageCapacity', 'csistoragecapacities', true],
  ['storage.k8s.io', 'StorageClass', 'storageclasses', false],
  ['storage.k8s.io', 'VolumeAttachment', 'volumeattachments', false],
];

export const BUILTIN_RESOURCES: readonly ApiResource[] = BUILTIN.map(([group, kind, resource, namespaced]) => ({ group, kind, resource, namespaced, source: 'built-in' }));

/** The group of an apiVersion (`apps/v1` → `apps`, `v1` → ''). */
export function groupOf(apiVersion: unknown): string {
  const v = String(apiVersion ?? '');
  return v.includes('/') ? v.slice(0, v.indexOf('/')) : '';
}

/** The kind a CRD defines, from its spec. */
export function crdResource(crd: Record<string, any>): ApiResource | undefined {
  const s = crd.spec ?? {};
  if (!s.group || !s.names?.kind || !s.names?.plural) return undefined;
  return { group: s.group, kind: s.names.kind, resource: s.names.plural, namespaced: s.scope !== 'Cluster', source: `CustomResourceDefinition/${crd.metadata?.name}` };
}

/** The kinds a cluster serves, by `group/Kind`. */
export class ApiResources {
  private readonly byKey = new Map<string, ApiResource>();

  constructor() {
    for (const r of BUILTIN_RESOURCES) this.byKey.set(`${r.group}/${r.kind}`, r);
  }

  /** Serves a CRD's kind; false when it was already served. */
  addCrd(crd: Record<string, any>): ApiResource | undefined {
    const r = crdResource(crd);
    if (!r || this.byKey.has(`${r.group}/${r.kind}`)) return undefined;
    this.byKey.set(`${r.group}/${r.kind}`, r);
    return r;
  }

  get(group: string, kind: string): ApiResource | undefined {
    return this.byKey.get(`${group}/${kind}`);
  }

  forObject(o: Record<string, any>): ApiResource | undefined {
    return this.get(groupOf(o.apiVersion), String(o.kind));
  }

  all(): ApiResource[] {
    return [...this.byKey.values()];
  }
}
