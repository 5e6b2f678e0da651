// helm-unittest's assert types (pkg/unittest/validators) over parsed documents: each takes the
// documents of one template (after documentIndex/documentSelector), says pass/fail and, on
// failure, the lines the plugin prints. `not: true` and the antonyms (notEqual, isNull, ...) run
// the same validator negated. Semantics follow upstream, quirks included: `isNull` passes only
// when the path is absent (a present `null` fails), `equal` trims trailing spaces before line
// breaks in the actual string only, `hasDocuments` counts all documents of the template unless
// `filterAware`.
import { structuredPatch } from 'diff';
import { getValuesOfPath } from './paths.js';
import { encode, isYamlMap, type YamlValue } from './yamlv3.js';

/** Compares a value with the suite's snapshot file; `index` counts matchSnapshot calls per test. */
export interface SnapshotComparer {
  compare(content: YamlValue, options: { matchRegex?: string; notMatchRegex?: string }): SnapshotResult;
}

export interface SnapshotResult {
  passed: boolean;
  index: number;
  cached: string;
  current: string;
  msg: string;
}

export interface ValidateContext {
  /** All documents of the template. */
  readonly docs: readonly YamlValue[];
  /** The documents the assert applies to (documentIndex / documentSelector applied). */
  readonly selected: readonly YamlValue[];
  readonly negative: boolean;
  readonly renderError?: Error;
  readonly failFast: boolean;
  readonly snapshots?: SnapshotComparer;
}

export interface Validator {
  validate(ctx: ValidateContext): [boolean, string[]];
}

/** The key `raw` holds a text file's content or a failed template's error (common.RAW). */
export const RAW = 'raw';

// ---- shared helpers (validators/common.go) -------------------------------------------------

/** Go's reflect.DeepEqual over yaml.v3-decoded values. */
export function deepEqual(a: YamlValue | undefined, b: YamlValue | undefined): boolean {
  if (a === b) return !(typeof a === 'number' && Number.isNaN(a));
  if (typeof a !== typeof b) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => deepEqual(x, b[i]));
  }
  if (isYamlMap(a)) {
    if (!isYamlMap(b)) return false;
    const ak = Object.keys(a);
    if (ak.length !== Object.keys(b).length) return false;
    return ak.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

function setFailFormat(not: boolean, path: boolean, actual: boolean, diff: boolean, customize: string): string {
  let result = `\nExpected${not ? ' NOT' : ''}${customize}:\n%s\n`;
  if (path) result = `Path:%s${result}`;
  if (actual) result += 'Actual:\n%s\n';
  if (diff) result += 'Diff:\n%s\n';
  return result;
}

const ERROR_FORMAT = '\nError:\n%s\n';

function splitInfof(format: string, manifestIndex: number, valuesIndex: number, ...replacements: string[]): string[] {
  const trimmed = format.replace(/^[\t\n ]+|[\t\n ]+$/g, '');
  const indented = replacements.map((r) => `\t${r.replace(/\n/g, '\n\t').replace(/^[\n\t ]+|[\n\t ]+$/g, '')}`);
  let i = 0;
  const lines = trimmed.replace(/%s/g, () => indented[i++] ?? '%!s(MISSING)').split('\n');
  if (valuesIndex >= 0) lines.unshift(`ValuesIndex:\t${valuesIndex}`);
  if (manifestIndex >= 0) lines.unshift(`DocumentIndex:\t${manifestIndex}`);
  return lines;
}

/** go-difflib's unified diff with one line of context, as the plugin prints it. */
function unifiedDiff(expected: string, actual: string): string {
  // difflib.SplitLines appends "\n" to the last piece, so both texts end in an extra empty line.
  const patch = structuredPatch('Expected', 'Actual', `${expected}\n`, `${actual}\n`, '', '', { context: 1 });
  if (patch.hunks.length === 0) return '';
  const range = (start: number, lines: number) => (lines === 1 ? `${start}` : `${lines === 0 ? start : start},${lines}`);
  const out = ['--- Expected', '+++ Actual'];
  for (const h of patch.hunks) {
    out.push(`@@ -${range(h.oldStart, h.oldLines)} +${range(h.newStart, h.newLines)} @@`);
    out.push(...h.lines);
  }
  return `${out.join('\n')}\n`;
}

/** `fmt.Sprintf("%v")` of a decoded value, as uniformContent and failedTemplate print it. */
function goPrint(v: YamlValue | undefined): string {
  if (v === undefined || v === null) return '<nil>';
  if (typeof v === 'string') return v;
  if (typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v)) return `[${v.map(goPrint).join(' ')}]`;
  return `map[${Object.keys(v).sort().map((k) => `${k}:${goPrint(v[k])}`).join(' ')}]`;
}

