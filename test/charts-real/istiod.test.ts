// istiod 1.30 reads its autoscaling settings at the top level of its values (`autoscaleEnabled`,
// `autoscaleMin`, `autoscaleMax`: templates/autoscale.yaml, poddisruptionbudget.yaml and
// deployment.yaml); values.yaml documents them there. What prod and stage get is asserted on what
// the pinned chart renders for the cluster, not on our values object.
//
// Found while writing this: the chart still accepts the legacy `pilot.` prefix — its
// templates/zzy_descope_legacy.yaml copies everything under `.pilot` to the top level (Helm
// renders it after zzz_profile.yaml and before the other templates). So `pilot.autoscaleEnabled`
// was not ignored; the values now use the documented top-level keys, which a key-path check
// against values.yaml can verify.
import { specFor } from '../helpers/fleet.js';
import { describeWithReferenceData } from '../helpers/reference-data.js';
import { ofKind, useRealCharts } from './real-charts.js';

describeWithReferenceData('istiod (the pinned chart, rendered)', 'helm/charts', () => {
  const charts = useRealCharts(['istiod']);
  const prod = specFor({ environment: 'prod', mesh: { kind: 'istio' } }, 'istio-prod');
  const stage = specFor({ environment: 'stage', mesh: { kind: 'istio' } }, 'istio-stage');

  test('prod: an HPA from 2 to 5 replicas and a PodDisruptionBudget; the Deployment leaves replicas to the HPA', () => {
    const objects = charts().render(prod, 'istiod');
    const [hpa] = ofKind(objects, 'HorizontalPodAutoscaler', 'istiod');
    expect(hpa?.spec).toMatchObject({ minReplicas: 2, maxReplicas: 5, scaleTargetRef: { kind: 'Deployment', name: 'istiod' } });
    const [pdb] = ofKind(objects, 'PodDisruptionBudget', 'istiod');
    expect(pdb?.spec).toMatchObject({ minAvailable: 1, selector: { matchLabels: { app: 'istiod' } } });
    expect(ofKind(objects, 'Deployment', 'istiod')[0].spec.replicas).toBeUndefined();
  });

  test('below prod: one fixed replica, no HPA and no PodDisruptionBudget (it would block node drains)', () => {
    const objects = charts().render(stage, 'istiod');
    expect(ofKind(objects, 'HorizontalPodAutoscaler')).toEqual([]);
    expect(ofKind(objects, 'PodDisruptionBudget')).toEqual([]);
    expect(ofKind(objects, 'Deployment', 'istiod')[0].spec.replicas).toBe(1);
  });

  test('the values use the documented top-level keys, no legacy pilot.* block', () => {
    const values = charts().source(prod, 'istiod').values;
    expect(values).not.toHaveProperty('pilot');
    expect(values).toMatchObject({ autoscaleEnabled: true, autoscaleMin: 2, autoscaleMax: 5 });
    expect(charts().source(stage, 'istiod').values).toMatchObject({ autoscaleEnabled: false, replicaCount: 1 });
  });

  test('the chart still lifts a legacy pilot.* block to the top level (templates/zzy_descope_legacy.yaml)', () => {
    const source = charts().source(stage, 'istiod');
    const { autoscaleEnabled: _, replicaCount: __, ...rest } = source.values;
    const legacy = { ...source, values: { ...rest, pilot: { autoscaleEnabled: true, autoscaleMin: 3 } } };
    expect(ofKind(charts().renderSource(legacy), 'HorizontalPodAutoscaler')[0]?.spec).toMatchObject({ minReplicas: 3, maxReplicas: 5 });
  });
});
