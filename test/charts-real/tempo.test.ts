// Tempo's metrics generator (span metrics and the service graph behind Grafana's service map)
// produces nothing until its processors are enabled in the overrides: tempo chart 2.2.4 writes
// `tempo.overrides` into tempo.yaml as is, in the new overrides format (`defaults.metrics_generator.
// processors`, see its values.yaml). Asserted on the rendered tempo.yaml.
import yaml from 'js-yaml';
import { prometheusReplicaUrls } from '../../charts/monitoring.js';
import { specFor } from '../helpers/fleet.js';
import { describeWithReferenceData } from '../helpers/reference-data.js';
import { ofKind, useRealCharts } from './real-charts.js';

describeWithReferenceData('Tempo (the pinned chart, rendered)', 'helm/charts', () => {
  const charts = useRealCharts(['tempo']);
  const tempoYaml = (env: string) => {
    const spec = specFor({ environment: env }, `tempo-${env}`);
    const [cm] = ofKind(charts().render(spec, 'tempo'), 'ConfigMap', 'tempo');
    return { spec, config: yaml.load(cm.data['tempo.yaml']) as Record<string, any> };
  };

  test.each(['dev', 'prod'])('%s: the metrics generator runs the service-graphs and span-metrics processors for every tenant', (env) => {
    const { spec, config } = tempoYaml(env);
    expect(config.overrides.defaults.metrics_generator.processors).toEqual(['service-graphs', 'span-metrics']);
    // Merged into the chart's overrides, not replacing them: the per-tenant file is still read.
    expect(config.overrides.per_tenant_override_config).toBe('/conf/overrides.yaml');
    // One remote write per Prometheus replica (pushed samples reach every replica of an HA pair).
    expect(config.metrics_generator.storage.remote_write).toEqual(prometheusReplicaUrls(spec).map((u) => ({ url: `${u}/api/v1/write` })));
    expect(config.metrics_generator.storage.remote_write).toHaveLength(env === 'prod' ? 2 : 1);
  });
});