/** Removes spaces before line breaks, unifies CRLF and drops leading newlines (uniformContent). */
function uniformContent(v: YamlValue | undefined): string {
  return goPrint(v).replace(/ +\r?\n/g, '\n').replace(/^\n+/, '');
}

function marshal(v: YamlValue | undefined): string {
  return encode(stripLeadingNewlines(v ?? null));
}

function stripLeadingNewlines(v: YamlValue): YamlValue {
  if (typeof v === 'string') return v.replace(/^\n+/, '');
  if (Array.isArray(v)) return v.map(stripLeadingNewlines);
  if (isYamlMap(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, stripLeadingNewlines(x)]));
  return v;
}

function determineSuccess(idx: number, original: boolean, next: boolean): boolean {
  return idx === 0 ? next : original && next;
}

/** Go's regexp (RE2) syntax mostly matches JS; inline flags like (?i) need translating. */
export function goRegExp(pattern: string): RegExp {
  let flags = 'u';
  let src = pattern;
  const m = /^\(\?([imsU]+)\)/.exec(src);
  if (m) {
    src = src.slice(m[0].length);
    for (const f of m[1]) if (f !== 'U' && !flags.includes(f)) flags += f;
  }
  src = src.replace(/\\A/g, '^').replace(/\\z/g, '$').replace(/\[\[:(\w+):\]\]/g, (_, cls: string) => `[${posixClass(cls)}]`)
    .replace(/\[:(\w+):\]/g, (_, cls: string) => posixClass(cls));
  try {
    return new RegExp(src, flags);
  } catch {
    return new RegExp(src, flags.replace('u', ''));
  }
}

function posixClass(cls: string): string {
  switch (cls) {
    case 'alpha': return 'A-Za-z';
    case 'digit': return '0-9';
    case 'alnum': return 'A-Za-z0-9';
    case 'space': return '\\t\\n\\v\\f\\r ';
    case 'upper': return 'A-Z';
    case 'lower': return 'a-z';
    case 'punct': return '!-/:-@[-`{-~';
    case 'xdigit': return '0-9A-Fa-f';
    default: return cls;
  }
}

function decodeBase64(s: string): string | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 !== 0) return undefined;
  return Buffer.from(s, 'base64').toString('utf8');
}

/** Reads a validator's parameters as mapstructure does: field names match case-insensitively. */
class Params {
  private readonly map: Record<string, YamlValue>;
  constructor(raw: YamlValue) {
    this.map = {};
    if (isYamlMap(raw)) for (const [k, v] of Object.entries(raw)) this.map[k.toLowerCase()] = v;
  }
  has(name: string): boolean { return Object.prototype.hasOwnProperty.call(this.map, name.toLowerCase()); }
  get(name: string): YamlValue | undefined { return this.map[name.toLowerCase()]; }
  str(name: string): string {
    const v = this.get(name);
    if (v === undefined || v === null) return '';
    if (typeof v === 'string') return v;
    if (typeof v === 'bigint' || typeof v === 'number' || typeof v === 'boolean') return String(v);
    throw new Error(`'${name}' expected type 'string', got unconvertible type '${Array.isArray(v) ? '[]interface {}' : 'map[string]interface {}'}'`);
  }
  bool(name: string): boolean { return this.get(name) === true; }
  int(name: string): number | undefined {
    const v = this.get(name);
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'bigint') return Number(v);
    if (typeof v === 'number' && Number.isInteger(v)) return v;
    throw new Error(`'${name}' expected type 'int', got unconvertible type '${typeof v === 'string' ? 'string' : 'float64'}'`);
  }
}

// ---- path-based validators -----------------------------------------------------------------

/** The common loop of validators that read `path` in each selected document. */
function eachManifest(
  ctx: ValidateContext,
  noManifest: () => string[],
  perManifest: (doc: YamlValue, index: number) => [boolean, string[]],
): [boolean, string[]] {
  const manifests = ctx.selected;
  let success = false;
  const errors: string[] = [];
  for (let i = 0; i < manifests.length; i++) {
    const [ok, errs] = perManifest(manifests[i], i);
    errors.push(...errs);
    success = determineSuccess(i, success, ok);
    if (!success && ctx.failFast) break;
  }
  if (manifests.length === 0 && !ctx.negative) errors.push(...noManifest());
  else if (manifests.length === 0 && ctx.negative) success = true;
  return [success, errors];
}

