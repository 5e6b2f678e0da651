// Helm v3.19.5 pkg/engine tests (funcs_test.go, engine_test.go, files_test.go), one jest test
// per case of helm-engine.json.
import { readFileSync } from 'node:fs';
import { Chart, Metadata } from '../../../helm/chart/chart.js';
import { coalesceValues } from '../../../helm/chartutil/coalesce.js';
import { allTemplates, Engine, type EngineOptions, type LookupFunction, type Renderable, sortTemplates } from '../../../helm/engine/engine.js';
import { Files } from '../../../helm/engine/files.js';
import { funcMap } from '../../../helm/engine/funcs.js';
import { Template } from '../../../helm/template/template.js';
import { GoInt, int, isMap } from '../../../helm/template/value.js';
import { describeWithReferenceData, referencePath } from '../../helpers/reference-data.js';
import { skipReason } from '../conformance-skips.js';

const CORPUS = 'helm/conformance/helm-engine.json';

interface ChartSpec {
  metadata: Record<string, unknown>;
  templates?: { name: string; data: string }[];
  files?: { name: string; data: string }[];
  values?: Record<string, unknown>;
  dependencies?: ChartSpec[];
}

interface EngineCase {
  file: string;
  name: string;
  kind: string;
  line?: number;
  index?: number;
  [key: string]: unknown;
}

const encoder = new TextEncoder();

// The cases are Go literals: an integer is a Go int.
function goLiteral(v: unknown): unknown {
  if (typeof v === 'number' && Number.isInteger(v)) return int(v);
  if (Array.isArray(v)) return v.map(goLiteral);
  if (isMap(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, goLiteral(x)]));
  return v;
}

// For comparing results: a Go int and the JSON number it came from are the same value.
function plain(v: unknown): unknown {
  if (v instanceof GoInt) return v.toNumber();
  if (Array.isArray(v)) return v.map(plain);
  if (isMap(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}

function buildChart(spec: ChartSpec, byName: Map<string, Chart>): Chart {
  const md = Object.assign(new Metadata(), spec.metadata);
  const c = new Chart(md);
  c.templates = (spec.templates ?? []).map((t) => ({ name: t.name, data: encoder.encode(t.data) }));
  c.files = (spec.files ?? []).map((f) => ({ name: f.name, data: encoder.encode(f.data) }));
  c.values = spec.values ? (goLiteral(spec.values) as Record<string, unknown>) : null;
  byName.set(md.Name, c);
  for (const d of spec.dependencies ?? []) c.addDependency(buildChart(d, byName));
  return c;
}

// `$chartMetadata` is a *chart.Metadata; `$coalesceValues` is CoalesceValues(<chart>, v).
function buildValues(v: unknown, charts: Map<string, Chart>): unknown {
  if (Array.isArray(v)) return v.map((x) => buildValues(x, charts));
  if (!isMap(v)) return goLiteral(v);
  if ('$chartMetadata' in v) return Object.assign(new Metadata(), v.$chartMetadata);
  if ('$coalesceValues' in v) {
    const chart = charts.get(v.$chart as string)!;
    return coalesceValues(chart, buildValues(v.$coalesceValues, charts) as Record<string, unknown>);
  }
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, buildValues(x, charts)]));
}

function engineOptions(e: Record<string, unknown> | undefined, lookup?: LookupFunction): EngineOptions {
  return { lintMode: e?.LintMode === true, strict: e?.Strict === true, enableDNS: e?.EnableDNS === true, lookup };
}

interface FakeCluster {
  scheme: Record<string, { namespaced?: boolean; shouldErr?: string }>;
  objects: Record<string, any>[];
}

// The fake dynamic client of engine_test.go: a scheme of kinds and a set of objects.
function fakeLookup(cluster: FakeCluster): LookupFunction {
  return (apiVersion, kind, namespace, name) => {
    const gvk = cluster.scheme[`${apiVersion}/${kind}`];
    if (!gvk) throw new Error(`no matches for kind "${kind}" in version "${apiVersion}"`);
    if (gvk.shouldErr) throw new Error(gvk.shouldErr);
    const inScope = cluster.objects.filter(
      (o) => o.apiVersion === apiVersion && o.kind === kind && (!gvk.namespaced || namespace === '' || o.metadata?.namespace === namespace),
    );
    if (name !== '') return goLiteral(inScope.find((o) => o.metadata?.name === name) ?? {}) as Record<string, unknown>;
    return { apiVersion, kind: `${kind}List`, metadata: {}, items: goLiteral(inScope) };
  };
}

function expectError(c: EngineCase, run: () => unknown): void {
  let error: Error | undefined;
  try {
    run();
  } catch (e) {
    error = e as Error;
  }
  expect(error).toBeDefined();
  const message = error!.message;
  if (typeof c.expectErrorEquals === 'string') expect(message).toBe(c.expectErrorEquals);
  for (const part of (c.expectErrorContains as string[] | undefined) ?? []) expect(message).toContain(part);
  for (const suffix of (c.expectErrorSuffix as string[] | undefined) ?? []) expect(message.slice(-suffix.length)).toBe(suffix);
}

