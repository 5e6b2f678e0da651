// The charts' own CI values (`ci/*.yaml` in the reference chart folders, 75 files written by the
// chart maintainers, who know which keys their chart reads) are the check's false-positive test:
// the free-form rules must accept them. What is left is exactly this list, each entry confirmed
// by reading the chart: keys that upstream CI still sets but that the chart no longer reads.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { loadChart } from '../../helm/index.js';
import { checkChartValues } from '../../chart-renders/values.js';
import { describeWithReferenceData, hasReferenceData, referencePath } from '../helpers/reference-data.js';

describeWithReferenceData('the pinned charts\' own CI values', 'helm/charts', () => {
  test('give only keys the charts really never read', () => {
    const root = referencePath('helm/charts');
    const found: string[] = [];
    let files = 0;
    for (const folder of hasReferenceData('helm/charts') ? readdirSync(root).sort() : []) {
      const ci = join(root, folder, 'ci');
      if (!existsSync(ci)) continue;
      const chart = loadChart(join(root, folder));
      for (const file of readdirSync(ci).filter((f) => /\.ya?ml$/.test(f)).sort()) {
        // A few files hold more than one document; Helm's -f reads the first.
        const values = (yaml.loadAll(readFileSync(join(ci, file), 'utf8'))[0] ?? {}) as Record<string, unknown>;
        files++;
        const where = { cluster: folder, component: `ci/${file}`, chart: chart.name(), version: chart.metadata.Version };
        for (const p of checkChartValues(chart, values, where)) {
          // Subcharts the reference folders do not vendor cannot be checked (see helm/README.md).
          if (p.kind !== 'unchecked-subchart') found.push(`${p.severity}: ${p.message}`);
        }
      }
    }
    expect(files).toBeGreaterThan(70);
    expect(found).toEqual([
      // kyverno reads webhooksCleanup.enabled; `enable` is read nowhere.
      'error: kyverno-3.9.0: ci/hooks-values.yaml: values.webhooksCleanup.enable: the chart kyverno 3.9.0 reads no such key; did you mean webhooksCleanup.enabled?',
      // kyverno 3.9 has a networkPolicy per controller, none at the top level.
      'error: kyverno-3.9.0: ci/networkpolicy-values.yaml: values.networkPolicy.enabled: the chart kyverno 3.9.0 reads no such key; did you mean cleanupController.networkPolicy.enabled?',
      // loki reads storage.bucketNames.chunks and ruler only (see fleet.test.ts).
      'error: loki-18.11.0: ci/default-ssd-values.yaml: values.loki.storage.bucketNames.admin: the chart loki 18.11.0 reads no such key; under loki.storage.bucketNames it reads chunks, ruler',
      'error: loki-18.11.0: ci/default-values.yaml: values.loki.storage.bucketNames.admin: the chart loki 18.11.0 reads no such key; under loki.storage.bucketNames it reads chunks, ruler',
      'error: loki-18.11.0: ci/ingress-values.yaml: values.loki.storage.bucketNames.admin: the chart loki 18.11.0 reads no such key; under loki.storage.bucketNames it reads chunks, ruler',
      'error: loki-18.11.0: ci/keda-querier-values.yaml: values.loki.storage.bucketNames.admin: the chart loki 18.11.0 reads no such key; under loki.storage.bucketNames it reads chunks, ruler',
      // KEDA settings are read per component (`.component.kedaAutoscaling`, templates/_keda.tpl) and from defaults.
      'error: loki-18.11.0: ci/keda-querier-values.yaml: values.loki.kedaAutoscaling.prometheusAddress: the chart loki 18.11.0 reads no such key; did you mean defaults.kedaAutoscaling.prometheusAddress?',
      'error: loki-18.11.0: ci/keda-querier-values.yaml: values.loki.kedaAutoscaling.customHeaders: the chart loki 18.11.0 reads no such key; did you mean defaults.kedaAutoscaling.customHeaders?',
      // The memcached section has no replicas (each cache has its own); the bloom compactor is gone from 18.x.
      'error: loki-18.11.0: ci/non-default-values.yaml: values.memcached.replicas: the chart loki 18.11.0 reads no such key',
      'error: loki-18.11.0: ci/non-default-values.yaml: values.bloomCompactor.enabled: the chart loki 18.11.0 reads no such key',
      'error: loki-18.11.0: ci/non-default-values.yaml: values.bloomCompactor.replicas: the chart loki 18.11.0 reads no such key',
      'error: loki-18.11.0: ci/with-direct-route-api-values.yaml: values.loki.storage.bucketNames.admin: the chart loki 18.11.0 reads no such key; under loki.storage.bucketNames it reads chunks, ruler',
      'error: loki-18.11.0: ci/with-gateway-api-values.yaml: values.loki.storage.bucketNames.admin: the chart loki 18.11.0 reads no such key; under loki.storage.bucketNames it reads chunks, ruler',
      // A placeholder global no template reads.
      'error: opentelemetry-collector-0.170.0: ci/deployment-values.yaml: values.global.test: the chart opentelemetry-collector 0.170.0 reads no such key; under global it reads imageRegistry',
    ]);
  }, 300_000);
});