function eachActual(
  doc: YamlValue,
  index: number,
  path: string,
  ctx: ValidateContext,
  perActual: (actual: YamlValue, actualIndex: number) => [boolean, string[]],
): [boolean, string[]] {
  let actuals: YamlValue[];
  try {
    actuals = getValuesOfPath(doc, path);
  } catch (e) {
    return [false, splitInfof(ERROR_FORMAT, index, -1, (e as Error).message)];
  }
  if (actuals.length === 0 && !ctx.negative) return [false, splitInfof(ERROR_FORMAT, index, -1, `unknown path ${path}`)];
  let success = actuals.length === 0 && ctx.negative;
  const errors: string[] = [];
  for (let i = 0; i < actuals.length; i++) {
    const [ok, errs] = perActual(actuals[i], i);
    errors.push(...errs);
    success = determineSuccess(i, success, ok);
    if (!success && ctx.failFast) break;
  }
  return [success, errors];
}

class EqualValidator implements Validator {
  readonly path: string;
  readonly value: YamlValue | undefined;
  readonly decodeBase64: boolean;
  constructor(p: Params) { this.path = p.str('path'); this.value = p.get('value') ?? null; this.decodeBase64 = p.bool('decodeBase64'); }

  private failInfo(actual: YamlValue, manifestIndex: number, actualIndex: number, not: boolean): string[] {
    const expected = marshal(this.value);
    if (not) return splitInfof(setFailFormat(not, true, false, false, ' to equal'), manifestIndex, actualIndex, this.path, expected);
    const act = marshal(actual);
    return splitInfof(setFailFormat(not, true, true, true, ' to equal'), manifestIndex, actualIndex, this.path, expected, act, unifiedDiff(expected, act));
  }

  validate(ctx: ValidateContext): [boolean, string[]] {
    return eachManifest(ctx, () => this.failInfo('no manifest found', -1, -1, false), (doc, mi) =>
      eachActual(doc, mi, this.path, ctx, (actual, ai) => {
        let a = actual;
        if (typeof a === 'string') {
          let s = a;
          if (this.decodeBase64) {
            const d = decodeBase64(s);
            if (d === undefined) return [false, splitInfof(ERROR_FORMAT, mi, ai, `unable to decode base64 expected content ${s}`)];
            s = d;
          }
          a = uniformContent(s);
        }
        if (deepEqual(this.value ?? null, a) === ctx.negative) return [false, this.failInfo(a, mi, ai, ctx.negative)];
        return [true, []];
      }));
  }
}

class ContainsValidator implements Validator {
  readonly path: string;
  readonly content: YamlValue;
  readonly count: number | undefined;
  readonly any: boolean;
  constructor(p: Params) { this.path = p.str('path'); this.content = p.get('content') ?? null; this.count = p.int('count'); this.any = p.bool('any'); }

  private failInfo(actual: YamlValue, mi: number, ai: number, not: boolean): string[] {
    return splitInfof(setFailFormat(not, true, true, false, ' to contain'), mi, ai, this.path, marshal([this.content]), marshal(actual));
  }

  private found(actual: YamlValue[]): [boolean, number] {
    let found = false;
    let count = 0;
    for (const ele of actual) {
      let isArray = false;
      if (this.any) {
        if (isYamlMap(ele) && isYamlMap(this.content)) {
          if (Object.keys(this.content).every((k) => deepEqual(ele[k], (this.content as Record<string, YamlValue>)[k]))) { found = true; count++; }
        } else isArray = true;
      }
      if ((!this.any || isArray) && deepEqual(ele, this.content)) { found = true; count++; }
    }
    return [found, count];
  }

  validate(ctx: ValidateContext): [boolean, string[]] {
    return eachManifest(ctx, () => this.failInfo('no manifest found', 0, -1, false), (doc, mi) =>
      eachActual(doc, mi, this.path, ctx, (actual, ai) => {
        if (!Array.isArray(actual)) {
          return [false, splitInfof(ERROR_FORMAT, mi, ai, `expect '${this.path}' to be an array, got:\n${marshal(actual)}`)];
        }
        const [found, count] = this.found(actual);
        if (this.count === undefined && found === ctx.negative) return [false, this.failInfo(actual, mi, ai, ctx.negative)];
        if (this.count !== undefined && (found && this.count === count) === ctx.negative) {
          if (!found) return [false, this.failInfo(actual, mi, ai, ctx.negative)];
          return [false, splitInfof(ERROR_FORMAT, mi, ai, `expect count ${this.count} in '${this.path}' to be in array, got ${count}:\n${marshal(actual)}`)];
        }
        return [true, []];
      }));
  }
}

/** exists / notExists / isNull / isNotNull: whether the path finds anything. */
class ExistsValidator implements Validator {
  readonly path: string;
  constructor(p: Params) { this.path = p.str('path'); }

  private failInfo(mi: number, not: boolean): string[] {
    return splitInfof(`Path:%s expected to ${not ? 'NOT ' : ''}exists`, mi, -1, this.path);
  }

