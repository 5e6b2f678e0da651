// Helm values checked against the chart they are for: what Helm itself would refuse (the chart's
// and each enabled subchart's values.schema.json, through helm/chartutil/schema.ts), and every key
// path the chart never reads — a typo Helm silently ignores.
//
// A key path is known when the chart could read it:
// - it is in the defaults: the chart's values.yaml (after import-values), for `<subchart name or
//   alias>.` the subchart's values.yaml (every subchart Chart.yaml declares, enabled or not), and
//   `global.` from any chart of the tree;
// - the templates read it (chart-renders/values-templates.ts: `.Values.a.b`, `index`, `dig`, `with`
//   blocks, variables, and `{{ }}` strings in values.yaml rendered through `tpl`);
// - values.schema.json declares it (`properties`, through local `$ref`s and allOf/anyOf/oneOf);
// - a Chart.yaml `condition` names it.
// Everything below a free-form key is accepted. A key is free-form, by rule:
// - its default is an empty map `{}` or null (annotations, nodeSelector, extraArgs, ...);
// - its default map has a key that is not a plain name (`exec.enabled`, `app.kubernetes.io/x`):
//   a map of settings or labels, not of chart options;
// - its default is a list, or the user gives a list: list items are never checked. Default lists
//   show an example item, not the item's schema, and charts pass items through whole (env,
//   volumes, tolerations, scrape configs); checking item keys against the first default item
//   would report every optional field. The schema, where a chart has one, still checks items;
// - the templates hand it on whole: toYaml/toJson/tpl/keys/values of it, or `range` over it
//   (chart-renders/values-templates.ts follows `include`d helpers instead of giving up on them);
// - values.schema.json gives it `additionalProperties` with a schema for the values
//   (`{type: string}`: annotations), `additionalProperties: true` without `properties` (an open
//   map) or `type: object` with no properties at all (JSON Schema: any key), where the templates
//   read no named key below it; or `patternProperties`.
//   `additionalProperties: true` beside `properties` does not count: schema generators write it
//   on every object. Nor does it where the templates read named keys below (loki's schema calls
//   `loki.storage` open, `skipProperties`, yet the chart reads `storage.bucketNames.chunks` and
//   `ruler` by name and nothing passes `storage` on whole).
// A subtree the templates merge into `.Values` (Istio: `mustMergeOverwrite $.Values (index
// $.Values "pilot")`) is read at the top level: its keys are checked there, and since the chart
// reads them without the prefix, each is a warning naming the key to write instead. A subchart
// the package lacks (not vendored) cannot be checked: one warning per subchart the values set.
//
// Not wired into synth yet: synth does not read charts (the chart cache is not on every machine).
// How to wire it: a fleet rule (validate/, registered like the other rule files) fed by
// chart-renders/render.ts's ChartRenderer, which already loads each chart package once per process:
// give it a `chart(source)` accessor (resolveChart + its loaded-chart map) and, for every
// HelmSource of a cluster whose chart the cache has, call
// `checkChartValues(chart, source.values, whereOf(source), { schema: !renderedOk })`: errors fail
// synth as other rule errors do, naming `source.file` and `.spec.source.helm.valuesObject.<path>`;
// warnings are printed. Where the chart is not cached the rule says so once per chart, naming
// `npx infra-synth charts pull` (resolveChart's error), rather than passing silently; until every
// machine has the cache, run the rule in `validate` and CI only (`.ci/run` fills the cache).
// Cost: the known-key tree and template scan are built once per loaded chart (WeakMap); a check
// without the schema is ~0.2 ms per Application (the example fleet's 74 in 17 ms), the schema
// validation ~1–60 ms (loki) — the same validation a render does, hence `schema: false` after one.
import type { Chart } from '../helm/chart/chart.js';
import { isCompatibleRange } from '../helm/chartutil/capabilities.js';
import { coalesceValues } from '../helm/chartutil/coalesce.js';
import { processDependencies } from '../helm/chartutil/dependencies.js';
import { validateAgainstSingleSchema } from '../helm/chartutil/schema.js';
import { isTable, type Values } from '../helm/chartutil/values.js';
import { templateUse } from './values-templates.js';