function checkRendered(c: EngineCase, out: Record<string, string>): void {
  if (typeof c.expectCount === 'number') expect(Object.keys(out)).toHaveLength(c.expectCount);
  for (const [name, want] of Object.entries((c.expect as Record<string, string> | undefined) ?? {})) {
    expect({ name, out: out[name] }).toEqual({ name, out: want });
  }
}

function runTemplateCase(c: EngineCase): void {
  const vars = goLiteral(c.vars);
  const t = Template.new('test').funcs(funcMap()).parse(c.template as string);
  const out = t.execute(vars);
  if (c.expectVarsAfter !== undefined) {
    // Only the maps upstream checked (merge mutates its first argument).
    const after = plain(vars) as Record<string, unknown>;
    for (const [key, want] of Object.entries(c.expectVarsAfter as Record<string, unknown>)) {
      expect({ key, value: after[key] }).toEqual({ key, value: want });
    }
  } else {
    expect(out).toBe(c.expect);
  }
}

function runRenderCase(c: EngineCase): void {
  const charts = new Map<string, Chart>();
  const chart = buildChart(c.chart as ChartSpec, charts);
  let values = buildValues(c.values ?? {}, charts) as Record<string, unknown>;
  if (c.coalesceValues === true) values = coalesceValues(chart, values);
  const lookup = c.clientProvider ? fakeLookup(c.clientProvider as FakeCluster) : undefined;
  const engine = new Engine(engineOptions(c.engine as Record<string, unknown>, lookup));
  if (c.expectError === true) {
    expectError(c, () => engine.render(chart, values));
    return;
  }
  checkRendered(c, engine.render(chart, values));
}

function runRenderInternalCase(c: EngineCase): void {
  const tpls = new Map<string, Renderable>();
  for (const [name, r] of Object.entries(c.renderables as Record<string, { tpl: string; vals: unknown }>)) {
    tpls.set(name, { tpl: r.tpl, vals: goLiteral(r.vals) as Record<string, unknown>, basePath: '' });
  }
  const engine = new Engine(engineOptions(c.engine as Record<string, unknown>));
  if (c.expectError === true) {
    expectError(c, () => engine.renderTemplates(tpls));
    return;
  }
  checkRendered(c, engine.renderTemplates(tpls));
}

function runFilesCase(c: EngineCase): void {
  const files = new Files(Object.entries(c.files as Record<string, string>).map(([name, data]) => ({ name, data })));
  const args = c.args as string[];
  const call = c.call as string;
  const glob = /^Glob\("(.*)"\)(?: -> (len)|\.(\w+))$/.exec(call);
  let got: unknown;
  if (glob) {
    const matched = files.Glob(glob[1]!);
    if (glob[2] === 'len') got = matched.entries().length;
    else got = (matched as unknown as Record<string, (...a: unknown[]) => unknown>)[glob[3]!]!(...args);
  } else {
    got = (files as unknown as Record<string, (...a: unknown[]) => unknown>)[call]!(...args);
  }
  expect(got).toEqual(c.expect);
}

function allTemplatesChart(): Chart {
  const tpl = (name: string) => ({ name: `templates/${name}`, data: encoder.encode(name) });
  const ch1 = new Chart(Object.assign(new Metadata(), { Name: 'ch1' }));
  ch1.templates = [tpl('foo'), tpl('bar')];
  const dep1 = new Chart(Object.assign(new Metadata(), { Name: 'laboratory mice' }));
  dep1.templates = [tpl('pinky'), tpl('brain')];
  const dep2 = new Chart(Object.assign(new Metadata(), { Name: 'same thing we do every night' }));
  dep2.templates = [tpl('innermost')];
  dep1.addDependency(dep2);
  ch1.addDependency(dep1);
  return ch1;
}

function runCase(c: EngineCase): void {
  switch (c.kind) {
    case 'template':
      return runTemplateCase(c);
    case 'render':
      return runRenderCase(c);
    case 'renderInternal':
      return runRenderInternalCase(c);
    case 'files':
      return runFilesCase(c);
    case 'sortTemplates':
      expect(sortTemplates(c.input as string[])).toEqual(c.expect);
      return;
    case 'funcMap': {
      const f = funcMap();
      for (const name of c.forbidden as string[]) expect({ name, present: name in f }).toEqual({ name, present: false });
      for (const name of c.required as string[]) expect({ name, present: name in f }).toEqual({ name, present: true });
      return;
    }
    case 'allTemplates':
      expect(allTemplates(allTemplatesChart(), {}).size).toBe(c.expectCount);
      return;
    default:
      throw new Error(`unknown case kind ${c.kind}`);
  }
}

describeWithReferenceData('helm-engine conformance (helm v3.19.5 pkg/engine)', CORPUS, () => {
  const cases = JSON.parse(readFileSync(referencePath(CORPUS), 'utf8')) as EngineCase[];
  cases.forEach((c, i) => {
    const id = `#${i} ${c.name}${c.line !== undefined ? `:${c.line}` : ''}${c.index !== undefined ? `[${c.index}]` : ''} (${c.kind})`;
    const reason = skipReason('helm-engine', c.name);
    if (reason !== undefined) {
      test.skip(`${id} — skipped: ${reason}`, () => undefined);
      return;
    }
    test(id, () => runCase(c));
  });
});
