// A management cluster's tree (management/<mgmt>/, synced by that cluster's Argo CD) is compared
// like a cluster's: its Crossplane or Cluster API objects appear in the diff under
// `management/<mgmt>`, and what happens to a removed one is read from its Applications.
import { diffTrees, renderMarkdown } from '../../diff/index.js';
import { cleanupTempDirs, configMap, tree, type TreeSpec } from './helpers.js';

afterAll(cleanupTempDirs);

const KEEP = { 'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false' };

/** The management tree's Application for one workload cluster: the folder, recursively, with prune. */
const clusterApp = {
  apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'infra-yc-prod', namespace: 'argocd' },
  spec: { source: { repoURL: 'https://git.example/infra-gitops.git', path: 'management/mgmt/clusters/yc-prod', targetRevision: 'main', directory: { recurse: true } },
    syncPolicy: { automated: { prune: true, selfHeal: true } } },
};

const bucket = (name: string, annotations: Record<string, string> = {}) => ({
  apiVersion: 'storage.yandex-cloud.m.jet.crossplane.io/v1alpha1', kind: 'Bucket',
  metadata: { name, namespace: 'yc-prod', ...(Object.keys(annotations).length ? { annotations } : {}) },
  spec: { forProvider: { bucket: name } },
});

function mgmtTree(extra: TreeSpec): TreeSpec {
  return {
    'clusters/dev/apps/configmap-x.yaml': [configMap('x', {})],
    'management/mgmt/bootstrap/application-infra-yc-prod.yaml': [clusterApp],
    ...extra,
  };
}

test('a changed Crossplane object is a change of the management tree, in its folder', async () => {
  const r = await diffTrees({
    base: tree(mgmtTree({ 'management/mgmt/clusters/yc-prod/buckets/bucket-a.yaml': [bucket('a')] })),
    head: tree(mgmtTree({ 'management/mgmt/clusters/yc-prod/buckets/bucket-a.yaml': [{ ...bucket('a'), spec: { forProvider: { bucket: 'a', maxSize: 1 } } }] })),
  });
  expect(r.clusters.map((c) => [c.name, c.components.map((x) => x.name), c.changed])).toEqual([['management/mgmt', ['clusters/yc-prod/buckets'], 1]]);
  expect(r.clusters[0].components[0].objects[0].fields.map((f) => f.path)).toEqual(['spec.forProvider.maxSize']);
  expect(r.summary).toMatchObject({ clusters: 2, changedClusters: 1 });
});

test('a removed object under the recursive Application is pruned; one marked Prune=false is left for a person', async () => {
  const r = await diffTrees({
    base: tree(mgmtTree({
      'management/mgmt/clusters/yc-prod/buckets/bucket-a.yaml': [bucket('a')],
      'management/mgmt/clusters/yc-prod/buckets/bucket-b.yaml': [bucket('b', KEEP)],
    })),
    head: tree(mgmtTree({})),
  });
  const removed = r.clusters[0].components[0].objects.map((o) => [o.name, o.deletion]);
  expect(removed).toEqual([['a', 'pruned'], ['b', 'by-hand']]);
  expect(renderMarkdown(r)).toContain('management/mgmt');
});

test('a tree without management/ compares its clusters as before', async () => {
  const r = await diffTrees({ base: tree({ 'clusters/dev/apps/configmap-x.yaml': [configMap('x', {})] }), head: tree({ 'clusters/dev/apps/configmap-x.yaml': [configMap('x', { k: 'v' })] }) });
  expect(r.clusters.map((c) => c.name)).toEqual(['dev']);
});
