// Container logs reach Loki: a second OpenTelemetry Collector release runs on every node, reads
// /var/log/pods with the chart's logsCollection preset, adds the pod's Kubernetes metadata and
// sends to Loki over OTLP. Read back from what the pinned chart renders (chart 0.170 writes the
// components by their new names: file_log, k8s_attributes).
import yaml from 'js-yaml';
import { LOKI_URL, MONITORING_AGENTS_NAMESPACE } from '../../charts/monitoring.js';
import { specFor } from '../helpers/fleet.js';
import { describeWithReferenceData } from '../helpers/reference-data.js';
import { ofKind, useRealCharts, type K8sObject } from '../charts-real/real-charts.js';

describeWithReferenceData('node-level container log collection', 'helm/charts', () => {
  const charts = useRealCharts(['opentelemetry-collector']);
  const spec = specFor({}, 'logs');
  const objects = (): K8sObject[] => charts().render(spec, 'opentelemetry-collector-logs');
  const config = (o: K8sObject[]) => yaml.load(ofKind(o, 'ConfigMap')[0].data.relay) as Record<string, any>;

  test('a DaemonSet in the node agents\' namespace that tolerates every taint reads the nodes\' pod logs read-only', () => {
    const [ds] = ofKind(objects(), 'DaemonSet');
    expect(ds.metadata.namespace).toBe(MONITORING_AGENTS_NAMESPACE);
    expect(ds.spec.template.spec.tolerations).toEqual([{ operator: 'Exists' }]);
    expect(ds.spec.template.spec.volumes).toEqual(expect.arrayContaining([{ name: 'varlogpods', hostPath: { path: '/var/log/pods' } }]));
    expect(ds.spec.template.spec.containers[0].volumeMounts).toEqual(expect.arrayContaining([{ name: 'varlogpods', mountPath: '/var/log/pods', readOnly: true }]));
  });

  test('its one pipeline takes the files, adds Kubernetes and cluster metadata and exports to Loki\'s OTLP endpoint', () => {
    const c = config(objects());
    expect(c.receivers.file_log.include).toEqual(['/var/log/pods/*/*/*.log']);
    expect(Object.keys(c.service.pipelines)).toEqual(['logs']);
    expect(c.service.pipelines.logs).toEqual({ receivers: ['file_log'], processors: ['memory_limiter', 'k8s_attributes', 'resource', 'batch'], exporters: ['otlphttp/loki'] });
    expect(c.exporters['otlphttp/loki'].endpoint).toBe(`${LOKI_URL}/otlp`);
    // Each agent asks the API about its own node's pods only.
    expect(c.processors.k8s_attributes.filter).toEqual({ node_from_env_var: 'K8S_NODE_NAME' });
    expect(c.processors.resource.attributes).toContainEqual({ key: 'k8s.cluster.name', value: 'logs', action: 'upsert' });
  });

  test('it opens no port on the nodes: it receives nothing', () => {
    const [ds] = ofKind(objects(), 'DaemonSet');
    const ports = ds.spec.template.spec.containers.flatMap((c: K8sObject) => c.ports ?? []);
    expect(ports.filter((p: K8sObject) => p.hostPort)).toEqual([]);
    expect(ports.map((p: K8sObject) => p.name)).toEqual(['metrics']);
  });

  test('the overlay can turn it off', () => {
    expect(charts().sources(specFor({ observability: { containerLogs: false } }, 'nologs')).map((s) => s.application)).not.toContain('nologs/opentelemetry-collector-logs');
  });
});
