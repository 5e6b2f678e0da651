// A git ref as the base: a real temp git repository whose committed scripts/build.mjs and
// bin/infra-synth.mjs are tiny stand-ins that write a known tree, so the worktree mechanics
// (add, node_modules link, build, synth --out, remove) run for real.
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { diffTrees } from '../../diff/index.js';
import type { DiffReport } from '../../diff/model.js';
import { UserError } from '../../primitives/errors.js';
import { git } from '../helpers/git.js';
import { cleanupTempDirs, configMap, tempDir, writeTree, type TreeSpec } from './helpers.js';

const STAND_IN_BUILD = `
import { mkdirSync, writeFileSync } from 'node:fs';
mkdirSync('build', { recursive: true });
writeFileSync('build/built.txt', 'built\\n');
`;

const STAND_IN_CLI = `
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
const [command, flag, out] = process.argv.slice(2);
if (command !== 'synth' || flag !== '--out' || !out) { console.error('stand-in: expected synth --out DIR'); process.exit(2); }
if (!existsSync('build/built.txt')) { console.error('stand-in: scripts/build.mjs did not run first'); process.exit(4); }
const fleet = JSON.parse(readFileSync('fleet.json', 'utf8'));
for (const [file, text] of Object.entries(fleet)) {
  mkdirSync(dirname(join(out, file)), { recursive: true });
  writeFileSync(join(out, file), text);
}
mkdirSync(join(out, 'clusters/c1/env'), { recursive: true });
// Records whether the caller's node_modules was linked into the worktree.
writeFileSync(join(out, 'clusters/c1/env/env.yaml'),
  'apiVersion: v1\\nkind: ConfigMap\\nmetadata: {name: env, namespace: default}\\ndata: {nodeModules: "' + existsSync('node_modules/marker.txt') + '"}\\n');
`;

const FAILING_BUILD = `
console.error('build broke: cannot find module ./charts/missing.js');
process.exit(3);
`;

// A scratch dir of our own per test, to see that the worktree and its output are gone afterwards.
let tmpDir: string;
beforeEach(() => { tmpDir = tempDir('diff-git-tmp-'); });
afterAll(cleanupTempDirs);


function fleetJson(spec: Record<string, Array<Record<string, unknown>>>): string {
  return JSON.stringify(Object.fromEntries(Object.entries(spec).map(([f, objs]) => [f, objs.map((o) => yaml.dump(o)).join('---\n')])), null, 2);
}

const A = { 'clusters/c1/apps/a.yaml': [configMap('a', { k: '1' }), configMap('b', {})] };
const B = { 'clusters/c1/apps/a.yaml': [configMap('a', { k: '2' })], 'clusters/c1/apps/c.yaml': [configMap('c', {})] };
const ENV_LINKED: TreeSpec = { 'clusters/c1/env/env.yaml': [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'env', namespace: 'default' }, data: { nodeModules: 'true' } }] };

/** A repo with the stand-ins: tag v1 renders A, HEAD renders B; `pkg` is where the package sits. */
async function makeRepo(pkg = ''): Promise<{ repo: string; cwd: string; v1: string }> {
  const repo = tempDir('diff-git-repo-');
  const cwd = join(repo, pkg);
  await git(repo, 'init', '-q', '-b', 'main');
  mkdirSync(join(cwd, 'scripts'), { recursive: true });
  mkdirSync(join(cwd, 'bin'), { recursive: true });
  writeFileSync(join(cwd, 'package.json'), '{"type":"module"}\n');
  writeFileSync(join(cwd, 'scripts/build.mjs'), STAND_IN_BUILD);
  writeFileSync(join(cwd, 'bin/infra-synth.mjs'), STAND_IN_CLI);
  writeFileSync(join(repo, '.gitignore'), 'node_modules/\nbuild/\ndist/\n');
  writeFileSync(join(cwd, 'fleet.json'), fleetJson(A));
  await git(repo, 'add', '-A');
  await git(repo, 'commit', '-q', '-m', 'fleet A');
  await git(repo, 'tag', 'v1');
  writeFileSync(join(cwd, 'fleet.json'), fleetJson(B));
  await git(repo, 'commit', '-q', '-am', 'fleet B');
  mkdirSync(join(cwd, 'node_modules'));
  writeFileSync(join(cwd, 'node_modules/marker.txt'), 'installed\n');
  return { repo, cwd, v1: await git(repo, 'rev-parse', 'v1') };
}

