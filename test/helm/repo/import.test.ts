// `charts pull --from DIR`: the offline import from the reference chart folders — release
// overlays, stand-ins remembered by the lock, `.tgz` files taken as they are, lock checks.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadArchiveFiles } from '../../../helm/chart/archive.js';
import { sha256Digest } from '../../../helm/repo/digest.js';
import { importCharts } from '../../../helm/repo/import.js';
import { archiveChartYaml } from '../../../helm/repo/local-charts.js';
import { readLock } from '../../../helm/repo/lock.js';
import { chartFolderFiles, packageChart } from '../../../helm/repo/package.js';
import type { ChartPin } from '../../../helm/repo/pull.js';
import { resolveChart } from '../../../helm/repo/resolve.js';
import { tempDir as makeTempDir } from '../../helpers/tmp.js';
import { describeWithReferenceData, referencePath } from '../../helpers/reference-data.js';

const tempDir = () => makeTempDir('charts-import-');

const where = () => ({ cacheDir: join(tempDir(), 'cache'), lockFile: join(tempDir(), 'charts.lock.json') });
const fileOf = (tgz: string, name: string) => new TextDecoder().decode(loadArchiveFiles(readFileSync(tgz)).find((f) => f.name === name)!.data);

function writeTree(root: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, name)), { recursive: true });
    writeFileSync(join(root, name), text);
  }
}

test('declared dependencies missing from charts/ are vendored from the folder (highest version in range) and file:// paths; the rest is a warning', async () => {
  const from = tempDir();
  const chart = (name: string, version: string, extra = '') => `apiVersion: v2\nname: ${name}\nversion: ${version}\n${extra}`;
  writeTree(from, {
    'app/Chart.yaml': chart('app', '1.0.0', [
      'dependencies:',
      '  - name: sub',
      '    version: ^1.0.0',
      '    repository: https://charts.example.com',
      '  - name: bundled',
      '    version: 0.1.0',
      '  - name: local',
      '    version: 0.3.0',
      '    repository: file://../local-src',
      '  - name: absent',
      '    version: 2.x',
      '    repository: oci://registry.example.com/charts',
      '',
    ].join('\n')),
    'app/charts/bundled/Chart.yaml': chart('bundled', '0.1.0'),
    'sub-1.0.0/Chart.yaml': chart('sub', '1.0.0'),
    'sub-1.2.0/Chart.yaml': chart('sub', '1.2.0'),
    'sub-2.0.0/Chart.yaml': chart('sub', '2.0.0'),
    'local-src/Chart.yaml': chart('local', '0.3.0'),
  });
  const w = where();
  const r = await importCharts([{ name: 'app', version: '1.0.0', repository: 'https://charts.example.com' }], { ...w, fromDir: from });
  expect(r.errors).toEqual([]);
  expect(r.warnings).toEqual([
    `chart app 1.0.0: dependencies absent 2.x are neither in ${from}/app/charts nor in ${from}; packaged without them, and helm template refuses such a chart ("found in Chart.yaml, but missing in charts/ directory")`,
  ]);
  const files = loadArchiveFiles(readFileSync(resolveChart('app', '1.0.0', w)));
  expect(files.map((f) => f.name).sort()).toEqual(['Chart.yaml', 'charts/bundled/Chart.yaml', 'charts/local-0.3.0.tgz', 'charts/sub-1.2.0.tgz']);
  expect(archiveChartYaml(files.find((f) => f.name === 'charts/sub-1.2.0.tgz')!.data)).toMatchObject({ name: 'sub', version: '1.2.0' });
});

