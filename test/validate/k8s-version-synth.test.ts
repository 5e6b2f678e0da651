// Synth of a cluster whose version is below what its charts' CRDs need fails, naming the CRD and
// the field: cert-manager 1.21's chart renders CRDs with selectableFields (honoured by default
// from Kubernetes 1.31), and the chart output goes through the schemas of the cluster's version.
import { renderBatch } from '../../pipeline/render-batch.js';
import { formatFinding } from '../../validate/finding.js';
import { chartCacheWith } from '../helpers/chart-cache.js';
import { specFor } from '../helpers/fleet.js';
import { describeWithReferenceData } from '../helpers/reference-data.js';

describeWithReferenceData('synth for the cluster\'s Kubernetes version', 'helm/charts', () => {
  // cert-manager rendered; the other charts come from the committed footprints (synth --charts auto).
  const { cacheDir, lockFile } = chartCacheWith(['cert-manager']);

  const selectableFieldFindings = async (kubernetesVersion: string) => {
    const r = await renderBatch([specFor({ cloud: 'yandex', kubernetesVersion }, 'yc-old')], { chartCache: { cacheDir, lockFile }, charts: 'auto' });
    return r.findings.map(formatFinding).filter((f) => f.includes('selectableFields')).sort();
  };

  test('a cluster set to 1.29 fails, naming each of cert-manager\'s CRDs and selectableFields', async () => {
    const at = (crd: string) => `yc-old: clusters/yc-old/apps/application-cert-manager.yaml: CustomResourceDefinition/${crd}: .spec.versions[0].selectableFields: rendered by cert-manager v1.21.1: field "selectableFields" needs Kubernetes ≥ 1.31; cluster yc-old runs 1.29`;
    expect(await selectableFieldFindings('1.29')).toEqual([
      at('certificaterequests.cert-manager.io'), at('certificates.cert-manager.io'), at('challenges.acme.cert-manager.io'), at('orders.acme.cert-manager.io'),
    ]);
  }, 120_000);

  test('the same cluster set to 1.33 has no such finding', async () => {
    expect(await selectableFieldFindings('1.33')).toEqual([]);
  }, 120_000);
});