  validate(ctx: ValidateContext): [boolean, string[]] {
    let success = false;
    const errors: string[] = [];
    ctx.selected.forEach((doc, i) => {
      let actual: YamlValue[];
      try {
        actual = getValuesOfPath(doc, this.path);
      } catch (e) {
        success = false;
        errors.push(...splitInfof(ERROR_FORMAT, i, -1, (e as Error).message));
        return;
      }
      if ((actual.length > 0) === ctx.negative) {
        success = false;
        errors.push(...this.failInfo(i, ctx.negative));
        return;
      }
      success = determineSuccess(i, success, true);
    });
    if (ctx.selected.length === 0 && !ctx.negative) errors.push(...this.failInfo(-1, false));
    else if (ctx.selected.length === 0 && ctx.negative) success = true;
    return [success, errors];
  }
}

class MatchRegexValidator implements Validator {
  readonly path: string;
  readonly pattern: string;
  readonly decodeBase64: boolean;
  constructor(p: Params) { this.path = p.str('path'); this.pattern = p.str('pattern'); this.decodeBase64 = p.bool('decodeBase64'); }

  private failInfo(actual: string, mi: number, ai: number, not: boolean): string[] {
    return splitInfof(setFailFormat(not, true, true, false, ' to match'), mi, ai, this.path, this.pattern, actual);
  }

  validate(ctx: ValidateContext): [boolean, string[]] {
    if (this.pattern === '') return [false, splitInfof(ERROR_FORMAT, -1, -1, "expected field 'pattern' to be filled")];
    let re: RegExp;
    try { re = goRegExp(this.pattern); } catch (e) { return [false, splitInfof(ERROR_FORMAT, -1, -1, (e as Error).message)]; }
    return eachManifest(ctx, () => this.failInfo('no manifest found', -1, -1, false), (doc, mi) =>
      eachActual(doc, mi, this.path, ctx, (actual, ai) => {
        if (typeof actual !== 'string') {
          return [false, splitInfof(ERROR_FORMAT, mi, ai, `expect '${this.path}' to be a string, got:\n${marshal(actual)}`)];
        }
        let s = actual;
        if (this.decodeBase64) {
          const d = decodeBase64(s);
          if (d === undefined) return [false, splitInfof(ERROR_FORMAT, mi, ai, `unable to decode base64 expected content ${s}`)];
          s = d;
        }
        if (re.test(s) === ctx.negative) return [false, this.failInfo(s, mi, ai, ctx.negative)];
        return [true, []];
      }));
  }
}

class IsSubsetValidator implements Validator {
  readonly path: string;
  readonly content: YamlValue;
  constructor(p: Params) { this.path = p.str('path'); this.content = p.get('content') ?? null; }

  private failInfo(actual: YamlValue, mi: number, ai: number, not: boolean): string[] {
    return splitInfof(setFailFormat(not, true, true, false, ' to contain'), mi, ai, this.path, marshal(this.content), marshal(actual));
  }

  validate(ctx: ValidateContext): [boolean, string[]] {
    return eachManifest(ctx, () => this.failInfo('no manifest found', -1, -1, false), (doc, mi) =>
      eachActual(doc, mi, this.path, ctx, (actual, ai) => {
        if (isYamlMap(actual) && isYamlMap(this.content)) {
          const content = this.content;
          const found = Object.keys(content).every((k) => deepEqual(actual[k], content[k]));
          return [found !== ctx.negative, found === ctx.negative ? this.failInfo(actual, mi, ai, ctx.negative) : []];
        }
        return [false, splitInfof(ERROR_FORMAT, mi, ai, `expect '${this.path}' to be an object, got:\n${marshal(actual)}`)];
      }));
  }
}

/** isNullOrEmpty / isEmpty (and their negations): Go's zero value or an empty collection. */
class IsNullOrEmptyValidator implements Validator {
  readonly path: string;
  constructor(p: Params) { this.path = p.str('path'); }

  private failInfo(actual: YamlValue, mi: number, ai: number, not: boolean): string[] {
    return splitInfof(setFailFormat(not, true, false, false, ' to be null or empty, got'), mi, ai, this.path, marshal(actual));
  }

  validate(ctx: ValidateContext): [boolean, string[]] {
    return eachManifest(ctx, () => this.failInfo('no manifest found', -1, -1, false), (doc, mi) =>
      eachActual(doc, mi, this.path, ctx, (actual, ai) => {
        const empty = actual === null || actual === '' || actual === false || actual === 0 || actual === 0n
          || (Array.isArray(actual) && actual.length === 0) || (isYamlMap(actual) && Object.keys(actual).length === 0);
        if (empty === ctx.negative) return [false, this.failInfo(actual, mi, ai, ctx.negative)];
        return [true, []];
      }));
  }
}

/** The Go type name reflect.TypeOf gives a yaml.v3-decoded value. */
function goTypeOf(v: YamlValue): string {
  if (v === null) return '';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'bigint') return v > 2n ** 63n - 1n ? 'uint64' : 'int';
  if (typeof v === 'number') return 'float64';
  if (Array.isArray(v)) return '[]interface {}';
  return 'map[string]interface {}';
}

