// How a chart's templates use `.Values`: which key paths they read, which they hand on whole (to
// toYaml, tpl, range: everything below such a path is free-form), and which subtrees they merge
// into `.Values` itself (Istio's defaults wrapper and legacy `pilot.` prefix). chart-renders/values.ts
// uses it to tell a key the chart reads from one it never reads.
//
// This is an abstract reading of the Go template actions, not a render: every action of every
// template file (and of every string in values.yaml that holds `{{`, which charts run through
// `tpl` with the root context) is parsed into pipelines, and each expression is given the values
// paths it may stand for ("bindings": `.Values.a` → a; `(dict "component" .Values.server)` →
// component → server). What it follows:
// - fields `.Values.a.b`, `$.Values.a`, `(.Values.global).hub`, variables (`$x := .Values.a`,
//   then `$x.b`; a variable keeps every path it was ever given);
// - `index X "a" "b"`, `dig "a" "b" <default> X`, `get X "a"`, `hasKey X "a"` with literal keys;
// - `with X` blocks (inside, `.b` is X.b; `else` returns to the outer dot); `range X` marks X
//   free-form, its keys or items being arbitrary;
// - `include`/`template "name" X`: the named template's body is read with its dot bound to X
//   (also through `dict`), so `include "vault.extraEnvironmentVars" .Values.server` reads
//   `server.extraEnvironmentVars`, not "all of server";
// - functions that return (part of) their argument (deepCopy, default, omit, pick, merge, ...)
//   keep its bindings; `merge*` of `.Values` with `.Values.k` (directly, through `index` or a
//   variable) records `k` as merged into the top level;
// - toYaml/toJson/tpl/keys/values of an expression hand it on whole.
// Every `define` body is also read once with the root context as its dot (`include "x" .`).
// Not followed: keys computed at run time (`index .Values $name`, `printf`), the result of a
// named template used as data (`include ... | fromYaml`), `$` rebound by `define` calls with a
// non-root context. A path reached only that way is not "read"; the defaults may still make it known.
import type { Chart } from '../helm/chart/chart.js';

export interface TemplateUse {
  /** Key paths the templates read (each with the first file that reads it). */
  readonly reads: readonly { readonly path: readonly string[]; readonly file: string }[];
  /** Paths handed on whole somewhere: every key below them is accepted. */
  readonly whole: readonly { readonly path: readonly string[]; readonly file: string; readonly how: string }[];
  /** Top-level keys whose subtree the templates merge into `.Values` itself. */
  readonly mergedIntoRoot: readonly { readonly key: string; readonly file: string }[];
}

/** A values path an expression may stand for, below `prefix` of the expression's own keys. */
interface Binding {
  readonly prefix: readonly string[];
  readonly path: readonly string[];
}
type Dot = readonly Binding[];

/** The root context: `.Values` is the values root. */
const ROOT_CTX: Dot = [{ prefix: ['Values'], path: [] }];

const SERIALIZERS = new Set([
  'toYaml', 'toYamlPretty', 'toJson', 'toPrettyJson', 'toRawJson', 'mustToJson', 'mustToPrettyJson', 'mustToRawJson',
  'tpl', 'keys', 'values', 'toToml',
]);
/** Functions whose result is (part of) an argument: the bindings carry through. */
const TRANSPARENT = new Set([
  'deepCopy', 'mustDeepCopy', 'default', 'omit', 'merge', 'mergeOverwrite', 'mustMerge', 'mustMergeOverwrite',
  'coalesce', 'ternary', 'required', 'set', 'unset', 'fromJson', 'empty',
]);
const MERGES = new Set(['merge', 'mergeOverwrite', 'mustMerge', 'mustMergeOverwrite']);

interface Token {
  readonly kind: '(' | ')' | '|' | 'string' | 'field' | 'var' | 'word' | 'assign' | ',' | 'chain';
  readonly text: string;
}

const TOKEN = /\s*(?:(\()|(\))|(\|)|("(?:[^"\\]|\\.)*"|`[^`]*`)|('(?:[^'\\]|\\.)*')|(\.[\w.]*)|(\$\w*(?:\.\w+)*)|(:=|=)|(,)|([^\s()|,"'`$.]+(?:\.[\w.]+)?))/y;

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  TOKEN.lastIndex = 0;
  let prevEnd = -1;
  while (TOKEN.lastIndex < text.length) {
    const start = TOKEN.lastIndex;
    const m = TOKEN.exec(text);
    if (!m) break;
    const adjacent = start === prevEnd && !/^\s/.test(m[0]);
    prevEnd = TOKEN.lastIndex;
    if (m[1]) out.push({ kind: '(', text: '(' });
    else if (m[2]) out.push({ kind: ')', text: ')' });
    else if (m[3]) out.push({ kind: '|', text: '|' });
    else if (m[4]) out.push({ kind: 'string', text: m[4].startsWith('`') ? m[4].slice(1, -1) : m[4].slice(1, -1).replace(/\\(.)/g, '$1') });
    else if (m[5]) out.push({ kind: 'word', text: m[5] });
    else if (m[6]) out.push({ kind: adjacent && out[out.length - 1]?.kind === ')' ? 'chain' : 'field', text: m[6] });
    else if (m[7]) out.push({ kind: 'var', text: m[7] });
    else if (m[8]) out.push({ kind: 'assign', text: m[8] });
    else if (m[9]) out.push({ kind: ',', text: ',' });
    else if (m[10]) out.push({ kind: 'word', text: m[10] });
    if (TOKEN.lastIndex === start) break;
  }
  return out;
}

