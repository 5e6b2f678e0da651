// The chart loader on real charts: every pinned chart directory of the reference data with its
// vendored subcharts, Helm's test charts (archives inside charts/, Chart.yaml errors), charts
// packaged to .tgz here, .helmignore in a chart folder, and Helm's archive safety checks.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { type Chart } from '../../../helm/chart/chart.js';
import { loadArchive, loadChart } from '../../../helm/chart/load.js';
import { tarFiles } from '../../../helm/repo/package.js';
import { describeWithReferenceData, referencePath } from '../../helpers/reference-data.js';

/** name@version of a chart and, indented, its subcharts (in load order). */
function tree(c: Chart, indent = ''): string[] {
  return [`${indent}${c.name()}@${c.metadata.Version}`, ...c.dependencies().flatMap((d) => tree(d, `${indent}  `))];
}

const encoder = new TextEncoder();

let tempDirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'helm-load-'));
  tempDirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs = [];
});

function writeTree(root: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(root, name, '..'), { recursive: true });
    writeFileSync(join(root, name), text);
  }
}

// The pinned charts as they are in ../shared/helm/charts (SOURCES.md: chart versions as in the
// source trees, e.g. istio's and linkerd's unreleased `1.0.0` / `0.0.0-undefined`; vendored
// dependencies as unpacked directories).
const pinned: Record<string, string[]> = {
  'argo-cd-10.1.1': ['argo-cd@10.1.1', '  redis-ha@4.38.0'],
  'cert-manager-v1.21.1': ['cert-manager@v0.0.0'],
  'cert-manager-webhook-yandex-1.0.11': ['cert-manager-webhook-yandex@1.0.11', '  cert-manager@v1.13.2'],
  'cert-manager-webhook-yandex-1.0.9': ['cert-manager-webhook-yandex@1.0.9', '  cert-manager@v1.13.2'],
  'external-dns-1.21.1': ['external-dns@1.21.1'],
  'istio-base-1.30.3': ['base@1.0.0'],
  'istio-cni-1.30.3': ['cni@1.0.0'],
  'istio-gateway-1.30.3': ['gateway@1.0.0'],
  'istio-istiod-1.30.3': ['istiod@1.0.0'],
  'istio-ztunnel-1.30.3': ['ztunnel@1.0.0'],
  'kube-prometheus-stack-88.5.3': ['kube-prometheus-stack@88.5.3', '  crds@0.0.0'],
  'kyverno-3.9.0': [
    'kyverno@3.9.0',
    '  crds@3.9.0',
    '  grafana@3.9.0',
    '  kyverno-api@0.0.1-alpha.4',
    '  openreports@0.1.0',
    '  reports-server@0.1.6',
    '    postgresql@13.4.1',
    '      common@2.14.1',
  ],
  'linkerd-control-plane-2026.8.3': ['linkerd-control-plane@0.0.0-undefined', '  partials@0.1.0'],
  'linkerd-crds-2026.8.3': ['linkerd-crds@0.0.0-undefined', '  partials@0.1.0'],
  'loki-18.11.0': ['loki@18.11.0'],
  'opencost-2.5.17': ['opencost@2.5.17'],
  'opentelemetry-collector-0.170.0': ['opentelemetry-collector@0.170.0'],
  'secrets-store-csi-driver-1.6.0': ['secrets-store-csi-driver@1.6.0'],
  'sops-secrets-operator-0.28.0': ['sops-secrets-operator@0.28.0'],
  'tempo-2.2.4': ['tempo@2.2.4'],
  'traefik-41.3.0': ['traefik@41.3.0'],
  'vault-0.34.1': ['vault@0.34.1'],
  'velero-12.1.0': ['velero@12.1.0'],
};

