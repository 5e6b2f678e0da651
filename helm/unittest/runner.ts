// Runs helm-unittest suites against a chart as the plugin does (test_runner.go, test_suite.go,
// test_job.go, assertion.go): each test renders only the suite's templates (and the chart's
// partials) with the test's values, release and capabilities; a render failure becomes a
// document `{raw: <message>}` of the failing template so that `failedTemplate` can assert on it;
// then each assert runs against the documents of its templates.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, posix } from 'node:path';
import { RAW, type SnapshotComparer } from './asserts.js';
import { type DocumentsByTemplate, parseTextDocument, parseYamlDocuments, selectDocuments } from './documents.js';
import { buildSetValue } from './paths.js';
import { SnapshotCache, snapshotFileOf } from './snapshot.js';
import type { Assertion, TestJob, TestSuite } from './suite.js';
import { decode, isYamlMap, type YamlValue } from './yamlv3.js';

/** What one test asks the renderer for. */
export interface UnitRenderRequest {
  /** User values: values files, the suite's and the test's `set`, merged (Go values). */
  readonly values: Record<string, unknown>;
  readonly release: { readonly name: string; readonly namespace: string; readonly revision: number; readonly isUpgrade: boolean };
  /** KubeVersion major/minor overrides ('' = Helm's default) and the exact API versions (no defaults). */
  readonly kubeMajor: string;
  readonly kubeMinor: string;
  readonly apiVersions: readonly string[];
  /** Chart version / appVersion overrides for the chart and its dependencies ('' = keep). */
  readonly chartVersion: string;
  readonly appVersion: string;
  /** Only these templates (full names, `chart/templates/x.yaml`) and every partial are rendered. */
  readonly selectTemplate: (fullName: string) => boolean;
  /** `lookup` against the test's fake objects, when it has any. */
  readonly lookup?: (apiVersion: string, kind: string, namespace: string, name: string) => Record<string, unknown>;
  readonly includeCrds: boolean;
}

/** The renderer's answer: rendered text by template full name (and CRDs by file), or the error. */
export type UnitRenderResult = { readonly files: Record<string, string>; readonly crds?: Record<string, string> };

/** Renders a chart for one test; throws the render error with Helm's wording. */
export type UnitRenderer = (req: UnitRenderRequest) => UnitRenderResult;

export interface AssertResult {
  readonly index: number;
  readonly type: string;
  readonly not: boolean;
  readonly passed: boolean;
  readonly skipped: boolean;
  readonly failInfo: readonly string[];
}

export interface TestResult {
  readonly name: string;
  readonly passed: boolean;
  readonly skipped: boolean;
  /** An error that stopped the test before its asserts (values file, schema, render). */
  readonly execError?: string;
  readonly asserts: readonly AssertResult[];
  /** Wall time of the test (render and asserts), for reports. */
  readonly durationMs?: number;
}

export interface SuiteResult {
  readonly name: string;
  readonly file: string;
  readonly passed: boolean;
  readonly skipped: boolean;
  readonly execError?: string;
  readonly tests: readonly TestResult[];
}

export interface RunOptions {
  /** The chart's name (its route for a root chart). */
  readonly chartName: string;
  /** Where the suite's chart sits in the tree, `parent/charts/sub` for a subchart's suites (default: chartName). */
  readonly chartRoute?: string;
  readonly render: UnitRenderer;
  readonly failFast?: boolean;
  /** Rewrite snapshot files with the current output (`-u`). */
  readonly updateSnapshots?: boolean;
  /** Write new snapshots into the suite's snapshot file (the plugin does; conformance runs do not). */
  readonly writeSnapshots?: boolean;
}

// ---- values --------------------------------------------------------------------------------

/** chartutil.MergeTables: `dst` wins; tables present on both sides merge recursively. */
export function mergeTables(dst: Record<string, unknown>, src: Record<string, unknown>): Record<string, unknown> {
  for (const [key, val] of Object.entries(src)) {
    if (!Object.prototype.hasOwnProperty.call(dst, key)) {
      dst[key] = val;
      continue;
    }
    const dv = dst[key];
    if (isPlainMap(dv) && isPlainMap(val)) mergeTables(dv, val);
  }
  return dst;
}

function isPlainMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
}

/**
 * A suite value as Helm reads it: the plugin marshals the merged user values with
 * sigs.k8s.io/yaml and Helm's ReadValues decodes them through JSON, so every number is a float64.
 */
function toHelmValue(v: unknown): unknown {
  if (typeof v === 'bigint') return Number(v);
  if (Array.isArray(v)) return v.map(toHelmValue);
  if (isPlainMap(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toHelmValue(x)]));
  return v;
}

function routeOf(options: RunOptions): string {
  return options.chartRoute ?? options.chartName;
}

/**
 * A subchart's values nested where its parent reads them (scopeValuesWithRoutes): for the
 * route `parent/charts/sub`, {sub: values, global: values.global}.
 */
function scopeToRoute(route: string, values: Record<string, unknown>): Record<string, unknown> {
  const parts = route.split('/');
  const charts = parts.filter((_, i) => i % 2 === 0);
  let scoped = values;
  for (let i = charts.length - 1; i > 0; i--) {
    const next: Record<string, unknown> = {};
    if (Object.prototype.hasOwnProperty.call(scoped, 'global')) next.global = scoped.global;
    next[charts[i]] = scoped;
    scoped = next;
  }
  return scoped;
}

function userValues(test: TestJob, suite: TestSuite, chartRoute: string): Record<string, unknown> {
  let base: Record<string, unknown> = {};
  for (const file of [...suite.values, ...test.values]) {
    const path = isAbsolute(file) ? file : join(dirname(suite.file), file);
    let doc: YamlValue;
    try {
      doc = decode(readFileSync(path, 'utf8'));
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      if (err.code === 'ENOENT') throw new Error(`open ${path}: no such file or directory`);
      throw new Error(`failed to parse ${file}: ${err.message}`);
    }
    base = mergeTables(scopeToRoute(chartRoute, isYamlMap(doc) ? (doc as Record<string, unknown>) : {}), base);
  }
  for (const [path, value] of [...suite.set, ...test.set]) base = mergeTables(scopeToRoute(chartRoute, buildSetValue(path, value)), base);
  return toHelmValue(base) as Record<string, unknown>;
}

// ---- templates -----------------------------------------------------------------------------

/** `deployment.yaml` means `templates/deployment.yaml` (getTemplateFileName). */
export function templateFileName(name: string): string {
  if (name.startsWith('templates') || name.startsWith('charts') || name.startsWith('crds') || name.startsWith('**')) return name;
  return posix.join('templates', name);
}

/** The plugin's glob for template names: `**` any path, `*` any run of name characters. */
export function templatePattern(name: string): RegExp {
  let p = '';
  for (let i = 0; i < name.length; i++) {
    const c = name[i];
    if (c === '*' && name[i + 1] === '*') { p += '[0-9a-zA-Z_\\-/\\.]+'; i++; continue; }
    if (c === '*') { p += '[0-9a-zA-Z_\\-_/\\.]*'; continue; }
    p += /[.+[\]?()|{}^$\\]/.test(c) ? `\\${c}` : c;
  }
  // Go's regexp.MatchString is unanchored.
  return new RegExp(p);
}

function templateSelector(chartRoute: string, include: readonly string[], exclude: readonly string[]): (fullName: string) => boolean {
  const inc = include.map((t) => templatePattern(posix.join(chartRoute, templateFileName(t))));
  const exc = exclude.map((t) => templatePattern(posix.join(chartRoute, templateFileName(t))));
  return (fullName) => inc.some((re) => re.test(fullName)) && !exc.some((re) => re.test(fullName));
}

// ---- render errors -------------------------------------------------------------------------

