// `infra-synth charts test` as users run it: the real CLI entry, bundled as `npm run build`
// bundles it, on a chart with passing and failing suites, and on a pinned chart's own suites.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { bundledCli } from '../../helpers/cli.js';
import { describeWithReferenceData, referencePath } from '../../helpers/reference-data.js';

const CLI = bundledCli('charts-test');

let work: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'charts-test-cli-'));
});
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

const cli = (...args: string[]) => execa('node', [CLI, 'charts', 'test', ...args], { cwd: work, reject: false });

function writeChart(dir: string, suite: string): void {
  mkdirSync(join(dir, 'templates'), { recursive: true });
  mkdirSync(join(dir, 'tests'), { recursive: true });
  writeFileSync(join(dir, 'Chart.yaml'), 'apiVersion: v2\nname: demo\nversion: 1.0.0\n');
  writeFileSync(join(dir, 'values.yaml'), 'replicas: 1\n');
  writeFileSync(join(dir, 'templates', '_helpers.tpl'), '{{- define "demo.name" -}}{{ .Release.Name }}-demo{{- end -}}\n');
  writeFileSync(join(dir, 'templates', 'deployment.yaml'), [
    'apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: {{ include "demo.name" . }}',
    'spec:', '  replicas: {{ required "replicas is required" .Values.replicas }}', '',
  ].join('\n'));
  writeFileSync(join(dir, 'tests', 'deployment_test.yaml'), suite);
}

describe('infra-synth charts test', () => {
  test('passing suites: the plugin\'s report and exit 0', async () => {
    const chart = join(work, 'ok');
    writeChart(chart, `suite: deployment
templates: [deployment.yaml]
tests:
  - it: names the deployment after the release
    release: {name: web}
    asserts:
      - equal: {path: metadata.name, value: web-demo}
  - it: fails without replicas
    set: {replicas: null}
    asserts:
      - failedTemplate: {errorMessage: replicas is required}
`);
    const r = await cli(chart);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain(' PASS  deployment\ttests/deployment_test.yaml');
    expect(r.stdout).toContain('Tests:       2 passed, 2 total');
  });

  test('a failing assert: the test, the assert and its message, and exit 1', async () => {
    const chart = join(work, 'failing');
    writeChart(chart, `suite: deployment
templates: [deployment.yaml]
tests:
  - it: has two replicas
    asserts:
      - equal: {path: spec.replicas, value: 2}
`);
    const r = await cli(chart, '-o', 'reports/junit.xml');
    expect(r.exitCode).toBe(1);
    const junit = readFileSync(join(work, 'reports', 'junit.xml'), 'utf8');
    expect(junit).toContain('<testsuite id="0" tests="1" failures="1" errors="0" package=""');
    expect(junit).toMatch(/<testcase classname="deployment" name="has two replicas" time="\d+\.\d{3}">\n\t\t\t<failure message="Failed" type="">.*asserts\[0\] `equal` fail/);
    expect(r.stdout).toContain(' FAIL  deployment');
    expect(r.stdout).toContain('\t- has two replicas');
    expect(r.stdout).toContain('\t\t- asserts[0] `equal` fail');
    expect(r.stdout).toContain('\t\t\tPath:\tspec.replicas');
    expect(r.stdout).toContain('Tests:       1 failed, 0 passed, 1 total');
  });

  test('suites of a folder subchart run through the parent, with their values scoped to the subchart', async () => {
    const chart = join(work, 'parent');
    writeChart(chart, `suite: parent
templates: [deployment.yaml]
tests:
  - it: renders
    asserts:
      - hasDocuments: {count: 1}
`);
    const sub = join(chart, 'charts', 'sub');
    mkdirSync(join(sub, 'templates'), { recursive: true });
    mkdirSync(join(sub, 'tests'), { recursive: true });
    writeFileSync(join(sub, 'Chart.yaml'), 'apiVersion: v2\nname: sub\nversion: 0.1.0\n');
    writeFileSync(join(sub, 'values.yaml'), 'greeting: hello\n');
    writeFileSync(join(sub, 'templates', 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Chart.Name }}\ndata:\n  greeting: {{ .Values.greeting }}\n');
    writeFileSync(join(sub, 'tests', 'cm_test.yaml'), `suite: sub
templates: [cm.yaml]
tests:
  - it: reads its own values
    set: {greeting: hi}
    asserts:
      - equal: {path: data.greeting, value: hi}
      - equal: {path: metadata.name, value: sub}
`);
    const r = await cli(chart);
    expect(r.stdout).toContain(' PASS  sub\tcharts/sub/tests/cm_test.yaml');
    expect(r.stdout).toContain('Tests:       2 passed, 2 total');
    expect(r.exitCode).toBe(0);
  });

  test('-v adds a values file to every suite, after the suite\'s own', async () => {
    const chart = join(work, 'values');
    writeChart(chart, `suite: deployment
templates: [deployment.yaml]
tests:
  - it: takes the replicas of the extra values file
    asserts:
      - equal: {path: spec.replicas, value: 5}
`);
    writeFileSync(join(work, 'extra.yaml'), 'replicas: 5\n');
    const r = await cli(chart, '-v', 'extra.yaml');
    expect(r.stdout).toContain('Tests:       1 passed, 1 total');
    expect(r.exitCode).toBe(0);
  });

  test('a missing chart folder is exit 2 with one line', async () => {
    const r = await cli(join(work, 'nope'));
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/^error: .*nope: no such chart folder$/);
  });
});

describeWithReferenceData('infra-synth charts test on a pinned chart', 'helm/charts/sops-secrets-operator-0.28.0', () => {
  test('the sops-secrets-operator chart passes its own helm-unittest suites', async () => {
    const chart = join(work, 'sops');
    cpSync(referencePath('helm/charts/sops-secrets-operator-0.28.0'), chart, { recursive: true });
    const r = await cli(chart);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('Test Suites: 4 passed, 4 total');
    expect(r.stdout).toContain('Tests:       68 passed, 68 total');
    expect(r.exitCode).toBe(0);
    expect(readFileSync(join(chart, 'Chart.yaml'), 'utf8')).toContain('sops-secrets-operator');
  });
});