describeWithReferenceData('charts pull --from the reference chart folders', 'helm/charts', () => {
  const FROM = referencePath('helm/charts');
  const ISTIOD: ChartPin = { name: 'istiod', version: '1.30.4', repository: 'https://istio-release.storage.googleapis.com/charts' };
  const OPENCOST: ChartPin = { name: 'opencost', version: '2.5.17', repository: 'https://opencost.github.io/opencost-helm-chart' };
  const WEBHOOK: ChartPin = { name: 'cert-manager-webhook-yandex', version: '1.0.8-1', repository: 'oci://cr.yandex/yc-marketplace/yandex-cloud/cert-manager-webhook-yandex' };

  test('a release overlay stamps the source folder; a stand-in is packaged as the pinned version and remembered by the lock', async () => {
    const w = where();
    const r = await importCharts([ISTIOD, OPENCOST, WEBHOOK], { ...w, fromDir: FROM, standIns: { [WEBHOOK.name]: 'cert-manager-webhook-yandex-1.0.9' } });
    expect(r).toEqual({ fetched: ['istiod', 'opencost', 'cert-manager-webhook-yandex'], cached: [], lockChanged: true, errors: [], warnings: [] });
    const lock = readLock(w.lockFile).charts;
    expect(lock.istiod).toMatchObject({ version: '1.30.4', source: 'local', packagedFrom: 'istio-istiod-1.30.3' });
    expect(lock.opencost).toMatchObject({ source: 'local', packagedFrom: 'opencost-2.5.17' });
    expect(lock[WEBHOOK.name]).toMatchObject({ version: '1.0.8-1', source: 'local', packagedFrom: 'cert-manager-webhook-yandex-1.0.9' });

    const istiod = resolveChart('istiod', '1.30.4', w);
    expect(fileOf(istiod, 'Chart.yaml')).toBe(readFileSync(join(FROM, '_release-overlays/istio-istiod-1.30.4/Chart.yaml'), 'utf8'));
    expect(fileOf(istiod, 'values.yaml')).toContain('hub: docker.io/istio');
    expect(fileOf(resolveChart(WEBHOOK.name, '1.0.8-1', w), 'Chart.yaml')).toMatch(/^version: 1\.0\.8-1$/m);

    // The next run needs no --stand-in and packages nothing: every locked package is cached.
    const again = await importCharts([ISTIOD, OPENCOST, WEBHOOK], { ...w, fromDir: FROM });
    expect(again).toEqual({ fetched: [], cached: ['istiod', 'opencost', 'cert-manager-webhook-yandex'], lockChanged: false, errors: [], warnings: [] });

    // With an empty cache the lock's packagedFrom finds the stand-in again, to the same bytes.
    const cold = await importCharts([WEBHOOK], { ...w, cacheDir: join(tempDir(), 'cache'), fromDir: FROM });
    expect(cold.errors).toEqual([]);
    expect(cold.lockChanged).toBe(false);
  });

  test('a version the folder does not have names the folders it has and the --stand-in flag', async () => {
    const r = await importCharts([WEBHOOK], { ...where(), fromDir: FROM });
    expect(r.errors).toEqual([
      `chart cert-manager-webhook-yandex 1.0.8-1: ${FROM} has no cert-manager-webhook-yandex-1.0.8-1.tgz and no chart folder of cert-manager-webhook-yandex 1.0.8-1 `
      + '(it has cert-manager-webhook-yandex-1.0.11 (1.0.11), cert-manager-webhook-yandex-1.0.9 (1.0.9)); '
      + `to package another folder as this version run: npx infra-synth charts pull --from ${FROM} --stand-in cert-manager-webhook-yandex=FOLDER`,
    ]);
  });

  test('a .tgz in the folder is taken byte for byte; one holding another chart is refused', async () => {
    const from = tempDir();
    const tgz = packageChart('opencost', chartFolderFiles(join(FROM, 'opencost-2.5.17')));
    writeFileSync(join(from, 'opencost-2.5.17.tgz'), tgz);
    const w = where();
    const r = await importCharts([OPENCOST], { ...w, fromDir: from });
    expect(r.errors).toEqual([]);
    expect(readLock(w.lockFile).charts.opencost).toEqual({ version: OPENCOST.version, repository: OPENCOST.repository, digest: sha256Digest(tgz), source: 'local', packagedFrom: 'opencost-2.5.17.tgz' });

    const other = tempDir();
    copyFileSync(join(from, 'opencost-2.5.17.tgz'), join(other, 'velero-12.1.0.tgz'));
    const bad = await importCharts([{ name: 'velero', version: '12.1.0', repository: 'https://vmware-tanzu.github.io/helm-charts' }], { ...where(), fromDir: other });
    expect(bad.errors).toEqual(['chart velero 12.1.0: velero-12.1.0.tgz holds opencost 2.5.17']);
  });
});
