// Argo CD's own metrics: the argo-cd chart renders a ServiceMonitor per component once the cluster
// serves monitoring.coreos.com/v1, kube-prometheus-stack's Prometheus selects them, the
// NetworkPolicies admit the scrape, and the platform-argocd alerts ship with runbook sections.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ChartFootprints, FOOTPRINTS_FILE, readFootprintFile } from '../../chart-renders/footprints.js';
import { ARGOCD_ALERTS, ARGOCD_METRICS_COMPONENTS, argoCdJob } from '../../charts/argocd-metrics.js';
import { renderCluster, type RenderedCluster } from '../../charts/cluster.js';
import { loadFleet } from '../../spec/load.js';
import { EXAMPLE_OVERLAYS, REPO_ROOT } from '../helpers/fleet.js';
import { describeWithReferenceData } from '../helpers/reference-data.js';
import { ofKind, useRealCharts, type K8sObject } from '../charts-real/real-charts.js';

const matches = (selector: Record<string, any> | undefined, labels: Record<string, string>) =>
  !selector?.matchExpressions?.length && Object.entries(selector?.matchLabels ?? {}).every(([k, v]) => labels[k] === v);

describeWithReferenceData('Argo CD metrics and alerts', 'helm/charts', () => {
  const real = useRealCharts(['argo-cd', 'kube-prometheus-stack']);
  let cluster: RenderedCluster;
  const chart = (component: string): K8sObject[] => cluster.renders.find((r) => r.component === component)!.render.objects;
  beforeAll(async () => {
    const spec = (await loadFleet(EXAMPLE_OVERLAYS)).find((s) => s.name === 'dev')!;
    // The charts not packaged here answer from the committed file.
    cluster = renderCluster(spec, { footprints: new ChartFootprints(readFootprintFile(join(REPO_ROOT, FOOTPRINTS_FILE)), real().renderer) });
  }, 300_000);

  test('the argo-cd chart renders a ServiceMonitor for each component with metrics', () => {
    const names = ofKind(chart('argo-cd'), 'ServiceMonitor').map((o) => o.metadata.name).sort();
    expect(names).toEqual(ARGOCD_METRICS_COMPONENTS.map((c) => argoCdJob(c.name)).sort());
  });

  test('each argo-cd ServiceMonitor selects a metrics Service of the chart, in Argo CD\'s namespace', () => {
    const services = ofKind(chart('argo-cd'), 'Service');
    for (const sm of ofKind(chart('argo-cd'), 'ServiceMonitor')) {
      const selected = services.filter((s) => matches(sm.spec.selector, s.metadata.labels ?? {}) && sm.spec.namespaceSelector.matchNames.includes(s.metadata.namespace));
      const port = sm.spec.endpoints[0].port;
      expect({ sm: sm.metadata.name, services: selected.map((s) => s.spec.ports.some((p: any) => p.name === port)) }).toEqual({ sm: sm.metadata.name, services: [true] });
    }
  });

  test('kube-prometheus-stack\'s Prometheus selects every argo-cd ServiceMonitor', () => {
    const [prometheus] = ofKind(chart('kube-prometheus-stack'), 'Prometheus');
    const { serviceMonitorSelector, serviceMonitorNamespaceSelector } = prometheus.spec;
    const namespaceLabels = (ns: string) => ({ 'kubernetes.io/metadata.name': ns });
    for (const sm of ofKind(chart('argo-cd'), 'ServiceMonitor')) {
      expect({ sm: sm.metadata.name, selected: matches(serviceMonitorSelector, sm.metadata.labels ?? {}) && matches(serviceMonitorNamespaceSelector, namespaceLabels(sm.metadata.namespace)) })
        .toEqual({ sm: sm.metadata.name, selected: true });
    }
  });

  test('Argo CD\'s NetworkPolicies admit monitoring on the metrics port of every pod a ServiceMonitor scrapes', () => {
    const policies = ofKind(chart('argo-cd'), 'NetworkPolicy');
    for (const c of ARGOCD_METRICS_COMPONENTS) {
      const pods = { 'app.kubernetes.io/name': argoCdJob(c.name), 'app.kubernetes.io/instance': 'argocd' };
      const admits = policies.some((p) => Object.keys(p.spec.podSelector.matchLabels ?? {}).length && matches(p.spec.podSelector, pods)
        && p.spec.ingress.some((r: any) => r.from.some((f: any) => f.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'] === 'monitoring') && r.ports.some((x: any) => x.port === 'metrics')));
      expect({ component: c.name, admits }).toEqual({ component: c.name, admits: true });
    }
  });

  test('the Argo CD alerts ship in a PrometheusRule of kube-prometheus-stack', () => {
    const rules = ofKind(chart('kube-prometheus-stack'), 'PrometheusRule').flatMap((r) => r.spec.groups).filter((g: any) => g.name === 'platform-argocd');
    expect(rules.flatMap((g: any) => g.rules.map((r: any) => r.alert)).sort())
      .toEqual(['ArgoCdAppDegraded', 'ArgoCdAppOutOfSync', 'ArgoCdControllerDown', 'ArgoCdRepoServerDown', 'ArgoCdSyncFailed']);
  });
});

test('every Argo CD alert links a section of docs/runbooks/argocd.md that exists', () => {
  const headings = readFileSync(join(REPO_ROOT, 'docs/runbooks/argocd.md'), 'utf8').split('\n').filter((l) => l.startsWith('## ')).map((l) => l.slice(3).trim().toLowerCase());
  for (const r of ARGOCD_ALERTS.rules) {
    const [file, anchor] = r.annotations.runbook_url.split('#');
    expect({ alert: r.alert, file, section: headings.includes(anchor!) }).toEqual({ alert: r.alert, file: 'docs/runbooks/argocd.md', section: true });
  }
});