/** Where a set of values is used, for the messages. */
export interface ValuesWhere {
  readonly cluster: string;
  /** The Application (component) name. */
  readonly component: string;
  readonly chart: string;
  readonly version: string;
}

export type ValuesProblemKind =
  /** values.schema.json of the chart or a subchart refuses the values (Helm would refuse to render). */
  | 'schema'
  /** A key path the chart never reads. */
  | 'unknown-key'
  /** A key the chart reads only after copying a prefixed subtree to the top level. */
  | 'prefixed-key'
  /** Values for a subchart the chart package does not contain. */
  | 'unchecked-subchart';

export interface ValuesProblem {
  readonly severity: 'error' | 'warning';
  readonly kind: ValuesProblemKind;
  readonly where: ValuesWhere;
  /** The key path as written in messages: `pilot.autoscaleEnabled`, `configs.cm["exec.enabled"]`. */
  readonly path: string;
  /** The closest key path the chart reads, where one is close enough. */
  readonly suggestion?: string;
  /** The whole message: `yc-prod: istiod: values.pilot.x: the chart istiod 1.30.4 reads no such key; ...`. */
  readonly message: string;
}

/** `cluster/application` of a HelmSource → where. */
export function whereOf(source: { readonly application: string; readonly chart: string; readonly version: string }): ValuesWhere {
  const slash = source.application.indexOf('/');
  return {
    cluster: source.application.slice(0, slash),
    component: source.application.slice(slash + 1),
    chart: source.chart,
    version: source.version,
  };
}

const NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** A map of the values given (any plain object, whatever realm or parser made it; helm's isTable is stricter). */
function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date) && !(v instanceof Uint8Array);
}

/** A key path as messages show it. */
export function formatPath(segments: readonly string[]): string {
  return segments
    .map((s, i) => (NAME.test(s) ? `${i === 0 ? '' : '.'}${s}` : `[${JSON.stringify(s)}]`))
    .join('');
}

/** What is known about one key of the values tree. */
class Node {
  readonly children = new Map<string, Node>();
  /** Why any key below is accepted; null when keys below are checked. */
  free: string | null = null;
  /** Why nothing below can be checked (a subchart missing from the package). */
  unchecked: string | null = null;
  /** The template that copies this top-level key's subtree to the top level. */
  mergedIntoRoot: string | null = null;
  /** The schema calls this an open map; it is free-form unless the templates read keys below it. */
  schemaOpen: string | null = null;
  /** The templates read a key below this one. */
  readBelow = false;

  child(key: string): Node {
    let c = this.children.get(key);
    if (!c) {
      c = new Node();
      this.children.set(key, c);
    }
    return c;
  }

  setFree(why: string): void {
    this.free ??= why;
  }
}

function freeKeyOf(map: Record<string, unknown>): string | undefined {
  return Object.keys(map).find((k) => /[^A-Za-z0-9_-]/.test(k) || k === '');
}

function addDefaults(node: Node, values: Record<string, unknown>, root: boolean): void {
  if (!root) {
    const odd = freeKeyOf(values);
    if (odd !== undefined) node.setFree(`its default has the key ${JSON.stringify(odd)}, not a name: a free-form map`);
  }
  for (const [k, v] of Object.entries(values)) {
    const c = node.child(k);
    // `global: {}` says globals may be set, not that any global is read: the globals known are
    // those some chart of the tree declares or reads.
    const globals = root && k === 'global';
    if (isTable(v)) {
      if (Object.keys(v).length === 0 && !globals) c.setFree('its default is an empty map');
      addDefaults(c, v, false);
    } else if ((v === null || v === undefined) && !globals) {
      c.setFree('its default is null');
    } else if (Array.isArray(v)) {
      c.setFree('its default is a list');
    }
  }
}