describeWithReferenceData('loadChart on the pinned charts', 'helm/charts', () => {
  const root = referencePath('helm/charts');

  test('every chart directory of the reference data is in the table', () => {
    const dirs = readdirSync(root, { withFileTypes: true })
      .filter((d) => d.isDirectory() && !d.name.startsWith('_'))
      .map((d) => d.name)
      .sort();
    expect(dirs).toEqual(Object.keys(pinned).sort());
  });

  test.each(Object.entries(pinned))('%s loads with its subcharts', (dir, want) => {
    expect(tree(loadChart(join(root, dir)))).toEqual(want);
  });

  test('.helmignore keeps unit tests and dashboards out of kube-prometheus-stack', () => {
    const c = loadChart(join(root, 'kube-prometheus-stack-88.5.3'));
    const names = [...c.files, ...c.templates].map((f) => f.name);
    expect(names.some((n) => n.startsWith('unittests/') || n.startsWith('files/dashboards/'))).toBe(false);
    expect(c.templates.length).toBeGreaterThan(100);
  });

  test('crds/ files of the chart and its subcharts are CRDs, named under the chart path', () => {
    const c = loadChart(join(root, 'kube-prometheus-stack-88.5.3'));
    const crds = c.crdObjects();
    expect(crds.length).toBeGreaterThan(0);
    expect(crds.every((x) => x.filename.startsWith('kube-prometheus-stack/charts/crds/crds/'))).toBe(true);
  });

  test('values.schema.json is the chart schema, values.yaml the parsed defaults', () => {
    const c = loadChart(join(root, 'cert-manager-v1.21.1'));
    expect(c.schema).toBeInstanceOf(Uint8Array);
    expect(c.files.map((f) => f.name)).not.toContain('values.schema.json');
    expect(c.values).toHaveProperty('crds');
  });
});

describeWithReferenceData('loadChart on Helm\'s test charts', 'helm/conformance/helm-template/testdata/testcharts', () => {
  const charts = referencePath('helm/conformance/helm-template/testdata/testcharts');

  test('a subchart shipped as a .tgz inside charts/ is unpacked', () => {
    expect(tree(loadChart(join(charts, 'chart-with-template-lib-archive-dep')))).toEqual([
      'chart-with-template-lib-archive-dep@0.1.0',
      '  common@0.0.5',
    ]);
  });

  test('a packaged chart loads from its .tgz file', () => {
    const c = loadChart(join(charts, 'compressedchart-0.1.0.tgz'));
    expect(tree(c)).toEqual(['compressedchart@0.1.0']);
  });

  test('a chart type other than application or library is Helm\'s validation error', () => {
    expect(() => loadChart(join(charts, 'chart-bad-type'))).toThrow('validation: chart.metadata.type must be application or library');
  });

  test('a broken subchart is named in the error', () => {
    expect(() => loadChart(join(charts, 'chart-with-bad-subcharts'))).toThrow(
      'error unpacking subchart bad-subchart in chart-with-bad-subcharts: validation: chart.metadata.name is required',
    );
  });

  test('a folder without Chart.yaml is not a chart', () => {
    expect(() => loadChart(join(charts, 'upgradetest'))).toThrow('Chart.yaml file is missing');
  });

  test('a file that is not gzip is refused with what it looks like', () => {
    const file = join(charts, 'signtest-0.1.0.tgz.prov');
    expect(() => loadChart(file)).toThrow(`file '${file}' does not appear to be a gzipped archive; got 'text/plain; charset=utf-8'`);
  });

  test('.prov files in charts/ stay files, not subcharts', () => {
    const dir = tempDir();
    writeTree(dir, { 'Chart.yaml': 'apiVersion: v2\nname: demo\nversion: 1.0.0\n', 'charts/x-1.0.0.tgz.prov': 'signature' });
    const c = loadChart(dir);
    expect(c.files.map((f) => f.name)).toEqual(['charts/x-1.0.0.tgz.prov']);
    expect(c.dependencies()).toEqual([]);
  });

  test('a chart packaged by tar (pax format) loads like its folder', () => {
    const dir = tempDir();
    const archive = join(dir, 'subchart-0.1.0.tgz');
    execFileSync('tar', ['--format=pax', '-czf', archive, '-C', charts, 'subchart']);
    const fromArchive = loadChart(archive);
    const fromFolder = loadChart(join(charts, 'subchart'));
    // Helm keeps subcharts in a Go map: their order is not part of the contract.
    expect(tree(fromArchive).sort()).toEqual(tree(fromFolder).sort());
    // tar keeps what .helmignore would drop, so compare what both hold.
    const names = (c: Chart) => c.templates.map((f) => f.name).sort();
    expect(names(fromArchive)).toEqual(names(fromFolder));
    expect(fromArchive.values).toEqual(fromFolder.values);
  });

  test('long paths in a GNU tar archive keep their names', () => {
    const dir = tempDir();
    const long = `templates/${'x'.repeat(120)}/${'y'.repeat(60)}.yaml`;
    writeTree(join(dir, 'longnames'), {
      'Chart.yaml': 'apiVersion: v2\nname: longnames\nversion: 1.0.0\n',
      [long]: 'kind: ConfigMap\n',
    });
    const archive = join(dir, 'longnames.tgz');
    execFileSync('tar', ['--format=gnu', '-czf', archive, '-C', dir, 'longnames']);
    expect(loadChart(archive).templates.map((f) => f.name)).toEqual([long]);
  });
});

