// The JSON shape documented in diff/model.ts and diff/README.md, checked strictly: a field that
// appears, disappears or changes type breaks this test before it breaks a consumer.
import { z } from 'zod';
import { diffTrees, renderJson } from '../../diff/index.js';
import { cleanupTempDirs, configMap, deployment, tree } from './helpers.js';

afterAll(cleanupTempDirs);

const count = z.number().int().nonnegative();
const field = z.strictObject({ path: z.string(), change: z.enum(['added', 'changed', 'removed']), secret: z.boolean() });
const object = z.strictObject({
  change: z.enum(['added', 'changed', 'removed']),
  apiVersion: z.string(),
  kind: z.string(),
  namespace: z.string().optional(),
  name: z.string(),
  ref: z.string(),
  files: z.strictObject({ base: z.string().optional(), head: z.string().optional() }),
  fields: z.array(field),
  deletion: z.enum(['pruned', 'operator-prune', 'by-hand']).optional(),
  patch: z.string(),
});
const component = z.strictObject({ name: z.string(), added: count, changed: count, removed: count, objects: z.array(object) });
const cluster = z.strictObject({
  name: z.string(), prod: z.boolean(), status: z.enum(['added', 'removed', 'changed']),
  added: count, changed: count, removed: count, components: z.array(component),
});
const source = z.strictObject({ label: z.string(), kind: z.enum(['dir', 'git']), commit: z.string().optional() });
const report = z.strictObject({
  schemaVersion: z.literal(1),
  base: source,
  head: source,
  summary: z.strictObject({
    hasChanges: z.boolean(), clusters: count, changedClusters: count, added: count, changed: count, removed: count, moved: count,
  }),
  clusters: z.array(cluster),
  unchangedClusters: z.array(z.string()),
  moved: z.array(z.strictObject({ cluster: z.string(), apiVersion: z.string(), ref: z.string(), from: z.string(), to: z.string() })),
  recipients: z.array(z.strictObject({ cluster: z.string(), added: z.array(z.string()), removed: z.array(z.string()) })),
});

test('--format json has the documented shape, with counts that add up', async () => {
  const base = tree({
    'clusters/a-prod/apps/x.yaml': [deployment('web', 'shop', 'web:1'), configMap('old', {})],
    'clusters/b-dev/apps/x.yaml': [configMap('same', {}), configMap('mv', {})],
  });
  const head = tree({
    'clusters/a-prod/apps/x.yaml': [deployment('web', 'shop', 'web:2'), configMap('new', {})],
    'clusters/b-dev/apps/x.yaml': [configMap('same', {})],
    'clusters/b-dev/moved/y.yaml': [configMap('mv', {})],
  });
  const parsed = report.parse(JSON.parse(renderJson(await diffTrees({ base, head }))));
  expect(parsed.summary).toEqual({ hasChanges: true, clusters: 2, changedClusters: 1, added: 1, changed: 1, removed: 1, moved: 1 });
  expect(parsed.clusters.map((c) => c.name)).toEqual(['a-prod']);
  expect(parsed.unchangedClusters).toEqual(['b-dev']);
  const objs = parsed.clusters[0].components[0].objects;
  expect(objs.map((o) => [o.change, o.ref, o.deletion])).toEqual([
    ['removed', 'ConfigMap/default/old', 'by-hand'], ['changed', 'Deployment/shop/web', undefined], ['added', 'ConfigMap/default/new', undefined],
  ]);
  expect(parsed.recipients).toEqual([]);
  expect(objs[1].fields).toEqual([{ path: 'spec.template.spec.containers[name=app].image', change: 'changed', secret: false }]);
  expect(parsed.base.kind).toBe('dir');
});