type Schema = Record<string, unknown>;

function resolveRef(rootSchema: unknown, ref: string): unknown {
  if (!ref.startsWith('#')) return undefined;
  let node: unknown = rootSchema;
  for (const raw of ref.slice(1).split('/').filter(Boolean)) {
    const token = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (!node || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[token];
  }
  return node;
}

function addSchema(node: Node, schema: unknown, rootSchema: unknown, depth: number, seen: Set<unknown>): void {
  if (!schema || typeof schema !== 'object' || Array.isArray(schema) || depth > 40) return;
  if (seen.has(schema)) return;
  seen.add(schema);
  const s = schema as Schema;
  if (typeof s.$ref === 'string') addSchema(node, resolveRef(rootSchema, s.$ref), rootSchema, depth + 1, seen);
  if (s.properties && typeof s.properties === 'object') {
    for (const [k, sub] of Object.entries(s.properties as Schema)) addSchema(node.child(k), sub, rootSchema, depth + 1, new Set(seen));
  }
  // `additionalProperties: true` beside `properties` is what schema generators write everywhere
  // (loki's schema has it on every object), not a statement that other keys are read.
  const declares = !!s.properties && typeof s.properties === 'object' && Object.keys(s.properties).length > 0;
  if (typeof s.additionalProperties === 'object' && s.additionalProperties !== null) {
    node.setFree('values.schema.json gives any key a value schema (additionalProperties)');
  } else if (s.additionalProperties === true && !declares) {
    node.schemaOpen ??= 'values.schema.json declares it an open map (additionalProperties: true)';
  } else if (s.type === 'object' && s.additionalProperties === undefined && !declares && s.$ref === undefined && !s.patternProperties
    && !['allOf', 'anyOf', 'oneOf'].some((k) => Array.isArray(s[k]))) {
    node.schemaOpen ??= 'values.schema.json declares it an object with no properties (any key)';
  }
  if (s.patternProperties && typeof s.patternProperties === 'object' && Object.keys(s.patternProperties).length > 0) {
    node.setFree('values.schema.json allows keys by pattern (patternProperties)');
  }
  for (const k of ['allOf', 'anyOf', 'oneOf']) {
    if (Array.isArray(s[k])) for (const sub of s[k] as unknown[]) addSchema(node, sub, rootSchema, depth + 1, seen);
  }
}

/** Open maps of the schema the templates read no key of are free-form. */
function settleOpenMaps(node: Node, seen: Set<Node>): void {
  if (seen.has(node)) return;
  seen.add(node);
  if (node.schemaOpen && !node.readBelow) node.setFree(node.schemaOpen);
  for (const c of node.children.values()) settleOpenMaps(c, seen);
}

function nodeAt(root: Node, path: readonly string[], create: boolean): Node | undefined {
  let node: Node | undefined = root;
  for (const seg of path) {
    if (!node) return undefined;
    node = create ? node.child(seg) : node.children.get(seg);
  }
  return node;
}

/** The known-key tree of `chart` into `node`; `global` is one node shared by the whole tree. */
function buildTree(chart: Chart, defaults: Record<string, unknown> | null, node: Node, global: Node, isRoot: boolean): void {
  if (!isRoot) node.children.set('global', global);
  // A chart's own top level is never a free-form map (kube-prometheus-stack's grafana has `grafana.ini`).
  if (defaults) addDefaults(node, defaults, true);
  if (chart.schema !== undefined) {
    try {
      const schema = JSON.parse(new TextDecoder().decode(chart.schema)) as unknown;
      addSchema(node, schema, schema, 0, new Set());
    } catch {
      // An unreadable schema is reported by the schema check itself.
    }
  }
  const use = templateUse(chart);
  for (const r of use.reads) {
    let n = node;
    for (const seg of r.path) {
      n.readBelow = true;
      n = n.child(seg);
    }
  }
  for (const w of use.whole) nodeAt(node, w.path, true)!.setFree(`the chart passes it on whole (${w.how} in ${w.file})`);
  settleOpenMaps(node, new Set());
  for (const m of use.mergedIntoRoot) {
    const sub = defaults?.[m.key];
    if (isTable(sub)) addDefaults(node, sub, true);
    else node.child(m.key).mergedIntoRoot ??= m.file;
  }
  const deps = chart.dependencies();
  const declared = chart.metadata.Dependencies;
  for (const d of declared) {
    const key = d.Alias || d.Name;
    for (const condition of d.Condition.split(',').map((c) => c.trim()).filter(Boolean)) nodeAt(node, condition.split('.'), true);
    for (const tag of d.Tags) node.child('tags').child(tag);
    const sub = deps.find((c) => c.name() === d.Name && (d.Version === '' || isCompatibleRange(d.Version, c.metadata.Version)))
      ?? deps.find((c) => c.name() === d.Name);
    const child = node.child(key);
    if (sub) buildTree(sub, sub.values, child, global, false);
    else child.unchecked ??= `the package of ${chart.name()} ${chart.metadata.Version} lacks its subchart ${d.Name} ${d.Version}`;
  }
  for (const sub of deps) {
    if (declared.some((d) => d.Name === sub.name())) continue;
    buildTree(sub, sub.values, node.child(sub.name()), global, false);
  }
}

function buildRoot(chart: Chart, values: Values): Node {
  let defaults = chart.values;
  if (importsValues(chart)) {
    try {
      // import-values copy subchart exports into the parent's defaults (which exports depends on
      // which subcharts the values enable).
      defaults = processDependencies(chart, values).values ?? chart.values;
    } catch {
      // Helm reports a broken dependency list when rendering; the plain defaults are the best we know.
    }
  }
  const root = new Node();
  const global = root.child('global');
  addDefaults(global, {}, true);
  buildTree(chart, defaults, root, global, true);
  return root;
}

function importsValues(chart: Chart): boolean {
  return chart.metadata.Dependencies.some((d) => d.ImportValues.length > 0) || chart.dependencies().some(importsValues);
}

/** Per loaded chart: the known-key tree and its suggester, when the values cannot change the tree. */
const trees = new WeakMap<Chart, { root: Node; suggester: Suggester }>();

function treeFor(chart: Chart, values: Values): { root: Node; suggester: Suggester } {
  const cached = trees.get(chart);
  if (cached) return cached;
  const root = buildRoot(chart, values);
  const tree = { root, suggester: new Suggester(root) };
  if (!importsValues(chart)) trees.set(chart, tree);
  return tree;
}

/** Whether `path` is known below `root`: the index of the first unknown segment, or -1. */
function firstUnknown(root: Node, path: readonly string[]): number {
  let node = root;
  for (let i = 0; i < path.length; i++) {
    if (node.free || node.unchecked) return -1;
    const next = node.children.get(path[i]!);
    if (!next) return i;
    if (next.mergedIntoRoot) return firstUnknown(root, path.slice(i + 1)) === -1 ? -1 : i;
    node = next;
  }
  return -1;
}

/** Edit distance with adjacent transpositions (optimal string alignment): `hbu` is one edit from `hub`. */
function levenshtein(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = d;
    }
  }
  return rows[a.length]![b.length]!;
}

