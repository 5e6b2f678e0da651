import { cpSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { synthFleet } from '../../pipeline/synth.js';
import { EXAMPLE_OVERLAYS, REPO_ROOT } from '../helpers/fleet.js';
import { tempDir as tmp } from '../helpers/tmp.js';
import { readTree } from '../helpers/tree.js';

/**
 * A copy of the example repository's overlays and encrypted secrets; returns its overlays folder.
 * A whole-fleet synth keeps the repository's .sops.yaml and docs/services fresh, so tests run it
 * on a copy: never on the repository's own overlays.
 */
function exampleRepo(): string {
  const repo = tmp('repo-');
  cpSync(EXAMPLE_OVERLAYS, join(repo, 'overlays'), { recursive: true });
  cpSync(join(REPO_ROOT, 'secrets'), join(repo, 'secrets'), { recursive: true });
  return join(repo, 'overlays');
}

/** Output files (not synth's own record under .infra-synth/) that differ between two trees, or that only one has. */
function differing(a: Record<string, string>, b: Record<string, string>): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((f) => a[f] !== b[f] && !f.startsWith('.infra-synth/')).sort();
}


describe('synth of the example fleet', () => {
  test('renders every example cluster', async () => {
    const out = tmp('dist-');
    const r = await synthFleet({ overlaysDir: exampleRepo(), outDir: out });
    expect(r.clusters).toEqual(['dev', 'onprem-prod', 'sber-prod', 'vk-stage', 'yc-prod']);
    expect(readdirSync(join(out, 'clusters')).sort()).toEqual(r.clusters);
  });

  test('a second synth is byte-identical and writes nothing', async () => {
    const a = tmp('dist-'), b = tmp('dist-'), overlays = exampleRepo();
    await synthFleet({ overlaysDir: overlays, outDir: a });
    await synthFleet({ overlaysDir: overlays, outDir: b });
    expect(readTree(a)).toEqual(readTree(b));
    const before = statSync(join(a, 'clusters/dev/bootstrap/application-root.yaml')).mtimeMs;
    const again = await synthFleet({ overlaysDir: overlays, outDir: a });
    expect(again.changes).toEqual({ added: [], changed: [], removed: [], unchanged: again.files });
    expect(statSync(join(a, 'clusters/dev/bootstrap/application-root.yaml')).mtimeMs).toBe(before);
  });

  test('a broken overlay leaves the previous output untouched', async () => {
    const overlays = exampleRepo(), out = tmp('dist-');
    await synthFleet({ overlaysDir: overlays, outDir: out });
    const before = readTree(out);
    writeFileSync(join(overlays, 'vk-stage.ts'), "export default { cloud: 'vk', environment: 'stage', domain: 'stage.company.ru', ingress: { kind: 'nginx' } };\n");
    await expect(synthFleet({ overlaysDir: overlays, outDir: out })).rejects.toThrow('overlays');
    expect(readTree(out)).toEqual(before);
  });

  test('--check reports what would change and writes nothing', async () => {
    const overlays = exampleRepo(), out = tmp('dist-');
    await synthFleet({ overlaysDir: overlays, outDir: out });
    const before = readTree(out);
    writeFileSync(join(overlays, 'vk-stage.ts'), readFileSync(join(overlays, 'vk-stage.ts'), 'utf8').replace("environment: 'stage'", "environment: 'prod'"));
    const r = await synthFleet({ overlaysDir: overlays, outDir: out, check: true });
    expect(readTree(out)).toEqual(before);
    // Exactly what a real synth of the changed overlay then changes: vk-stage's files only (its
    // cluster tree and its infra stack, whose zone and buckets prod protects).
    const after = tmp('dist-');
    await synthFleet({ overlaysDir: overlays, outDir: after });
    const changed = differing(before, readTree(after));
    expect([...r.changes.added, ...r.changes.changed, ...r.changes.removed].sort()).toEqual(changed);
    expect(changed.filter((p) => !p.startsWith('clusters/vk-stage/') && !p.startsWith('infra/vk-stage/'))).toEqual([]);
    // Prod runs two Argo CD server replicas: at least that file changes.
    expect(changed).toContain('clusters/vk-stage/apps/application-argo-cd.yaml');
  });

  test('an overlay removed from the fleet has its files pruned, and only those', async () => {
    const overlays = exampleRepo(), out = tmp('dist-');
    await synthFleet({ overlaysDir: overlays, outDir: out });
    writeFileSync(join(out, 'clusters', 'README.md'), 'kept\n');
    const devFiles = Object.keys(readTree(join(out, 'clusters/dev'))).map((f) => `clusters/dev/${f}`).sort();
    rmSync(join(overlays, 'dev.ts'));
    const r = await synthFleet({ overlaysDir: overlays, outDir: out });
    expect([...r.changes.removed].sort()).toEqual(devFiles);
    expect(readFileSync(join(out, 'clusters', 'README.md'), 'utf8')).toBe('kept\n');
  });

  test('--cluster renders one cluster and leaves the others\' files alone', async () => {
    const out = tmp('dist-'), overlays = exampleRepo();
    await synthFleet({ overlaysDir: overlays, outDir: out });
    const r = await synthFleet({ overlaysDir: overlays, outDir: out, clusters: ['dev'] });
    expect(r.clusters).toEqual(['dev']);
    expect(r.changes.removed).toEqual([]);
    expect(readdirSync(join(out, 'clusters')).length).toBe(5);
  });
});
