// `infra-synth charts pull|verify` as users run them: the real CLI entry bundled as `npm run
// build` does, with the catalog's pins; exit codes and one-line errors.
import { cpSync, readFileSync, writeFileSync, chmodSync, copyFileSync, appendFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { CHARTS } from '../../../catalog/versions.js';
import { bundledCli } from '../../helpers/cli.js';
import { tempDir as makeTempDir } from '../../helpers/tmp.js';
import { describeWithReferenceData, referencePath } from '../../helpers/reference-data.js';
import { startChartRepository, startOciRegistry, type LoopbackServer } from './servers.js';

const REPO_ROOT = resolve(import.meta.dirname ?? '.', '../../..');
const CLI = bundledCli('charts-pull');
const tempDir = () => makeTempDir('charts-cli-');


function cli(args: string[], env: Record<string, string> = {}) {
  const base: Record<string, string | undefined> = { ...process.env, INFRA_SYNTH_CHART_CACHE: join(tempDir(), 'cache'), ...env };
  delete base.INFRA_SYNTH_HELM;
  if (env.INFRA_SYNTH_HELM) base.INFRA_SYNTH_HELM = env.INFRA_SYNTH_HELM;
  return execa(process.execPath, [CLI, 'charts', ...args], { cwd: tempDir(), reject: false, env: base, extendEnv: false });
}

const PINNED = Object.values(CHARTS).map((c) => c.chart);
const servers: LoopbackServer[] = [];
afterAll(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

test('an unknown --chart exits 2 with one line naming the chart', async () => {
  const r = await cli(['pull', '--chart', 'nginx']);
  expect(r.exitCode).toBe(2);
  expect(r.stderr).toBe(`error: --chart nginx: chart nginx is not pinned in catalog/versions.ts (pinned: ${PINNED.join(', ')})`);
});

test('--check on an empty cache exits 1 and names every pinned chart with the pull command', async () => {
  const r = await cli(['pull', '--check']);
  expect(r.exitCode).toBe(1);
  const lines = r.stdout.split('\n');
  expect(lines).toHaveLength(PINNED.length + 1);
  expect(lines[0]).toBe(`chart argo-cd 10.1.1: not in charts.lock.json; run: npx infra-synth charts pull`);
  expect(lines.at(-1)).toBe(`${PINNED.length} problem(s); synth cannot find every chart`);
});

test('--stand-in must name a pinned chart as CHART=FOLDER', async () => {
  const r = await cli(['pull', '--from', tempDir(), '--stand-in', 'loki', '--stand-in', 'nginx=x']);
  expect(r.exitCode).toBe(2);
  expect(r.stderr.split('\n')).toEqual([
    'error: --stand-in loki: expected CHART=FOLDER',
    'error: --stand-in nginx=x: chart nginx is not pinned in catalog/versions.ts',
  ]);
});

test('--stand-in without --from and --mirror with --from are refused', async () => {
  const r = await cli(['pull', '--stand-in', 'loki=x']);
  expect(r.exitCode).toBe(2);
  expect(r.stderr).toBe('error: --stand-in: only with --from (it names a folder of the --from folder)');
  const m = await cli(['pull', '--from', tempDir(), '--mirror', 'a=b']);
  expect(m.stderr).toBe('error: --mirror: not with --from (a mirror is a repository URL)');
});

test('verify reports itself skipped when no helm is on PATH', async () => {
  const r = await cli(['verify'], { PATH: tempDir() });
  expect(r.exitCode).toBe(0);
  expect(r.stdout).toMatch(/^skipped: no helm binary on PATH/);
});

describeWithReferenceData('charts pull --from the reference charts', 'helm/charts', () => {
  const SHARED_CHARTS = referencePath('helm/charts');

  // One import of all pinned charts, shared by the tests below (each spawns the CLI).
  const lock = join(tempDir(), 'charts.lock.json');
  const cache = join(tempDir(), 'cache');
  let imported: Awaited<ReturnType<typeof cli>>;
  beforeAll(async () => {
    copyFileSync(join(REPO_ROOT, 'charts.lock.json'), lock);
    imported = await cli(['pull', '--from', SHARED_CHARTS, '--lock', lock], { INFRA_SYNTH_CHART_CACHE: cache });
  }, 180_000);

  test('fills the cache offline and reproduces the committed charts.lock.json byte for byte', () => {
    // Only warnings: the reference folders lack some vendored dependencies (helm/README.md).
    for (const line of imported.stderr.split('\n').filter(Boolean)) expect(line).toMatch(/^warning: chart \S+ \S+: dependencies .* are neither in /);
    expect(imported.exitCode).toBe(0);
    expect(imported.stdout.split('\n').at(-1)).toBe(`${lock}: unchanged; ${PINNED.length} packaged, 0 already cached`);
    expect(readFileSync(lock, 'utf8')).toBe(readFileSync(join(REPO_ROOT, 'charts.lock.json'), 'utf8'));
  });

  test('--check then finds every chart', async () => {
    const check = await cli(['pull', '--check', '--lock', lock], { INFRA_SYNTH_CHART_CACHE: cache });
    expect(check.stdout).toBe(`${PINNED.length} chart(s) locked and cached in ${cache}`);
    expect(check.exitCode).toBe(0);
  });

  test('verify shows the diff against a helm that prints something else, exit 1', async () => {
    const helm = join(tempDir(), 'helm');
    writeFileSync(helm, '#!/bin/sh\nexit 0\n');
    chmodSync(helm, 0o755);
    const verify = await cli(['verify', '--chart', 'opencost', '--lock', lock], { INFRA_SYNTH_CHART_CACHE: cache, INFRA_SYNTH_HELM: helm });
    expect(verify.exitCode).toBe(1);
    expect(verify.stdout).toMatch(/^differs  opencost 2\.5\.17\n/);
    expect(verify.stdout.split('\n').at(-1)).toBe(`${helm}: 0 of 1 chart(s) render the same`);
  }, 120_000);

  test('verify says "same" when helm prints what we print, exit 0', async () => {
    // A "helm" that is our own `charts template` given helm's arguments.
    const helm = join(tempDir(), 'helm');
    const argsLog = join(tempDir(), 'helm-args');
    writeFileSync(helm, `#!/bin/sh\n# template NAME CHART [flags...]\necho "$@" >> "${argsLog}"\nname="$2"; chart="$3"; shift 3\nexec "${process.execPath}" "${CLI}" charts template "$chart" --release-name "$name" "$@"\n`);
    chmodSync(helm, 0o755);
    const values = join(tempDir(), 'values.yaml');
    writeFileSync(values, 'podAnnotations:\n  team: platform\n');
    const same = await cli(['verify', '--chart', 'opencost', '--chart', 'external-dns', '--lock', lock, '-f', values, '--set', 'replicaCount=2'], { INFRA_SYNTH_CHART_CACHE: cache, INFRA_SYNTH_HELM: helm });
    expect(same.stdout.split('\n')).toEqual(['same     external-dns 1.21.1', 'same     opencost 2.5.17', `${helm}: 2 of 2 chart(s) render the same`]);
    expect(same.exitCode).toBe(0);
    expect(readFileSync(argsLog, 'utf8').split('\n')[0]).toMatch(new RegExp(`^template release-name \\S+\\.tgz --namespace default --kube-version v1\\.34\\.0 --include-crds --values ${values} --set replicaCount=2$`));
  }, 120_000);

  test('every pinned chart is pulled through --mirror from loopback repositories serving those packages; the lock keeps the catalog URLs', async () => {
    const committed = JSON.parse(readFileSync(join(REPO_ROOT, 'charts.lock.json'), 'utf8')).charts as Record<string, { digest: string; repository: string; version: string }>;
    const pins = Object.values(CHARTS).map((c) => ({ name: c.chart, version: c.version, repository: c.repoURL as string }));
    const bytesOf = (name: string) => new Uint8Array(readFileSync(join(cache, 'sha256', `${committed[name].digest.slice('sha256:'.length)}.tgz`)));
    const mirrors: string[] = [];
    for (const repository of new Set(pins.filter((p) => !p.repository.startsWith('oci://')).map((p) => p.repository))) {
      const repo = await startChartRepository(pins.filter((p) => p.repository === repository).map((p) => ({ name: p.name, version: p.version, bytes: bytesOf(p.name) })));
      servers.push(repo);
      mirrors.push('--mirror', `${repository}=${repo.repoURL}`);
    }
    const oci = pins.filter((p) => p.repository.startsWith('oci://'));
    const registry = await startOciRegistry(oci.map((p) => ({ repository: p.repository.replace(/^oci:\/\/[^/]+\//, ''), tag: p.version, bytes: bytesOf(p.name) })));
    servers.push(registry);
    mirrors.push('--mirror', `oci://cr.yandex/=oci://${registry.host}/`);

    const pulledLock = join(tempDir(), 'charts.lock.json');
    copyFileSync(join(REPO_ROOT, 'charts.lock.json'), pulledLock);
    const pulledCache = join(tempDir(), 'cache');
    const r = await cli(['pull', '--lock', pulledLock, ...mirrors], { INFRA_SYNTH_CHART_CACHE: pulledCache });
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\n').at(-1)).toBe(`${pulledLock}: updated; ${PINNED.length} pulled, 0 already cached`);
    expect(r.exitCode).toBe(0);
    const expected = Object.fromEntries(Object.entries(committed).map(([name, e]) => [name, { version: e.version, repository: e.repository, digest: e.digest, source: 'repository' }]));
    expect(JSON.parse(readFileSync(pulledLock, 'utf8')).charts).toEqual(expected);

    const requests = () => servers.reduce((n, s) => n + s.requests.length, 0);
    const seen = requests();
    const again = await cli(['pull', '--lock', pulledLock, ...mirrors], { INFRA_SYNTH_CHART_CACHE: pulledCache });
    expect(again.stdout.split('\n').at(-1)).toBe(`${pulledLock}: unchanged; 0 pulled, ${PINNED.length} already cached`);
    expect(requests()).toBe(seen);
  }, 120_000);

  test('a local chart that differs from the lock exits 2 naming the chart, both digests and the fix', async () => {
    const from = tempDir();
    cpSync(join(SHARED_CHARTS, 'opencost-2.5.17'), join(from, 'opencost-2.5.17'), { recursive: true });
    appendFileSync(join(from, 'opencost-2.5.17', 'values.yaml'), '\n# changed\n');
    const lock = join(tempDir(), 'charts.lock.json');
    copyFileSync(join(REPO_ROOT, 'charts.lock.json'), lock);
    const locked = JSON.parse(readFileSync(lock, 'utf8')).charts.opencost.digest as string;
    const r = await cli(['pull', '--from', from, '--chart', 'opencost', '--lock', lock]);
    expect(r.exitCode).toBe(2);
    const lines = r.stderr.split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^error: chart opencost 2\\.5\\.17: the package of ${from}/opencost-2\\.5\\.17 has digest sha256:[0-9a-f]{64} but ${lock} locks ${locked} \\(packaged from opencost-2\\.5\\.17 by charts pull --from\\); nothing was cached\\. If the new package is expected, accept it with: npx infra-synth charts pull --from ${from} --chart opencost --relock$`));
    expect(readFileSync(lock, 'utf8')).toBe(readFileSync(join(REPO_ROOT, 'charts.lock.json'), 'utf8'));
  });
});
