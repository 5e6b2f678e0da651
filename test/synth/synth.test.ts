import { cpSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { synthFleet } from '../../lib/synth.js';
import { EXAMPLE_OVERLAYS, REPO_ROOT } from '../helpers/fleet.js';
import { readTree } from '../helpers/tree.js';

const tmp = (p: string) => mkdtempSync(join(tmpdir(), p));

/** A copy of the example repository's overlays and encrypted secrets; returns its overlays folder. */
function exampleRepo(): string {
  const repo = tmp('repo-');
  cpSync(EXAMPLE_OVERLAYS, join(repo, 'overlays'), { recursive: true });
  cpSync(join(REPO_ROOT, 'secrets'), join(repo, 'secrets'), { recursive: true });
  return join(repo, 'overlays');
}


describe('synth of the example fleet', () => {
  test('renders every example cluster', async () => {
    const out = tmp('dist-');
    const r = await synthFleet({ overlaysDir: EXAMPLE_OVERLAYS, outDir: out });
    expect(r.clusters).toEqual(['dev', 'onprem-prod', 'sber-prod', 'vk-stage', 'yc-prod']);
    expect(readdirSync(join(out, 'clusters')).sort()).toEqual(r.clusters);
  });

  test('a second synth is byte-identical and writes nothing', async () => {
    const a = tmp('dist-'), b = tmp('dist-');
    await synthFleet({ overlaysDir: EXAMPLE_OVERLAYS, outDir: a });
    await synthFleet({ overlaysDir: EXAMPLE_OVERLAYS, outDir: b });
    expect(readTree(a)).toEqual(readTree(b));
    const before = statSync(join(a, 'clusters/dev/bootstrap/application-root.yaml')).mtimeMs;
    const again = await synthFleet({ overlaysDir: EXAMPLE_OVERLAYS, outDir: a });
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
    expect(r.changes.changed.length).toBeGreaterThan(0);
    expect(r.changes.changed.every((p) => p.startsWith('clusters/vk-stage/'))).toBe(true);
    expect(readTree(out)).toEqual(before);
  });

  test('an overlay removed from the fleet has its files pruned, and only those', async () => {
    const overlays = exampleRepo(), out = tmp('dist-');
    await synthFleet({ overlaysDir: overlays, outDir: out });
    writeFileSync(join(out, 'clusters', 'README.md'), 'kept\n');
    const { rmSync } = await import('node:fs');
    rmSync(join(overlays, 'dev.ts'));
    const r = await synthFleet({ overlaysDir: overlays, outDir: out });
    expect(r.changes.removed.length).toBeGreaterThan(0);
    expect(r.changes.removed.every((p) => p.startsWith('clusters/dev/'))).toBe(true);
    expect(readFileSync(join(out, 'clusters', 'README.md'), 'utf8')).toBe('kept\n');
  });

  test('--cluster renders one cluster and leaves the others\' files alone', async () => {
    const out = tmp('dist-');
    await synthFleet({ overlaysDir: EXAMPLE_OVERLAYS, outDir: out });
    const r = await synthFleet({ overlaysDir: EXAMPLE_OVERLAYS, outDir: out, clusters: ['dev'] });
    expect(r.clusters).toEqual(['dev']);
    expect(r.changes.removed).toEqual([]);
    expect(readdirSync(join(out, 'clusters')).length).toBe(5);
  });
});
