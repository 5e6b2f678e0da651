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

/** Label the Grafana sidecar watches (kube-prometheus-stack `grafana.sidecar.dashboards.label`). */
export const DASHBOARD_LABEL = 'grafana_dashboard';
/** Annotation naming the Grafana folder (`grafana.sidecar.dashboards.folderAnnotation`). */
export const DASHBOARD_FOLDER_ANNOTATION = 'grafana_folder';
/** The dashboard's uid, repeated for the fleet rules and for people reading the tree. */
export const DASHBOARD_UID_ANNOTATION = 'platform.company.ru/dashboard-uid';
/** The file the dashboard came from. */
export const DASHBOARD_SOURCE_ANNOTATION = 'platform.company.ru/source';

/** Annotation on a ServiceMonitor whose Service a team repository owns: the declared Service, as JSON (see validate/observability-rules.ts). */
export const DECLARED_SERVICE_ANNOTATION = 'platform.company.ru/declared-service';

/** Annotation on a SecretProviderClass naming the ServiceAccount whose pods mount it (pods live in the team's repository). */
export const SPC_CONSUMER_ANNOTATION = 'platform.company.ru/consumer-service-account';

/** Annotation that carries the cluster's reviewed image exemptions (JSON) for the coverage rule. */
export const EXEMPTIONS_ANNOTATION = 'policy.platform.company.ru/image-exemptions';

/** Name of the CEL variable that holds the allowed prefixes; validate/image-rules.ts reads it back. */
export const ALLOWED_PREFIXES_VARIABLE = 'allowedPrefixes';
