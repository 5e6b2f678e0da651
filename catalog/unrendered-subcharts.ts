// The footprint of subcharts that a chart package in the cache may lack. Charts packaged offline
// from the reference folders (`charts pull --from`, what CI does) lack the subcharts those folders
// do not vendor; a package pulled from the chart repository has them, renders them, and this list
// is not read. Without it the derived allowlist and RBAC would leave out what these subcharts run
// (Grafana's image, kube-state-metrics' ClusterRole), and the cluster would refuse them.
//
// Hand-kept, like a pin: reviewed on every bump of the parent chart. Each entry names the kinds
// the subchart renders with our values and the image repositories it runs (tags do not matter
// here: the allowlist is by registry prefix). Written from the subcharts' templates at the
// versions the parents' Chart.yaml pin; (U) where the reference data could not confirm it.

/** A kind a subchart writes: in the release namespace unless `namespace` says otherwise. */
export interface SubchartObject {
  readonly group: string;
  readonly kind: string;
  readonly namespace?: string;
}

export interface UnrenderedSubchart {
  /** The parent chart as catalog/versions.ts names it. */
  readonly chart: string;
  /** The dependency name in the parent's Chart.yaml. */
  readonly subchart: string;
  readonly objects: readonly SubchartObject[];
  /** Image repositories (no tag) its pods run. */
  readonly images: readonly string[];
  /** The subchart's defaults that the parent's templates read (`index .Values "<subchart>"`), without which the parent does not render. @default - none */
  readonly defaultsReadByParent?: Record<string, unknown>;
  /** The strictest Pod Security level its pods pass (the PSA labels of `podNamespace` allow at least this). */
  readonly podSecurity: 'restricted' | 'baseline' | 'privileged';
  /**
   * Where its pods run with our values, when not in the parent's release namespace (a
   * `namespaceOverride` the parent's values set): the namespace `podSecurity` applies to.
   * @default - the release namespace
   */
  readonly podNamespace?: string;
  /** The ClusterRoles it renders and binds, by the parent's release name (the controller may escalate and bind exactly these). @default - none */
  readonly clusterRoles?: (releaseName: string) => readonly string[];
}

const core = (kind: string): SubchartObject => ({ group: '', kind });
const apps = (kind: string): SubchartObject => ({ group: 'apps', kind });
const rbac = (kind: string): SubchartObject => ({ group: 'rbac.authorization.k8s.io', kind });
const SERVICE_MONITOR: SubchartObject = { group: 'monitoring.coreos.com', kind: 'ServiceMonitor' };
/**
 * node-exporter's namespace with our values: charts/monitoring.ts MONITORING_AGENTS_NAMESPACE (a
 * literal here, as catalog/ imports nothing of charts/; a test holds the two equal).
 */
export const NODE_EXPORTER_NAMESPACE = 'monitoring-agents';

export const UNRENDERED_SUBCHARTS: readonly UnrenderedSubchart[] = [
  {
    // kube-state-metrics 8.4.0: reads every object kind cluster-wide, hence its ClusterRole.
    chart: 'kube-prometheus-stack',
    subchart: 'kube-state-metrics',
    objects: [core('ServiceAccount'), core('Service'), apps('Deployment'), rbac('ClusterRole'), rbac('ClusterRoleBinding'), SERVICE_MONITOR],
    images: ['registry.k8s.io/kube-state-metrics/kube-state-metrics'],
    // templates/prometheus/clusterrole.yaml reads kubeRBACProxy.enabled (default false).
    defaultsReadByParent: { kubeRBACProxy: { enabled: false } },
    // (U) non-root 65534, RuntimeDefault seccomp, all capabilities dropped, no privilege escalation.
    podSecurity: 'restricted',
    // (U) `kube-state-metrics.fullname`: no fullnameOverride in the parent's values.
    clusterRoles: (release) => [`${release}-kube-state-metrics`],
  },
  {
    // prometheus-node-exporter 4.56.1: a DaemonSet on every node (host network and PID namespace).
    // Every object in the node agents' namespace: charts/monitoring.ts sets the subchart's
    // namespaceOverride to MONITORING_AGENTS_NAMESPACE (the parent's values document it for this,
    // "multi-namespace deployments in combined charts"), so that monitoring is not privileged.
    chart: 'kube-prometheus-stack',
    subchart: 'prometheus-node-exporter',
    objects: [core('ServiceAccount'), core('Service'), apps('DaemonSet'), SERVICE_MONITOR].map((o) => ({ ...o, namespace: NODE_EXPORTER_NAMESPACE })),
    images: ['quay.io/prometheus/node-exporter'],
    defaultsReadByParent: { kubeRBACProxy: { enabled: false } },
    // hostNetwork, hostPID and hostPath mounts of /proc, /sys and /: only privileged allows them.
    podSecurity: 'privileged',
    podNamespace: NODE_EXPORTER_NAMESPACE,
  },
  {
    // grafana 12.11.1 with kube-prometheus-stack's values: dashboards and datasources sidecars
    // (kiwigrid), a ClusterRole to watch ConfigMaps in every namespace (searchNamespace: ALL),
    // and busybox to chown a persistent volume. (U): the chart's test Pod (bats) is a Helm test
    // hook, which Argo CD does not run.
    chart: 'kube-prometheus-stack',
    subchart: 'grafana',
    objects: [
      core('ServiceAccount'), core('Secret'), core('ConfigMap'), core('Service'), core('PersistentVolumeClaim'), apps('Deployment'),
      rbac('Role'), rbac('RoleBinding'), rbac('ClusterRole'), rbac('ClusterRoleBinding'), SERVICE_MONITOR,
    ],
    images: ['docker.io/grafana/grafana', 'quay.io/kiwigrid/k8s-sidecar', 'docker.io/library/busybox'],
    // (U) the init-chown-data container (persistence on) runs as root and adds CHOWN: baseline, not restricted.
    podSecurity: 'baseline',
    // (U) `grafana.fullname`-clusterrole, bound by its ClusterRoleBinding.
    clusterRoles: (release) => [`${release}-grafana-clusterrole`],
  },
];