// test_job.go's pattern, (?msU) in Go: every quantifier lazy.
const RENDER_ERROR = /^(?:.+?: |.+? \()(?:(.+?):\d+:\d+).+?(?:.+?>)*?: (.+?)$/ms;

/** The template a render error names and the text `failedTemplate` compares (parseRenderError). */
export function parseRenderError(message: string): { file: string; raw: string } {
  const m = RENDER_ERROR.exec(message);
  if (!m) return { file: '', raw: '' };
  const nl = message.indexOf('\n');
  return { file: m[1], raw: nl >= 0 ? message.slice(nl + 1) : m[2] };
}

// ---- running -------------------------------------------------------------------------------

interface Rendered {
  docs: Map<string, YamlValue[]>;
  succeeded: boolean;
  renderError?: Error;
}

function validateReleaseName(name: string): void {
  if (name.length > 53 || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(name)) {
    throw new Error('invalid release name, must match regex ^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$ and the length must not be longer than 53');
  }
}

function toGoObject(v: YamlValue): unknown {
  if (Array.isArray(v)) return v.map(toGoObject);
  if (isYamlMap(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toGoObject(x)]));
  if (typeof v === 'bigint') return Number(v);
  return v;
}

/**
 * `lookup` over kubernetesProvider objects, as Helm's lookup over the plugin's fake dynamic
 * client: a kind needs a `scheme` entry (`<apiVersion>/<kind>`), a namespaced one is looked up in
 * the given namespace (cluster-wide when it is ""), and a list is `<Kind>List` with `items`.
 */
function fakeLookup(test: TestJob): UnitRenderRequest['lookup'] {
  const { objects, scheme } = test.kubernetesProvider;
  if (objects.length === 0) return undefined;
  return (apiVersion, kind, namespace, name) => {
    const props = scheme[`${apiVersion}/${kind}`];
    if (!isYamlMap(props)) return {};
    const ns = props.namespaced === true ? namespace : '';
    const matches = objects.filter((o) => {
      if (!isYamlMap(o) || o.apiVersion !== apiVersion || o.kind !== kind) return false;
      const md = isYamlMap(o.metadata) ? o.metadata : {};
      const objectNs = typeof md.namespace === 'string' ? md.namespace : '';
      if (name === '') return ns === '' || objectNs === ns;
      return objectNs === ns && md.name === name;
    });
    if (name !== '') return matches.length > 0 ? (toGoObject(matches[0]) as Record<string, unknown>) : {};
    return { apiVersion, kind: `${kind}List`, metadata: { resourceVersion: '' }, items: matches.map(toGoObject) };
  };
}

function render(test: TestJob, suite: TestSuite, options: RunOptions, requireRenderSuccess: boolean, defaultTemplates: readonly string[]): Rendered {
  const values = userValues(test, suite, routeOf(options));
  if (test.release.name !== '') validateReleaseName(test.release.name);
  const caps = test.capabilities;
  const request: UnitRenderRequest = {
    values,
    release: {
      name: test.release.name || 'RELEASE-NAME',
      namespace: test.release.namespace || 'NAMESPACE',
      revision: test.release.revision,
      isUpgrade: test.release.upgrade,
    },
    kubeMajor: caps.majorVersion,
    kubeMinor: caps.minorVersion,
    apiVersions: caps.apiVersions ?? [],
    chartVersion: test.chart.version,
    appVersion: test.chart.appVersion,
    selectTemplate: templateSelector(routeOf(options), defaultTemplates, suite.excludeTemplates),
    lookup: fakeLookup(test),
    includeCrds: suite.includeCrds,
  };
  let files: Record<string, string>;
  let crds: Record<string, string> = {};
  let succeeded = true;
  try {
    const r = options.render(request);
    files = r.files;
    crds = r.crds ?? {};
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    succeeded = false;
    if (requireRenderSuccess) return { docs: new Map(), succeeded, renderError: err };
    const { file, raw } = parseRenderError(err.message);
    if (file === '' && raw === '') return { docs: new Map(), succeeded, renderError: err };
    files = {};
    const doc = `${RAW}: ${JSON.stringify(raw.replace(/^\n+/, ''))}\n`;
    if (posix.basename(file).startsWith('_')) {
      for (const t of defaultTemplates) files[posix.join(routeOf(options), templateFileName(t))] = doc;
    } else files[file] = doc;
  }
  const docs = new Map<string, YamlValue[]>();
  for (const [file, text] of Object.entries(crds)) docs.set(file, parseYamlDocuments(text));
  for (const [name, text] of Object.entries(files)) {
    const file = name.startsWith(options.chartName) ? name : posix.join(options.chartName, name);
    const ext = succeeded ? posix.extname(file) : '.yaml';
    if (ext === '.yaml' || ext === '.yml' || ext === '.tpl') docs.set(file, parseYamlDocuments(text));
    else if (ext === '.txt') docs.set(file, parseTextDocument(text));
  }
  return { docs, succeeded };
}