interface Value {
  readonly dot: Dot;
  /** A string literal's text. */
  readonly str?: string;
  /** A bare function name (a command's first word). */
  readonly word?: string;
}
const NOTHING: Value = { dot: [] };

function segments(field: string): string[] {
  return field.split('.').filter(Boolean);
}

/** The bindings of `dot` below the keys `keys`. */
function descend(dot: Dot, keys: readonly string[]): Dot {
  const out: Binding[] = [];
  for (const b of dot) {
    const n = Math.min(b.prefix.length, keys.length);
    if (!keys.slice(0, n).every((k, i) => k === b.prefix[i])) continue;
    if (keys.length >= b.prefix.length) out.push({ prefix: [], path: [...b.path, ...keys.slice(b.prefix.length)] });
    else out.push({ prefix: b.prefix.slice(keys.length), path: b.path });
  }
  return out;
}

function union(...dots: Dot[]): Dot {
  const seen = new Set<string>();
  const out: Binding[] = [];
  for (const d of dots) {
    for (const b of d) {
      const k = JSON.stringify(b);
      if (!seen.has(k)) {
        seen.add(k);
        out.push(b);
      }
    }
  }
  return out;
}

interface Collected {
  readonly reads: Map<string, { path: readonly string[]; file: string }>;
  readonly whole: Map<string, { path: readonly string[]; file: string; how: string }>;
  readonly merged: Map<string, { key: string; file: string }>;
}

interface Frame {
  readonly keyword: string;
  dot: Dot;
  readonly outer: Dot;
}

const ACTION = /\{\{-?([\s\S]*?)-?\}\}/g;

function actionsOf(text: string): string[] {
  return [...text.matchAll(ACTION)].map((m) => m[1]!.replace(/\/\*[\s\S]*?\*\//g, '').trim()).filter((a) => a !== '');
}

/** Splits the actions of a file into top-level ones and `define` bodies. */
function splitDefines(actions: readonly string[], defines: Map<string, { file: string; body: string[] }>, file: string): string[] {
  const top: string[] = [];
  let depth = 0;
  let current: { name: string; body: string[] } | null = null;
  for (const a of actions) {
    const keyword = /^(\w+)/.exec(a)?.[1] ?? '';
    if (current) {
      if (['if', 'with', 'range', 'define', 'block'].includes(keyword)) depth++;
      if (keyword === 'end') {
        if (depth === 0) {
          if (!defines.has(current.name)) defines.set(current.name, { file, body: current.body });
          current = null;
          continue;
        }
        depth--;
      }
      current.body.push(a);
      continue;
    }
    const def = /^define\s+"([^"]+)"/.exec(a);
    if (def) {
      current = { name: def[1]!, body: [] };
      depth = 0;
      continue;
    }
    top.push(a);
  }
  return top;
}

class Reader {
  private readonly followed = new Set<string>();

  constructor(
    private readonly defines: Map<string, { file: string; body: string[] }>,
    private readonly out: Collected,
  ) {}

  read(actions: readonly string[], file: string, dot: Dot, depth = 0): void {
    new Scope(this, file, dot, depth).run(actions);
  }

  follow(name: string, dot: Dot, depth: number): void {
    const def = this.defines.get(name);
    if (!def || depth > 12) return;
    const key = `${name}\0${JSON.stringify(dot)}`;
    if (this.followed.has(key)) return;
    this.followed.add(key);
    this.read(def.body, def.file, dot, depth + 1);
  }

  addRead(path: readonly string[], file: string): void {
    const k = path.join('\0');
    if (!this.out.reads.has(k)) this.out.reads.set(k, { path, file });
  }

  addWhole(dot: Dot, file: string, how: string): void {
    for (const b of dot) {
      // The root context and `global` are handed around whole by helpers; marking them would switch every check off.
      if (b.path.length === 0 || (b.path.length === 1 && b.path[0] === 'global')) continue;
      const k = b.path.join('\0');
      if (!this.out.whole.has(k)) this.out.whole.set(k, { path: b.path, file, how });
    }
  }