class IsTypeValidator implements Validator {
  readonly path: string;
  readonly type: string;
  constructor(p: Params) { this.path = p.str('path'); this.type = p.str('type'); }

  private failInfo(actual: string, mi: number, ai: number, not: boolean): string[] {
    return splitInfof(setFailFormat(not, true, true, false, ' to be of type'), mi, ai, this.path, this.type, actual);
  }

  validate(ctx: ValidateContext): [boolean, string[]] {
    return eachManifest(ctx, () => this.failInfo('no manifest found', -1, -1, false), (doc, mi) =>
      eachActual(doc, mi, this.path, ctx, (actual, ai) => {
        const t = goTypeOf(actual);
        if ((t === this.type) === ctx.negative) return [false, this.failInfo(t, mi, ai, ctx.negative)];
        return [true, []];
      }));
  }
}

class LengthEqualValidator implements Validator {
  readonly path: string;
  readonly paths: string[];
  readonly count: number | undefined;
  constructor(p: Params) {
    this.path = p.str('path');
    const paths = p.get('paths');
    this.paths = Array.isArray(paths) ? paths.map((x) => String(x)) : [];
    this.count = p.int('count');
  }

  private failInfo(path: string, count: string, actual: string, mi: number, not: boolean): string[] {
    return splitInfof(setFailFormat(not, true, true, false, ' to match count'), mi, -1, path, count, actual);
  }

  private counts(doc: YamlValue, path: string, mi: number, ctx: ValidateContext): [boolean, string[], number] {
    let actuals: YamlValue[];
    try { actuals = getValuesOfPath(doc, path); } catch (e) { return [false, splitInfof(ERROR_FORMAT, mi, -1, (e as Error).message), 0]; }
    let success = actuals.length === 0 && ctx.negative;
    const errors: string[] = [];
    let length = 0;
    for (let i = 0; i < actuals.length; i++) {
      const a = actuals[i];
      if (!Array.isArray(a) && this.count === undefined) {
        errors.push(...splitInfof(ERROR_FORMAT, mi, i, `${path} is not array`));
        continue;
      }
      length = Array.isArray(a) ? a.length : 0;
      let ok = false;
      if (this.count !== undefined && (length === this.count) === ctx.negative) {
        errors.push(...this.failInfo(path, String(this.count), String(length), mi, ctx.negative));
      } else ok = true;
      success = determineSuccess(i, success, ok);
      if (!success && ctx.failFast) break;
    }
    return [success, errors, length];
  }

  validate(ctx: ValidateContext): [boolean, string[]] {
    if (this.path !== '' && (this.count === undefined || this.count < 0)) return [false, splitInfof(ERROR_FORMAT, -1, -1, "'count' field must be set if 'path' is used")];
    if (this.path !== '' && this.paths.length > 0) return [false, splitInfof(ERROR_FORMAT, -1, -1, "'paths' couldn't be used with 'path'")];
    return eachManifest(ctx, () => this.failInfo('', '', 'no manifest found', -1, false), (doc, mi) => {
      if (this.path !== '') {
        const [ok, errs] = this.counts(doc, this.path, mi, ctx);
        return [ok, errs];
      }
      const errors: string[] = [];
      const pathCount = new Map<string, number>();
      let allOk = true;
      for (const p of this.paths) {
        const [ok, errs, n] = this.counts(doc, p, mi, ctx);
        pathCount.set(p, n);
        if (!ok) { errors.push(...errs); allOk = false; }
      }
      if (!allOk) return [false, errors];
      let arrayCount = -1;
      for (const p of [...pathCount.keys()].sort()) {
        const n = pathCount.get(p)!;
        if (arrayCount === -1) arrayCount = n;
        else if ((arrayCount === n) === ctx.negative) {
          return [false, [...errors, ...this.failInfo(p, '-1', String(n), mi, ctx.negative)]];
        }
      }
      return [arrayCount !== -1, errors];
    });
  }
}

class MatchSnapshotValidator implements Validator {
  readonly path: string;
  readonly matchRegex: string;
  readonly notMatchRegex: string;
  constructor(p: Params) {
    this.path = p.str('path');
    const m = p.get('matchRegex');
    const n = p.get('notMatchRegex');
    this.matchRegex = isYamlMap(m) ? new Params(m).str('pattern').trim() : '';
    this.notMatchRegex = isYamlMap(n) ? new Params(n).str('pattern').trim() : '';
  }

