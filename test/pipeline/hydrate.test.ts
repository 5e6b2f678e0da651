// Hydration with the pinned charts as they render for the example clusters: the Application
// rewritten to a folder of infra-gitops, one file per object, what Argo CD reads from the objects
// (hooks, CRDs, server-side apply) kept, and no Secret with material written.
import yaml from 'js-yaml';
import { renderCluster } from '../../charts/cluster.js';
import type { ChartRender } from '../../chart-renders/render.js';
import { UserError } from '../../primitives/errors.js';
import { ARGOCD_MAX_DIRECTORY_BYTES, hydrateApplication, type HydrateOptions } from '../../pipeline/hydrate.js';
import { loadFleet } from '../../spec/load.js';
import type { ClusterSpec } from '../../spec/schema.js';
import { EXAMPLE_OVERLAYS } from '../helpers/fleet.js';
import { describeWithReferenceData } from '../helpers/reference-data.js';
import { ofKind, useRealCharts, type K8sObject } from '../charts-real/real-charts.js';

const key = (o: K8sObject) => `${o.kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name}`;
const annotations = (o: K8sObject): Record<string, string> => o.metadata?.annotations ?? {};

describeWithReferenceData('hydrateApplication (the pinned charts, rendered for the example clusters)', 'helm/charts', () => {
  const charts = useRealCharts(['argo-cd', 'cert-manager', 'cert-manager-webhook-yandex', 'kyverno', 'linkerd-control-plane']);
  let fleet: Map<string, ClusterSpec>;
  beforeAll(async () => {
    fleet = new Map((await loadFleet(EXAMPLE_OVERLAYS)).map((s) => [s.name, s]));
  });
  const spec = (name: string) => fleet.get(name)!;
  const optionsFor = (s: ClusterSpec): HydrateOptions => ({ clusterPath: `clusters/${s.name}`, repoURL: s.gitops.repoURL, targetRevision: s.gitops.targetRevision });
  const applicationOf = (s: ClusterSpec, name: string): K8sObject =>
    renderCluster(s).manifests.find((m) => m.object.kind === 'Application' && m.object.metadata.name === name)!.object;
  const renderOf = (s: ClusterSpec, name: string): ChartRender => {
    const source = charts().source(s, name);
    return { source, objects: charts().renderSource(source) };
  };
  const hydrate = (s: ClusterSpec, name: string, application = applicationOf(s, name)) => hydrateApplication(application, [renderOf(s, name)], optionsFor(s));
  const written = (files: readonly { content: string }[]) => files.map((f) => yaml.load(f.content) as K8sObject);

  describe('argo-cd on onprem-prod', () => {
    let result: ReturnType<typeof hydrate>;
    let application: K8sObject;
    let objects: K8sObject[];
    beforeAll(() => {
      application = applicationOf(spec('onprem-prod'), 'argo-cd');
      objects = renderOf(spec('onprem-prod'), 'argo-cd').objects;
      result = hydrate(spec('onprem-prod'), 'argo-cd', application);
    });

    test('the Helm source becomes a directory source of the cluster\'s hydrated folder in infra-gitops, with no helm fields', () => {
      expect(result.application.spec.source).toEqual({
        repoURL: 'ssh://git@git.company.ru/platform/infra-gitops.git',
        targetRevision: 'main',
        path: 'clusters/onprem-prod/hydrated/argo-cd',
        directory: { recurse: true },
      });
    });

    test('everything of the Application but its source stays: sync policy and options, destination, project, wave', () => {
      const { source: _before, ...restBefore } = application.spec;
      const { source: _after, ...restAfter } = result.application.spec;
      expect(restAfter).toEqual(restBefore);
      expect(result.application.spec.syncPolicy.syncOptions).toContain('ServerSideApply=true');
      expect(result.application.metadata).toEqual(application.metadata);
    });

    test('one file per rendered object, in the Application\'s folder, each a single YAML document that is the object', () => {
      for (const f of result.files) {
        expect(f.path.startsWith('clusters/onprem-prod/hydrated/argo-cd/')).toBe(true);
        expect(yaml.loadAll(f.content)).toHaveLength(1);
      }
      const tests = objects.filter((o) => /test/.test(annotations(o)['helm.sh/hook'] ?? ''));
      expect(written(result.files).map(key).sort()).toEqual(objects.filter((o) => !tests.includes(o)).map(key).sort());
    });

    test('files are named <kind>-<name>.yaml and sorted by path', () => {
      const paths = result.files.map((f) => f.path);
      expect(paths).toContain('clusters/onprem-prod/hydrated/argo-cd/deployment-argocd-server.yaml');
      expect(paths).toContain('clusters/onprem-prod/hydrated/argo-cd/customresourcedefinition-applications.argoproj.io.yaml');
      expect([...paths].sort()).toEqual(paths);
      expect(new Set(paths).size).toBe(paths.length);
    });

    test('Helm hooks are written with their helm.sh annotations, which Argo CD reads on any object (PreSync for pre-install,pre-upgrade)', () => {
      const job = ofKind(written(result.files), 'Job', 'argocd-redis-secret-init')[0];
      expect(annotations(job)).toMatchObject({ 'helm.sh/hook': 'pre-install,pre-upgrade', 'helm.sh/hook-delete-policy': 'before-hook-creation' });
      expect(annotations(job)['argocd.argoproj.io/hook']).toBeUndefined();
    });

    test('Helm test hooks, which no Argo CD sync phase runs, are left out', () => {
      // The chart has them (redis-ha's configmap test Pod); a render for a cluster drops them.
      const isTest = (o: Record<string, any>) => /(^|,)\s*test(-success|-failure)?\s*(,|$)/.test(annotations(o)['helm.sh/hook'] ?? '');
      expect(objects.filter(isTest)).toEqual([]);
      expect(written(result.files).filter(isTest)).toEqual([]);
    });

    test('the chart\'s CRDs are written, with the annotations the chart gives them (ServerSideApply=true, resource-policy keep), and no object is changed', () => {
      const crds = ofKind(written(result.files), 'CustomResourceDefinition');
      expect(crds.map((c) => c.metadata.name).sort()).toEqual(['applications.argoproj.io', 'applicationsets.argoproj.io', 'appprojects.argoproj.io']);
      for (const crd of crds) expect(annotations(crd)).toEqual({ 'argocd.argoproj.io/sync-options': 'ServerSideApply=true', 'helm.sh/resource-policy': 'keep' });
      const byKey = new Map(objects.map((o) => [key(o), o]));
      for (const o of written(result.files)) expect(o).toEqual(byKey.get(key(o)));
    });

    test('Secrets without material are written: the empty argocd-secret (filled at run time) and the in-cluster cluster Secret (settings only)', () => {
      const secrets = ofKind(written(result.files), 'Secret').map((o) => o.metadata.name);
      expect(secrets).toEqual(expect.arrayContaining(['argocd-secret', 'argocd-cluster-in-cluster']));
    });

    test('namespaces stay as the chart renders them: Argo CD puts the destination namespace on namespaced objects itself', () => {
      const byKey = new Map(objects.map((o) => [key(o), o]));
      const unset = written(result.files).filter((o) => o.metadata.namespace === undefined);
      expect(unset.map((o) => o.kind)).toEqual(['CustomResourceDefinition', 'CustomResourceDefinition', 'CustomResourceDefinition']);
      for (const o of written(result.files)) expect(o.metadata.namespace).toBe(byKey.get(key(o))!.metadata.namespace);
    });

    test('a second hydration of a second render gives the same files, byte for byte', () => {
      expect(hydrate(spec('onprem-prod'), 'argo-cd', application).files).toEqual(result.files);
    });
  });

  test('without ServerSideApply on the Application or the object, exactly the objects over the 256 KiB annotation limit get ServerSideApply=true, and the render is not changed', () => {
    const s = spec('onprem-prod');
    const application = applicationOf(s, 'argo-cd');
    const clientSide = { ...application, spec: { ...application.spec, syncPolicy: { ...application.spec.syncPolicy, syncOptions: [] } } };
    // The chart marks its CRDs ServerSideApply=true itself unless its values remove the annotation (null, in Helm).
    const source = charts().source(s, 'argo-cd');
    const values = { ...source.values, crds: { ...(source.values.crds as object), annotations: { 'argocd.argoproj.io/sync-options': null } } };
    const render = { source: { ...source, values }, objects: charts().renderSource({ ...source, values }) };
    const before = JSON.stringify(render.objects);
    const { files } = hydrateApplication(clientSide, [render], optionsFor(s));
    const annotated = written(files).filter((o) => annotations(o)['argocd.argoproj.io/sync-options']);
    // applicationsets is 333 KiB as JSON; applications (under 200 KiB) and appprojects fit.
    expect(annotated.map(key)).toEqual(['CustomResourceDefinition//applicationsets.argoproj.io']);
    expect(annotations(annotated[0])['argocd.argoproj.io/sync-options']).toBe('ServerSideApply=true');
    expect(JSON.stringify(render.objects)).toBe(before);
  });

  test('cert-manager: hooks keep their hook weights, which Argo CD reads as the hook\'s wave', () => {
    const { files } = hydrate(spec('onprem-prod'), 'cert-manager');
    const job = ofKind(written(files), 'Job', 'cert-manager-startupapicheck')[0];
    expect(annotations(job)).toMatchObject({ 'helm.sh/hook': 'post-install', 'helm.sh/hook-weight': '1' });
  });

  test('kyverno, the largest folder (its policy CRDs), fits the bytes Argo CD reads from one directory source, and keeps its pre-delete hooks', () => {
    const { files } = hydrate(spec('onprem-prod'), 'kyverno');
    const bytes = files.reduce((n, f) => n + Buffer.byteLength(f.content), 0);
    expect(bytes).toBeGreaterThan(ARGOCD_MAX_DIRECTORY_BYTES / 2);
    expect(bytes).toBeLessThanOrEqual(ARGOCD_MAX_DIRECTORY_BYTES);
    const preDelete = written(files).filter((o) => annotations(o)['helm.sh/hook'] === 'pre-delete').map((o) => `${o.kind}/${o.metadata.name}`);
    expect(preDelete.sort()).toEqual(['Job/kyverno-rm-webhooks', 'Job/kyverno-scale-to-zero']);
  });

  test('a folder over the directory-source limit is refused, naming the cluster, Application, folder and the Argo CD setting', () => {
    const s = spec('onprem-prod');
    expect(() => hydrateApplication(applicationOf(s, 'argo-cd'), [renderOf(s, 'argo-cd')], { ...optionsFor(s), maxFolderBytes: 1_000_000 }))
      .toThrow(/^onprem-prod: argocd\.hydrate: Application argo-cd \(chart argo-cd [^)]+\) renders \d+ bytes into clusters\/onprem-prod\/hydrated\/argo-cd, more than the 1000000 .*reposerver\.max\.combined\.directory\.manifests\.size/);
  });

  test('the Yandex webhook on yc-prod writes no credentials Secret: with its ClusterIssuer off (1.0.11) the chart renders none', () => {
    const { files } = hydrate(spec('yc-prod'), 'cert-manager-webhook-yandex');
    expect(ofKind(written(files), 'Secret', 'cm-sa-creds')).toHaveLength(0);
  });

  test('the Yandex webhook with a service-account key in its values is refused, naming the cluster, Application, Secret and key', () => {
    const s = spec('yc-prod');
    const source = charts().source(s, 'cert-manager-webhook-yandex');
    // The chart renders its credentials Secret with its own ClusterIssuer, which the platform switches off.
    const withKey = { ...source, values: { ...source.values, installClusterIssuer: { enabled: true }, config: { auth: { json: '{"id":"ajeexample","private_key":"-----BEGIN PRIVATE KEY-----"}' } } } };
    const render = { source: withKey, objects: charts().renderSource(withKey) };
    const run = () => hydrateApplication(applicationOf(s, 'cert-manager-webhook-yandex'), [render], optionsFor(s));
    expect(run).toThrow(UserError);
    expect(run).toThrow(/^yc-prod: argocd\.hydrate: Application cert-manager-webhook-yandex \(chart cert-manager-webhook-yandex [^)]+\) renders Secret cert-manager\/cm-sa-creds with \.data\.key\.json /);
  });

  test('linkerd on vk-stage hydrates: the webhooks serve cert-manager\'s certificates, the chart renders no Secret', () => {
    const { files } = hydrate(spec('vk-stage'), 'linkerd-control-plane');
    const objects = written(files);
    expect(ofKind(objects, 'Deployment').length).toBeGreaterThan(0);
    expect(ofKind(objects, 'Secret')).toEqual([]);
  });
});
