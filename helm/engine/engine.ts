// Helm's pkg/engine (v3.19): every template of a chart tree is parsed into ONE Go template set,
// named by its full path (`mychart/charts/sub/templates/x.yaml`), so that any template may
// `include` a `define` from any chart; then each non-partial template is executed with the
// values scoped to its chart. Errors are reworded as Helm rewords them:
//   parse error at (mychart/templates/x.yaml:3): function "foo" not defined
//   execution error at (mychart/templates/x.yaml:3:4): <the message given to required/fail>
import type { Chart } from '../chart/chart.js';
import { compareBytewise } from '../encoding/json.js';
import { goSplitN } from '../sprig/gostrings.js';
import { quote } from '../template/strconv.js';
import { BUILTINS } from '../template/builtins.js';
import { parse, type TreeSet } from '../template/parse.js';
import { ExecError, Template } from '../template/template.js';
import { type FuncMap, goFunc } from '../template/func.js';
import { GoStruct, isMap } from '../template/value.js';
import { fileText, Files } from './files.js';
import { funcMap } from './funcs.js';

/** `lookup` against a cluster: (apiVersion, kind, namespace, name) → the object or list; {} when absent. */
export type LookupFunction = (apiVersion: string, kind: string, namespace: string, name: string) => Record<string, unknown>;

export interface EngineOptions {
  /** Fail on a missing map key (missingkey=error), as `helm lint --strict`. */
  readonly strict?: boolean;
  /** `required` and `fail` do not fail, as `helm lint`. */
  readonly lintMode?: boolean;
  /** Let `getHostByName` resolve; otherwise it returns "" as Helm does by default. */
  readonly enableDNS?: boolean;
  /** A cluster for `lookup`; without one `lookup` returns an empty map, as `helm template`. */
  readonly lookup?: LookupFunction;
}

/** A template to render: its text, the values it sees, and its chart's `templates` path. */
export interface Renderable {
  readonly tpl: string;
  readonly vals: Record<string, unknown>;
  readonly basePath: string;
}

/** Output of a render: template full path → text ("<no value>" removed); partials are absent. */
export type RenderedTemplates = Record<string, string>;

const ROOT_TEMPLATE_NAME = 'gotpl';
const WARN_START = 'HELM_ERR_START';
const WARN_END = 'HELM_ERR_END';
const WARN_PATTERN = new RegExp(`${WARN_START}([\\s\\S]*)${WARN_END}`);
const RECURSION_MAX = 1000;

const warnWrap = (warn: string): string => `${WARN_START}${warn}${WARN_END}`;

/** An error of a render, with Helm's wording in `message`. */
export class RenderError extends Error {
  override name = 'RenderError';
}

export class Engine {
  constructor(readonly options: EngineOptions = {}) {}

  /** Engine.Render: all templates of `chart` and its dependencies, with `values` as the root scope. */
  render(chart: Chart, values: Record<string, unknown>): RenderedTemplates {
    return this.renderTemplates(allTemplates(chart, values));
  }

  /** The engine's `render(map[name]renderable)`: parse all in Helm's order, execute non-partials. */
  renderTemplates(tpls: ReadonlyMap<string, Renderable>): RenderedTemplates {
    const t = Template.new(ROOT_TEMPLATE_NAME);
    t.option(this.options.strict ? 'missingkey=error' : 'missingkey=zero');
    this.initFuncMap(t);

    const keys = sortTemplates([...tpls.keys()]);
    for (const filename of keys) {
      try {
        parseInto(t, filename, tpls.get(filename)!.tpl);
      } catch (e) {
        throw cleanupParseError(filename, e);
      }
    }

    const rendered: RenderedTemplates = {};
    for (const filename of keys) {
      // Partials only exist to be included.
      if (baseName(filename).startsWith('_')) continue;
      const r = tpls.get(filename)!;
      // Helm writes `.Template` into the map the chart's templates share, right before each one
      // runs; templates of other charts that reach this map see the last value written.
      (r.vals as Record<string, unknown>).Template = { Name: filename, BasePath: r.basePath };
      let pieces: string[];
      try {
        pieces = t.executeTemplatePieces(filename, r.vals);
      } catch (e) {
        throw cleanupExecError(filename, e);
      }
      rendered[filename] = outputText(filename, pieces);
    }
    return rendered;
  }

