// The Crossplane backend: a Yandex cluster's stack as Crossplane v2 managed resources in its
// management cluster's tree, checked against the upstream CRDs, with deletion guarded twice
// (managementPolicies without Delete, Argo CD's Prune=false,Delete=false) and no credential in Git.
import yaml from 'js-yaml';
import { checkManagementFiles, loadReferenceCrds } from '../../infra/management/crds.js';
import { renderInfra } from '../../infra/render.js';
import { resolveCluster } from '../../spec/load.js';
import { withAlertReceiver } from '../helpers/fleet.js';
import { describeWithReferenceData, referencePath } from '../helpers/reference-data.js';
import { stackSpec } from './helpers.js';

const crossplaneSpec = (name = 'c1', infra: Record<string, unknown> = {}) => stackSpec('yandex', { infra: { backend: 'crossplane', management: 'mgmt', registry: { name: 'soft-yt' }, ...infra } }, name);

function tree(specs = [crossplaneSpec()]) {
  const r = renderInfra(specs);
  expect(r.problems).toEqual([]);
  return r.files;
}

const objects = (files: ReturnType<typeof tree>) => files.filter((f) => f.path.endsWith('.yaml') && !f.path.endsWith('.enc.yaml'))
  .map((f) => ({ path: f.path, o: yaml.load(f.content) as Record<string, any> }));

const mr = (files: ReturnType<typeof tree>, group: string, kind: string) =>
  objects(files).filter(({ o }) => o.apiVersion === `${group}.yandex-cloud.m.jet.crossplane.io/v1alpha1` && o.kind === kind).map(({ o }) => o);