function changes(r: DiffReport): string[][] {
  return r.clusters.flatMap((c) => c.components.flatMap((comp) => comp.objects.map((o) => [c.name, comp.name, o.change, o.ref])));
}

async function expectCleanedUp(repo: string, cwd: string): Promise<void> {
  expect((await git(repo, 'worktree', 'list', '--porcelain')).match(/^worktree /gm)).toHaveLength(1);
  expect(readdirSync(tmpDir)).toEqual([]);
  expect(existsSync(join(cwd, 'node_modules/marker.txt'))).toBe(true);
}

test('stand-in synth: a ref is rendered from its commit in a temporary worktree, then removed', async () => {
  const { repo, cwd, v1 } = await makeRepo();
  writeTree(join(cwd, 'dist'), { ...B, ...ENV_LINKED });
  // An uncommitted edit must not leak into the base: the commit is what is rendered.
  writeFileSync(join(cwd, 'fleet.json'), fleetJson({ 'clusters/c1/apps/a.yaml': [configMap('zzz', {})] }));

  const r = await diffTrees({ base: 'v1', cwd, tmpDir });

  expect(r.base).toEqual({ label: 'v1', kind: 'git', commit: v1 });
  // env.yaml equal on both sides: node_modules was linked into the worktree.
  expect(changes(r)).toEqual([
    ['c1', 'apps', 'removed', 'ConfigMap/default/b'],
    ['c1', 'apps', 'changed', 'ConfigMap/default/a'],
    ['c1', 'apps', 'added', 'ConfigMap/default/c'],
  ]);
  await expectCleanedUp(repo, cwd);
});

test('stand-in synth: a package in a sub-folder of the repository renders from the same sub-folder', async () => {
  const { repo, cwd } = await makeRepo('tools/infra');
  writeTree(join(cwd, 'dist'), { ...A, ...ENV_LINKED });
  const r = await diffTrees({ base: 'v1', cwd, tmpDir });
  expect(r.summary.hasChanges).toBe(false);
  await expectCleanedUp(repo, cwd);
});

test('stand-in synth: a base commit whose build fails is a clear error, and the worktree is still removed', async () => {
  const { repo, cwd } = await makeRepo();
  writeFileSync(join(cwd, 'scripts/build.mjs'), FAILING_BUILD);
  await git(repo, 'commit', '-q', '-am', 'break the build');
  const broken = (await git(repo, 'rev-parse', 'HEAD')).slice(0, 12);
  writeTree(join(cwd, 'dist'), B);

  const err = await diffTrees({ base: 'HEAD', cwd, tmpDir }).catch((e) => e);
  expect(err).toBeInstanceOf(UserError);
  expect((err as UserError).problems).toEqual([
    `base HEAD: could not render commit ${broken}: \`node scripts/build.mjs\` failed with exit code 3; its last output:`,
    '  | build broke: cannot find module ./charts/missing.js',
  ]);
  await expectCleanedUp(repo, cwd);
});

test('a ref that does not exist in the repository is an error', async () => {
  const { cwd } = await makeRepo();
  writeTree(join(cwd, 'dist'), B);
  await expect(diffTrees({ base: 'no-such-branch', cwd, tmpDir })).rejects.toThrow(/base "no-such-branch" is neither a directory nor a git ref/);
});

test('a path that exists wins over a ref of the same name', async () => {
  const { cwd } = await makeRepo();
  writeTree(join(cwd, 'dist'), B);
  writeTree(join(cwd, 'v1'), B);
  const r = await diffTrees({ base: 'v1', cwd, tmpDir });
  expect(r.base).toEqual({ label: 'v1', kind: 'dir' });
  expect(r.summary.hasChanges).toBe(false);
});