/** Every known key path (depth-limited; a node reached twice, as `global` is, listed once). */
function knownPaths(root: Node): string[][] {
  const out: string[][] = [];
  const seen = new Set<Node>([root]);
  const visit = (node: Node, path: string[]) => {
    if (path.length >= 10) return;
    for (const [k, c] of node.children) {
      if (seen.has(c) || c.mergedIntoRoot) continue;
      seen.add(c);
      const p = [...path, k];
      out.push(p);
      visit(c, p);
    }
  };
  visit(root, []);
  return out;
}

function closeEnough(typed: string, name: string): number | null {
  const a = typed.toLowerCase();
  const b = name.toLowerCase();
  if (a === b) return 0;
  const d = levenshtein(a, b);
  const limit = typed.length <= 4 ? 1 : typed.length <= 10 ? 2 : 3;
  return d <= limit ? d : null;
}

class Suggester {
  private paths: string[][] | null = null;

  constructor(private readonly root: Node) {}

  private all(): string[][] {
    return (this.paths ??= knownPaths(this.root));
  }

  /** A sibling of the unknown segment within a small edit distance. */
  sibling(path: readonly string[], i: number): string[] | null {
    const parent = nodeAt(this.root, path.slice(0, i), false);
    if (!parent) return null;
    let best: { name: string; d: number } | null = null;
    for (const name of parent.children.keys()) {
      const d = closeEnough(path[i]!, name);
      if (d !== null && (best === null || d < best.d)) best = { name, d };
    }
    if (!best) return null;
    const full = [...path.slice(0, i), best.name, ...path.slice(i + 1)];
    return firstUnknown(this.root, full) === -1 ? full : [...path.slice(0, i), best.name];
  }

