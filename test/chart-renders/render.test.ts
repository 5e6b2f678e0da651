// What synth reads of an Application's Helm source is what Argo CD will render.
import { helmSources } from '../../chart-renders/render.js';

const app = (helm: Record<string, unknown>) => ({
  cluster: 'c1', file: 'clusters/c1/apps/application-x.yaml', index: 0,
  object: {
    apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'x', namespace: 'argocd' },
    spec: { destination: { namespace: 'x-ns' }, source: { repoURL: 'https://charts.example', chart: 'x', targetRevision: '1.2.3', helm } },
  },
});

test('a Helm source gives chart, version, release name, namespace and values', () => {
  expect(helmSources([app({ releaseName: 'rel', valuesObject: { a: 1 } })])).toEqual([{
    application: 'c1/x', file: 'clusters/c1/apps/application-x.yaml', chart: 'x', version: '1.2.3',
    releaseName: 'rel', namespace: 'x-ns', values: { a: 1 }, skipCrds: false,
  }]);
});

test('the release name defaults to the Application name and values may be a YAML string', () => {
  const [s] = helmSources([app({ values: 'a:\n  b: true\n' })]);
  expect([s.releaseName, s.values]).toEqual(['x', { a: { b: true } }]);
});

test('skipCrds is carried, so the chart\'s crds/ are not counted as applied', () => {
  expect(helmSources([app({ skipCrds: true })])[0].skipCrds).toBe(true);
});

test('an Application whose source is a plain folder has no Helm source', () => {
  const plain = app({});
  delete (plain.object.spec.source as Record<string, unknown>).chart;
  expect(helmSources([plain])).toEqual([]);
});