  validate(ctx: ValidateContext): [boolean, string[]] {
    const snapshots = ctx.snapshots;
    let success = ctx.selected.length === 0 && !ctx.negative;
    const errors: string[] = [];
    for (let mi = 0; mi < ctx.selected.length; mi++) {
      const [ok, errs] = eachActual(ctx.selected[mi], mi, this.path, ctx, (actual, ai) => {
        if (!snapshots) return [false, splitInfof(ERROR_FORMAT, mi, ai, 'no snapshot cache')];
        const r = snapshots.compare(actual, { matchRegex: this.matchRegex, notMatchRegex: this.notMatchRegex });
        if (r.passed !== ctx.negative) return [true, []];
        if (r.msg !== '') return [false, splitInfof(setFailFormat(ctx.negative, false, false, false, r.msg), mi, ai, r.cached)];
        const info = ctx.negative ? r.cached : unifiedDiff(r.cached, r.current);
        return [false, splitInfof(setFailFormat(ctx.negative, true, false, false, ` to match snapshot ${r.index}`), mi, ai, this.path, info)];
      });
      errors.push(...errs);
      success = determineSuccess(mi, success, ok);
      if (!success && ctx.failFast) break;
    }
    return [success, errors];
  }
}

// ---- document-level validators -------------------------------------------------------------

class FieldIsValidator implements Validator {
  constructor(readonly field: 'kind' | 'apiVersion', readonly of: string, readonly label: string) {}

  private failInfo(actual: YamlValue | undefined, mi: number, not: boolean): string[] {
    if (not) return splitInfof(setFailFormat(not, false, false, false, this.label), mi, -1, this.of);
    return splitInfof(setFailFormat(not, false, true, false, this.label), mi, -1, this.of, marshal(actual));
  }

  validate(ctx: ValidateContext): [boolean, string[]] {
    let success = false;
    const errors: string[] = [];
    for (let i = 0; i < ctx.selected.length; i++) {
      const doc = ctx.selected[i];
      const v = isYamlMap(doc) ? doc[this.field] : undefined;
      if ((typeof v === 'string' && v === this.of) === ctx.negative) {
        success = false;
        errors.push(...this.failInfo(v, i, ctx.negative));
        if (ctx.failFast) break;
        continue;
      }
      success = determineSuccess(i, success, true);
    }
    if (ctx.selected.length === 0 && !ctx.negative) errors.push(...this.failInfo('no manifest found', -1, false));
    else if (ctx.selected.length === 0 && ctx.negative) success = true;
    return [success, errors];
  }
}

class HasDocumentsValidator implements Validator {
  readonly count: number;
  readonly filterAware: boolean;
  constructor(p: Params) { this.count = p.int('count') ?? 0; this.filterAware = p.bool('filterAware'); }

  validate(ctx: ValidateContext): [boolean, string[]] {
    const n = this.filterAware ? ctx.selected.length : ctx.docs.length;
    if ((n === this.count) !== ctx.negative) return [true, []];
    if (ctx.negative) return [false, splitInfof(setFailFormat(true, false, false, false, ' documents count to be'), -1, -1, String(this.count))];
    return [false, splitInfof(setFailFormat(false, false, true, false, ' documents count to be'), -1, -1, String(this.count), String(n))];
  }
}

class ContainsDocumentValidator implements Validator {
  readonly kind: string;
  readonly apiVersion: string;
  readonly name: string;
  readonly namespace: string;
  readonly any: boolean;
  constructor(p: Params) {
    this.kind = p.str('kind'); this.apiVersion = p.str('apiVersion'); this.name = p.str('name');
    this.namespace = p.str('namespace'); this.any = p.bool('any');
  }

  private failInfo(mi: number, not: boolean): string[] {
    const parts = [`Kind = ${this.kind}, apiVersion = ${this.apiVersion}`];
    if (this.name) parts.push(`Name = ${this.name}`);
    if (this.namespace) parts.push(`Namespace = ${this.namespace}`);
    return splitInfof(setFailFormat(not, false, false, false, ' to contain document'), mi, -1, parts.join(', '));
  }

  private matches(doc: YamlValue): boolean {
    if (!isYamlMap(doc)) return false;
    if (typeof doc.kind === 'string' && doc.kind !== this.kind) return false;
    if (typeof doc.apiVersion === 'string' && doc.apiVersion !== this.apiVersion) return false;
    if (this.name !== '') {
      const v = getValuesOfPath(doc, 'metadata.name');
      if (v.length === 0 || v[0] !== this.name) return false;
    }
    if (this.namespace !== '') {
      const v = getValuesOfPath(doc, 'metadata.namespace');
      if (v.length === 0 || v[0] !== this.namespace) return false;
    }
    return true;
  }