  addMerged(key: string, file: string): void {
    if (!this.out.merged.has(key)) this.out.merged.set(key, { key, file });
  }
}

class Scope {
  private readonly stack: Frame[];
  private readonly vars = new Map<string, Dot>();

  constructor(
    private readonly reader: Reader,
    private readonly file: string,
    private readonly top: Dot,
    private readonly depth: number,
  ) {
    this.stack = [{ keyword: 'file', dot: top, outer: top }];
  }

  private get dot(): Dot {
    return this.stack[this.stack.length - 1]!.dot;
  }

  private bind(name: string, value: Dot): void {
    this.vars.set(name, union(this.vars.get(name) ?? [], value));
  }

  private resolved(dot: Dot): Dot {
    for (const b of dot) if (b.prefix.length === 0) this.reader.addRead(b.path, this.file);
    return dot;
  }

  private field(base: Dot, field: string): Dot {
    return this.resolved(descend(base, segments(field)));
  }

  private variable(text: string): Dot {
    const [name, ...rest] = text.slice(1).split('.');
    const base = name === '' ? this.top : (this.vars.get(name!) ?? []);
    return rest.length ? this.resolved(descend(base, rest)) : base;
  }

  /** Parses a pipeline from tokens[i] to a `)` or the end; returns its value and the next index. */
  private pipeline(tokens: readonly Token[], i: number): [Value, number] {
    let piped: Value | null = null;
    while (i < tokens.length && tokens[i]!.kind !== ')') {
      const args: Value[] = [];
      while (i < tokens.length && tokens[i]!.kind !== ')' && tokens[i]!.kind !== '|') {
        const [v, next] = this.term(tokens, i);
        args.push(v);
        i = next;
      }
      if (piped) args.push(piped);
      piped = this.command(args);
      if (tokens[i]?.kind === '|') i++;
    }
    return [piped ?? NOTHING, i];
  }

  private term(tokens: readonly Token[], i: number): [Value, number] {
    const t = tokens[i]!;
    switch (t.kind) {
      case '(': {
        let [v, next] = this.pipeline(tokens, i + 1);
        next++; // the ')'
        while (tokens[next]?.kind === 'chain') {
          v = { dot: this.field(v.dot, tokens[next]!.text) };
          next++;
        }
        return [v, next];
      }
      case 'string':
        return [{ dot: [], str: t.text }, i + 1];
      case 'field':
        return [{ dot: t.text === '.' ? this.dot : this.field(this.dot, t.text) }, i + 1];
      case 'var':
        return [{ dot: this.variable(t.text) }, i + 1];
      case 'word':
        return [{ dot: [], word: t.text }, i + 1];
      default:
        return [NOTHING, i + 1];
    }
  }

  private command(args: Value[]): Value {
    const [head, ...rest] = args;
    if (!head) return NOTHING;
    if (head.word === undefined) return head;
    const name = head.word;
    const strings = (vs: Value[]) => (vs.every((v) => v.str !== undefined) ? vs.map((v) => v.str!) : null);
    if (name === 'dict') {
      const out: Binding[] = [];
      for (let k = 0; k + 1 < rest.length; k += 2) {
        const key = rest[k]!.str;
        if (key === undefined) continue;
        for (const b of rest[k + 1]!.dot) out.push({ prefix: [key, ...b.prefix], path: b.path });
      }
      return { dot: out };
    }
    if (name === 'index' || name === 'get' || name === 'hasKey') {
      const keys = strings(rest.slice(1));
      return keys && rest[0] ? { dot: this.resolved(descend(rest[0].dot, keys)) } : NOTHING;
    }
    if (name === 'dig') {
      const base = rest[rest.length - 1];
      const keys = strings(rest.slice(0, -2));
      return base && keys ? { dot: this.resolved(descend(base.dot, keys)) } : NOTHING;
    }
    if (name === 'include' || name === 'template') {
      if (rest[0]?.str !== undefined) this.reader.follow(rest[0].str, rest[1]?.dot ?? [], this.depth);
      return NOTHING;
    }
    if (SERIALIZERS.has(name)) {
      for (const a of name === 'tpl' ? rest.slice(0, 1) : rest) this.reader.addWhole(a.dot, this.file, name);
      return NOTHING;
    }
    if (MERGES.has(name)) {
      const top = rest.some((a) => a.dot.some((b) => b.prefix.length === 0 && b.path.length === 0));
      if (top) {
        for (const a of rest) for (const b of a.dot) if (b.prefix.length === 0 && b.path.length === 1) this.reader.addMerged(b.path[0]!, this.file);
      }
    }
    if (name === 'pick') {
      // Only the named keys of the first argument.
      const keys = rest.slice(1).map((v) => v.str).filter((k): k is string => k !== undefined);
      const base = rest[0]?.dot ?? [];
      return { dot: keys.flatMap((k) => descend(base, [k]).map((b) => ({ prefix: [k, ...b.prefix], path: b.path }))) };
    }
    if (TRANSPARENT.has(name)) return { dot: union(...rest.map((a) => a.dot)) };
    return NOTHING;
  }

