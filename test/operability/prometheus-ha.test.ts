// The Prometheus replicas of an HA pair do not share data: what is pushed to them (OTLP metrics
// from the collector, Tempo's span metrics by remote-write) must reach each one, not one at
// random through the Service. Read back from what the pinned charts render.
import yaml from 'js-yaml';
import { specFor } from '../helpers/fleet.js';
import { describeWithReferenceData } from '../helpers/reference-data.js';
import { ofKind, useRealCharts } from '../charts-real/real-charts.js';

const replica = (i: number) => `http://prometheus-kube-prometheus-stack-prometheus-${i}.prometheus-operated.monitoring.svc:9090`;

describeWithReferenceData('pushed metrics reach every Prometheus replica', 'helm/charts', () => {
  const charts = useRealCharts(['opentelemetry-collector', 'tempo']);
  const prod = specFor({}, 'ha');

  test('the collector\'s metrics pipeline exports OTLP to each replica by its pod name, one exporter each', () => {
    const [cm] = ofKind(charts().render(prod, 'opentelemetry-collector'), 'ConfigMap');
    const config = yaml.load(cm.data.relay) as Record<string, any>;
    const exporters = config.service.pipelines.metrics.exporters as string[];
    expect(exporters.map((e) => config.exporters[e].endpoint)).toEqual([`${replica(0)}/api/v1/otlp`, `${replica(1)}/api/v1/otlp`]);
  });

  test('Tempo\'s metrics generator remote-writes to each replica', () => {
    const [cm] = ofKind(charts().render(prod, 'tempo'), 'ConfigMap', 'tempo');
    const config = yaml.load(cm.data['tempo.yaml']) as Record<string, any>;
    expect(config.metrics_generator.storage.remote_write).toEqual([{ url: `${replica(0)}/api/v1/write` }, { url: `${replica(1)}/api/v1/write` }]);
  });

  test('one replica, one destination', () => {
    const [cm] = ofKind(charts().render(specFor({ environment: 'stage' }, 'single'), 'opentelemetry-collector'), 'ConfigMap');
    const config = yaml.load(cm.data.relay) as Record<string, any>;
    expect(config.service.pipelines.metrics.exporters).toEqual(['otlphttp/prometheus-0']);
  });
});