  validate(ctx: ValidateContext): [boolean, string[]] {
    let success = false;
    let errors: string[] = [];
    for (let i = 0; i < ctx.selected.length; i++) {
      let ok = this.matches(ctx.selected[i]);
      if (ok === ctx.negative) {
        ok = false;
        errors.push(...this.failInfo(i, ctx.negative));
        if (ctx.failFast) { success = false; break; }
      } else {
        ok = true;
        if (this.any !== ctx.negative) { success = true; errors = []; break; }
      }
      success = determineSuccess(i, success, ok);
    }
    if (ctx.selected.length === 0 && !ctx.negative) errors.push(...this.failInfo(0, false));
    else if (ctx.selected.length === 0 && ctx.negative) success = true;
    return [success, errors];
  }
}

class FailedTemplateValidator implements Validator {
  readonly errorMessage: string;
  readonly errorPattern: string;
  constructor(p: Params) { this.errorMessage = p.str('errorMessage'); this.errorPattern = p.str('errorPattern'); }

  private failInfo(actual: string, mi: number, not: boolean): string[] {
    const custom = this.errorPattern !== '' ? ' to match' : ' to equal';
    const message = this.errorMessage || this.errorPattern;
    if (not) return splitInfof(setFailFormat(not, false, false, false, custom), mi, -1, message);
    return splitInfof(setFailFormat(not, false, true, false, custom), mi, -1, message, actual);
  }

  private checkPattern(actual: YamlValue | undefined, mi: number, ctx: ValidateContext): [boolean, string[]] {
    let re: RegExp;
    try { re = goRegExp(this.errorPattern); } catch { re = new RegExp(escapeRegExp(this.errorPattern), 'u'); }
    if (typeof actual === 'string' && re.test(actual) === ctx.negative) {
      // A pattern with regexp meta characters gets a second chance as a literal string.
      if (/[\\.+*?()|[\]{}^$]/.test(this.errorPattern)) {
        const literal = new RegExp(escapeRegExp(this.errorPattern), 'u');
        if (literal.test(actual) === ctx.negative) return [false, this.failInfo(actual, mi, ctx.negative)];
        return [true, []];
      }
      return [false, this.failInfo(actual, mi, ctx.negative)];
    }
    return [true, []];
  }

  private checkMessage(actual: YamlValue | undefined, mi: number, ctx: ValidateContext): [boolean, string[]] {
    if ((typeof actual === 'string' && actual === this.errorMessage) === ctx.negative) return [false, this.failInfo(goPrint(actual), mi, ctx.negative)];
    return [true, []];
  }

  validate(ctx: ValidateContext): [boolean, string[]] {
    if (this.errorMessage !== '' && this.errorPattern !== '') {
      return [false, splitInfof(ERROR_FORMAT, -1, -1, "single attribute 'errorMessage' or 'errorPattern' supported at the same time")];
    }
    if (ctx.renderError) {
      if (this.errorPattern !== '') return this.checkPattern(ctx.renderError.message, -1, ctx);
      if (this.errorMessage !== '') return this.checkMessage(ctx.renderError.message, -1, ctx);
      return [true, []];
    }
    let success = true;
    const errors: string[] = [];
    for (let i = 0; i < ctx.selected.length; i++) {
      const doc = ctx.selected[i];
      const actual = isYamlMap(doc) ? doc[RAW] : undefined;
      if (this.errorMessage === '' && this.errorPattern === '' && !ctx.negative) continue;
      let ok = true;
      let errs: string[] = [];
      if (this.errorPattern !== '') [ok, errs] = this.checkPattern(actual, i, ctx);
      else if (this.errorMessage !== '') [ok, errs] = this.checkMessage(actual, i, ctx);
      errors.push(...errs);
      success = determineSuccess(i, success, ok);
      if (!success && ctx.failFast) break;
    }
    if (ctx.selected.length === 0 && !ctx.negative) {
      success = false;
      errors.push(...this.failInfo('No failed document', -1, false));
    }
    return [success, errors];
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}

class EqualRawValidator implements Validator {
  readonly value: string;
  constructor(p: Params) { this.value = p.str('value'); }

  private failInfo(actual: string, not: boolean): string[] {
    const expected = marshal(this.value);
    if (not) return splitInfof(setFailFormat(not, false, false, false, ' to equal'), -1, -1, expected);
    const act = marshal(actual);
    return splitInfof(setFailFormat(not, false, true, true, ' to equal'), -1, -1, expected, act, unifiedDiff(expected, act));
  }

  validate(ctx: ValidateContext): [boolean, string[]] {
    let success = false;
    const errors: string[] = [];
    for (let i = 0; i < ctx.selected.length; i++) {
      const doc = ctx.selected[i];
      const actual = uniformContent(isYamlMap(doc) ? doc[RAW] : undefined);
      if ((this.value === actual) === ctx.negative) {
        success = false;
        errors.push(...this.failInfo(actual, ctx.negative));
        if (ctx.failFast) break;
        continue;
      }
      success = determineSuccess(i, success, true);
    }
    if (ctx.selected.length === 0 && !ctx.negative) errors.push(...this.failInfo('no manifest found', false));
    else if (ctx.selected.length === 0 && ctx.negative) success = true;
    return [success, errors];
  }
}

class MatchRegexRawValidator implements Validator {
  readonly pattern: string;
  constructor(p: Params) { this.pattern = p.str('pattern'); }

