// The OpenTofu stacks of two rendered trees: what the next `tofu apply` adds, changes and
// destroys is in the diff, though Argo CD syncs none of it.
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compareStacks } from '../../diff/stacks.js';
import { diffTrees, renderMarkdown } from '../../diff/index.js';
import { tempDir } from '../helpers/tmp.js';

const bucket = (extra: Record<string, unknown> = {}) => ({ bucket: 'b', force_destroy: false, ...extra });
const stack = (resources: Record<string, Record<string, unknown>>, files: Record<string, string> = {}) =>
  new Map([['buckets.tf.json', JSON.stringify({ resource: resources })], ...Object.entries(files)]);

describe('compareStacks', () => {
  test('a resource no longer declared is one the next apply destroys', () => {
    const base = new Map([['c1', stack({ minio_s3_bucket: { loki: bucket(), tempo: bucket() } })]]);
    const head = new Map([['c1', stack({ minio_s3_bucket: { loki: bucket() } })]]);
    expect(compareStacks(base, head)).toEqual([{
      cluster: 'c1', status: 'changed', files: [],
      resources: [{ address: 'minio_s3_bucket.tempo', change: 'removed', file: 'buckets.tf.json', onApply: 'destroyed' }],
    }]);
  });

  test('a removed resource the base protected with prevent_destroy makes the apply fail instead', () => {
    const base = new Map([['c1', stack({ minio_s3_bucket: { velero: bucket({ lifecycle: { prevent_destroy: true } }) } })]]);
    const head = new Map([['c1', stack({})]]);
    expect(compareStacks(base, head)[0].resources).toEqual([{ address: 'minio_s3_bucket.velero', change: 'removed', file: 'buckets.tf.json', onApply: 'refused (prevent_destroy)' }]);
  });

  test('a changed resource names the arguments that differ, not the key order', () => {
    const base = new Map([['c1', stack({ minio_s3_bucket: { loki: { force_destroy: false, bucket: 'b', tags: { a: '1' } } } })]]);
    const head = new Map([['c1', stack({ minio_s3_bucket: { loki: { bucket: 'b', force_destroy: true, tags: { a: '1' } } } })]]);
    expect(compareStacks(base, head)[0].resources).toEqual([{ address: 'minio_s3_bucket.loki', change: 'changed', file: 'buckets.tf.json', fields: ['force_destroy'] }]);
  });

  test('a stack removed whole destroys nothing by itself', () => {
    const base = new Map([['c1', stack({ minio_s3_bucket: { loki: bucket() } })]]);
    expect(compareStacks(base, new Map())).toEqual([{
      cluster: 'c1', status: 'removed',
      resources: [{ address: 'minio_s3_bucket.loki', change: 'removed', file: 'buckets.tf.json' }],
      files: [{ path: 'buckets.tf.json', change: 'removed' }],
    }]);
  });

  test('other files that differ are listed; a file whose only change is in its resources is not', () => {
    const base = new Map([['c1', stack({ minio_s3_bucket: { loki: bucket() } }, { 'outputs.tf.json': '{"output":{}}', 'README.md': 'a' })]]);
    const head = new Map([['c1', stack({ minio_s3_bucket: { loki: bucket({ force_destroy: true }) } }, { 'outputs.tf.json': '{"output":{"x":{"value":"1"}}}', 'README.md': 'a' })]]);
    expect(compareStacks(base, head)[0].files).toEqual([{ path: 'outputs.tf.json', change: 'changed' }]);
  });

  test('equal stacks give no entry', () => {
    const s = stack({ minio_s3_bucket: { loki: bucket() } });
    expect(compareStacks(new Map([['c1', s]]), new Map([['c1', new Map(s)]]))).toEqual([]);
  });
});

describe('diff of two trees that differ only in a stack', () => {
  const root = tempDir('diff-stacks-');
  const tree = (name: string, buckets: Record<string, unknown>) => {
    const dir = join(root, name);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(join(dir, 'clusters', 'c1', 'apps'), { recursive: true });
    writeFileSync(join(dir, 'clusters', 'c1', 'apps', 'configmap-x.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  namespace: argocd\n');
    mkdirSync(join(dir, 'infra', 'c1'), { recursive: true });
    writeFileSync(join(dir, 'infra', 'c1', 'buckets.tf.json'), JSON.stringify({ resource: { minio_s3_bucket: buckets } }));
    return dir;
  };

  test('is a change, and the comment warns of the resource the next apply destroys', async () => {
    const base = tree('base', { loki: bucket(), tempo: bucket() });
    const head = tree('head', { loki: bucket() });
    const report = await diffTrees({ base, head, charts: false });
    expect(report.summary.hasChanges).toBe(true);
    expect(report.clusters).toEqual([]);
    const md = renderMarkdown(report);
    expect(md).toContain('1 OpenTofu stack change');
    expect(md).toContain('the next `tofu apply` destroys resources');
    expect(md).toContain('- minio_s3_bucket.tempo (buckets.tf.json): removed: the next `tofu apply` DESTROYS it');
  });

  test('identical stacks leave the diff without changes', async () => {
    const base = tree('same-base', { loki: bucket() });
    const head = join(root, 'same-head');
    cpSync(base, head, { recursive: true });
    const report = await diffTrees({ base, head, charts: false });
    expect(report.summary.hasChanges).toBe(false);
    expect(report.stacks).toBeUndefined();
  });
});
