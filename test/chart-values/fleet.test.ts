// Every Helm Application of every example cluster, checked against its pinned chart. The list is
// exact: a fix to the overlays or the component charts shows up as a change here. Each entry was
// checked by reading the chart (see the comments).
import { renderCluster } from '../../charts/cluster.js';
import { helmSources, type HelmSource } from '../../chart-renders/render.js';
import { checkChartValues, explainKeyPath, formatPath, whereOf } from '../../chart-renders/values.js';
import { loadFleet } from '../../spec/load.js';
import { EXAMPLE_OVERLAYS } from '../helpers/fleet.js';
import { describeWithReferenceData } from '../helpers/reference-data.js';
import { pinnedCharts } from './pinned-charts.js';

describeWithReferenceData('the example fleet\'s Helm values against the pinned charts', 'helm/charts', () => {
  const charts = pinnedCharts();
  const sources: HelmSource[] = [];
  beforeAll(async () => {
    for (const spec of await loadFleet(EXAMPLE_OVERLAYS)) sources.push(...helmSources(renderCluster(spec).manifests));
  }, 300_000);

  test('every Helm Application is checked, and the problems are exactly these', () => {
    const found: string[] = [];
    for (const s of sources) {
      for (const p of checkChartValues(charts.chart(s.chart), s.values, whereOf(s))) found.push(`${p.severity}: ${p.message}`);
    }
    expect(sources.length).toBeGreaterThan(60);
    // What this check found before the fixes of issue 12 item 7 (all confirmed by reading the
    // charts, all fixed since):
    // - loki 18.11.0 reads loki.storage.bucketNames.chunks and .ruler only (`dig "storage"
    //   "bucketNames" ...` in templates/_helpers.tpl): bucketNames.admin on onprem-prod, sber-prod,
    //   vk-stage and yc-prod was read nowhere (8cf09d0);
    // - the Yandex webhook chart (1.0.9 standing in for 1.0.8-1) reads certManager.serviceAccountName
    //   only: certManager.namespace on yc-prod was read nowhere (aef0a66);
    // - istiod 1.30 reads pilot.autoscaleEnabled/autoscaleMin only through its legacy copy of
    //   pilot.* to the top level (templates/zzy_descope_legacy.yaml), warnings on onprem-prod and
    //   yc-prod (3f96e8d moved them to the top level).
    // OpenCost's clusterName (a5dcc2e) was a key the chart reads, with the wrong meaning: no key check finds that.
    expect(found.sort()).toEqual([
      // The reference kube-prometheus-stack 88.5.3 does not vendor grafana 12.11.1 (helm/README.md,
      // "Offline"): its values cannot be checked until the package has it.
      'warning: dev: kube-prometheus-stack: values.grafana: not checked: the package of kube-prometheus-stack 88.5.3 lacks its subchart grafana 12.11.1',
      'warning: onprem-prod: kube-prometheus-stack: values.grafana: not checked: the package of kube-prometheus-stack 88.5.3 lacks its subchart grafana 12.11.1',
      'warning: sber-prod: kube-prometheus-stack: values.grafana: not checked: the package of kube-prometheus-stack 88.5.3 lacks its subchart grafana 12.11.1',
      'warning: vk-stage: kube-prometheus-stack: values.grafana: not checked: the package of kube-prometheus-stack 88.5.3 lacks its subchart grafana 12.11.1',
      'warning: yc-prod: kube-prometheus-stack: values.grafana: not checked: the package of kube-prometheus-stack 88.5.3 lacks its subchart grafana 12.11.1',
    ]);
  }, 300_000);

  test('a typo in any key the example values set and the chart reads by name is an error suggesting that key', () => {
    // Every key path of every Application's values that is not below a free-form map, with one
    // letter dropped from its last key.
    const misses: string[] = [];
    let typos = 0;
    for (const s of sources) {
      const chart = charts.chart(s.chart);
      const paths: string[][] = [];
      const walk = (v: unknown, p: string[]) => {
        if (p.length > 0) paths.push(p);
        if (v && typeof v === 'object' && !Array.isArray(v)) for (const [k, x] of Object.entries(v)) walk(x, [...p, k]);
      };
      walk(s.values, []);
      for (const p of paths) {
        const key = p[p.length - 1]!;
        if (key.length < 4 || explainKeyPath(chart, s.values, p) !== 'read') continue;
        const typo = key.slice(0, -1);
        const values = JSON.parse(JSON.stringify(s.values)) as Record<string, unknown>;
        let parent: any = values;
        for (const seg of p.slice(0, -1)) parent = parent[seg];
        if (typo in parent) continue;
        parent[typo] = parent[key];
        delete parent[key];
        typos++;
        const found = checkChartValues(chart, values, whereOf(s), { schema: false });
        const expected = formatPath([...p.slice(0, -1), typo]);
        if (!found.some((f) => f.severity === 'error' && f.path === expected && f.suggestion === formatPath(p))) {
          misses.push(`${s.application}: ${expected}: ${found.map((f) => f.message).join(' | ') || 'not reported'}`);
        }
      }
    }
    expect(typos).toBeGreaterThan(300);
    expect(misses).toEqual([]);
  }, 300_000);
});
