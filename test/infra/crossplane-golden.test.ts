// The management tree of one Yandex prod cluster, file by file: a change to the Crossplane
// mapping or the bootstrap shows up here for review (the CRD checks are in crossplane.test.ts).
import { renderInfra } from '../../infra/render.js';
import { stackSpec } from './helpers.js';

test('the management tree of a Yandex prod cluster', () => {
  const spec = stackSpec('yandex', { infra: { backend: 'crossplane', management: 'mgmt', registry: { name: 'soft-yt' } } }, 'yc1');
  const r = renderInfra([spec]);
  expect(r.problems).toEqual([]);
  expect(Object.fromEntries(r.files.map((f) => [f.path, f.content]))).toMatchSnapshot();
  expect(r.notAutomated.get('yc1')).toMatchSnapshot();
});
