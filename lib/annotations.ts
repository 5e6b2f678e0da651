/**
 * Annotation on a component's Application naming the namespaces other than its destination that
 * its chart writes into (see PlatformComponent.foreignObjects); the fleet rules read it.
 */
export const FOREIGN_NAMESPACES_ANNOTATION = 'platform.company.ru/foreign-namespaces';

/**
 * Annotation on each cluster's root Application (`bootstrap/`) recording the cluster's Kubernetes
 * version (`spec.kubernetesVersion`, MAJOR.MINOR): `infra-synth validate DIR` reads it to validate
 * each cluster of a rendered tree for its own version (validate/tree-versions.ts).
 */
export const KUBERNETES_VERSION_ANNOTATION = 'platform.company.ru/kubernetes-version';