describe('loading a chart folder', () => {
  test('.helmignore drops files and whole folders; templates/.* is always dropped', () => {
    const dir = tempDir();
    writeTree(dir, {
      '.helmignore': '# dev files\nci/\n*.md\n',
      'Chart.yaml': 'apiVersion: v2\nname: demo\nversion: 0.1.0\n',
      'values.yaml': 'replicas: 2\n',
      'README.md': '# demo\n',
      'ci/test-values.yaml': 'x: 1\n',
      'templates/deployment.yaml': 'kind: Deployment\n',
      'templates/.hidden.yaml': 'kind: Secret\n',
      'files/config.toml': 'a = 1\n',
    });
    const c = loadChart(dir);
    expect(c.templates.map((f) => f.name)).toEqual(['templates/deployment.yaml']);
    expect(c.files.map((f) => f.name)).toEqual(['.helmignore', 'files/config.toml']);
    expect(c.values).toEqual({ replicas: 2 });
  });

  test('files are read in byte order and a UTF-8 BOM is dropped', () => {
    const dir = tempDir();
    writeTree(dir, {
      'Chart.yaml': '\uFEFFapiVersion: v2\nname: demo\nversion: 0.1.0\n',
      'templates/b.yaml': 'b',
      'templates/B.yaml': 'B',
      'templates/a.yaml': '\uFEFFa',
    });
    const c = loadChart(dir);
    expect(c.templates.map((f) => f.name)).toEqual(['templates/B.yaml', 'templates/a.yaml', 'templates/b.yaml']);
    expect(new TextDecoder().decode(c.templates[1]!.data)).toBe('a');
  });

  test('symlinked files and folders are followed', () => {
    const dir = tempDir();
    writeTree(dir, {
      'real/Chart.yaml': 'apiVersion: v2\nname: demo\nversion: 0.1.0\n',
      'shared/cm.yaml': 'kind: ConfigMap\n',
    });
    symlinkSync(join(dir, 'shared'), join(dir, 'real', 'templates'));
    expect(loadChart(join(dir, 'real')).templates.map((f) => f.name)).toEqual(['templates/cm.yaml']);
  });

  test('a v1 chart reads its dependencies from requirements.yaml and keeps the file', () => {
    const dir = tempDir();
    writeTree(dir, {
      'Chart.yaml': 'name: old\nversion: 1.0.0\n',
      'requirements.yaml': 'dependencies:\n- name: sub\n  version: 1.0.0\n  repository: file://sub\n',
      'charts/sub/Chart.yaml': 'apiVersion: v1\nname: sub\nversion: 1.0.0\n',
    });
    const c = loadChart(dir);
    expect(c.metadata.APIVersion).toBe('v1');
    expect(c.metadata.Dependencies.map((d) => d.Name)).toEqual(['sub']);
    expect(c.files.map((f) => f.name)).toEqual(['requirements.yaml']);
    expect(tree(c)).toEqual(['old@1.0.0', '  sub@1.0.0']);
  });

  test('Chart.yaml scalars become strings as Helm reads them (version 1.10 is "1.1")', () => {
    const dir = tempDir();
    writeTree(dir, { 'Chart.yaml': 'apiVersion: v2\nname: demo\nversion: 1.10\nappVersion: 2\ndeprecated: true\n' });
    const md = loadChart(dir).metadata;
    expect([md.Version, md.AppVersion, md.Deprecated]).toEqual(['1.1', '2', true]);
  });

  test.each<[string, string, string]>([
    ['no name', 'apiVersion: v2\nversion: 1.0.0\n', 'validation: chart.metadata.name is required'],
    ['a name with a slash', 'apiVersion: v2\nname: a/b\nversion: 1.0.0\n', 'validation: chart.metadata.name "a/b" is invalid'],
    ['no version', 'apiVersion: v2\nname: demo\n', 'validation: chart.metadata.version is required'],
    ['a version that is not semver', 'apiVersion: v2\nname: demo\nversion: one\n', 'validation: chart.metadata.version "one" is invalid'],
    [
      'an alias with a dot',
      'apiVersion: v2\nname: demo\nversion: 1.0.0\ndependencies:\n- name: x\n  alias: bad.alias\n',
      'validation: dependency "x" has disallowed characters in the alias',
    ],
    [
      'two dependencies with one name',
      'apiVersion: v2\nname: demo\nversion: 1.0.0\ndependencies:\n- name: x\n- name: y\n  alias: x\n',
      'validation: more than one dependency with name or alias "x"',
    ],
    [
      'dependencies that are not a list',
      'apiVersion: v2\nname: demo\nversion: 1.0.0\ndependencies: nope\n',
      'cannot load Chart.yaml: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal string into Go struct field Metadata.dependencies of type []*chart.Dependency',
    ],
  ])('Chart.yaml with %s fails', (_label, chartYaml, message) => {
    const dir = tempDir();
    writeTree(dir, { 'Chart.yaml': chartYaml });
    expect(() => loadChart(dir)).toThrow(message);
  });

  test('a stray file in charts/ is an unpackable subchart, as in Helm', () => {
    const dir = tempDir();
    writeTree(dir, { 'Chart.yaml': 'apiVersion: v2\nname: demo\nversion: 1.0.0\n', 'charts/README': 'x' });
    expect(() => loadChart(dir)).toThrow('error unpacking subchart README in demo: Chart.yaml file is missing');
  });

  test('charts/ entries starting with _ or . are skipped', () => {
    const dir = tempDir();
    writeTree(dir, {
      'Chart.yaml': 'apiVersion: v2\nname: demo\nversion: 1.0.0\n',
      'charts/_helpers/notes.txt': 'x',
      'charts/.cache/x': 'x',
    });
    expect(tree(loadChart(dir))).toEqual(['demo@1.0.0']);
  });

  test('a missing path is os.Stat\'s error', () => {
    expect(() => loadChart('/nonexistent/chart')).toThrow('stat /nonexistent/chart: no such file or directory');
  });
});