describe('the Crossplane backend', () => {
  test('a Yandex cluster is written into its management cluster\'s tree, not infra/', () => {
    const files = tree();
    expect(files.some((f) => f.path.startsWith('infra/'))).toBe(false);
    expect(files.map((f) => f.path)).toEqual(expect.arrayContaining([
      'management/mgmt/clusters/c1/cluster/cluster-main.yaml',
      'management/mgmt/bootstrap/namespace-c1.yaml',
      'management/mgmt/bootstrap/application-infra-c1.yaml',
      'management/mgmt/bootstrap/application-crossplane.yaml',
      'management/mgmt/bootstrap/provider-provider-yc.yaml',
      'management/mgmt/bootstrap/clusterproviderconfig-default.yaml',
    ]));
  });

  test('every managed resource is namespaced in the cluster\'s namespace', () => {
    const mrs = objects(tree()).filter(({ path }) => path.includes('/clusters/'));
    expect(mrs.length).toBeGreaterThan(10);
    expect(mrs.every(({ o }) => /\.m\.jet\.crossplane\.io\//.test(o.apiVersion) && o.metadata.namespace === 'c1')).toBe(true);
  });

  test.each([
    ['kubernetes', 'Cluster'], ['dns', 'Zone'], ['storage', 'Bucket'], ['container', 'Registry'],
  ])('%s %s is never deleted: no Delete in its managementPolicies, Prune=false,Delete=false for Argo CD', (group, kind) => {
    const found = mr(tree(), group, kind);
    expect(found.length).toBeGreaterThan(0);
    for (const o of found) {
      expect(o.spec.managementPolicies).toEqual(['Observe', 'Create', 'Update', 'LateInitialize']);
      expect(o.metadata.annotations['argocd.argoproj.io/sync-options']).toBe('Prune=false,Delete=false');
    }
  });

  test('the workload cluster\'s namespace, whose deletion would take every resource in it, is never deleted by Argo CD', () => {
    const ns = objects(tree()).find(({ path }) => path.endsWith('bootstrap/namespace-c1.yaml'))!.o;
    expect(ns.metadata.annotations['argocd.argoproj.io/sync-options']).toBe('Prune=false,Delete=false');
  });

  test('the prod zone also has the cloud\'s own deletion protection', () => {
    expect(mr(tree(), 'dns', 'Zone')[0].spec.forProvider.deletionProtection).toBe(true);
  });

  test('the workload cluster\'s Application neither prunes nor cascades a delete', () => {
    const app = objects(tree()).find(({ path }) => path.endsWith('application-infra-c1.yaml'))!.o;
    expect(app.metadata.finalizers).toBeUndefined();
    expect(app.spec.syncPolicy.automated.prune).toBe(false);
    expect(app.spec.source.path).toBe('management/mgmt/clusters/c1');
    expect(app.spec.destination.namespace).toBe('c1');
  });

  test('no plaintext credential: the provider reads a Secret that only a SopsSecret provides', () => {
    const files = tree();
    const config = objects(files).find(({ o }) => o.kind === 'ClusterProviderConfig')!.o;
    expect(config.spec.credentials).toEqual({ source: 'Secret', secretRef: { namespace: 'crossplane-system', name: 'yc-credentials', key: 'key.json' } });
    expect(objects(files).filter(({ o }) => o.kind === 'Secret')).toEqual([]);
    expect(files.some((f) => /-----BEGIN [A-Z ]*PRIVATE KEY-----|"private_key"|secret_?key: \S/i.test(f.content))).toBe(false);
  });

  test('the Crossplane chart and the provider package are pinned', () => {
    const files = objects(tree());
    const chart = files.find(({ path }) => path.endsWith('application-crossplane.yaml'))!.o.spec.source;
    expect(chart).toMatchObject({ repoURL: 'https://charts.crossplane.io/stable', chart: 'crossplane', targetRevision: '2.3.4' });
    expect(files.find(({ o }) => o.kind === 'Provider')!.o.spec.package).toBe('xpkg.upbound.io/yandexcloud/crossplane-provider-yc:v0.14.0');
  });

  test('two clusters of one management cluster share its bootstrap, each with a namespace and an Application', () => {
    const files = tree([crossplaneSpec('c1'), crossplaneSpec('c2', { network: { nodesCidr: '10.4.0.0/16', podsCidr: '10.104.0.0/16', servicesCidr: '10.204.0.0/16', zones: ['ru-central1-a'] } })]);
    const paths = files.map((f) => f.path);
    expect(paths.filter((p) => p.endsWith('application-crossplane.yaml'))).toHaveLength(1);
    expect(paths.filter((p) => /bootstrap\/application-infra-/.test(p)).sort()).toEqual(['management/mgmt/bootstrap/application-infra-c1.yaml', 'management/mgmt/bootstrap/application-infra-c2.yaml']);
    const project = objects(files).find(({ o }) => o.kind === 'AppProject')!.o;
    expect(project.spec.destinations.map((d: any) => d.namespace)).toEqual(['argocd', 'crossplane-system', 'c1', 'c2']);
  });
});

describe('a crossplane backend in an overlay', () => {
  const problemsOf = (cloud: string, infra: Record<string, unknown>) => resolveCluster({
    name: 'c1', file: 'overlays/c1.ts',
    overlay: withAlertReceiver({ cloud, environment: 'prod', domain: 'prod.company.ru', secrets: { ageRecipients: ['age190vd7ndvmhuc23dvgfpznujeuwufj92f0lpajhlfl52rky3kdprsnqz0pm'] }, infra }),
  }).problems;

  test('without a management cluster is refused, naming the field', () => {
    expect(problemsOf('yandex', { backend: 'crossplane' })).toEqual([
      "overlays/c1.ts: infra.management: missing; backend 'crossplane' writes the cluster's managed resources into a management cluster's tree (dist/management/<name>/): name that cluster, e.g. infra.management: 'mgmt'",
    ]);
  });

  test('on a cloud without a Crossplane mapping is refused', () => {
    expect(problemsOf('vk', { backend: 'crossplane', management: 'mgmt' })).toEqual([
      'overlays/c1.ts: infra.backend: received "crossplane" on cloud "vk"; the Crossplane backend maps Yandex Cloud only (docs/infra.md#crossplane-on-a-management-cluster): use \'opentofu\'',
    ]);
  });

  test('a management cluster with the OpenTofu backend is refused', () => {
    expect(problemsOf('yandex', { backend: 'opentofu', management: 'mgmt' })).toEqual([
      'overlays/c1.ts: infra.management: received "mgmt" with backend "opentofu"; only the crossplane and cluster-api backends run on a management cluster: remove infra.management or set infra.backend: \'crossplane\' (Yandex) or \'cluster-api\' (vSphere)',
    ]);
  });
});

describeWithReferenceData('the management tree against the Crossplane CRDs', 'infra/crossplane', () => {
  const crds = () => loadReferenceCrds(referencePath('infra/crossplane'))!;

  test('every object of a Yandex management tree validates against core v2.3.4 and provider-yc v0.14.0', async () => {
    expect(await checkManagementFiles(tree(), crds())).toEqual([]);
  });

  test('a misspelt forProvider field is a finding naming the file and the field', async () => {
    const files = tree().map((f) => (f.path.endsWith('cluster/cluster-main.yaml') ? { ...f, content: f.content.replace('releaseChannel:', 'releaseChanel:') } : f));
    const findings = await checkManagementFiles(files, crds());
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ cluster: 'mgmt', file: 'management/mgmt/clusters/c1/cluster/cluster-main.yaml', object: 'Cluster/c1/main' });
    expect(findings[0].path).toContain('releaseChanel');
  });

  test('a managed resource of a kind the provider does not ship is a finding', async () => {
    const files = [{ path: 'management/mgmt/clusters/c1/x.yaml', content: 'apiVersion: vpc.yandex-cloud.m.jet.crossplane.io/v1alpha1\nkind: Gateway\nmetadata: {name: x, namespace: c1}\nspec: {forProvider: {}}\n' }];
    expect((await checkManagementFiles(files, crds())).map((f) => f.message)).toEqual(['no CRD in the reference data defines vpc.yandex-cloud.m.jet.crossplane.io/Gateway']);
  });
});

describeWithReferenceData('the management tree\'s Argo CD objects', 'infra/crossplane', () => {
  test('a misspelt Application field is a finding too: the objects outside Crossplane go through the generated validators', async () => {
    const files = tree().map((f) => (f.path.endsWith('application-infra-c1.yaml') ? { ...f, content: f.content.replace('targetRevision:', 'targetRevison:') } : f));
    const findings = await checkManagementFiles(files, loadReferenceCrds(referencePath('infra/crossplane'))!);
    expect(findings.map((f) => [f.file, f.object])).toEqual([['management/mgmt/bootstrap/application-infra-c1.yaml', 'Application/argocd/infra-c1']]);
  });
});