/** The templates an assert looks at (polishAssertionsTemplate), as full names. */
function assertTemplates(a: Assertion, test: TestJob, suiteTemplates: readonly string[], rendered: Rendered, chartRoute: string): string[] {
  let names: string[];
  if (a.template !== '') names = [a.template];
  else if (test.templates.length > 0) names = test.templates;
  else if (test.template !== '') names = [test.template];
  else if (suiteTemplates.some((t) => t.includes('*'))) return [...rendered.docs.keys()];
  else names = [...suiteTemplates];
  return names.map((t) => posix.join(chartRoute, templateFileName(t)));
}

function runAssert(
  a: Assertion,
  test: TestJob,
  suiteTemplates: readonly string[],
  rendered: Rendered,
  options: RunOptions,
  snapshots: SnapshotComparer,
): AssertResult {
  const base = { index: a.index, type: a.type, not: a.not };
  const templates = assertTemplates(a, test, suiteTemplates, rendered, routeOf(options));
  const byTemplate: DocumentsByTemplate = new Map(templates.map((t) => [t, rendered.docs.get(t)]));
  const documentIndex = test.documentIndex ?? a.documentIndex;
  const selector = a.documentSelector ?? test.documentSelector;
  const selected = selectDocuments(byTemplate, documentIndex, selector);
  if (selected instanceof Error) return { ...base, passed: false, skipped: false, failInfo: ['Error:', selected.message] };
  const names = [...selected.keys()].sort();
  if (test.documentSelector?.skipEmptyTemplates && names.length === 0) {
    return { ...base, passed: true, skipped: true, failInfo: ["skipped as 'documentSelector.skipEmptyTemplates: true' and 'selectedTemplates: empty'"] };
  }
  const negative = a.not !== a.antonym;
  const validate = (docs: readonly YamlValue[], chosen: readonly YamlValue[]) =>
    a.validator.validate({ docs, selected: chosen, negative, renderError: rendered.renderError, failFast: options.failFast ?? false, snapshots });
  if (names.length === 0) {
    if (a.requireRenderSuccess !== rendered.succeeded) return { ...base, passed: false, skipped: false, failInfo: ['Error: rendered manifest is empty'] };
    const [passed, failInfo] = validate([], []);
    return { ...base, passed, skipped: false, failInfo };
  }
  let passed = false;
  const failInfo: string[] = [];
  names.forEach((name, i) => {
    const docs = rendered.docs.get(name);
    let ok: boolean;
    let info: string[];
    let addTemplate = true;
    if (docs === undefined && a.requireRenderSuccess) {
      ok = false;
      addTemplate = false;
      info = ['Error:', `\ttemplate "${name}" not exists or not selected in test suite`];
    } else if (a.requireRenderSuccess !== rendered.succeeded) {
      ok = false;
      const raw = docs && docs.length > 0 && isYamlMap(docs[0]) ? docs[0][RAW] : undefined;
      info = [docs && docs.length > 0 ? `Error: Invalid rendering: ${raw ?? '<nil>'}` : 'Error: rendered manifest is empty'];
    } else {
      [ok, info] = validate(docs ?? [], selected.get(name) ?? []);
    }
    if (!ok) {
      if (addTemplate) failInfo.push(`Template:\t${name}`);
      failInfo.push(...info);
    }
    passed = i === 0 ? ok : passed && ok;
  });
  return { ...base, passed, skipped: false, failInfo };
}

