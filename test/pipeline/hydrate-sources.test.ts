// How hydrateApplication rewrites an Application's sources, whatever its charts render: no example
// Application has several sources, so these Applications and renders are written out here (the
// pinned charts' renders are in hydrate.test.ts).
import yaml from 'js-yaml';
import type { ChartRender, HelmSource } from '../../chart-renders/render.js';
import { UserError } from '../../primitives/errors.js';
import { hydrateApplication } from '../../pipeline/hydrate.js';

const OPTS = { clusterPath: 'clusters/c1', repoURL: 'ssh://git@git.company.ru/platform/infra-gitops.git', targetRevision: 'main' };
const DIRECTORY = { repoURL: OPTS.repoURL, targetRevision: 'main', directory: { recurse: true } };

const helmSource = (chart: string, releaseName = chart) => ({ repoURL: 'https://charts.example.com', chart, targetRevision: '1.0.0', helm: { releaseName, valuesObject: { a: 1 } } });
const gitSource = { repoURL: 'https://git.example.com/values.git', targetRevision: 'main', ref: 'values' };
const application = (spec: Record<string, unknown>) => ({
  apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'app', namespace: 'argocd' },
  spec: { project: 'platform', destination: { server: 'https://kubernetes.default.svc', namespace: 'ns' }, syncPolicy: { syncOptions: ['ServerSideApply=true', 'CreateNamespace=true'] }, ...spec },
});
const render = (chart: string, objects: Record<string, any>[], releaseName = chart): ChartRender => ({
  source: { application: 'c1/app', file: 'clusters/c1/apps/application-app.yaml', chart, version: '1.0.0', releaseName, namespace: 'ns', values: {}, skipCrds: false } satisfies HelmSource,
  objects,
});
const configMap = (name: string, namespace?: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...(namespace ? { namespace } : {}) }, data: { k: 'v' } });

describe('hydrateApplication: sources', () => {
  test('an Application without a Helm source is returned as it is, with no files', () => {
    const app = application({ source: { repoURL: OPTS.repoURL, targetRevision: 'main', path: 'clusters/c1/x' } });
    expect(hydrateApplication(app, [], OPTS)).toEqual({ application: app, files: [] });
  });

  test('multi-source: the Helm source becomes a directory source in its place, the other sources stay as they are', () => {
    const app = application({ sources: [gitSource, helmSource('x')] });
    const out = hydrateApplication(app, [render('x', [configMap('a')])], OPTS);
    expect(out.application.spec.sources).toEqual([gitSource, { ...DIRECTORY, path: 'clusters/c1/hydrated/app' }]);
    expect(out.application.spec.source).toBeUndefined();
  });

  test('multi-source with two Helm sources: one folder per release under the Application\'s folder', () => {
    const app = application({ sources: [helmSource('x'), helmSource('y')] });
    const out = hydrateApplication(app, [render('x', [configMap('a')]), render('y', [configMap('a')])], OPTS);
    expect(out.application.spec.sources.map((s: any) => s.path)).toEqual(['clusters/c1/hydrated/app/x', 'clusters/c1/hydrated/app/y']);
    expect(out.files.map((f) => f.path)).toEqual(['clusters/c1/hydrated/app/x/configmap-a.yaml', 'clusters/c1/hydrated/app/y/configmap-a.yaml']);
  });

  test('the directory source is written with its keys in order, like every object synth writes', () => {
    const out = hydrateApplication(application({ source: { ...helmSource('x'), name: 'x' } }), [render('x', [configMap('a')])], OPTS);
    expect(Object.keys(out.application.spec.source)).toEqual(['directory', 'name', 'path', 'repoURL', 'targetRevision']);
  });

  test('the Application given is not modified', () => {
    const app = application({ source: helmSource('x') });
    const before = JSON.stringify(app);
    hydrateApplication(app, [render('x', [configMap('a')])], OPTS);
    expect(JSON.stringify(app)).toBe(before);
  });

  test('renders of other Applications are ignored; renders that do not match the Helm sources are a programming error', () => {
    const app = application({ source: helmSource('x') });
    const other = { ...render('x', [configMap('b')]), source: { ...render('x', []).source, application: 'c1/other' } };
    expect(hydrateApplication(app, [other, render('x', [configMap('a')])], OPTS).files.map((f) => f.path)).toEqual(['clusters/c1/hydrated/app/configmap-a.yaml']);
    expect(() => hydrateApplication(app, [render('z', [])], OPTS)).toThrow('Application app has Helm sources x@1.0.0, but the renders given are of z@1.0.0');
  });
});

describe('hydrateApplication: file names', () => {
  const paths = (objects: Record<string, any>[]) =>
    hydrateApplication(application({ source: helmSource('x') }), [render('x', objects)], OPTS).files.map((f) => f.path.replace('clusters/c1/hydrated/app/', ''));

  test('a name two objects would share is qualified with the namespace, for both', () => {
    expect(paths([configMap('a', 'kube-system'), configMap('a')])).toEqual(['configmap-a.yaml', 'configmap-kube-system.a.yaml']);
  });

  test('then with the API group', () => {
    const a = { apiVersion: 'a.example.com/v1', kind: 'Thing', metadata: { name: 't' } };
    const b = { apiVersion: 'b.example.com/v1', kind: 'Thing', metadata: { name: 't' } };
    expect(paths([b, a])).toEqual(['thing.a.example.com-t.yaml', 'thing.b.example.com-t.yaml']);
  });

  test('an object rendered twice gets two numbered files, in render order', () => {
    const first = { ...configMap('a'), data: { k: '1' } };
    const second = { ...configMap('a'), data: { k: '2' } };
    const files = hydrateApplication(application({ source: helmSource('x') }), [render('x', [first, second])], OPTS).files;
    expect(files.map((f) => [f.path.replace('clusters/c1/hydrated/app/', ''), (yaml.load(f.content) as any).data.k])).toEqual([['configmap-a-1.yaml', '1'], ['configmap-a-2.yaml', '2']]);
  });

  test('the same objects in another order give the same files', () => {
    const objects = [configMap('b'), configMap('a', 'x'), configMap('a', 'y'), { apiVersion: 'v1', kind: 'Service', metadata: { name: 'a' } }];
    const hydrate = (list: Record<string, any>[]) => hydrateApplication(application({ source: helmSource('x') }), [render('x', list)], OPTS).files;
    expect(hydrate([...objects].reverse())).toEqual(hydrate(objects));
  });
});

describe('hydrateApplication: partial renders', () => {
  test('a render without subcharts the values enable (a package from charts pull --from) is refused, naming them', () => {
    const partial = { ...render('x', [configMap('a')]), missingSubcharts: ['grafana', 'kube-state-metrics'] };
    const run = () => hydrateApplication(application({ source: helmSource('x') }), [partial], OPTS);
    expect(run).toThrow(UserError);
    expect(run).toThrow(/^c1: argocd\.hydrate: Application app \(chart x 1\.0\.0\) rendered without its subcharts grafana, kube-state-metrics, /);
  });

  test('a complete render (no missing subcharts) is hydrated', () => {
    const complete = { ...render('x', [configMap('a')]), missingSubcharts: [] };
    expect(hydrateApplication(application({ source: helmSource('x') }), [complete], OPTS).files).toHaveLength(1);
  });
});
