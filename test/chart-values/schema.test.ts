// What Helm itself refuses: values against the chart's (and each enabled subchart's)
// values.schema.json, through helm/chartutil/schema.ts (Helm's own validator), each with its key path.
import { checkChartValues } from '../../chart-renders/values.js';
import { describeWithReferenceData } from '../helpers/reference-data.js';
import { pinnedCharts } from './pinned-charts.js';

describeWithReferenceData('values against values.schema.json', 'helm/charts', () => {
  const charts = pinnedCharts();
  const check = (chart: string, values: Record<string, unknown>) => checkChartValues(charts.chart(chart), values, charts.where(chart));

  test('a value of the wrong type is reported at its path with the schema\'s words (cert-manager)', () => {
    expect(check('cert-manager', { replicaCount: 'two' }).map((p) => p.message)).toEqual([
      "c1: cert-manager: values.replicaCount: the values.schema.json of cert-manager v1.21.1 refuses it: got string, want number",
    ]);
  });

  test('a nested violation names the whole path (cert-manager webhook.replicaCount)', () => {
    expect(check('cert-manager', { webhook: { replicaCount: 'two' } }).map((p) => [p.kind, p.path])).toEqual([['schema', 'webhook.replicaCount']]);
  });

  test('a key the schema forbids (additionalProperties: false) is one schema problem with a suggestion, not also an unknown key (traefik)', () => {
    expect(check('traefik', { deploymnt: { replicas: 2 } }).map((p) => p.message)).toEqual([
      'c1: traefik: values.deploymnt: the values.schema.json of traefik 41.3.0 allows no such key; did you mean deployment?',
    ]);
  });

  test('an enum violation (traefik log.level)', () => {
    expect(check('traefik', { log: { level: 'VERBOSE' } }).map((p) => p.message)).toEqual([
      "c1: traefik: values.log.level: the values.schema.json of traefik 41.3.0 refuses it: value must be one of 'TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL', 'PANIC'",
    ]);
  });

  test('schema: false (a caller whose render already passed Helm\'s validation) checks key paths only', () => {
    const problems = checkChartValues(charts.chart('cert-manager'), { replicaCount: 'two', replicaCont: 2 }, charts.where('cert-manager'), { schema: false });
    expect(problems.map((p) => [p.kind, p.path, p.suggestion])).toEqual([['unknown-key', 'replicaCont', 'replicaCount']]);
  });

  test('values that satisfy the schema give nothing', () => {
    expect(check('cert-manager', { replicaCount: 2, crds: { enabled: true, keep: true } })).toEqual([]);
  });
});
