// Incremental synth (pipeline/synth-cache.ts): a cluster whose inputs are those of a synth that passed
// is read back from the synth cache instead of rendered; the tree written is the same bytes a full
// synth writes. Run through the bundled CLI, as users run it (the cache keys on the bundle).
import { cpSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { execa } from 'execa';
import { toolDigest } from '../../pipeline/synth-cache.js';
import { bundledCli } from '../helpers/cli.js';
import { REPO_ROOT } from '../helpers/fleet.js';
import { tempDir } from '../helpers/tmp.js';

const CLI = bundledCli('incremental');

/** A repository of the example fleet (overlays, secrets, footprints) in a temp folder, with its own synth cache. */
function exampleRepo(): { root: string; cache: string } {
  const root = tempDir('incremental-');
  for (const f of ['overlays', 'secrets', 'charts.footprints.json', '.sops.yaml']) cpSync(join(REPO_ROOT, f), join(root, f), { recursive: true });
  return { root, cache: tempDir('synth-cache-') };
}

async function synth(repo: { root: string; cache: string }, out: string, ...flags: string[]) {
  const r = await execa('node', [CLI, 'synth', '--overlays', join(repo.root, 'overlays'), '--out', join(repo.root, out), ...flags], {
    cwd: REPO_ROOT, reject: false, env: { INFRA_SYNTH_INCREMENTAL: '1', INFRA_SYNTH_SYNTH_CACHE: repo.cache },
  });
  if (r.exitCode !== 0) throw new Error(`synth failed:\n${r.stdout}\n${r.stderr}`);
  return r;
}

/** Every file of a tree with its bytes. */
function treeOf(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile() && !relative(dir, d.parentPath).startsWith('.infra-synth'))
    .map((d) => [relative(dir, join(d.parentPath, d.name)), readFileSync(join(d.parentPath, d.name), 'utf8')]));
}

const reusedOf = (stdout: string) => Number(/\((\d+) unchanged since a synth that passed/.exec(stdout)?.[1] ?? 0);

// One repository for the whole file, synthesized once up front: each test changes what it names
// and checks how many clusters the next synth reads back (the file's tests run in order).
let repo: { root: string; cache: string };
let first: Awaited<ReturnType<typeof synth>>;
beforeAll(async () => {
  repo = exampleRepo();
  first = await synth(repo, 'dist');
}, 120_000);

test('a second synth with unchanged inputs renders no cluster and writes nothing', async () => {
  expect(reusedOf(first.stdout)).toBe(0);
  const second = await synth(repo, 'dist');
  expect([reusedOf(second.stdout), /0 added, 0 changed, 0 removed/.test(second.stdout), second.stderr]).toEqual([5, true, first.stderr]);
});

test('--full renders every cluster', async () => {
  expect(reusedOf((await synth(repo, 'dist', '--full')).stdout)).toBe(0);
});

test('a changed secret file renders its cluster again', async () => {
  const dir = join(repo.root, 'secrets', 'dev');
  const file = readdirSync(dir, { recursive: true, withFileTypes: true }).find((d) => d.isFile() && d.name.endsWith('.enc.yaml'))!;
  const path = join(file.parentPath, file.name);
  writeFileSync(path, `${readFileSync(path, 'utf8')}# touched\n`);
  expect(reusedOf((await synth(repo, 'dist')).stdout)).toBe(4);
});

test('after one overlay changes, only that cluster is rendered, and the tree is what a full synth writes', async () => {
  const overlay = join(repo.root, 'overlays', 'vk-stage.ts');
  writeFileSync(overlay, readFileSync(overlay, 'utf8').replace("environment: 'stage',", "environment: 'stage',\n  kubernetesVersion: '1.33',").replace(/\n  kubernetesVersion: '1\.32',/, ''));
  const incremental = await synth(repo, 'dist');
  expect(reusedOf(incremental.stdout)).toBe(4);
  await synth(repo, 'full', '--full');
  const a = treeOf(join(repo.root, 'dist'));
  const b = treeOf(join(repo.root, 'full'));
  expect(Object.keys(a).sort()).toEqual(Object.keys(b).sort());
  expect(Object.keys(a).filter((k) => a[k] !== b[k])).toEqual([]);
  expect(a['clusters/vk-stage/bootstrap/application-root.yaml']).toMatch(/kubernetes-version: "?1\.33/);
});

test('the tool digest changes with any file of the bundle, and is undefined off a bundle', () => {
  const build = tempDir('bundle-');
  writeFileSync(join(build, 'cli.mjs'), 'export {};\n');
  const a = toolDigestOf(join(build, 'cli.mjs'));
  writeFileSync(join(build, 'chunk.mjs'), 'export const x = 1;\n');
  const b = toolDigestOf(join(build, 'cli.mjs'));
  expect([typeof a, a === b]).toEqual(['string', false]);
  expect(toolDigestOf(join(REPO_ROOT, 'pipeline', 'synth-cache.ts'))).toBeUndefined();
});

test('the tool digest is the same seen from any file of the bundle, and changes with an edit to any chunk', () => {
  // synth-cache.ts itself lands in a chunk (build/chunks/chunk-<hash>.mjs), so its digest starts from there.
  const build = tempDir('bundle-');
  mkdirSync(join(build, 'chunks'));
  writeFileSync(join(build, 'cli.mjs'), 'import "./chunks/a.mjs";\n');
  writeFileSync(join(build, 'chunks', 'a.mjs'), 'export const a = 1;\n');
  writeFileSync(join(build, 'chunks', 'b.mjs'), 'export const b = 1;\n');
  const before = [toolDigestOf(join(build, 'cli.mjs')), toolDigestOf(join(build, 'chunks', 'a.mjs'))];
  writeFileSync(join(build, 'chunks', 'b.mjs'), 'export const b = 2;\n');
  const after = toolDigestOf(join(build, 'chunks', 'a.mjs'));
  expect([before[0] === before[1], before[1] === after]).toEqual([true, false]);
});

/** toolDigest without its per-process memo. */
function toolDigestOf(file: string): string | undefined {
  return toolDigest(`file://${file}`, false);
}