  private failInfo(actual: string, not: boolean): string[] {
    return splitInfof(setFailFormat(not, false, true, false, ' to match'), -1, -1, this.pattern, actual);
  }

  validate(ctx: ValidateContext): [boolean, string[]] {
    if (this.pattern === '') return [false, splitInfof(ERROR_FORMAT, -1, -1, "expected field 'pattern' to be filled")];
    let re: RegExp;
    try { re = goRegExp(this.pattern); } catch (e) { return [false, splitInfof(ERROR_FORMAT, -1, -1, (e as Error).message)]; }
    let success = false;
    const errors: string[] = [];
    for (let i = 0; i < ctx.selected.length; i++) {
      const doc = ctx.selected[i];
      const actual = uniformContent(isYamlMap(doc) ? doc[RAW] : undefined);
      if (re.test(actual) === ctx.negative) {
        success = false;
        errors.push(...this.failInfo(actual, ctx.negative));
        if (ctx.failFast) break;
        continue;
      }
      success = determineSuccess(i, success, true);
    }
    if (ctx.selected.length === 0 && !ctx.negative) errors.push(...this.failInfo('no manifest found', false));
    else if (ctx.selected.length === 0 && ctx.negative) success = true;
    return [success, errors];
  }
}

/** What an assert type runs: its validator, whether it is the negation, whether it needs a successful render. */
interface AssertTypeDef {
  readonly make: (p: Params) => Validator;
  readonly antonym: boolean;
  readonly requireRenderSuccess: boolean;
}

const def = (make: (p: Params) => Validator, antonym = false, requireRenderSuccess = true): AssertTypeDef => ({ make, antonym, requireRenderSuccess });
const equal = (p: Params) => new EqualValidator(p);
const exists = (p: Params) => new ExistsValidator(p);
const matchRegex = (p: Params) => new MatchRegexValidator(p);
const matchRegexRaw = (p: Params) => new MatchRegexRawValidator(p);
const contains = (p: Params) => new ContainsValidator(p);
const isSubset = (p: Params) => new IsSubsetValidator(p);
const nullOrEmpty = (p: Params) => new IsNullOrEmptyValidator(p);
const failed = (p: Params) => new FailedTemplateValidator(p);
const lengthEqual = (p: Params) => new LengthEqualValidator(p);
const isType = (p: Params) => new IsTypeValidator(p);
const equalRaw = (p: Params) => new EqualRawValidator(p);

/** Every assert type helm-unittest knows (assertion.go assertTypeMapping), with the same pairing. */
export const ASSERT_TYPES: Readonly<Record<string, AssertTypeDef>> = {
  matchSnapshot: def((p) => new MatchSnapshotValidator(p)),
  equal: def(equal),
  notEqual: def(equal, true),
  equalRaw: def(equalRaw),
  notEqualRaw: def(equalRaw, true),
  exists: def(exists),
  notExists: def(exists, true),
  matchRegex: def(matchRegex),
  notMatchRegex: def(matchRegex, true),
  matchRegexRaw: def(matchRegexRaw),
  notMatchRegexRaw: def(matchRegexRaw, true),
  contains: def(contains),
  notContains: def(contains, true),
  isKind: def((p) => new FieldIsValidator('kind', p.str('of'), ' to be kind')),
  isAPIVersion: def((p) => new FieldIsValidator('apiVersion', p.str('of'), ' to be apiVersion')),
  hasDocuments: def((p) => new HasDocumentsValidator(p)),
  isSubset: def(isSubset),
  isNotSubset: def(isSubset, true),
  isNullOrEmpty: def(nullOrEmpty),
  isNotNullOrEmpty: def(nullOrEmpty, true),
  failedTemplate: def(failed, false, false),
  notFailedTemplate: def(failed, true),
  containsDocument: def((p) => new ContainsDocumentValidator(p)),
  lengthEqual: def(lengthEqual),
  notLengthEqual: def(lengthEqual, true),
  isNull: def(exists, true),
  isNotNull: def(exists),
  isEmpty: def(nullOrEmpty),
  isNotEmpty: def(nullOrEmpty, true),
  isType: def(isType),
  isNotType: def(isType, true),
};

/** An assert's validator built from the suite's parameters (mapstructure-style decoding). */
export function makeValidator(type: string, params: YamlValue): Validator {
  const d = ASSERT_TYPES[type];
  if (!d) throw new Error(`Assertion type \`${type}\` is invalid`);
  return d.make(new Params(params));
}
