// The CI pipelines in .github/workflows run for real: every `run:` step of main.yml and pr.yml
// is executed, in order and in the working directory the workflow gives it, in a temporary
// checkout of this repository beside a local bare repository standing in for infra-gitops.
// Only what needs GitHub is stood in for: `npm ci` (node_modules and build/ are linked from
// here) and the `uses:` steps (the infra-gitops checkout is a clone of the bare repository).
// A step that names a missing npm script, a missing file or a wrong path fails here first.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import yaml from 'js-yaml';
import { REPO_ROOT } from '../helpers/fleet.js';

interface Step { name?: string; run?: string; uses?: string; env?: Record<string, string>; 'working-directory'?: string }
interface Workflow { jobs: Record<string, { steps: Step[]; defaults?: { run?: { 'working-directory'?: string } } }> }

const GIT_ENV = {
  GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_COUNT: '2', GIT_CONFIG_KEY_0: 'commit.gpgsign', GIT_CONFIG_VALUE_0: 'false',
  GIT_CONFIG_KEY_1: 'init.defaultBranch', GIT_CONFIG_VALUE_1: 'main',
  GIT_AUTHOR_NAME: 'test', GIT_AUTHOR_EMAIL: 'test@example.invalid',
  GIT_COMMITTER_NAME: 'test', GIT_COMMITTER_EMAIL: 'test@example.invalid',
};

const workflow = (file: string) => yaml.load(readFileSync(join(REPO_ROOT, '.github', 'workflows', file), 'utf8')) as Workflow;
const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, env: { ...process.env, ...GIT_ENV }, encoding: 'utf8' });

/**
 * Steps that only GitHub can run: installing (done once here), `uses:` actions, and fetching charts
 * from their repositories (no network here; .ci/run fills the cache from the reference charts and
 * runs synth with every chart rendered).
 */
const standsIn = (s: Step) => !s.run || /^npm ci\b/.test(s.run.trim()) || /apt-get/.test(s.run) || /\bcharts pull\b(?!.*--from)/.test(s.run);

let root: string;
let checkout: string;
let remote: string;
/**
 * The jobs' chart cache: empty, as `charts pull` (a step only GitHub can run) leaves it here. Steps
 * that render charts then say which they could not render, as they do for a user without the cache.
 */
let chartCache: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'infra-synth-pipeline-'));
  chartCache = join(root, 'chart-cache');
  // The checkout: this working tree's files (committed or not, never ignored ones) as one commit.
  checkout = join(root, 'infra-synth');
  const files = git(REPO_ROOT, 'ls-files', '-z', '--cached', '--others', '--exclude-standard').split('\0').filter(Boolean);
  for (const f of files) {
    try { mkdirSync(dirname(join(checkout, f)), { recursive: true }); cpSync(join(REPO_ROOT, f), join(checkout, f)); } catch { /* deleted in the work tree */ }
  }
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(checkout, 'node_modules'));
  symlinkSync(join(REPO_ROOT, 'build'), join(checkout, 'build'));
  git(checkout, 'init', '-q');
  git(checkout, 'add', '-A');
  git(checkout, 'commit', '-q', '-m', 'source');
  // infra-gitops as a new team creates it: a bare repository whose main holds only a README.
  remote = join(root, 'infra-gitops.git');
  git(root, 'init', '-q', '--bare', remote);
  const seed = join(root, 'seed');
  git(root, 'init', '-q', seed);
  git(seed, 'remote', 'add', 'origin', remote);
  writeFileSync(join(seed, 'README.md'), '# infra-gitops\n');
  git(seed, 'add', '-A');
  git(seed, 'commit', '-q', '-m', 'empty rendered tree');
  git(seed, 'push', '-q', 'origin', 'HEAD:main');
  git(root, 'clone', '-q', '-b', 'main', remote, join(root, 'infra-gitops'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Runs a job's steps as the runner would (bash -e, the job's working directory); returns their outputs. */
function runJob(wf: Workflow, job: string, base: string): { step: string; status: number | null; output: string }[] {
  const j = wf.jobs[job];
  const results = [];
  for (const s of j.steps.filter((x) => !standsIn(x))) {
    const cwd = join(base, s['working-directory'] ?? j.defaults?.run?.['working-directory'] ?? '');
    const r = spawnSync('bash', ['-eo', 'pipefail', '-c', s.run!], {
      cwd, encoding: 'utf8', env: { ...process.env, ...GIT_ENV, ...(s.env ?? {}), CI: 'true', INFRA_SYNTH_CHART_CACHE: chartCache },
    });
    results.push({ step: s.name ?? s.run!.trim().split('\n')[0], status: r.status, output: `${r.stdout}${r.stderr}` });
    if (r.status !== 0) break;
  }
  return results;
}

test('every npm script the workflows run exists in package.json', () => {
  const scripts = Object.keys(JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).scripts);
  const named = ['main.yml', 'pr.yml'].flatMap((f) => Object.values(workflow(f).jobs).flatMap((j) => j.steps))
    .flatMap((s) => [...(s.run ?? '').matchAll(/\bnpm run (?:--silent )?([\w:-]+)/g)].map((m) => m[1]));
  expect([...new Set(named)].sort()).toEqual(['diff', 'docs', 'publish', 'secrets:audit', 'synth', 'validate']);
  expect(named.filter((n) => !scripts.includes(n))).toEqual([]);
});

test('the first pull request\'s pipeline posts a diff against an infra-gitops with nothing published yet', () => {
  const results = runJob(workflow('pr.yml'), 'diff', root);
  expect(results.filter((r) => r.status !== 0)).toEqual([]);
  const md = readFileSync(join(checkout, 'diff.md'), 'utf8');
  expect(md.startsWith('<!-- infra-synth-diff -->')).toBe(true);
  expect(md).toContain('yc-prod');
  const json = JSON.parse(readFileSync(join(checkout, 'diff.json'), 'utf8'));
  expect(json.schemaVersion).toBe(1);
  expect(json.clusters.map((c: { name: string }) => c.name).sort()).toEqual(['dev', 'management/mgmt', 'onprem-prod', 'sber-prod', 'vk-stage', 'yc-prod']);
});

test('the main pipeline renders, validates, audits and publishes to infra-gitops', () => {
  // main.yml's job runs in `infra-synth/` with infra-gitops checked out beside it.
  const results = runJob(workflow('main.yml'), 'publish', root);
  expect(results.filter((r) => r.status !== 0)).toEqual([]);
  expect(results.map((r) => r.step)).toContain('npm run synth');
  const head = git(root, '--git-dir', remote, 'log', '-1', '--format=%B', 'main');
  expect(head).toContain(`Source-Commit: ${git(checkout, 'rev-parse', 'HEAD').trim()}`);
  const tree = git(root, '--git-dir', remote, 'ls-tree', '-r', '--name-only', 'main');
  expect(tree).toContain('clusters/yc-prod/bootstrap/application-root.yaml');
});