  private evaluate(text: string): Dot {
    return this.pipeline(tokenize(text), 0)[0].dot;
  }

  /** `$a := X`, `$a, $b := X`, or X; binds the variables and returns X's value. */
  private statement(text: string): { vars: string[]; value: Dot } {
    const m = /^((?:\$\w*\s*,\s*)?\$\w*)\s*:?=\s*([\s\S]*)$/.exec(text);
    if (!m) return { vars: [], value: this.evaluate(text) };
    const vars = m[1]!.split(',').map((v) => v.trim().slice(1));
    const value = this.evaluate(m[2]!);
    return { vars, value };
  }

  run(actions: readonly string[]): void {
    for (const a of actions) {
      const keyword = /^(\w+)\b/.exec(a)?.[1] ?? '';
      const rest = a.slice(keyword.length).trim();
      switch (keyword) {
        case 'end':
          if (this.stack.length > 1) this.stack.pop();
          break;
        case 'if':
          this.evaluate(rest);
          this.stack.push({ keyword, dot: this.dot, outer: this.dot });
          break;
        case 'with': {
          const outer = this.dot;
          const s = this.statement(rest);
          for (const v of s.vars) this.bind(v, s.value);
          this.stack.push({ keyword, dot: s.value, outer });
          break;
        }
        case 'range': {
          const outer = this.dot;
          const s = this.statement(rest);
          this.reader.addWhole(s.value, this.file, 'range');
          for (const v of s.vars) this.bind(v, []);
          this.stack.push({ keyword, dot: [], outer });
          break;
        }
        case 'block': {
          const m = /^"([^"]+)"\s*([\s\S]*)$/.exec(rest);
          const outer = this.dot;
          if (m) this.reader.follow(m[1]!, this.evaluate(m[2]!), this.depth);
          this.stack.push({ keyword, dot: [], outer });
          break;
        }
        case 'else': {
          const frame = this.stack[this.stack.length - 1]!;
          if (/^with\b/.test(rest)) {
            const s = this.statement(rest.slice(4).trim());
            for (const v of s.vars) this.bind(v, s.value);
            frame.dot = s.value;
          } else {
            frame.dot = frame.outer;
            if (/^if\b/.test(rest)) this.evaluate(rest.slice(2));
          }
          break;
        }
        case 'break':
        case 'continue':
          break;
        default: {
          const s = this.statement(a);
          for (const v of s.vars) this.bind(v, s.value);
        }
      }
    }
  }
}

/** Strings with template actions among the defaults (rendered by the chart through `tpl`). */
function templateStrings(v: unknown, path: string[], out: { path: string; text: string }[]): void {
  if (typeof v === 'string') {
    if (v.includes('{{')) out.push({ path: path.join('.'), text: v });
  } else if (Array.isArray(v)) {
    v.forEach((x, i) => templateStrings(x, [...path, String(i)], out));
  } else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) templateStrings(x, [...path, k], out);
  }
}

const cache = new WeakMap<Chart, TemplateUse>();

/** How the templates of `chart` itself (not its subcharts) use `.Values`; cached per chart. */
export function templateUse(chart: Chart): TemplateUse {
  const cached = cache.get(chart);
  if (cached) return cached;
  const out: Collected = { reads: new Map(), whole: new Map(), merged: new Map() };
  const defines = new Map<string, { file: string; body: string[] }>();
  const decoder = new TextDecoder();
  const files: { file: string; actions: string[] }[] = [];
  // Helm sorts templates; a name defined twice keeps the last definition it parses. Only the
  // reads matter here, and both definitions are read with the root context below.
  for (const t of chart.templates) files.push({ file: t.name, actions: splitDefines(actionsOf(decoder.decode(t.data)), defines, t.name) });
  const strings: { path: string; text: string }[] = [];
  templateStrings(chart.values ?? {}, [], strings);
  for (const s of strings) files.push({ file: `values.yaml ${s.path}`, actions: splitDefines(actionsOf(s.text), defines, `values.yaml ${s.path}`) });

  const reader = new Reader(defines, out);
  for (const f of files) reader.read(f.actions, f.file, ROOT_CTX);
  for (const name of defines.keys()) reader.follow(name, ROOT_CTX, 0);
  const use: TemplateUse = { reads: [...out.reads.values()], whole: [...out.whole.values()], mergedIntoRoot: [...out.merged.values()] };
  cache.set(chart, use);
  return use;
}
