// What a diff says happens to a removed object, read from the Applications in the trees, and who
// gains the right to decrypt a cluster's secrets (public keys are shown; secret values never are).
import { cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { diffTrees, renderMarkdown, renderTerminal } from '../../diff/index.js';
import type { DiffReport } from '../../diff/model.js';
import { synthFleet } from '../../pipeline/synth.js';
import { EXAMPLE_OVERLAYS } from '../helpers/fleet.js';
import { cleanupTempDirs, configMap, tempDir, tree, type TreeSpec } from './helpers.js';

afterAll(cleanupTempDirs);

/** The Application that syncs `clusters/<cluster>/<folder>`, with or without prune. */
const application = (cluster: string, folder: string, prune: boolean) => ({
  apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: folder, namespace: 'argocd' },
  spec: { source: { repoURL: 'https://git.example/infra-gitops.git', path: `clusters/${cluster}/${folder}`, targetRevision: 'main' },
    syncPolicy: { automated: { prune, selfHeal: true } } },
});

/** A cluster whose `apps/` (root, in bootstrap/) and `cert-manager/` folders sync with `prune`, plus extra objects. */
function clusterTree(cluster: string, prune: boolean, extra: TreeSpec = {}): TreeSpec {
  return {
    [`clusters/${cluster}/bootstrap/application-root.yaml`]: [application(cluster, 'apps', prune)],
    [`clusters/${cluster}/apps/application-cert-manager-config.yaml`]: [application(cluster, 'cert-manager', prune)],
    ...extra,
  };
}

const removedLines = (md: string) => md.split('\n').filter((l) => l.startsWith('- ⚠️ **removed**'));

async function removing(cluster: string, prune: boolean, file: string, objects: Array<Record<string, unknown>>): Promise<DiffReport> {
  return diffTrees({ base: tree(clusterTree(cluster, prune, { [file]: objects })), head: tree(clusterTree(cluster, prune)) });
}

test('where its Application syncs with prune, a removed object is pruned on the next sync', async () => {
  const r = await removing('dev', true, 'clusters/dev/cert-manager/configmap-a.yaml', [configMap('a', {})]);
  expect(r.clusters[0].components[0].objects.map((o) => o.deletion)).toEqual(['pruned']);
  expect(removedLines(renderMarkdown(r))).toEqual([
    '- ⚠️ **removed** `ConfigMap/default/a` (`v1`): Argo CD prunes it on the next sync (was in `clusters/dev/cert-manager/configmap-a.yaml`)',
  ]);
});

test('where prune is off (prod), a removed object stays OutOfSync until an operator syncs with prune; nothing says Argo CD prunes it', async () => {
  const r = await removing('yc-prod', false, 'clusters/yc-prod/cert-manager/configmap-a.yaml', [configMap('a', {})]);
  const md = renderMarkdown(r);
  expect(r.clusters[0].components[0].objects.map((o) => o.deletion)).toEqual(['operator-prune']);
  expect(md).toContain('> - 1 stay in the cluster, OutOfSync, until an operator runs a sync with prune (prune is off for their Application)\n');
  expect(md).toContain('> - `yc-prod` (prod) / `cert-manager`: `ConfigMap/default/a` — prune off: stays until an operator syncs with prune\n');
  expect(removedLines(md)).toEqual([
    '- ⚠️ **removed** `ConfigMap/default/a` (`v1`): prune is off for its Application: it stays in the cluster, OutOfSync, until an operator runs a sync with prune (was in `clusters/yc-prod/cert-manager/configmap-a.yaml`)',
  ]);
  for (const text of [md, renderTerminal(r, { color: false })]) expect(text).not.toMatch(/prunes (it|them)/);
});

test('an object removed from apps/ follows the root Application in bootstrap/', async () => {
  const r = await removing('yc-prod', false, 'clusters/yc-prod/apps/application-x.yaml', [{ ...application('yc-prod', 'x', false), metadata: { name: 'x', namespace: 'argocd' } }]);
  expect(r.clusters[0].components.map((c) => [c.name, c.objects.map((o) => o.deletion)])).toEqual([['apps', ['operator-prune']]]);
});

