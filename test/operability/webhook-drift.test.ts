// No permanent OutOfSync: every admission webhook a chart renders with failurePolicy Ignore is
// rewritten at runtime by its controller (istiod's webhook controller, kube-prometheus-stack's
// certgen patch Job), so its Application ignores that field. Grafana's ReadWriteOnce volume
// cannot move to a rolling update's new pod on another node: it is recreated instead.
import { renderCluster } from '../../charts/cluster.js';
import { specFor } from '../helpers/fleet.js';
import { describeWithReferenceData } from '../helpers/reference-data.js';
import { useRealCharts, type K8sObject } from '../charts-real/real-charts.js';

const WEBHOOK_KINDS = ['ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration'];

describeWithReferenceData('webhooks patched at runtime are left out of Argo CD\'s diff', 'helm/charts', () => {
  const charts = useRealCharts(['base', 'istiod', 'kube-prometheus-stack']);
  const spec = specFor({ cloud: 'yandex', mesh: { kind: 'istio' } }, 'drift');
  const application = (name: string) => renderCluster(spec).manifests.map((m) => m.object)
    .find((o) => o.kind === 'Application' && o.metadata.name === name) as K8sObject;
  const render = (name: string): K8sObject[] => {
    const s = charts().source(spec, name);
    if (name !== 'kube-prometheus-stack') return charts().renderSource(s);
    const values = { ...s.values, grafana: { ...(s.values.grafana as object), enabled: false }, kubeStateMetrics: { enabled: false }, nodeExporter: { enabled: false } };
    return charts().renderWithoutDisabledDependencies({ ...s, values });
  };

  test.each(['istio-base', 'istiod', 'kube-prometheus-stack'])('%s: each webhook configuration rendered failing open has its failurePolicy ignored', (name) => {
    const patched = render(name).filter((o) => WEBHOOK_KINDS.includes(o.kind) && o.webhooks?.some((w: K8sObject) => w.failurePolicy === 'Ignore'));
    expect(patched.length).toBeGreaterThan(0);
    const app = application(name);
    for (const w of patched) {
      const rule = (app.spec.ignoreDifferences ?? []).find((d: K8sObject) => d.kind === w.kind && d.name === w.metadata.name);
      expect({ webhook: `${w.kind}/${w.metadata.name}`, jq: rule?.jqPathExpressions }).toEqual({ webhook: `${w.kind}/${w.metadata.name}`, jq: expect.arrayContaining(['.webhooks[]?.failurePolicy']) });
    }
    expect(app.spec.syncPolicy.syncOptions).toContain('RespectIgnoreDifferences=true');
  });
});

describe('Grafana\'s volume', () => {
  const grafana = (overlay: Record<string, unknown>) => {
    const app = renderCluster(specFor(overlay, 'g')).manifests.map((m) => m.object)
      .find((o) => o.kind === 'Application' && o.metadata.name === 'kube-prometheus-stack') as K8sObject;
    return app.spec.source.helm.valuesObject.grafana;
  };

  test('with a persistent volume, the Deployment is recreated, not rolled', () => {
    const g = grafana({});
    expect(g.persistence.enabled).toBe(true);
    expect(g.deploymentStrategy).toEqual({ type: 'Recreate' });
  });

  test('without one (dev), the chart\'s rolling update stays', () => {
    const g = grafana({ environment: 'dev', domain: 'dev.company.ru' });
    expect(g.persistence.enabled).toBe(false);
    expect(g.deploymentStrategy).toBeUndefined();
  });
});
