// Deterministic chart packaging: what `helm package` puts in the archive, as bytes that do not
// depend on the machine. GNU tar and zlib read the result as independent oracles.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { loadArchiveFiles } from '../../../helm/chart/archive.js';
import { chartFolderFiles, gzipStored, packageChart, tarFiles } from '../../../helm/repo/package.js';
import { tempDir as makeTempDir } from '../../helpers/tmp.js';
import { describeWithReferenceData, referencePath } from '../../helpers/reference-data.js';

const tempDir = () => makeTempDir('charts-package-');

const LONG = `templates/${'nested-folder-name/'.repeat(5)}${'x'.repeat(60)}.yaml`;
const VERY_LONG = `files/${'a'.repeat(120)}/${'b'.repeat(120)}/${'c'.repeat(40)}.txt`;

function writeChart(files: Record<string, string>): string {
  const dir = tempDir();
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const CHART = {
  'Chart.yaml': 'apiVersion: v2\nname: demo\nversion: 1.2.3\n',
  'values.yaml': 'replicas: 1\n',
  '.helmignore': '# keep docs and CI out of the package\n*.md\nci/\n',
  'README.md': '# demo\n',
  'ci/test-values.yaml': 'replicas: 3\n',
  'templates/deployment.yaml': 'kind: Deployment\n',
  'templates/.editor-backup': 'ignored by Helm by default\n',
  'charts/sub/Chart.yaml': 'apiVersion: v2\nname: sub\nversion: 0.1.0\n',
  'charts/sub/README.md': 'ignored too: the top .helmignore applies to the whole tree\n',
  [LONG]: 'kind: ConfigMap\n',
  [VERY_LONG]: 'long\n',
  'files/grüße.txt': 'non-ASCII names need a pax record\n',
};

const EXPECTED_NAMES = ['.helmignore', 'Chart.yaml', 'charts/sub/Chart.yaml', VERY_LONG, 'files/grüße.txt', LONG, 'templates/deployment.yaml', 'values.yaml'];

test('.helmignore and the default templates/.?* rule leave out what helm package leaves out', () => {
  expect(chartFolderFiles(writeChart(CHART)).map((f) => f.name).sort()).toEqual([...EXPECTED_NAMES].sort());
});

test('the same folder gives the same bytes; GNU tar and Helm\'s archive reader see <chart>/<path> entries with their contents', () => {
  const dir = writeChart(CHART);
  const tgz = packageChart('demo', chartFolderFiles(dir));
  expect(Buffer.compare(packageChart('demo', chartFolderFiles(dir)), tgz)).toBe(0);

  const file = join(tempDir(), 'demo-1.2.3.tgz');
  writeFileSync(file, tgz);
  const listed = execFileSync('tar', ['-tzf', file], { encoding: 'utf8' }).trim().split('\n');
  expect(listed).toEqual(EXPECTED_NAMES.map((n) => `demo/${n}`).sort((a, b) => (Buffer.from(a) < Buffer.from(b) ? -1 : 1)));
  expect(execFileSync('tar', ['-xzOf', file, `demo/${LONG}`], { encoding: 'utf8' })).toBe('kind: ConfigMap\n');
  expect(execFileSync('tar', ['-xzOf', file, `demo/${VERY_LONG}`], { encoding: 'utf8' })).toBe('long\n');
  expect(execFileSync('tar', ['-tzvf', file], { encoding: 'utf8' }).split('\n')[0]).toMatch(/^-rw-r--r-- 0\/0 +\d+ 1970-01-01 00:00 demo\/\.helmignore$/);

  const read = loadArchiveFiles(tgz);
  expect(read.map((f) => f.name)).toEqual(listed.map((n) => n.slice('demo/'.length)));
  expect(new TextDecoder().decode(read.find((f) => f.name === 'files/grüße.txt')!.data)).toBe(CHART['files/grüße.txt']);
});

test('stored gzip is valid gzip for empty input, one block and many blocks', () => {
  for (const size of [0, 1, 65535, 65536, 200_000]) {
    const data = new Uint8Array(size).map((_, i) => (i * 7) & 0xff);
    expect(Buffer.compare(gunzipSync(gzipStored(data)), data)).toBe(0);
  }
  expect(tarFiles([])).toEqual(new Uint8Array(1024));
});

describeWithReferenceData('packaging the reference charts', 'helm/charts', () => {
  test('kube-prometheus-stack leaves out its unittests/ and ci/ as its .helmignore says, and keeps its local crds subchart', () => {
    const names = chartFolderFiles(referencePath('helm/charts/kube-prometheus-stack-88.5.3')).map((f) => f.name);
    expect(names.filter((n) => /^(unittests|ci)\//.test(n))).toEqual([]);
    expect(names).toContain('charts/crds/crds/crd-prometheuses.yaml');
    expect(names).toContain('templates/prometheus/prometheus.yaml');
  });
});
