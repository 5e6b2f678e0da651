import { afterAll } from '@jest/globals';
import { formatPatch, OMIT_HEADERS, structuredPatch } from 'diff';
import { wholeFilePatch } from '../../diff/compare.js';
import { diffTrees, renderJson, renderMarkdown, renderTerminal } from '../../diff/index.js';
import type { DiffReport, ObjectDiff } from '../../diff/model.js';
import { cleanupTempDirs, configMap, deployment, tree, type TreeSpec } from './helpers.js';

afterAll(cleanupTempDirs);

async function diff(base: TreeSpec, head: TreeSpec): Promise<DiffReport> {
  return diffTrees({ base: tree(base), head: tree(head) });
}

function objects(r: DiffReport): Array<ObjectDiff & { cluster: string; component: string }> {
  return r.clusters.flatMap((c) => c.components.flatMap((comp) => comp.objects.map((o) => ({ ...o, cluster: c.name, component: comp.name }))));
}

const app = 'clusters/dev-1/apps/app.yaml';

test('an object only in head is added, under its cluster and component', async () => {
  const r = await diff({ [app]: [configMap('a', { k: 'v' })] }, {
    [app]: [configMap('a', { k: 'v' })],
    'clusters/dev-1/cert-manager/issuer.yaml': [{ apiVersion: 'cert-manager.io/v1', kind: 'ClusterIssuer', metadata: { name: 'le' }, spec: { acme: {} } }],
  });
  expect(objects(r).map((o) => [o.cluster, o.component, o.change, o.ref, o.apiVersion])).toEqual([
    ['dev-1', 'cert-manager', 'added', 'ClusterIssuer/le', 'cert-manager.io/v1'],
  ]);
  expect(r.summary).toMatchObject({ hasChanges: true, added: 1, changed: 0, removed: 0, changedClusters: 1, clusters: 1 });
  expect(objects(r)[0].patch).toContain('+kind: ClusterIssuer');
});

test('a changed field is named by its path and shown in the patch', async () => {
  const r = await diff(
    { [app]: [deployment('web', 'shop', 'web:1.0', 2)] },
    { [app]: [deployment('web', 'shop', 'web:1.0', 3)] },
  );
  const [o] = objects(r);
  expect(o).toMatchObject({ change: 'changed', ref: 'Deployment/shop/web', files: { base: app, head: app } });
  expect(o.fields).toEqual([{ path: 'spec.replicas', change: 'changed', secret: false }]);
  expect(o.patch).toMatch(/^-\s+replicas: 2$/m);
  expect(o.patch).toMatch(/^\+\s+replicas: 3$/m);
});

test('containers are matched by name, so the changed image is named by container', async () => {
  const r = await diff(
    { [app]: [deployment('web', 'shop', 'web:1.0')] },
    { [app]: [deployment('web', 'shop', 'web:1.1')] },
  );
  expect(objects(r)[0].fields.map((f) => f.path)).toEqual(['spec.template.spec.containers[name=app].image']);
});

test('keys that are not identifiers are quoted in field paths', async () => {
  const before = deployment('web', 'shop', 'web:1.0');
  const after = deployment('web', 'shop', 'web:1.0');
  (after.metadata as any).labels['app.kubernetes.io/name'] = 'web2';
  const r = await diff({ [app]: [before] }, { [app]: [after] });
  expect(objects(r)[0].fields.map((f) => f.path)).toEqual(['metadata.labels["app.kubernetes.io/name"]']);
});

test('an object only in base is removed', async () => {
  const r = await diff({ [app]: [configMap('a', {}), configMap('b', {})] }, { [app]: [configMap('a', {})] });
  expect(objects(r).map((o) => [o.change, o.ref, o.files])).toEqual([['removed', 'ConfigMap/default/b', { base: app }]]);
  expect(r.summary.removed).toBe(1);
});

test('an object moved to another file and component is not a change', async () => {
  const r = await diff(
    { [app]: [configMap('a', { k: 'v' }), configMap('b', { k: 'v' })] },
    { [app]: [configMap('a', { k: 'v' })], 'clusters/dev-1/monitoring/b.yaml': [configMap('b', { k: 'v' })] },
  );
  expect(r.summary.hasChanges).toBe(false);
  expect(r.clusters).toEqual([]);
  expect(r.moved).toEqual([{ cluster: 'dev-1', apiVersion: 'v1', ref: 'ConfigMap/default/b', from: app, to: 'clusters/dev-1/monitoring/b.yaml' }]);
});