  private initFuncMap(t: Template): void {
    const lintMode = this.options.lintMode === true;
    const f: FuncMap = funcMap();
    const includedNames = new Map<string, number>();
    f.include = includeFun(t, includedNames);
    f.tpl = tplFun(t, includedNames, this.options.strict === true);
    f.required = goFunc({ params: ['string', 'interface{}'], results: 2 }, (warn: string, val: unknown) => {
      if (val === null || val === undefined || val === '') {
        if (lintMode) return '';
        throw new Error(warnWrap(warn));
      }
      return val;
    });
    f.fail = goFunc({ params: ['string'], results: 2 }, (msg: string) => {
      if (lintMode) return '';
      throw new Error(warnWrap(msg));
    });
    if (!lintMode && this.options.lookup) {
      const lookup = this.options.lookup;
      f.lookup = goFunc(
        { params: ['string', 'string', 'string', 'string'], results: 2 },
        (apiVersion: string, kind: string, namespace: string, name: string) => lookup(apiVersion, kind, namespace, name),
      );
    }
    if (!this.options.enableDNS) {
      f.getHostByName = goFunc({ params: ['string'], results: 1 }, () => '');
    }
    t.funcs(f);
  }
}

// Templates are parsed once per process: the trees of a file depend only on its name, its text
// and which function names exist (Helm's, the same for every render), and executing never
// changes a tree (Go's Clone shares them too). Kept by name and text, failures included.
const PARSED_LIMIT = 64 * 1024 * 1024;
const parsedFiles = new Map<string, { text: string; trees: TreeSet | { error: unknown } }>();
let parsedSize = 0;
const TPL_LIMIT = 10000;
const parsedTpls = new Map<string, { text: string; trees: TreeSet | { error: unknown } }>();
let parseFuncNames: FuncMap | undefined;

/** The trees of a template text parsed under `name`; throws the parse error. */
function parseTrees(name: string, text: string): TreeSet {
  // By name, then text: texts are long, and the same string object comes back each render.
  const byText = name === ROOT_TEMPLATE_NAME;
  let entry = byText ? parsedTpls.get(text) : parsedFiles.get(name);
  if (entry === undefined || entry.text !== text) {
    parseFuncNames ??= funcMap();
    let trees: TreeSet | { error: unknown };
    try {
      trees = parse(name, text, '', '', parseFuncNames, BUILTINS);
    } catch (e) {
      trees = { error: e };
    }
    if (parsedSize + text.length > PARSED_LIMIT) {
      parsedFiles.clear();
      parsedSize = 0;
    }
    entry = { text, trees };
    // tpl texts all parse under one name: those are kept by text.
    if (byText) {
      if (parsedTpls.size >= TPL_LIMIT) parsedTpls.clear();
      parsedTpls.set(text, entry);
    } else {
      parsedFiles.set(name, entry);
      parsedSize += text.length;
    }
  }
  if (!(entry.trees instanceof Map)) throw entry.trees.error;
  return entry.trees;
}

// As `t.New(filename).Parse(text)`: the file's own tree under its name, and one per {{define}}.
function parseInto(t: Template, filename: string, text: string): void {
  for (const [name, tree] of parseTrees(filename, text)) t.addParseTree(name, tree);
}

// Most of what a large chart renders is the same render after render (its CRDs: megabytes for
// argo-cd), and building that text again allocated and copied megabytes each time. The last
// text of each template is kept with the strings it was joined from: the same strings again
// give the same text, without building it.
const OUTPUTS_LIMIT = 64 * 1024 * 1024;
const lastOutputs = new Map<string, { pieces: string[]; text: string }>();
let lastOutputsSize = 0;

function outputText(filename: string, pieces: string[]): string {
  const last = lastOutputs.get(filename);
  if (last !== undefined && samePieces(last.pieces, pieces)) return last.text;
  // missingkey=zero still prints <no value> for an interface{} map; Helm blanks it.
  const text = pieces.join('').replaceAll('<no value>', '');
  if (last !== undefined) lastOutputsSize -= last.text.length;
  if (lastOutputsSize + text.length > OUTPUTS_LIMIT) {
    lastOutputs.clear();
    lastOutputsSize = 0;
  }
  lastOutputs.set(filename, { pieces, text });
  lastOutputsSize += text.length;
  return text;
}

