// kube-prometheus-stack's control-plane exporters write Services into kube-system (and rules and
// ServiceMonitors into monitoring). On managed clouds (Yandex, VK Cloud, Cloud.ru) the masters
// cannot be scraped: the controller-manager, scheduler, etcd and kube-proxy exporters would alert
// forever (KubeControllerManagerDown, ...), so they are off there; on-prem keeps them. CoreDNS runs
// as pods everywhere and is scraped everywhere. Whatever the chart writes into kube-system, the
// component declares (foreignObjects): the bootstrap RBAC grants exactly those kinds there, and
// the platform project allows the namespace.
//
// The reference data does not vendor kps's subcharts (grafana, kube-state-metrics,
// prometheus-node-exporter, prometheus-windows-exporter), and Helm refuses a chart with a
// declared dependency missing. The parent chart — where the exporters, their Services and the
// rules live — is rendered with those subcharts disabled by their conditions (grafana.enabled,
// kubeStateMetrics.enabled, nodeExporter.enabled; windowsMonitoring is off by default); what the
// subcharts render (their own namespace, the release's) is not checked here.
import { renderCluster } from '../../charts/cluster.js';
import { specFor } from '../helpers/fleet.js';
import { describeWithReferenceData } from '../helpers/reference-data.js';
import type { ClusterSpec } from '../../spec/schema.js';
import { disallowedImages, imagesOf, ofKind, useRealCharts, type K8sObject } from './real-charts.js';
import { ONPREM_SITE } from '../helpers/onprem-site.js';

const CONTROL_PLANE = ['kube-controller-manager', 'kube-etcd', 'kube-proxy', 'kube-scheduler'];

describeWithReferenceData('kube-prometheus-stack (the parent chart, rendered without its unvendored subcharts)', 'helm/charts', () => {
  const charts = useRealCharts(['kube-prometheus-stack']);
  const managed: [string, ClusterSpec][] = (['yandex', 'vk', 'sber'] as const).map((cloud) => [cloud, specFor({ cloud, environment: 'prod' }, `${cloud}-kps`)]);
  const onprem = specFor({ cloud: 'onprem', infrastructure: 'vsphere', ...ONPREM_SITE, environment: 'prod', domain: 'corp.company.ru', tls: { issuer: 'company-ca', companyCaSecret: 'company-ca-key-pair' } }, 'onprem-kps');

  const render = (spec: ClusterSpec): K8sObject[] => {
    const s = charts().source(spec, 'kube-prometheus-stack');
    const values = { ...s.values, grafana: { ...(s.values.grafana as object), enabled: false }, kubeStateMetrics: { enabled: false }, nodeExporter: { enabled: false } };
    return charts().renderWithoutDisabledDependencies({ ...s, values });
  };
  const inKubeSystem = (objects: K8sObject[]) => objects.filter((o) => o.metadata?.namespace === 'kube-system').map((o) => `${o.kind}/${o.metadata.name}`).sort();
  const names = (objects: K8sObject[], kind: string) => ofKind(objects, kind).map((o) => o.metadata.name as string);

  test.each(managed)('%s (managed control plane): no control-plane exporter, rule or ServiceMonitor; only the CoreDNS Service in kube-system', (_, spec) => {
    const objects = render(spec);
    expect(inKubeSystem(objects)).toEqual(['Service/kube-prometheus-stack-coredns']);
    for (const e of CONTROL_PLANE) expect(names(objects, 'ServiceMonitor')).not.toContain(`kube-prometheus-stack-${e}`);
    expect(names(objects, 'PrometheusRule').filter((n) => /controller-manager|scheduler|etcd|kube-proxy/.test(n))).toEqual([]);
  });

  // kps 88.5.3's admission webhook certificate Jobs run the maintained fork
  // ghcr.io/jkroepke/kube-webhook-certgen: reviewed into catalog/policy.ts (synth's chart rules
  // refused it before), and the cluster's allowlist is derived from what it runs.
  test.each([...managed, ['onprem', onprem] as [string, ClusterSpec]])('%s: every image the parent chart\'s pods run comes from a registry the cluster\'s Kyverno policy allows, the certgen fork included', (_, spec) => {
    const images = imagesOf(render(spec));
    expect(images).toContain('ghcr.io/jkroepke/kube-webhook-certgen:1.8.7');
    expect(disallowedImages(spec, images)).toEqual([]);
  });

  test('on-prem: the control-plane exporters stay, each with its Service in kube-system', () => {
    const objects = render(onprem);
    expect(inKubeSystem(objects)).toEqual(['coredns', ...CONTROL_PLANE].map((e) => `Service/kube-prometheus-stack-${e}`).sort());
    for (const e of CONTROL_PLANE) expect(names(objects, 'ServiceMonitor')).toContain(`kube-prometheus-stack-${e}`);
  });

  test.each([...managed, ['onprem', onprem] as [string, ClusterSpec]])('%s: Argo CD may write exactly what the chart writes into kube-system, and nothing else there', (_, spec) => {
    const kinds = [...new Set(render(spec).filter((o) => o.metadata?.namespace === 'kube-system').map((o) => `${String(o.apiVersion).includes('/') ? String(o.apiVersion).split('/')[0] : ''}/${o.kind}`))].sort();
    const manifests = renderCluster(spec).manifests.map((m) => m.object);
    const app = manifests.find((o) => o.kind === 'Application' && o.metadata.name === 'kube-prometheus-stack')!;
    expect(app.metadata.annotations?.['platform.company.ru/foreign-namespaces']).toBe('kube-system');
    const project = manifests.find((o) => o.kind === 'AppProject' && o.metadata.name === 'platform')!;
    expect(project.spec.destinations.map((d: any) => d.namespace)).toContain('kube-system');
    // The bootstrap Role in kube-system: the chart's kinds (and the webhook's RoleBindings on Yandex).
    const role = manifests.find((o) => o.kind === 'Role' && o.metadata.namespace === 'kube-system')!;
    const granted = role.rules.filter((r: any) => r.verbs.includes('create')).flatMap((r: any) => r.apiGroups.flatMap((g: string) => r.resources.map((res: string) => `${g}/${res}`)));
    expect(granted).toEqual(expect.arrayContaining(kinds.map((k) => k.replace(/\/Service$/, '/services'))));
    expect(granted.filter((g: string) => !['/services', 'rbac.authorization.k8s.io/rolebindings'].includes(g))).toEqual([]);
  });
});