test('reordered keys, another YAML style and another document order are not changes', async () => {
  const before = [
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: default\ndata:\n  x: "1"\n  y: two\n',
    '---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b, namespace: default}\n',
  ].join('');
  const after = [
    "kind: ConfigMap\nmetadata: {namespace: default, name: b}\napiVersion: v1\n---\n",
    "data: {y: 'two', x: '1'}\nmetadata:\n  namespace: default\n  name: a\nkind: ConfigMap\napiVersion: v1\n",
  ].join('');
  const r = await diff({ [app]: before }, { [app]: after });
  expect(r.summary).toMatchObject({ hasChanges: false, added: 0, changed: 0, removed: 0, moved: 0 });
});

test('the same name in two namespaces is two objects', async () => {
  const r = await diff(
    { [app]: [configMap('a', {}, 'one')] },
    { [app]: [configMap('a', {}, 'one'), configMap('a', {}, 'two')] },
  );
  expect(objects(r).map((o) => [o.change, o.ref])).toEqual([['added', 'ConfigMap/two/a']]);
});

test('the same kind under another apiVersion is another object', async () => {
  const v1 = { apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: { name: 'h', namespace: 'n' }, spec: {} };
  const r = await diff({ [app]: [v1] }, { [app]: [{ ...v1, apiVersion: 'autoscaling/v2' }] });
  expect(objects(r).map((o) => [o.change, o.apiVersion])).toEqual([['removed', 'autoscaling/v1'], ['added', 'autoscaling/v2']]);
});

