// Which cached package the diff renders for a chart version (diff/chart-packages.ts): a lock
// that names the version decides; without one, the one cached package whose Chart.yaml says so;
// two packages claiming one version are not guessed between. The packages are made from the
// reference data's Yandex webhook chart as `charts pull --from` makes them.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { catalogPins } from '../../cli/commands/charts-pull.js';
import { ChartPackages, isFound } from '../../diff/chart-packages.js';
import { compareCharts } from '../../diff/charts.js';
import { diffTrees } from '../../diff/index.js';
import { loadTree } from '../../diff/tree.js';
import { importCharts } from '../../helm/repo/import.js';
import { readLock } from '../../helm/repo/lock.js';
import { describeWithReferenceData, referencePath } from '../helpers/reference-data.js';
import { git } from '../helpers/git.js';
import { cleanupTempDirs, tempDir, tree, writeTree } from './helpers.js';

const CHART = 'cert-manager-webhook-yandex';

describeWithReferenceData('chart packages the diff renders', 'helm/charts', () => {
  const cacheDir = mkdtempSync(join(tmpdir(), 'infra-synth-chart-packages-'));
  const realLock = join(cacheDir, 'real.lock.json');
  const standInLock = join(cacheDir, 'stand-in.lock.json');
  afterAll(() => {
    rmSync(cacheDir, { recursive: true, force: true });
    cleanupTempDirs();
  });
  beforeAll(async () => {
    const pin = { ...catalogPins().find((p) => p.name === CHART)!, version: '1.0.9' };
    const fromDir = referencePath('helm/charts');
    expect((await importCharts([pin], { fromDir, cacheDir, lockFile: realLock })).errors).toEqual([]);
    // The 1.0.11 folder stamped as 1.0.9: a second, different package claiming the same version.
    const standIns = { [CHART]: `${CHART}-1.0.11` };
    expect((await importCharts([pin], { fromDir, cacheDir, lockFile: standInLock, standIns })).errors).toEqual([]);
  }, 120_000);

  test('a lock that names the version picks its package, even where two packages claim the version', () => {
    const packages = new ChartPackages(cacheDir);
    for (const file of [realLock, standInLock]) {
      const lock = readLock(file);
      const found = packages.find(CHART, '1.0.9', [undefined, lock]);
      expect(isFound(found) && found.digest).toBe(lock.charts[CHART].digest);
    }
  });

  test('two packages claiming a version that no lock names are not guessed between', () => {
    const found = new ChartPackages(cacheDir).find(CHART, '1.0.9', [undefined]);
    expect(found).toEqual({
      missing: `chart ${CHART} 1.0.9: 2 different packages of it are in the chart cache (${cacheDir}) and no lock names one: ` +
        'its objects were not compared; run npx infra-synth charts pull at the commit that pins it',
    });
  });

  test('a version in no package of the cache names the command that fills it', () => {
    const found = new ChartPackages(cacheDir).find(CHART, '0.0.1', [readLock(realLock)]);
    expect(isFound(found)).toBe(false);
    expect(found).toEqual({ missing: expect.stringMatching(new RegExp(`^chart ${CHART} 0\\.0\\.1 is not in the chart cache \\(${cacheDir}\\): its objects were not compared; run npx infra-synth charts pull`)) });
  });

  test('the same source is rendered when the two sides lock different packages of its version (a re-lock), each from its own lock', () => {
    const app = {
      apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: CHART, namespace: 'argocd' },
      spec: {
        destination: { namespace: 'cert-manager' },
        source: { chart: CHART, repoURL: 'cr.yandex/yc-marketplace/yandex-cloud', targetRevision: '1.0.9', helm: { skipCrds: true } },
      },
    };
    const side = () => loadTree(tree({ [`clusters/yc-prod/apps/application-${CHART}.yaml`]: [app] }), 'test');
    const charts = compareCharts(side(), side(), { cacheDir, baseLock: readLock(realLock), headLock: readLock(standInLock) });
    const deployment = charts?.clusters[0]?.components[0]?.objects.find((o) => o.kind === 'Deployment' && o.name === `${CHART}-yc`);
    // The stand-in is the 1.0.11 folder: its webhook image is 1.0.4, the real 1.0.9's is 1.0.2.
    expect(deployment?.patch).toMatch(/^\+ +image: .*:1\.0\.4$/m);
    expect(charts?.clusters[0].components[0].source).toEqual(['package']);
  });

  test('a git base renders with the lock of its commit', async () => {
    // A repository whose committed synth is a stand-in that writes the Application below, and
    // whose committed lock names the real 1.0.9; the working tree's lock names the stand-in
    // package of 1.0.9 (the 1.0.11 folder). Only the base commit's lock tells the two apart.
    const app = (replicaCount: number) => ({
      apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: CHART, namespace: 'argocd' },
      spec: {
        destination: { namespace: 'cert-manager' },
        source: { chart: CHART, repoURL: 'cr.yandex/yc-marketplace/yandex-cloud', targetRevision: '1.0.9', helm: { skipCrds: true, valuesObject: { replicaCount } } },
      },
    });
    const file = `clusters/yc-prod/apps/application-${CHART}.yaml`;
    const repo = tempDir('chart-diff-git-');
    mkdirSync(join(repo, 'scripts'));
    mkdirSync(join(repo, 'bin'));
    writeFileSync(join(repo, 'package.json'), '{"type":"module"}\n');
    writeFileSync(join(repo, 'scripts/build.mjs'), '');
    writeFileSync(join(repo, 'bin/infra-synth.mjs'), [
      "import { mkdirSync, writeFileSync } from 'node:fs';",
      "import { dirname, join } from 'node:path';",
      `const file = join(process.argv[4], ${JSON.stringify(file)});`,
      'mkdirSync(dirname(file), { recursive: true });',
      `writeFileSync(file, ${JSON.stringify(yaml.dump(app(1)))});`,
    ].join('\n'));
    copyFileSync(realLock, join(repo, 'charts.lock.json'));
    await git(repo, 'init', '-q', '-b', 'main');
    await git(repo, 'add', '-A');
    await git(repo, 'commit', '-q', '-m', 'base');
    copyFileSync(standInLock, join(repo, 'charts.lock.json'));
    writeTree(join(repo, 'dist'), { [file]: [app(2)] });

    const r = await diffTrees({ base: 'HEAD', cwd: repo, chartCache: cacheDir, tmpDir: tempDir() });
    const deployment = r.charts?.clusters[0]?.components[0]?.objects.find((o) => o.kind === 'Deployment' && o.name === `${CHART}-yc`);
    // The working tree's lock alone would render the stand-in on both sides: replicas only.
    expect(deployment?.fields.map((f) => f.path)).toEqual(expect.arrayContaining(['spec.replicas', `spec.template.spec.containers[name=${CHART}].image`]));
  }, 60_000);
});