  /**
   * A known path ending in the same last segments: the one sharing most other segments with the
   * typed path, then the closest by edit distance. A common leaf (`enabled`, `replicas`) found in
   * many places with nothing else in common suggests nothing.
   */
  private sameLeaf(path: readonly string[], i: number): string[] | null {
    const tail = i < path.length - 1 ? path.slice(i + 1) : [path[i]!];
    const others = new Set(path.slice(0, path.length - tail.length));
    const typed = path.join('.');
    let best: { p: string[]; shared: number; d: number } | null = null;
    let count = 0;
    for (const p of this.all()) {
      if (p.length < tail.length) continue;
      if (!tail.every((seg, j) => p[p.length - tail.length + j] === seg)) continue;
      count++;
      const shared = p.slice(0, p.length - tail.length).filter((seg) => others.has(seg)).length;
      const d = levenshtein(typed, p.join('.'));
      if (best === null || shared > best.shared || (shared === best.shared && (d < best.d || (d === best.d && p.join('.') < best.p.join('.'))))) {
        best = { p, shared, d };
      }
    }
    if (best && best.shared === 0 && tail.length === 1 && count > 3) return null;
    return best?.p ?? null;
  }

  suggest(path: readonly string[], i: number): string[] | null {
    const leaf = i === path.length - 1;
    return leaf ? (this.sibling(path, i) ?? this.sameLeaf(path, i)) : (this.sameLeaf(path, i) ?? this.sibling(path, i));
  }

  /** The keys read at the level of the unknown segment, when there are few (never the top level). */
  readable(path: readonly string[], i: number): string[] {
    if (i === 0) return [];
    const parent = nodeAt(this.root, path.slice(0, i), false);
    const keys = [...(parent?.children.keys() ?? [])].filter((k) => k !== 'global').sort();
    return keys.length > 0 && keys.length <= 8 ? keys : [];
  }
}

/** The leaf paths of a value (maps are walked; lists, scalars and empty maps are leaves), at most `limit`. */
function leaves(value: unknown, path: string[], out: string[][], limit = 50): void {
  if (out.length >= limit) return;
  if (isObject(value) && Object.keys(value).length > 0) {
    for (const [k, v] of Object.entries(value)) leaves(v, [...path, k], out, limit);
  } else {
    out.push(path);
  }
}

function prefix(where: ValuesWhere, path: readonly string[]): string {
  return `${where.cluster}: ${where.component}: values${path.length && NAME.test(path[0]!) ? '.' : ''}${formatPath(path)}`;
}