describe('secrets', () => {
  const secret = (data: Record<string, string>) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'shop' }, type: 'Opaque', data });
  const oldValue = Buffer.from('hunter2-old').toString('base64');
  const newValue = Buffer.from('hunter2-new').toString('base64');

  async function secretReport() {
    return diff(
      { [app]: [secret({ password: oldValue, user: 'YWRtaW4=' })] },
      { [app]: [secret({ password: newValue, user: 'YWRtaW4=', token: 'dG9rZW4tdmFsdWU=' })] },
    );
  }

  test('a changed Secret names the keys that changed and never shows a value', async () => {
    const r = await secretReport();
    const [o] = objects(r);
    expect(o.fields).toEqual([
      { path: 'data.password', change: 'changed', secret: true },
      { path: 'data.token', change: 'added', secret: true },
    ]);
    for (const text of [renderJson(r), renderMarkdown(r), renderTerminal(r, { color: false })]) {
      for (const value of [oldValue, newValue, 'YWRtaW4=', 'dG9rZW4tdmFsdWU=']) expect(text).not.toContain(value);
    }
    expect(o.patch).toContain("-  password: '<secret: old value hidden>'");
    expect(o.patch).toContain("+  password: '<secret: new value hidden>'");
    expect(renderMarkdown(r)).toContain('- 🔒 secret values changed, not shown: `data.password` (changed), `data.token` (added)');
  });

  test('an added Secret shows its keys, not its values', async () => {
    const r = await diff({ [app]: [] as any }, { [app]: [secret({ password: oldValue })] });
    const [o] = objects(r);
    expect(o.change).toBe('added');
    expect(o.patch).toContain("+  password: '<secret: hidden>'");
    expect(renderJson(r)).not.toContain(oldValue);
  });

  test('a SopsSecret payload change names the changed keys and hides every spec value', async () => {
    const sops = (pw: string) => ({
      apiVersion: 'isindir.github.com/v1alpha3',
      kind: 'SopsSecret',
      metadata: { name: 'app', namespace: 'shop' },
      spec: { secretTemplates: [{ name: 'ENC[AES256_GCM,data:bmFtZQ==,iv:aaa,tag:bbb,type:str]', stringData: { password: pw } }] },
      sops: { age: [{ recipient: 'age1xyz', enc: '-----BEGIN AGE ENCRYPTED FILE-----\nAAAA\n-----END AGE ENCRYPTED FILE-----\n' }], mac: `ENC[AES256_GCM,data:${pw.length},type:str]`, lastmodified: pw },
    });
    const before = 'ENC[AES256_GCM,data:b2xkcGFzcw==,iv:111,tag:222,type:str]';
    const after = 'ENC[AES256_GCM,data:bmV3cGFzcw==,iv:333,tag:444,type:str]';
    const r = await diff({ [app]: [sops(before)] }, { [app]: [sops(after)] });
    const [o] = objects(r);
    expect(o.fields).toEqual([
      { path: 'sops', change: 'changed', secret: true },
      { path: 'spec.secretTemplates[0].stringData.password', change: 'changed', secret: true },
    ]);
    const all = [renderJson(r), renderMarkdown(r), renderTerminal(r, { color: false })].join('\n');
    for (const leaked of [before, after, 'bmFtZQ==', 'AGE ENCRYPTED']) expect(all).not.toContain(leaked);
    expect(all).not.toMatch(/ENC\[/);
  });

  test('a Secret\'s stringData is never shown, changed, added or removed', async () => {
    const withStringData = (sd: Record<string, string>) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'shop' }, stringData: sd });
    const r = await diff(
      { [app]: [withStringData({ password: 'plain-old-pw', gone: 'plain-gone' })] },
      { [app]: [withStringData({ password: 'plain-new-pw', token: 'plain-token' })] },
    );
    expect(objects(r)[0].fields).toEqual([
      { path: 'stringData.gone', change: 'removed', secret: true },
      { path: 'stringData.password', change: 'changed', secret: true },
      { path: 'stringData.token', change: 'added', secret: true },
    ]);
    const all = [renderJson(r), renderMarkdown(r), renderTerminal(r, { color: false })].join('\n');
    for (const value of ['plain-old-pw', 'plain-new-pw', 'plain-token', 'plain-gone']) expect(all).not.toContain(value);
  });

  test('a value encrypted on one side is not shown in clear from the other side, in either direction', async () => {
    const cm = (v: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'n' }, data: { dsn: v } });
    const enc = 'ENC[AES256_GCM,data:AAAA,iv:1,tag:2,type:str]';
    const decrypted = 'postgres://app:s3cret@db:5432/app';
    for (const [base, head] of [[enc, decrypted], [decrypted, enc]]) {
      const r = await diff({ [app]: [cm(base)] }, { [app]: [cm(head)] });
      expect(objects(r)[0].fields).toEqual([{ path: 'data.dsn', change: 'changed', secret: true }]);
      const all = [renderJson(r), renderMarkdown(r), renderTerminal(r, { color: false })].join('\n');
      expect(all).not.toContain('s3cret');
      expect(objects(r)[0].patch).toBe("@@ -4,4 +4,4 @@\n   name: c\n   namespace: 'n'\n data:\n-  dsn: '<secret: old value hidden>'\n+  dsn: '<secret: new value hidden>'\n");
    }
  });

  test('a value that looks like a private key is hidden in any kind, and its field marked secret', async () => {
    const pem = ['-----BEGIN', 'PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END', 'PRIVATE KEY-----\n'].join(' ');
    const cm = (data: Record<string, string>) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'n' }, data });
    const r = await diff({ [app]: [cm({ plain: 'shown' })] }, { [app]: [cm({ plain: 'shown', 'tls.key': pem })] });
    expect(objects(r)[0].fields).toEqual([{ path: 'data["tls.key"]', change: 'added', secret: true }]);
    const all = [renderJson(r), renderMarkdown(r), renderTerminal(r, { color: false })].join('\n');
    expect(all).not.toContain('MIIEvQIBADANBgkqhkiG9w0BAQEFAASC');
    expect(objects(r)[0].patch).toContain("+  tls.key: '<secret: hidden>'");
  });

  test('a SOPS-encrypted value outside any secret kind is hidden too', async () => {
    const cm = (v: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'n' }, data: { dsn: v, plain: 'shown' } });
    const r = await diff(
      { [app]: [cm('ENC[AES256_GCM,data:AAAA,iv:1,tag:2,type:str]')] },
      { [app]: [cm('ENC[AES256_GCM,data:BBBB,iv:3,tag:4,type:str]')] },
    );
    const [o] = objects(r);
    expect(o.fields).toEqual([{ path: 'data.dsn', change: 'changed', secret: true }]);
    expect(o.patch).not.toMatch(/AAAA|BBBB/);
    expect(o.patch).toContain('  plain: shown');
  });
});

