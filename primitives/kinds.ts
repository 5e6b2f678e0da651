/** The REST resource (plural, lower-case) of a kind, as RBAC rules name it. */
export function resourceOf(kind: string): string {
  const lower = kind.toLowerCase();
  if (/(s|x|ch|sh)$/.test(lower)) return `${lower}es`;
  if (/[^aeiou]y$/.test(lower)) return `${lower.slice(0, -1)}ies`;
  return `${lower}s`;
}

/**
 * The Kubernetes API's own cluster-scoped kinds (1.28–1.36), `group/Kind` → resource. Scopes of
 * custom resources come from their CRDs (chart-renders/footprint.ts).
 */
export const CLUSTER_SCOPED_KINDS: ReadonlyMap<string, string> = new Map([
  ['/Namespace', 'namespaces'], ['/Node', 'nodes'], ['/PersistentVolume', 'persistentvolumes'], ['/ComponentStatus', 'componentstatuses'],
  ['admissionregistration.k8s.io/MutatingWebhookConfiguration', 'mutatingwebhookconfigurations'],
  ['admissionregistration.k8s.io/ValidatingWebhookConfiguration', 'validatingwebhookconfigurations'],
  ['admissionregistration.k8s.io/ValidatingAdmissionPolicy', 'validatingadmissionpolicies'],
  ['admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding', 'validatingadmissionpolicybindings'],
  ['admissionregistration.k8s.io/MutatingAdmissionPolicy', 'mutatingadmissionpolicies'],
  ['admissionregistration.k8s.io/MutatingAdmissionPolicyBinding', 'mutatingadmissionpolicybindings'],
  ['apiextensions.k8s.io/CustomResourceDefinition', 'customresourcedefinitions'],
  ['apiregistration.k8s.io/APIService', 'apiservices'],
  ['certificates.k8s.io/CertificateSigningRequest', 'certificatesigningrequests'],
  ['certificates.k8s.io/ClusterTrustBundle', 'clustertrustbundles'],
  ['flowcontrol.apiserver.k8s.io/FlowSchema', 'flowschemas'],
  ['flowcontrol.apiserver.k8s.io/PriorityLevelConfiguration', 'prioritylevelconfigurations'],
  ['networking.k8s.io/IngressClass', 'ingressclasses'], ['networking.k8s.io/IPAddress', 'ipaddresses'], ['networking.k8s.io/ServiceCIDR', 'servicecidrs'],
  ['node.k8s.io/RuntimeClass', 'runtimeclasses'],
  ['rbac.authorization.k8s.io/ClusterRole', 'clusterroles'], ['rbac.authorization.k8s.io/ClusterRoleBinding', 'clusterrolebindings'],
  ['scheduling.k8s.io/PriorityClass', 'priorityclasses'],
  ['storage.k8s.io/CSIDriver', 'csidrivers'], ['storage.k8s.io/CSINode', 'csinodes'], ['storage.k8s.io/StorageClass', 'storageclasses'],
  ['storage.k8s.io/VolumeAttachment', 'volumeattachments'], ['storage.k8s.io/VolumeAttributesClass', 'volumeattributesclasses'],
  ['resource.k8s.io/DeviceClass', 'deviceclasses'], ['resource.k8s.io/ResourceSlice', 'resourceslices'],
  ['internal.apiserver.k8s.io/StorageVersion', 'storageversions'],
  ['storagemigration.k8s.io/StorageVersionMigration', 'storageversionmigrations'],
]);

/** Core kinds whose resource name is not the regular plural of the kind. */
const IRREGULAR_RESOURCES: ReadonlyMap<string, string> = new Map([
  ['/Endpoints', 'endpoints'], ['/ComponentStatus', 'componentstatuses'], ['networking.k8s.io/NetworkPolicy', 'networkpolicies'],
]);

/** The resource of a kind in a group, as RBAC rules name it: a CRD's plural when known, else the API's. */
export function resourceOfKind(k: { group: string; kind: string; resource?: string }): string {
  return k.resource ?? CLUSTER_SCOPED_KINDS.get(`${k.group}/${k.kind}`) ?? IRREGULAR_RESOURCES.get(`${k.group}/${k.kind}`) ?? resourceOf(k.kind);
}
