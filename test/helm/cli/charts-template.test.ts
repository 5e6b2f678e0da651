// `infra-synth charts template` as users run it: the real CLI entry, bundled as `npm run build`
// bundles it, on helm's own test chart, against helm's golden output.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { bundledCli } from '../../helpers/cli.js';
import { describeWithReferenceData, referencePath } from '../../helpers/reference-data.js';

const TESTDATA = 'helm/conformance/helm-template/testdata';

describeWithReferenceData('infra-synth charts template', TESTDATA, () => {
  const testdata = referencePath(TESTDATA);
  const subchart = join(testdata, 'testcharts/subchart');
  const golden = (name: string) => readFileSync(join(testdata, 'output', name), 'utf8');
  const CLI = bundledCli('charts-template');
  let work: string;

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'charts-cli-'));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  const cli = (...args: string[]) =>
    execa('node', [CLI, 'charts', 'template', ...args], { cwd: work, reject: false, stripFinalNewline: false });

  test('prints what helm template prints for helm\'s test chart', async () => {
    const r = await cli(subchart);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe(golden('template.txt'));
  });

  test('--set, --kube-version, --show-only and --include-crds as helm', async () => {
    expect((await cli(subchart, '--set', 'service.name=apache')).stdout).toBe(golden('template-set.txt'));
    expect((await cli('--kube-version', '1.16.0', subchart)).stdout).toBe(golden('template-with-kube-version.txt'));
    expect((await cli(subchart, '--show-only', 'templates/service.yaml', '--show-only', 'charts/subcharta/templates/service.yaml')).stdout)
      .toBe(golden('template-show-only-multiple.txt'));
    expect((await cli(subchart, '--include-crds')).stdout).toBe(golden('template-with-crds.txt'));
  });

  test('--unit renders only the named template, NOTES.txt included, with an upper-case release name', async () => {
    const r = await cli(subchart, '--unit', '--release-name', 'RELEASE-NAME', '--show-only', 'templates/NOTES.txt');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('---\n# Source: subchart/templates/NOTES.txt\nSample notes for subchart\n');
  });

  test('an upper-case release name is refused outside --unit, as helm refuses it', async () => {
    const r = await cli(subchart, '--release-name', 'RELEASE-NAME');
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: .*subchart: release name "RELEASE-NAME": invalid release name, must match regex/);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  test('a values file that is not YAML: exit 2, one line naming the file, no stack', async () => {
    const bad = join(work, 'bad.yaml');
    writeFileSync(bad, 'a: [1\n');
    const r = await cli(subchart, '-f', bad);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(new RegExp(`^error: ${bad}: failed to parse ${bad}: error converting YAML to JSON: yaml: line \\d+: .*\\n$`));
  });

  test('a template that fails names the template, line and column', async () => {
    const chart = join(work, 'failing');
    mkdirSync(join(chart, 'templates'), { recursive: true });
    writeFileSync(join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: failing\nversion: 0.1.0\n');
    writeFileSync(join(chart, 'templates', 'cm.yaml'), 'kind: ConfigMap\nname: {{ required "name is required" .Values.name }}\n');
    const r = await cli(chart);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toBe(
      `error: ${chart}: execution error at (failing/templates/cm.yaml:2:9): name is required\n`,
    );
  });
});