describe('whole clusters', () => {
  test('a cluster only in head is added with all its objects', async () => {
    const r = await diff(
      { 'clusters/dev-1/apps/a.yaml': [configMap('a', {})] },
      { 'clusters/dev-1/apps/a.yaml': [configMap('a', {})], 'clusters/dev-2/apps/a.yaml': [configMap('a', {}), configMap('b', {})] },
    );
    expect(r.clusters.map((c) => [c.name, c.status, c.added, c.removed])).toEqual([['dev-2', 'added', 2, 0]]);
    expect(r.unchangedClusters).toEqual(['dev-1']);
    expect(r.summary.clusters).toBe(2);
  });

  test('a cluster only in base is removed: the comment lists every object, which stays until an admin deletes it', async () => {
    const r = await diff(
      {
        'clusters/dev-1/apps/a.yaml': [configMap('a', {})],
        'clusters/old-1/apps/a.yaml': [configMap('a', {}), configMap('b', {})],
        'clusters/old-1/cert-manager/i.yaml': [{ apiVersion: 'cert-manager.io/v1', kind: 'ClusterIssuer', metadata: { name: 'le' } }],
      },
      { 'clusters/dev-1/apps/a.yaml': [configMap('a', {})] },
    );
    expect(r.clusters.map((c) => [c.name, c.status, c.removed])).toEqual([['old-1', 'removed', 3]]);
    const md = renderMarkdown(r);
    const caution = md.slice(md.indexOf('> [!CAUTION]'), md.indexOf('| Cluster'));
    expect(caution).toBe([
      '> [!CAUTION]',
      '> **3 objects are removed from the tree**:',
      '> - 3 stay in the cluster until an admin deletes them: Argo CD does not manage them (bootstrap/, or a cluster removed from the tree)',
      '>',
      '> - **`old-1`: the whole cluster is removed** — all 3 objects below',
      '>   - `old-1` / `apps`: `ConfigMap/default/a`, `ConfigMap/default/b` — not managed by Argo CD: stays until an admin deletes it',
      '>   - `old-1` / `cert-manager`: `ClusterIssuer/le` — not managed by Argo CD: stays until an admin deletes it',
      '', '',
    ].join('\n'));
    expect(md).not.toContain('prune');
  });
});

describe('prod clusters', () => {
  const ns = (env: string) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { env } } });

  test('prod clusters come first: by name, or by an env: prod label on a Namespace', async () => {
    const base: TreeSpec = {};
    const head: TreeSpec = {};
    for (const c of ['aa-dev', 'bb-edge', 'yc-prod-1', 'zz-stage']) {
      base[`clusters/${c}/apps/ns.yaml`] = [ns(c === 'bb-edge' ? 'prod' : 'dev'), configMap('x', { v: '1' })];
      head[`clusters/${c}/apps/ns.yaml`] = [ns(c === 'bb-edge' ? 'prod' : 'dev'), configMap('x', { v: '2' })];
    }
    const r = await diff(base, head);
    expect(r.clusters.map((c) => [c.name, c.prod])).toEqual([
      ['bb-edge', true], ['yc-prod-1', true], ['aa-dev', false], ['zz-stage', false],
    ]);
  });

  test('an Application labelled with a prefixed env key marks its cluster prod', async () => {
    const application = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'x', namespace: 'argocd', labels: { 'platform.example.com/env': 'prod' } }, spec: {} };
    const r = await diff(
      { 'clusters/edge-7/apps/a.yaml': [application] },
      { 'clusters/edge-7/apps/a.yaml': [application, configMap('c', {})] },
    );
    expect(r.clusters[0]).toMatchObject({ name: 'edge-7', prod: true });
  });
});

test('the same trees give byte-identical output on every run', async () => {
  const base = tree({ [app]: [deployment('web', 'shop', 'web:1.0'), configMap('b', { k: '1' })], 'clusters/p-prod/x/y.yaml': [configMap('q', {})] });
  const head = tree({ [app]: [deployment('web', 'shop', 'web:2.0'), configMap('c', {})], 'clusters/p-prod/x/y.yaml': [configMap('q', { a: 'b' })] });
  const one = await diffTrees({ base, head });
  const two = await diffTrees({ base, head });
  expect(renderJson(two)).toBe(renderJson(one));
  expect(renderMarkdown(two)).toBe(renderMarkdown(one));
});

describe('the patch of an object on one side only', () => {
  const texts = ['a: 1\n', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: |-\n    two\n    lines\n', `${'x: y\n'.repeat(500)}`];
  const library = (base: string, head: string) => formatPatch(structuredPatch('/dev/null', 'f.yaml', base, head, undefined, undefined, { context: 3 }), OMIT_HEADERS);

  test.each(texts.map((t) => [t.length, t]))('is the diff library\'s patch, added and removed (%i chars)', (_, text) => {
    expect(wholeFilePatch('', text)).toBe(library('', text));
    expect(wholeFilePatch(text, '')).toBe(library(text, ''));
  });

  test('is left to the library when both sides have text or the text lacks its last newline', () => {
    expect(wholeFilePatch('a: 1\n', 'a: 2\n')).toBeUndefined();
    expect(wholeFilePatch('', 'a: 1')).toBeUndefined();
  });
});
