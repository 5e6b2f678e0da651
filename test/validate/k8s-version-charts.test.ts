// The CRDs the pinned charts render are validated for the cluster's version like any object:
// cert-manager 1.21's chart, rendered for a cluster whose overlay says 1.29, fails naming each
// CRD and selectableFields; the same chart for the example clusters' versions passes.
import { formatSchemaError, validateSchemas } from '../../validate/schema.js';
import { useRealCharts } from '../charts-real/real-charts.js';
import { specFor } from '../helpers/fleet.js';
import { describeWithReferenceData } from '../helpers/reference-data.js';

describeWithReferenceData('cert-manager\'s chart CRDs for the cluster\'s version', 'helm/charts', () => {
  const charts = useRealCharts(['cert-manager']);
  const errorsFor = async (kubernetesVersion: string) => {
    const spec = specFor({ cloud: 'yandex', kubernetesVersion }, 'yc-old');
    const objects = charts().render(spec, 'cert-manager');
    const manifests = objects.map((object, index) => ({ cluster: spec.name, file: 'clusters/yc-old/cert-manager (chart)', index, object }));
    return (await validateSchemas(manifests, { kubernetesVersion: spec.kubernetesVersion })).map(formatSchemaError);
  };

  test('a 1.29 cluster fails, naming each CRD and the field', async () => {
    const at = (crd: string) => `yc-old: clusters/yc-old/cert-manager (chart): CustomResourceDefinition/${crd}: .spec.versions[0].selectableFields: field "selectableFields" needs Kubernetes ≥ 1.31; cluster yc-old runs 1.29`;
    expect((await errorsFor('1.29')).sort()).toEqual([
      at('certificaterequests.cert-manager.io'), at('certificates.cert-manager.io'), at('challenges.acme.cert-manager.io'), at('orders.acme.cert-manager.io'),
    ]);
  });

  test('a 1.33 cluster passes', async () => {
    expect(await errorsFor('1.33')).toEqual([]);
  });
});
