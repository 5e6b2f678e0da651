// Argo CD's own metrics and the alerts on them. The argo-cd chart renders a metrics Service and a
// ServiceMonitor per component once the cluster serves monitoring.coreos.com/v1 (the chart gates
// them on `.Capabilities.APIVersions`, which synth now fills as Argo CD does: chart-renders/
// api-versions.ts). kube-prometheus-stack's Prometheus selects every ServiceMonitor in every
// namespace (charts/monitoring.ts: the *SelectorNilUsesHelmValues are false), so no selector
// labels are needed; the NetworkPolicies of charts/argocd-network.ts admit the scrape from
// `monitoring` on each pod's `metrics` port.

/** The Helm release name of Argo CD: the chart's names and the pods' `app.kubernetes.io/name` start with it. */
export const ARGOCD_RELEASE = 'argocd';

/**
 * The chart's components with metrics, by values key and `name` (the chart's default component
 * names). Redis is left out: its metrics need the redis-exporter sidecar, one more image.
 */
export const ARGOCD_METRICS_COMPONENTS = [
  { values: 'controller', name: 'application-controller' },
  { values: 'server', name: 'server' },
  { values: 'repoServer', name: 'repo-server' },
  { values: 'applicationSet', name: 'applicationset-controller' },
  { values: 'notifications', name: 'notifications-controller' },
] as const;

/** The `job` label of a component's series: the pod's `app.kubernetes.io/name`, as the Argo CD dashboard queries it. */
export const argoCdJob = (name: string): string => `${ARGOCD_RELEASE}-${name}`;

/**
 * The argo-cd chart values that turn on each component's metrics Service and ServiceMonitor, to be
 * merged into that component's values. The series' `job` is the pod's `app.kubernetes.io/name`
 * (argocd-application-controller…) rather than the Service's name, so the dashboard and alerts
 * name the component.
 */
export function argoCdMetricsValues(): Record<string, { metrics: Record<string, unknown> }> {
  const serviceMonitor = {
    enabled: true,
    relabelings: [{ sourceLabels: ['__meta_kubernetes_pod_label_app_kubernetes_io_name'], targetLabel: 'job' }],
  };
  return Object.fromEntries(ARGOCD_METRICS_COMPONENTS.map((c) => [c.values, { metrics: { enabled: true, serviceMonitor } }]));
}

const RUNBOOK = 'docs/runbooks/argocd.md';

/**
 * Alerts on Argo CD: Applications that stay out of sync or degraded, failing syncs, and the
 * controller or repo-server gone (then nothing syncs, and the Application alerts go quiet with
 * the metrics). Templates use `.Labels`, not `$labels`: Argo CD interpolates `$` variables in Helm input.
 */
export const ARGOCD_ALERTS = {
  name: 'platform-argocd',
  rules: [
    {
      alert: 'ArgoCdAppOutOfSync',
      expr: 'argocd_app_info{sync_status="OutOfSync"} == 1',
      for: '30m',
      labels: { severity: 'warning' },
      annotations: { summary: 'Application {{ .Labels.name }} has been OutOfSync for 30 minutes', runbook_url: `${RUNBOOK}#argocdappoutofsync` },
    },
    {
      alert: 'ArgoCdAppDegraded',
      expr: 'argocd_app_info{health_status="Degraded"} == 1',
      for: '15m',
      labels: { severity: 'critical' },
      annotations: { summary: 'Application {{ .Labels.name }} has been Degraded for 15 minutes', runbook_url: `${RUNBOOK}#argocdappdegraded` },
    },
    {
      alert: 'ArgoCdSyncFailed',
      expr: 'increase(argocd_app_sync_total{phase=~"Error|Failed"}[15m]) > 0',
      labels: { severity: 'warning' },
      annotations: { summary: 'A sync of Application {{ .Labels.name }} failed in the last 15 minutes', runbook_url: `${RUNBOOK}#argocdsyncfailed` },
    },
    {
      alert: 'ArgoCdControllerDown',
      expr: `absent(up{job="${argoCdJob('application-controller')}"} == 1)`,
      for: '10m',
      labels: { severity: 'critical' },
      annotations: { summary: 'The Argo CD application controller has not been scraped for 10 minutes: nothing syncs or self-heals', runbook_url: `${RUNBOOK}#argocdcontrollerdown` },
    },
    {
      alert: 'ArgoCdRepoServerDown',
      expr: `absent(up{job="${argoCdJob('repo-server')}"} == 1)`,
      for: '10m',
      labels: { severity: 'critical' },
      annotations: { summary: 'No Argo CD repo-server has been scraped for 10 minutes: manifests cannot be rendered', runbook_url: `${RUNBOOK}#argocdreposerverdown` },
    },
  ],
};
