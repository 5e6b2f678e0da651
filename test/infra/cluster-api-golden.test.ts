// The management tree of one on-prem vSphere prod cluster built by Cluster API, file by file: a
// change to the mapping or the bootstrap shows up here for review (the CRD checks are in
// cluster-api.test.ts).
import { renderInfra } from '../../infra/render.js';
import { stackSpec } from './helpers.js';

test('the management tree of a vSphere prod cluster', () => {
  const spec = stackSpec('onprem', {
    domain: 'corp.company.ru',
    kubernetesVersion: '1.35',
    infra: {
      backend: 'cluster-api',
      management: 'mgmt',
      kubernetesPatch: 2,
      registry: { name: 'soft-yt', host: 'harbor.corp.company.ru' },
      vsphere: {
        server: 'vcenter.corp.company.ru', datacenter: 'msk-dc1', datastore: 'vsan-prod', network: 'k8s-prod',
        folder: '/msk-dc1/vm/k8s/vs1', resourcePool: '/msk-dc1/host/cluster1/Resources/k8s', template: 'ubuntu-2404-kube-v1.35.2',
        controlPlaneEndpoint: '10.20.0.5',
      },
    },
  }, 'vs1');
  const r = renderInfra([spec]);
  expect(r.problems).toEqual([]);
  expect(Object.fromEntries(r.files.filter((f) => f.path.startsWith('management/')).map((f) => [f.path, f.content]))).toMatchSnapshot();
  expect(r.notAutomated.get('vs1')).toMatchSnapshot();
});
