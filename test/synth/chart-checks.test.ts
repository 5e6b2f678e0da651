// What synth checks in the chart renders of a cluster (pipeline/chart-checks.ts), on real renders.
import { renderCluster } from '../../charts/cluster.js';
import { checkChartRenders } from '../../pipeline/chart-checks.js';
import { loadFleet } from '../../spec/load.js';
import type { ClusterSpec } from '../../spec/schema.js';
import { formatFinding } from '../../validate/finding.js';
import { EXAMPLE_OVERLAYS } from '../helpers/fleet.js';
import { describeWithReferenceData } from '../helpers/reference-data.js';
import { useRealCharts } from '../charts-real/real-charts.js';

describeWithReferenceData('synth\'s checks of what the charts render', 'helm/charts', () => {
  const real = useRealCharts(['kyverno', 'cert-manager-webhook-yandex']);
  let yc: ClusterSpec;
  beforeAll(async () => { yc = (await loadFleet(EXAMPLE_OVERLAYS, ['yc-prod']))[0]; }, 120_000);
  const check = async (application: string, values: (v: Record<string, any>) => Record<string, any>) => {
    const source = real().source(yc, application);
    const changed = { ...source, values: values(JSON.parse(JSON.stringify(source.values))) };
    const render = real().renderer.render(changed);
    return (await checkChartRenders([{ component: application, render }], renderCluster(yc).manifests, real().renderer, yc.kubernetesVersion)).findings.map(formatFinding);
  };

  test('a values key the chart never reads fails, naming the cluster, Application, key path and the key it does read', async () => {
    const found = await check('kyverno', (v) => { v.admissionController.replica = v.admissionController.replicas; delete v.admissionController.replicas; return v; });
    expect(found).toEqual([expect.stringMatching(/^yc-prod: clusters\/yc-prod\/apps\/application-kyverno\.yaml: Application\/argocd\/kyverno: \.spec\.source\.helm\.valuesObject\.admissionController\.replica: .*kyverno 3\.9\.0 reads no such key; did you mean admissionController\.replicas\?/)]);
  }, 300_000);

  test('the example values of the chart pass', async () => {
    expect(await check('kyverno', (v) => v)).toEqual([]);
    expect(await check('cert-manager-webhook-yandex', (v) => v)).toEqual([]);
  }, 300_000);

  test('a chart that renders its own ClusterIssuer and a second cert-manager is refused, naming the chart and the objects', async () => {
    const found = await check('cert-manager-webhook-yandex', (v) => ({ ...v, installClusterIssuer: { enabled: true }, 'cert-manager': { enabled: true } }));
    expect(found).toEqual(expect.arrayContaining([
      expect.stringMatching(/ClusterIssuer\/yc-clusterissuer: \.kind: rendered by cert-manager-webhook-yandex 1\.0\.11 .*a ClusterIssuer is the platform's own object/),
      expect.stringMatching(/runs quay\.io\/jetstack\/cert-manager-webhook|runs cr\.yandex\/.*cert-manager-controller|comes from a registry the cluster's policy does not allow/),
    ]));
  }, 300_000);
});