test('a bootstrap/ object is never pruned: Argo CD does not manage it, an admin deletes it', async () => {
  const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'old-team' } };
  const r = await removing('dev', true, 'clusters/dev/bootstrap/namespace-old-team.yaml', [ns]);
  const md = renderMarkdown(r);
  expect(r.clusters[0].components[0].objects.map((o) => o.deletion)).toEqual(['by-hand']);
  expect(removedLines(md)).toEqual([
    '- ⚠️ **removed** `Namespace/old-team` (`v1`): Argo CD does not manage it: it stays in the cluster until an admin deletes it (was in `clusters/dev/bootstrap/namespace-old-team.yaml`)',
  ]);
  expect(renderTerminal(r, { color: false })).toContain('- Namespace/old-team (v1)  Argo CD does not manage it: it stays in the cluster until an admin deletes it');
  expect(md).not.toMatch(/prunes (it|them)/);
});

test('a bootstrap/ object is never said to be pruned, even where an Application names that folder', async () => {
  const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'old-team' } };
  const odd = { 'clusters/dev/apps/application-bootstrap.yaml': [application('dev', 'bootstrap', true)] };
  const r = await diffTrees({
    base: tree(clusterTree('dev', true, { ...odd, 'clusters/dev/bootstrap/namespace-old-team.yaml': [ns] })),
    head: tree(clusterTree('dev', true, odd)),
  });
  expect(r.clusters[0].components[0].objects.map((o) => [o.ref, o.deletion])).toEqual([['Namespace/old-team', 'by-hand']]);
});