/** schema.ts's v6 error lines, leaves only, as [json pointer tokens, message]. */
function parseSchemaErrors(text: string): [string[], string][] {
  const lines = text.split('\n').map((l) => /^( *)- at '((?:[^'\\]|\\.)*)': (.*)$/.exec(l)).filter((m): m is RegExpExecArray => m !== null);
  const out: [string[], string][] = [];
  lines.forEach((m, n) => {
    const next = lines[n + 1];
    if (next && next[1]!.length > m[1]!.length) return;
    const tokens = m[2]!.split('/').slice(1).map((t) => t.replace(/\\'/g, "'").replace(/~1/g, '/').replace(/~0/g, '~'));
    out.push([tokens, m[3]!]);
  });
  if (out.length === 0 && text.trim() !== '') out.push([[], text.trim().split('\n')[0]!]);
  return out;
}

interface Refused {
  readonly path: string[];
  readonly whose: string;
}

function schemaCheck(chart: Chart, values: Values, where: ValuesWhere): { problems: ValuesProblem[]; refused: Refused[] } {
  const problems: ValuesProblem[] = [];
  const refused: Refused[] = [];
  let processed: Chart;
  let coalesced: Values;
  try {
    processed = processDependencies(chart, values);
    coalesced = coalesceValues(processed, values);
  } catch (e) {
    const message = `${prefix(where, [])}: Helm cannot merge these values into the chart ${where.chart} ${where.version}: ${(e as Error).message}`;
    return { problems: [{ severity: 'error', kind: 'schema', where, path: '', message }], refused };
  }
  const visit = (c: Chart, vals: Values, at: string[]) => {
    if (c.schema !== undefined) {
      const text = validateAgainstSingleSchema(vals, c.schema);
      for (const [tokens, msg] of parseSchemaErrors(text)) {
        const path = [...at, ...tokens];
        const whose = at.length === 0 ? `${where.chart} ${where.version}` : `${c.name()} ${c.metadata.Version} (subchart ${formatPath(at)})`;
        const extra = /^additional propert(?:y|ies) (.*) not allowed$/.exec(msg);
        if (extra) {
          for (const m of extra[1]!.matchAll(/'((?:[^'\\]|\\.)*)'/g)) refused.push({ path: [...path, m[1]!.replace(/\\'/g, "'")], whose });
          continue;
        }
        problems.push({
          severity: 'error',
          kind: 'schema',
          where,
          path: formatPath(path),
          message: `${prefix(where, path)}: the values.schema.json of ${whose} refuses it: ${msg}`,
        });
      }
    }
    for (const sub of c.dependencies()) {
      const v = vals[sub.name()];
      if (isTable(v)) visit(sub, v, [...at, sub.name()]);
    }
  };
  visit(processed, coalesced, []);
  return { problems, refused };
}

export interface CheckOptions {
  /**
   * Validate against values.schema.json (default true). A caller that has just rendered the same
   * chart with the same values may pass false: a successful render (helm/action runs the same
   * validation) proves the schema holds, and the validation is most of a check's time (loki's
   * schema: ~60 ms per check).
   */
  readonly schema?: boolean;
}

/**
 * Why the chart accepts `path` (dotted segments): the rule that makes it, or a key above it,
 * free-form or unchecked; 'read' when the chart reads the path itself; null when it reads no such key.
 */
export function explainKeyPath(chart: Chart, values: Record<string, unknown>, path: readonly string[]): string | null {
  const { root } = treeFor(chart, values);
  let node = root;
  for (let i = 0; i < path.length; i++) {
    if (node.free) return `${formatPath(path.slice(0, i))}: ${node.free}`;
    if (node.unchecked) return `${formatPath(path.slice(0, i))}: ${node.unchecked}`;
    const next = node.children.get(path[i]!);
    if (!next) return null;
    if (next.mergedIntoRoot) return firstUnknown(root, path.slice(i + 1)) === -1 ? `${formatPath(path.slice(0, i + 1))}: copied to the top level by ${next.mergedIntoRoot}` : null;
    node = next;
  }
  return node.free ? `${formatPath(path)}: ${node.free}` : 'read';
}

