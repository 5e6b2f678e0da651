// The API versions charts see in `.Capabilities.APIVersions`: what Argo CD passes with
// `--api-versions` for the destination cluster (built-in APIs of its Kubernetes version and every
// CRD version installed on it), so that objects a chart gates on a CRD render as on the cluster.
import { builtinApiVersions, clusterApiVersions, crdApisOf } from '../../chart-renders/api-versions.js';
import { join } from 'node:path';
import { ChartFootprints, FOOTPRINTS_FILE, readFootprintFile } from '../../chart-renders/footprints.js';
import { renderCluster } from '../../charts/cluster.js';
import { kubeVersionOf } from '../../spec/kubernetes-version.js';
import { loadFleet } from '../../spec/load.js';
import type { ClusterSpec } from '../../spec/schema.js';
import { EXAMPLE_OVERLAYS, REPO_ROOT } from '../helpers/fleet.js';
import { describeWithReferenceData } from '../helpers/reference-data.js';
import { ofKind, useRealCharts } from '../charts-real/real-charts.js';

test('the built-in API versions list each served GA resource as group/version and group/version/Kind', () => {
  const v = builtinApiVersions('1.33.0');
  expect(v).toEqual(expect.arrayContaining(['v1', 'v1/Service', 'apps/v1', 'apps/v1/Deployment', 'policy/v1/PodDisruptionBudget', 'autoscaling/v2/HorizontalPodAutoscaler']));
});

test('the built-in API versions leave out what Argo CD does not list: alpha APIs, kinds without list and watch, and meta types', () => {
  const v = builtinApiVersions('1.33.0');
  for (const absent of ['admissionregistration.k8s.io/v1alpha1', 'v1/Binding', 'v1/ComponentStatus', 'policy/v1/Eviction', 'authorization.k8s.io/v1/SubjectAccessReview', 'apps/v1/DeleteOptions', 'v1/PodList']) {
    expect({ absent, listed: v.includes(absent) }).toEqual({ absent, listed: false });
  }
});

test('the built-in API versions follow the Kubernetes version: flowcontrol v1beta3 until 1.31, MutatingAdmissionPolicy v1 from 1.36', () => {
  expect(builtinApiVersions('1.31.0')).toContain('flowcontrol.apiserver.k8s.io/v1beta3');
  expect(builtinApiVersions('1.32.0')).not.toContain('flowcontrol.apiserver.k8s.io/v1beta3');
  expect(builtinApiVersions('1.35.0')).not.toContain('admissionregistration.k8s.io/v1/MutatingAdmissionPolicy');
  expect(builtinApiVersions('1.36.0')).toContain('admissionregistration.k8s.io/v1/MutatingAdmissionPolicy');
});

test('an installed CRD adds group/version and group/version/Kind for each version it serves, not for versions it no longer serves', () => {
  const crd = {
    apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition',
    spec: { group: 'example.com', names: { kind: 'Widget', plural: 'widgets' }, versions: [{ name: 'v1', served: true }, { name: 'v1beta1', served: false }] },
  };
  const v = clusterApiVersions('1.33.0', crdApisOf([crd]));
  expect(v).toEqual(expect.arrayContaining(['example.com/v1', 'example.com/v1/Widget']));
  expect(v.filter((x) => x.startsWith('example.com/v1beta1'))).toEqual([]);
  expect(v).toEqual([...v].sort());
});

describeWithReferenceData('charts rendered with the cluster\'s API versions', 'helm/charts', () => {
  const real = useRealCharts(['velero', 'kube-prometheus-stack', 'argo-cd']);
  let spec: ClusterSpec;
  beforeAll(async () => { spec = (await loadFleet(EXAMPLE_OVERLAYS)).find((s) => s.name === 'dev')!; }, 120_000);

  test('velero renders its ServiceMonitor (gated on monitoring.coreos.com/v1) once kube-prometheus-stack\'s CRDs are installed', () => {
    const kv = kubeVersionOf(spec);
    const crds = crdApisOf(real().renderer.render(real().source(spec, 'kube-prometheus-stack'), { kubeVersion: kv }).objects);
    const velero = real().source(spec, 'velero');
    const objects = real().renderer.render(velero, { kubeVersion: kv, apiVersions: clusterApiVersions(kv, crds) }).objects;
    expect(ofKind(objects, 'ServiceMonitor').map((o) => o.metadata.name)).toEqual(['velero']);
  });

  test('velero renders no ServiceMonitor on a cluster without the prometheus-operator CRDs', () => {
    const kv = kubeVersionOf(spec);
    const objects = real().renderer.render(real().source(spec, 'velero'), { kubeVersion: kv, apiVersions: builtinApiVersions(kv) }).objects;
    expect(ofKind(objects, 'ServiceMonitor')).toEqual([]);
  });

  test('renderCluster renders every chart with the CRD versions the cluster\'s charts install', () => {
    // The charts not packaged here answer from the committed file.
    const r = renderCluster(spec, { footprints: new ChartFootprints(readFootprintFile(join(REPO_ROOT, FOOTPRINTS_FILE)), real().renderer) });
    expect(r.apiVersions).toEqual(expect.arrayContaining(['monitoring.coreos.com/v1', 'monitoring.coreos.com/v1/ServiceMonitor', 'argoproj.io/v1alpha1/Application', 'velero.io/v1/Schedule']));
    const velero = r.renders.find((x) => x.component === 'velero')!.render.objects;
    expect(ofKind(velero, 'ServiceMonitor')).toHaveLength(1);
  }, 300_000);

  test('a hydrated cluster\'s charts see only the CRDs of earlier waves: argo-cd, synced first, renders no ServiceMonitor', () => {
    const hydrated = { ...spec, argocd: { ...spec.argocd, hydrate: true } };
    const r = renderCluster(hydrated, { footprints: new ChartFootprints(readFootprintFile(join(REPO_ROOT, FOOTPRINTS_FILE)), real().renderer) });
    expect(ofKind(r.renders.find((x) => x.component === 'argo-cd')!.render.objects, 'ServiceMonitor')).toEqual([]);
  }, 300_000);
});
