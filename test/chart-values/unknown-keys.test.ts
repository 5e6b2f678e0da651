// A key path the pinned chart never reads is an error naming cluster, component, path and chart
// version, with the closest path the chart does read.
import { checkChartValues } from '../../chart-renders/values.js';
import { describeWithReferenceData } from '../helpers/reference-data.js';
import { pinnedCharts } from './pinned-charts.js';

describeWithReferenceData('values keys the chart never reads', 'helm/charts', () => {
  const charts = pinnedCharts();
  const check = (chart: string, values: Record<string, unknown>, component?: string) =>
    checkChartValues(charts.chart(chart), values, charts.where(chart, component));

  test('a misspelt key is an error with the sibling it was meant to be', () => {
    expect(check('istiod', { autoscaleEnable: true }).map((p) => p.message)).toEqual([
      'c1: istiod: values.autoscaleEnable: the chart istiod 1.30.4 reads no such key; did you mean autoscaleEnabled?',
    ]);
  });

  test('pilot.autoscaleEnabled: istiod reads it only through its legacy pilot.* copy, a warning that says to write autoscaleEnabled', () => {
    // templates/zzy_descope_legacy.yaml merges .Values.pilot into .Values, so Helm does honour it
    // (the HPA gets pilot.autoscaleMin); the canonical key is the top-level one.
    const problems = check('istiod', { pilot: { autoscaleEnabled: true, autoscaleMin: 2 } });
    expect(problems.map((p) => [p.severity, p.kind, p.path, p.suggestion])).toEqual([
      ['warning', 'prefixed-key', 'pilot.autoscaleEnabled', 'autoscaleEnabled'],
      ['warning', 'prefixed-key', 'pilot.autoscaleMin', 'autoscaleMin'],
    ]);
    expect(problems[0]!.message).toBe(
      'c1: istiod: values.pilot.autoscaleEnabled: the chart istiod 1.30.4 reads it only as autoscaleEnabled (templates/zzy_descope_legacy.yaml copies pilot.* to the top level); write autoscaleEnabled',
    );
  });

  test('a misspelt key under the copied prefix is an error suggesting the top-level key', () => {
    expect(check('istiod', { pilot: { autoscaleEnable: true } }).map((p) => p.message)).toEqual([
      'c1: istiod: values.pilot.autoscaleEnable: the chart istiod 1.30.4 reads no such key; did you mean autoscaleEnabled?',
    ]);
  });

  test('Istio\'s _internal_defaults_do_not_set wrapper: its keys are read at the top level', () => {
    expect(check('istiod', { autoscaleMin: 2, resources: { requests: { cpu: '1' } }, meshConfig: { accessLogFile: '/dev/stdout' } })).toEqual([]);
  });

  test('Loki storage.bucketNames.admin is reported; chunks and ruler, read by the templates without a default, are not', () => {
    const problems = check('loki', { loki: { storage: { bucketNames: { chunks: 'b', ruler: 'b', admin: 'b' }, type: 's3' } } });
    expect(problems.map((p) => p.message)).toEqual([
      'c1: loki: values.loki.storage.bucketNames.admin: the chart loki 18.11.0 reads no such key; under loki.storage.bucketNames it reads chunks, ruler',
    ]);
  });

  test('a key put at the wrong level is an error naming where the chart reads that leaf', () => {
    const problems = check('loki', { storage: { bucketNames: { chunks: 'b' } } });
    expect(problems.map((p) => [p.path, p.suggestion])).toEqual([['storage.bucketNames.chunks', 'loki.storage.bucketNames.chunks']]);
  });

  test('a misspelt map key is one problem, not one per key below it', () => {
    const problems = check('opencost', { opencost: { exportr: { defaultClusterId: 'x', replicas: 1 } } });
    expect(problems.map((p) => [p.path, p.suggestion])).toEqual([['opencost.exportr', 'opencost.exporter']]);
  });

  test('under a key in the wrong place, each leaf is reported with where the chart reads it', () => {
    const problems = check('opencost', { exporter: { defaultClusterId: 'x', replicas: 1 } });
    expect(problems.map((p) => [p.path, p.suggestion])).toEqual([
      ['exporter.defaultClusterId', 'opencost.exporter.defaultClusterId'],
      ['exporter.replicas', 'opencost.exporter.replicas'],
    ]);
  });

  test('a subchart key is checked against the subchart\'s defaults, under its alias', () => {
    // argo-cd's redis-ha subchart: `redis-ha.haproxy.replicas` is a redis-ha default, `replica` is not.
    const problems = check('argo-cd', { 'redis-ha': { enabled: true, haproxy: { replicas: 2, replica: 2 } } });
    expect(problems.map((p) => [p.path, p.suggestion])).toEqual([['redis-ha.haproxy.replica', 'redis-ha.haproxy.replicas']]);
  });

  test('global.* is known from any chart of the tree', () => {
    expect(check('argo-cd', { global: { domain: 'x' }, 'redis-ha': { enabled: true } })).toEqual([]);
    expect(check('argo-cd', { global: { domian: 'x' } }).map((p) => p.suggestion)).toEqual(['global.domain']);
  });

  test('values for a subchart the package does not vendor are a warning, not silently passed', () => {
    const problems = check('kube-prometheus-stack', { grafana: { enabled: true, adminPassword: 'x' } });
    expect(problems.map((p) => [p.severity, p.kind, p.path])).toEqual([['warning', 'unchecked-subchart', 'grafana']]);
  });
});