/**
 * Every problem of `values` for `chart` (a loaded, unprocessed chart, as loadChart returns it):
 * schema refusals first, then unknown key paths in the order the values list them.
 */
export function checkChartValues(
  chart: Chart,
  values: Record<string, unknown>,
  where: ValuesWhere,
  options: CheckOptions = {},
): ValuesProblem[] {
  const { problems, refused } = options.schema === false ? { problems: [], refused: [] } : schemaCheck(chart, values, where);
  const { root, suggester } = treeFor(chart, values);
  const isRefused = (path: readonly string[]) => refused.some((r) => r.path.length <= path.length && r.path.every((s, i) => s === path[i]));
  for (const r of refused) {
    const s = suggester.suggest(r.path, r.path.length - 1);
    problems.push({
      severity: 'error',
      kind: 'schema',
      where,
      path: formatPath(r.path),
      ...(s ? { suggestion: formatPath(s) } : {}),
      message: `${prefix(where, r.path)}: the values.schema.json of ${r.whose} allows no such key${s ? `; did you mean ${formatPath(s)}?` : ''}`,
    });
  }
  const what = `the chart ${where.chart} ${where.version}`;

  // `basis`: the path as the chart reads it, when that differs from the path written (a prefix
  // the templates copy to the top level); suggestions are made for it.
  const unknown = (path: string[], i: number, basis: { path: string[]; i: number } = { path, i }) => {
    if (isRefused(path)) return;
    const s = suggester.suggest(basis.path, basis.i);
    let message = `${prefix(where, path)}: ${what} reads no such key`;
    if (s) message += `; did you mean ${formatPath(s)}?`;
    else {
      const keys = suggester.readable(basis.path, basis.i);
      if (keys.length) message += `; under ${formatPath(basis.path.slice(0, basis.i))} it reads ${keys.join(', ')}`;
    }
    problems.push({ severity: 'error', kind: 'unknown-key', where, path: formatPath(path), ...(s ? { suggestion: formatPath(s) } : {}), message });
  };

  const walk = (node: Node, value: unknown, path: string[]) => {
    if (!isObject(value)) return;
    for (const [k, v] of Object.entries(value)) {
      const p = [...path, k];
      const c = node.children.get(k);
      if (!c) {
        if (node.free) continue;
        // A misspelt map key is one problem; a key in the wrong place, one per leaf below it
        // (each leaf may be read somewhere else).
        if (suggester.sibling(p, p.length - 1)) {
          unknown(p, p.length - 1);
          continue;
        }
        const ls: string[][] = [];
        leaves(v, p, ls);
        for (const l of ls) unknown(l, p.length - 1);
        continue;
      }
      if (c.unchecked) {
        if (isObject(v) && Object.keys(v).some((x) => x !== 'enabled' && !c.children.has(x))) {
          problems.push({
            severity: 'warning',
            kind: 'unchecked-subchart',
            where,
            path: formatPath(p),
            message: `${prefix(where, p)}: not checked: ${c.unchecked}`,
          });
        }
        continue;
      }
      if (c.mergedIntoRoot) {
        const ls: string[][] = [];
        leaves(v, [], ls);
        for (const rel of ls) {
          const full = [...p, ...rel];
          const at = firstUnknown(root, rel);
          if (at === -1) {
            problems.push({
              severity: 'warning',
              kind: 'prefixed-key',
              where,
              path: formatPath(full),
              suggestion: formatPath(rel),
              message: `${prefix(where, full)}: ${what} reads it only as ${formatPath(rel)} (${c.mergedIntoRoot} copies ${formatPath(p)}.* to the top level); write ${formatPath(rel)}`,
            });
          } else {
            unknown(full, p.length + at, { path: rel, i: at });
          }
        }
        continue;
      }
      if (c.free) continue;
      walk(c, v, p);
    }
  };
  walk(root, values, []);
  return problems;
}