function samePieces(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Render with default options (Helm's package-level `engine.Render`). */
export function render(chart: Chart, values: Record<string, unknown>, options: EngineOptions = {}): RenderedTemplates {
  return new Engine(options).render(chart, values);
}

// `include` is bound to a template set, so that `tpl` can rebind it to its clone and the
// defines parsed from a tpl string are visible to includes inside it.
function includeFun(t: Template, includedNames: Map<string, number>) {
  return goFunc({ params: ['string', 'interface{}'], results: 2 }, (name: string, data: unknown): string => {
    const depth = includedNames.get(name);
    if (depth !== undefined) {
      if (depth > RECURSION_MAX) throw nestedReferenceError(name);
      includedNames.set(name, depth + 1);
    } else {
      includedNames.set(name, 1);
    }
    try {
      return t.executeTemplate(name, data);
    } catch (e) {
      // Go's stack grows where ours overflows: deep self-inclusion ends here, as Go's limit would.
      if (isStackOverflow(e)) throw nestedReferenceError(name);
      throw e;
    } finally {
      includedNames.set(name, includedNames.get(name)! - 1);
    }
  });
}

// A JS stack overflow, raw or as the executor reports it (an ExecError caused by a RangeError).
function isStackOverflow(e: unknown): boolean {
  if (e instanceof RangeError) return true;
  return e instanceof ExecError && e.cause instanceof RangeError;
}

function nestedReferenceError(name: string): Error {
  return new Error(`rendering template has a nested reference name: ${name}: unable to execute template`);
}

function tplFun(parent: Template, includedNames: Map<string, number>, strict: boolean) {
  return goFunc({ params: ['string', 'interface{}'], results: 2 }, (tpl: string, vals: unknown): string => {
    let trees: TreeSet;
    try {
      trees = parseTrees(ROOT_TEMPLATE_NAME, tpl);
    } catch (e) {
      throw new Error(`cannot parse template ${quote(tpl)}: ${messageOf(e)}`);
    }
    let body: Template;
    if (trees.size === 1) {
      // Text that defines nothing cannot change the set, so Helm's clone would be an exact copy:
      // run its tree in the parent's set (same functions, same missingkey, same includes).
      body = parent.new(ROOT_TEMPLATE_NAME);
      body.tree = trees.get(ROOT_TEMPLATE_NAME);
    } else {
      // Its {{define}}s must be seen by the includes inside it and by no one else.
      let t: Template;
      try {
        t = parent.clone();
      } catch (e) {
        throw new Error(`cannot clone template: ${messageOf(e)}`);
      }
      t.option(strict ? 'missingkey=error' : 'missingkey=zero');
      t.funcs({ include: includeFun(t, includedNames), tpl: tplFun(t, includedNames, strict) });
      // A fresh template of the root's name: text that only defines templates must still
      // replace the body that is executed (Parse alone would keep the old one).
      body = t.new(ROOT_TEMPLATE_NAME);
      for (const [name, tree] of trees) body.addParseTree(name, tree);
    }
    let out: string;
    try {
      out = body.execute(vals);
    } catch (e) {
      if (isStackOverflow(e)) throw e;
      throw new Error(`error during tpl function execution for ${quote(tpl)}: ${messageOf(e)}`);
    }
    return out.replaceAll('<no value>', '');
  });
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** `parse error at (file:line): msg` from Go's `template: file:line: ... : msg`. */
export function cleanupParseError(filename: string, err: unknown): Error {
  const message = messageOf(err);
  const tokens = message.split(': ');
  if (tokens.length === 1) return new RenderError(`parse error in (${filename}): ${message}`);
  return new RenderError(`parse error at (${tokens[1]}): ${tokens[tokens.length - 1]}`);
}

/** `execution error at (file:line:col): msg` for required/fail; other exec errors are kept. */
export function cleanupExecError(filename: string, err: unknown): Error {
  if (!isExecError(err)) return err instanceof Error ? err : new Error(String(err));
  const message = messageOf(err);
  const tokens = goSplitN(message, ': ', 3);
  if (tokens.length !== 3) return new RenderError(`execution error in (${filename}): ${message}`);
  const m = WARN_PATTERN.exec(tokens[2]!);
  if (m) return new RenderError(`execution error at (${tokens[1]}): ${m[1]}`);
  return err as Error;
}

// Go's text/template reports errors found while executing as ExecError; an unknown template
// name given to ExecuteTemplate is a plain error, which Helm passes on unchanged.
function isExecError(err: unknown): boolean {
  return err instanceof ExecError;
}

/** Helm's parse order: more path segments first, then reverse lexical order (parents' defines win). */
export function sortTemplates(names: readonly string[]): string[] {
  const less = (a: string, b: string): boolean => {
    const ca = countSlashes(a);
    const cb = countSlashes(b);
    if (ca === cb) return compareBytewise(a, b) < 0;
    return ca < cb;
  };
  return [...names].sort((a, b) => (less(b, a) ? -1 : less(a, b) ? 1 : 0));
}

function countSlashes(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) === 47) n++;
  return n;
}

/** `.Chart`: Helm's `struct{ chart.Metadata; IsRoot bool }`. */
export class ChartInfo extends GoStruct {
  get goTypeName(): string {
    return 'struct { chart.Metadata; IsRoot bool }';
  }

  constructor(private readonly metadata: GoStruct & { toJSON?: () => Record<string, unknown> }, isRoot: boolean) {
    super();
    Object.defineProperty(this, 'metadata', { enumerable: false });
    for (const [k, v] of Object.entries(metadata)) {
      if (k === 'goTypeName') continue;
      (this as unknown as Record<string, unknown>)[k] = v;
    }
    (this as unknown as Record<string, unknown>).IsRoot = isRoot;
  }

  toJSON(): Record<string, unknown> {
    const own = typeof this.metadata.toJSON === 'function' ? this.metadata.toJSON() : {};
    return { ...own, IsRoot: (this as unknown as { IsRoot: boolean }).IsRoot };
  }
}

/** Every template of the chart tree with the values its chart sees (Helm's allTemplates). */
export function allTemplates(chart: Chart, vals: Record<string, unknown>): Map<string, Renderable> {
  const templates = new Map<string, Renderable>();
  recAllTpls(chart, templates, vals);
  return templates;
}

function recAllTpls(c: Chart, templates: Map<string, Renderable>, vals: Record<string, unknown>): Record<string, unknown> {
  const subCharts: Record<string, unknown> = {};
  const next: Record<string, unknown> = {
    Chart: new ChartInfo(c.metadata, c.isRoot()),
    Files: new Files(c.files),
    Release: vals.Release,
    Capabilities: vals.Capabilities,
    Values: {},
    Subcharts: subCharts,
  };
  // A subchart sees the table of its parent's values named after it (and nothing when that is
  // not a table), so a dependency never sees its parent's values.
  if (c.isRoot()) {
    next.Values = vals.Values;
  } else {
    const vs = table(vals, `Values.${c.name()}`);
    if (vs !== undefined) next.Values = vs;
  }
  for (const child of c.dependencies()) {
    subCharts[child.name()] = recAllTpls(child, templates, next);
  }
  const parentId = c.chartFullPath();
  const isLibrary = c.metadata.Type.toLowerCase() === 'library';
  for (const t of c.templates) {
    if (!t) continue;
    // A library chart contributes only its partials.
    if (isLibrary && !baseName(t.name).startsWith('_')) continue;
    templates.set(`${parentId}/${t.name}`, {
      tpl: templateText(t),
      vals: next,
      basePath: `${parentId}/templates`,
    });
  }
  return next;
}

function templateText(f: { readonly data: Uint8Array }): string {
  return fileText(f.data);
}

// chartutil.Values.Table: a dotted path of nested maps; anything else on the way is "no table".
function table(vals: Record<string, unknown>, path: string): Record<string, unknown> | undefined {
  let cur: unknown = vals;
  for (const part of path.split('.')) {
    if (!isMap(cur)) return undefined;
    cur = cur[part];
  }
  return isMap(cur) ? cur : undefined;
}

// Go's path.Base for slash paths.
function baseName(p: string): string {
  const trimmed = p.replace(/\/+$/, '');
  const i = trimmed.lastIndexOf('/');
  return i < 0 ? trimmed : trimmed.slice(i + 1);
}