/** A test with the suite's release, capabilities, chart and lookup settings filled in (polish*Settings). */
export function withSuiteSettings(test: TestJob, suite: TestSuite): TestJob {
  const tc = test.capabilities;
  const sc = suite.capabilities;
  let apiVersions = tc.apiVersions;
  if (sc.apiVersions && sc.apiVersions.length > 0 && apiVersions !== null && apiVersions !== undefined) apiVersions = [...apiVersions, ...sc.apiVersions];
  return {
    ...test,
    release: {
      name: test.release.name || suite.release.name,
      namespace: test.release.namespace || suite.release.namespace,
      revision: test.release.revision || suite.release.revision,
      upgrade: test.release.upgrade || suite.release.upgrade,
    },
    capabilities: { majorVersion: tc.majorVersion || sc.majorVersion, minorVersion: tc.minorVersion || sc.minorVersion, apiVersions },
    chart: { version: test.chart.version || suite.chart.version, appVersion: test.chart.appVersion || suite.chart.appVersion },
    kubernetesProvider: {
      scheme: { ...test.kubernetesProvider.scheme, ...suite.kubernetesProvider.scheme },
      objects: [...test.kubernetesProvider.objects, ...suite.kubernetesProvider.objects],
    },
  };
}

/** One test of a suite (TestJob.RunV3). */
export function runTest(job: TestJob, suite: TestSuite, options: RunOptions, snapshots: SnapshotCache | undefined): TestResult {
  const start = performance.now();
  const result = runTestOnce(withSuiteSettings(job, suite), suite, options, snapshots);
  return { ...result, durationMs: performance.now() - start };
}

function runTestOnce(test: TestJob, suite: TestSuite, options: RunOptions, snapshots: SnapshotCache | undefined): TestResult {
  const skipReason = suite.skipReason || test.skipReason;
  if (skipReason) return { name: test.name, passed: false, skipped: true, asserts: [] };
  const requireRenderSuccess = test.asserts.every((a) => a.requireRenderSuccess);
  // An empty `templates` means every template of the chart.
  const defaultTemplates = suite.templates.length > 0 ? suite.templates : ['**'];
  let rendered: Rendered;
  try {
    rendered = render(test, suite, options, requireRenderSuccess, defaultTemplates);
  } catch (e) {
    return { name: test.name, passed: false, skipped: false, execError: (e as Error).message, asserts: [] };
  }
  const comparer = snapshots?.comparerFor(test.name) ?? { compare: () => ({ passed: true, index: 0, cached: '', current: '', msg: '' }) };
  const asserts: AssertResult[] = [];
  let passed = false;
  for (const a of test.asserts) {
    const r = runAssert(a, test, defaultTemplates, rendered, options, comparer);
    asserts.push(r);
    passed = asserts.length === 1 ? r.passed : passed && r.passed;
    if (!passed && options.failFast) break;
  }
  const skipped = asserts.length > 0 && asserts.every((r) => r.skipped);
  return { name: test.name, passed, skipped, execError: rendered.renderError?.message, asserts };
}

/** One suite (TestSuite.RunV3), its snapshot file read (and written when asked). */
export function runSuite(suite: TestSuite, options: RunOptions): SuiteResult {
  const snapshotFile = snapshotFileOf(suite.file, suite.snapshotId);
  const snapshots = new SnapshotCache(snapshotFile, options.updateSnapshots ?? false);
  const tests: TestResult[] = [];
  let passed = false;
  for (const test of suite.tests) {
    const r = runTest(test, suite, options, snapshots);
    tests.push(r);
    if (!r.skipped) passed = tests.filter((t) => !t.skipped).length === 1 ? r.passed : passed && r.passed;
    else if (tests.length === 1) passed = true;
    if (!passed && options.failFast) break;
  }
  if ((options.writeSnapshots || options.updateSnapshots) && (existsSync(dirname(suite.file)))) snapshots.store();
  const skipped = tests.length > 0 && tests.every((t) => t.skipped);
  return { name: suite.name, file: suite.file, passed, skipped, tests };
}