describe('Helm\'s archive checks', () => {
  const chartYaml = encoder.encode('apiVersion: v2\nname: demo\nversion: 1.0.0\n');
  const archive = (names: string[]) => gzipSync(tarFiles(names.map((name) => ({ name, data: name.endsWith('Chart.yaml') ? chartYaml : encoder.encode('x') }))));

  test('a well-formed archive loads', () => {
    expect(tree(loadArchive(archive(['demo/Chart.yaml', 'demo/templates/a.yaml'])))).toEqual(['demo@1.0.0']);
  });

  test('an entry climbing out of the chart is refused', () => {
    expect(() => loadArchive(archive(['demo/Chart.yaml', 'demo/../../etc/passwd']))).toThrow('chart illegally references parent directory');
  });

  test('an absolute entry is refused', () => {
    expect(() => loadArchive(archive(['demo/Chart.yaml', 'demo//etc/passwd']))).toThrow('chart illegally contains absolute paths');
  });

  test('an entry resolving to the chart folder itself is refused', () => {
    expect(() => loadArchive(archive(['demo/Chart.yaml', 'demo/x/..']))).toThrow(
      'chart illegally contains content outside the base directory: "demo/x/.."',
    );
  });

  test('a drive letter path is refused', () => {
    expect(() => loadArchive(archive(['demo/Chart.yaml', 'demo/c:/windows']))).toThrow('chart contains illegally named files');
  });

  test('an entry outside any folder is content outside the base directory', () => {
    expect(() => loadArchive(archive(['Chart.yaml']))).toThrow('chart illegally contains content outside the base directory: "Chart.yaml"');
  });

  test('a top folder named Chart.yaml is refused', () => {
    expect(() => loadArchive(archive(['Chart.yaml/templates/a.yaml']))).toThrow('chart yaml not in base directory');
  });

  test('a file over 5 MiB is refused', () => {
    const big = gzipSync(tarFiles([{ name: 'demo/Chart.yaml', data: chartYaml }, { name: 'demo/big.bin', data: new Uint8Array(5 * 1024 * 1024 + 1) }]));
    expect(() => loadArchive(big)).toThrow('decompressed chart file "demo/big.bin" is larger than the maximum file size 5242880');
  });

  test('an empty archive has no files', () => {
    expect(() => loadArchive(gzipSync(tarFiles([])))).toThrow('no files in chart archive');
  });

  test('bytes that are not gzip are gzip\'s invalid header', () => {
    expect(() => loadArchive(encoder.encode('not a chart'))).toThrow('gzip: invalid header');
  });
});
