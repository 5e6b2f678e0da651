import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseRenderError, runSuite, type UnitRenderRequest } from '../../../helm/unittest/runner.js';
import { parseSuiteFile } from '../../../helm/unittest/suite.js';

// A stand-in for the chart: renders from the request, so tests check what the runner asks for.
function fakeRender(req: UnitRenderRequest) {
  const files: Record<string, string> = {};
  const svc = 'chart/templates/service.yaml';
  if (req.selectTemplate(svc)) {
    const values = req.values as { port?: number; fail?: string };
    if (values.fail) throw new Error(`execution error at (chart/templates/service.yaml:3:4): ${values.fail}`);
    files[svc] = `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${req.release.name}\n  namespace: ${req.release.namespace}\nspec:\n  ports:\n    - port: ${values.port ?? 80}\n      name: http\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\ndata:\n  kube: "${req.kubeMajor}.${req.kubeMinor}"\n  apis: "${req.apiVersions.join(',')}"\n`;
  }
  if (req.selectTemplate('chart/templates/secret.yaml')) {
    const found = req.lookup?.('v1', 'Secret', req.release.namespace, 'tls') ?? {};
    const list = req.lookup?.('v1', 'Secret', '', '') as { items?: unknown[] } | undefined;
    files['chart/templates/secret.yaml'] = `kind: Secret\ndata:\n  found: "${JSON.stringify(found).replace(/"/g, "'")}"\n  listed: "${list?.items?.length ?? 'none'}"\n`;
  }
  if (req.selectTemplate('chart/templates/NOTES.txt')) files['chart/templates/NOTES.txt'] = 'Thanks for installing   \nchart\n';
  return { files };
}

function suiteFile(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'unittest-'));
  writeFileSync(join(dir, 'values.yaml'), 'port: 8080\n');
  const file = join(dir, 'svc_test.yaml');
  writeFileSync(file, text);
  return file;
}

function run(text: string) {
  const [suite] = parseSuiteFile(suiteFile(text));
  return runSuite(suite, { chartName: 'chart', render: fakeRender });
}

describe('helm-unittest runner', () => {
  test('release defaults, set values and documentIndex reach the asserts', () => {
    const r = run(`
suite: svc
templates: [service.yaml]
tests:
  - it: defaults
    asserts:
      - isKind: {of: Service}
        documentIndex: 0
      - equal: {path: metadata.name, value: RELEASE-NAME}
        documentIndex: 0
      - equal: {path: 'spec.ports[0].port', value: 80}
        documentIndex: 0
      - hasDocuments: {count: 2}
  - it: set and values files
    values: [values.yaml]
    set:
      port: 9090
    release: {name: web, namespace: prod}
    documentIndex: 0
    asserts:
      - equal: {path: 'spec.ports[0].port', value: 9090}
      - equal: {path: metadata.namespace, value: prod}
      - contains: {path: spec.ports, content: {port: 9090, name: http}}
      - notEqual: {path: 'spec.ports[0].port', value: 9090.0}
`);
    expect(r.tests.map((t) => [t.name, t.passed, t.asserts.filter((a) => !a.passed).map((a) => a.failInfo)])).toEqual([
      ['defaults', true, []],
      ['set and values files', true, []],
    ]);
  });

  test('a failing assert reports the template, the path, expected and actual', () => {
    const r = run(`
suite: svc
templates: [service.yaml]
tests:
  - it: wrong port
    documentIndex: 0
    asserts:
      - equal: {path: 'spec.ports[0].port', value: 81}
`);
    expect(r.passed).toBe(false);
    const info = r.tests[0].asserts[0].failInfo;
    expect(info.slice(0, 6)).toEqual(['Template:\tchart/templates/service.yaml', 'DocumentIndex:\t0', 'ValuesIndex:\t0', 'Path:\tspec.ports[0].port', 'Expected to equal:', '\t81']);
  });

  test('a render failure is matched by failedTemplate and fails other asserts', () => {
    const r = run(`
suite: svc
templates: [service.yaml]
tests:
  - it: fails
    set: {fail: "port is required"}
    asserts:
      - failedTemplate: {errorMessage: port is required}
  - it: pattern
    set: {fail: "port is required"}
    asserts:
      - failedTemplate: {errorPattern: "is req.*"}
  - it: other asserts need a render
    set: {fail: "boom"}
    asserts:
      - hasDocuments: {count: 1}
`);
    expect(r.tests.map((t) => t.passed)).toEqual([true, true, false]);
  });

  test('capabilities, documentSelector and text templates', () => {
    const r = run(`
suite: svc
tests:
  - it: caps
    templates: [service.yaml]
    capabilities: {majorVersion: 1, minorVersion: 29, apiVersions: [a/v1, b/v2]}
    documentSelector: {path: kind, value: ConfigMap}
    asserts:
      - equal: {path: data.kube, value: "1.29"}
      - equal: {path: data.apis, value: "a/v1,b/v2"}
  - it: notes
    template: NOTES.txt
    asserts:
      - equalRaw: {value: "Thanks for installing\\nchart\\n"}
      - matchRegexRaw: {pattern: "^Thanks"}
`);
    expect(r.tests.map((t) => [t.name, t.passed, t.asserts.flatMap((a) => a.failInfo)])).toEqual([['caps', true, []], ['notes', true, []]]);
  });

  test('kubernetesProvider objects answer lookup like the fake client: by scheme entry, namespace and name', () => {
    const r = run(`
suite: lookup
templates: [secret.yaml]
kubernetesProvider:
  scheme:
    v1/Secret: {gvr: {version: v1, resource: secrets}, namespaced: true}
  objects:
    - {apiVersion: v1, kind: Secret, metadata: {name: tls, namespace: prod}, data: {k: v}}
    - {apiVersion: v1, kind: Secret, metadata: {name: tls}}
tests:
  - it: found in the release namespace
    release: {namespace: prod}
    asserts:
      - equal: {path: data.found, value: "{'apiVersion':'v1','kind':'Secret','metadata':{'name':'tls','namespace':'prod'},'data':{'k':'v'}}"}
      - equal: {path: data.listed, value: "2"}
  - it: not found elsewhere
    release: {namespace: dev}
    asserts:
      - equal: {path: data.found, value: "{}"}
`);
    expect(r.tests.map((t) => [t.name, t.passed, t.asserts.flatMap((a) => a.failInfo)])).toEqual([['found in the release namespace', true, []], ['not found elsewhere', true, []]]);
  });

  test('render errors name the template and keep the message after the position', () => {
    expect(parseRenderError('execution error at (traefik/templates/deployment.yaml:12:5): ports must be set')).toEqual({ file: 'traefik/templates/deployment.yaml', raw: 'ports must be set' });
    expect(parseRenderError('template: c/templates/x.yaml:3:4: executing "c/templates/x.yaml" at <fail "x">: error calling fail: x')).toEqual({ file: 'c/templates/x.yaml', raw: 'error calling fail: x' });
  });
});