test('the summary counts removed objects by what happens to them, each cluster by its own Applications', async () => {
  const base = tree({
    ...clusterTree('dev', true, { 'clusters/dev/cert-manager/c.yaml': [configMap('a', {}), configMap('b', {})] }),
    ...clusterTree('yc-prod', false, { 'clusters/yc-prod/cert-manager/c.yaml': [configMap('a', {})], 'clusters/yc-prod/bootstrap/ns.yaml': [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x' } }] }),
  });
  const head = tree({ ...clusterTree('dev', true), ...clusterTree('yc-prod', false) });
  const md = renderMarkdown(await diffTrees({ base, head }));
  const start = md.indexOf('> [!CAUTION]');
  expect(md.slice(start, md.indexOf('\n>\n', start) + 1)).toBe([
    '> [!CAUTION]',
    '> **4 objects are removed from the tree**:',
    '> - 2 pruned by Argo CD on the next sync (their Application syncs with prune)',
    '> - 1 stay in the cluster, OutOfSync, until an operator runs a sync with prune (prune is off for their Application)',
    '> - 1 stay in the cluster until an admin deletes them: Argo CD does not manage them (bootstrap/, or a cluster removed from the tree)',
    '',
  ].join('\n'));
});

test('in rendered example clusters: dev prunes, prod (prune off) waits for an operator, bootstrap/ waits for an admin', async () => {
  const base = tempDir();
  await synthFleet({ overlaysDir: EXAMPLE_OVERLAYS, outDir: base, clusters: ['dev', 'yc-prod'] });
  const head = tempDir();
  cpSync(base, head, { recursive: true });
  for (const f of ['dev/cert-manager/clusterissuer-selfsigned.yaml', 'yc-prod/cert-manager/clusterissuer-letsencrypt-staging.yaml', 'yc-prod/bootstrap/namespace-opencost.yaml']) {
    rmSync(join(head, 'clusters', f));
  }
  const r = await diffTrees({ base, head });
  expect(r.clusters.flatMap((c) => c.components.flatMap((comp) => comp.objects.map((o) => [c.name, o.ref, o.deletion])))).toEqual([
    ['yc-prod', 'Namespace/opencost', 'by-hand'],
    ['yc-prod', 'ClusterIssuer/letsencrypt-staging', 'operator-prune'],
    ['dev', 'ClusterIssuer/selfsigned', 'pruned'],
  ]);
});

describe('decrypt rights', () => {
  const KEY_A = 'age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p';
  const KEY_B = 'age1lggyhqrw2nlhcxprm67z43rta597azn8gknawjehu9d9dl0jq3yqqvfafg';
  const sopsYaml = (recipients: string) =>
    `creation_rules:\n  - path_regex: ^(secrets/c1/[^/]+|clusters/c1/secrets)/[^/]+\\.enc\\.yaml$\n    encrypted_suffix: Templates\n    age: ${recipients}\n`;
  const sopsSecret = (recipients: string[], value: string) => ({
    apiVersion: 'isindir.github.com/v1alpha3', kind: 'SopsSecret', metadata: { name: 'db', namespace: 'argocd' },
    spec: { secretTemplates: [{ name: 'ENC[AES256_GCM,data:ZGI=,iv:1,tag:2,type:str]', stringData: { password: value } }] },
    sops: {
      age: recipients.map((r) => ({ recipient: r, enc: `-----BEGIN AGE ENCRYPTED FILE-----\nWRAPPED-${r.slice(-4)}-${value.slice(20, 24)}\n-----END AGE ENCRYPTED FILE-----\n` })),
      lastmodified: '2026-12-01T00:00:00Z', mac: `ENC[AES256_GCM,data:MAC${value.slice(20, 24)},iv:1,tag:2,type:str]`, encrypted_suffix: 'Templates', version: '3.9.0',
    },
  });
  const OLD = 'ENC[AES256_GCM,data:T0xEVkFMVUU=,iv:1,tag:2,type:str]';
  const NEW = 'ENC[AES256_GCM,data:TkVXVkFMVUU=,iv:3,tag:4,type:str]';

  async function gainingB() {
    const file = 'clusters/c1/secrets/argocd.db.enc.yaml';
    const base = tree({ '.sops.yaml': sopsYaml(KEY_A), [file]: [sopsSecret([KEY_A], OLD)] });
    const head = tree({ '.sops.yaml': sopsYaml(`${KEY_A},${KEY_B}`), [file]: [sopsSecret([KEY_A, KEY_B], NEW)] });
    return diffTrees({ base, head });
  }

  test('a recipient added in .sops.yaml is listed by cluster, with its public key', async () => {
    const r = await gainingB();
    expect(r.recipients).toEqual([{ cluster: 'c1', added: [KEY_B], removed: [] }]);
    expect(renderMarkdown(r)).toContain(`> [!IMPORTANT]\n> **Decrypt rights change**: the age recipients (public keys) of these clusters' secrets, from \`.sops.yaml\`.\n>\n> - \`c1\`: gains \`${KEY_B}\`\n`);
    expect(renderTerminal(r, { color: false })).toContain(`decrypt rights of c1's secrets (age recipients, .sops.yaml):\n  + ${KEY_B}\n`);
  });

  test('the recipients in a SopsSecret\'s sops block are shown; its wrapped keys, MAC and values are not', async () => {
    const r = await gainingB();
    const [o] = r.clusters[0].components[0].objects;
    expect(o.patch).toContain(`+      recipient: ${KEY_B}\n`);
    const all = [renderMarkdown(r), renderTerminal(r, { color: false }), JSON.stringify(r)].join('\n');
    for (const hidden of ['WRAPPED', 'MAC', 'T0xEVkFMVUU', 'TkVXVkFMVUU', 'ZGI=']) expect(all).not.toContain(hidden);
  });

  test('a recipient change alone is a change (exit 1)', async () => {
    const r = await diffTrees({
      base: tree({ '.sops.yaml': sopsYaml(`${KEY_A},${KEY_B}`), 'clusters/c1/apps/a.yaml': [configMap('a', {})] }),
      head: tree({ '.sops.yaml': sopsYaml(KEY_A), 'clusters/c1/apps/a.yaml': [configMap('a', {})] }),
    });
    expect([r.summary.hasChanges, r.recipients]).toEqual([true, [{ cluster: 'c1', added: [], removed: [KEY_B] }]]);
    expect(renderMarkdown(r)).toContain(`> - \`c1\`: loses \`${KEY_B}\`\n`);
  });
});
