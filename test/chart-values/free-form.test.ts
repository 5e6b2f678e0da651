// Free-form maps are recognised by rule, not by a list per chart: below them any key is accepted.
// Each test names the rule that applies (explainKeyPath says which one did).
import { checkChartValues, explainKeyPath } from '../../chart-renders/values.js';
import { describeWithReferenceData } from '../helpers/reference-data.js';
import { pinnedCharts } from './pinned-charts.js';

describeWithReferenceData('free-form values', 'helm/charts', () => {
  const charts = pinnedCharts();
  const check = (chart: string, values: Record<string, unknown>) => checkChartValues(charts.chart(chart), values, charts.where(chart));
  const why = (chart: string, path: string) => explainKeyPath(charts.chart(chart), {}, path.split('.'));

  test('a default that is an empty map: argo-cd server.podAnnotations takes any annotation', () => {
    expect(check('argo-cd', { server: { podAnnotations: { 'backup.velero.io/backup-volumes': 'x', anything: 'y' } } })).toEqual([]);
    expect(why('argo-cd', 'server.podAnnotations.anything')).toBe('server.podAnnotations: its default is an empty map');
  });

  test('a default map whose keys are not names: argo-cd configs.cm takes any argocd-cm setting', () => {
    expect(check('argo-cd', { configs: { cm: { 'exec.enabled': false, 'timeout.reconciliation': '180s', 'any.new.setting': 'x' } } })).toEqual([]);
    expect(why('argo-cd', 'configs.cm.x')).toMatch(/^configs\.cm: its default has the key ".*", not a name: a free-form map$/);
  });

  test('a map the templates hand to toYaml (no default at all): cert-manager podAnnotations', () => {
    expect(check('cert-manager', { podAnnotations: { 'a.example.com/x': 'y' } })).toEqual([]);
    expect(why('cert-manager', 'podAnnotations.x')).toBe('podAnnotations: the chart passes it on whole (toYaml in templates/deployment.yaml)');
  });

  test('Loki loki.limits_config: passed through tpl (toYaml) in the config template held in values.yaml', () => {
    expect(check('loki', { loki: { limits_config: { retention_period: '720h', some_future_limit: 1 } } })).toEqual([]);
    expect(why('loki', 'loki.limits_config.x')).toBe('loki.limits_config: the chart passes it on whole (toYaml in values.yaml loki.config)');
  });

  test('the OpenTelemetry collector config: deep-copied, merged with the presets and printed whole', () => {
    expect(check('opentelemetry-collector', {
      image: { repository: 'otel/opentelemetry-collector-k8s' },
      mode: 'deployment',
      config: { exporters: { 'otlp/tempo': { endpoint: 'tempo:4317' } }, connectors: { spanmetrics: {} } },
    })).toEqual([]);
    expect(why('opentelemetry-collector', 'config.x')).toBe('config: the chart passes it on whole (toYaml in templates/_config.tpl)');
  });

  test('a map the templates range over: opencost customPricing.costModel', () => {
    expect(check('opencost', { opencost: { customPricing: { costModel: { CPU: '1', anyPriceKey: '2' } } } })).toEqual([]);
    expect(why('opencost', 'opencost.customPricing.costModel.x')).toBe(
      'opencost.customPricing.costModel: the chart passes it on whole (range in templates/configmap-custom-pricing.yaml)',
    );
  });

  test('list items are not checked: external-dns extraVolumes items', () => {
    expect(check('external-dns', { extraVolumes: [{ name: 'v', secret: { secretName: 's', anything: 1 } }] })).toEqual([]);
  });

  test('values.schema.json patternProperties: opentelemetry-collector ports take any port name', () => {
    expect(why('opentelemetry-collector', 'ports.my-port')).toBe('ports: values.schema.json allows keys by pattern (patternProperties)');
  });

  test('free-form stops at the map: a typo beside it is still reported', () => {
    const problems = check('argo-cd', { server: { podAnnotations: { a: 'b' }, podAnotations: { a: 'b' } } });
    expect(problems.map((p) => p.message)).toEqual([
      'c1: argo-cd: values.server.podAnotations: the chart argo-cd 10.1.1 reads no such key; did you mean server.podAnnotations?',
    ]);
  });
});
