// How a chart's templates use `.Values`: which key paths they read, which they pass on whole
// (to toYaml, tpl, include, ...: everything below such a path is free-form), and which subtrees
// they merge into `.Values` itself (Istio's defaults wrapper and legacy `pilot.` prefix). This is
// a textual scan of the Go template actions, not an evaluation; lib/chart-values.ts uses it to
// tell a key the chart reads from one it never reads.
//
// What the scan understands, per action `{{ ... }}` of every template file (and of every string in
// values.yaml that holds `{{`, since charts run those through `tpl` with the root context):
// - `.Values.a.b`, `$.Values.a.b`, `$root.Values.a.b`, `(.Values.a).b`;
// - `index .Values "a" "b"` and `dig "a" "b" <default> .Values.x` with literal keys;
// - variables bound to a values path (`$x := .Values.a`, then `$x.b`), file-wide, ignoring scope;
// - `with <path>` blocks: inside, `.b` is `<path>.b` and `.` is `<path>` (`else` returns to the
//   outer dot); `range <path>` marks `<path>` free-form (its keys or items are arbitrary);
// - a path is "passed whole" when it appears in an action that calls one of PASS_THROUGH
//   (toYaml, tpl, include, deepCopy, merge, dict, ...). Imprecise on purpose: a path used in a
//   condition inside such an action is marked too, which can only hide a problem, never invent
//   one. The root and `global` are never marked (whole-context calls such as `include "x" .`
//   and Bitnami's `dict "global" .Values.global` would switch every check off).
// - `merge`/`mergeOverwrite`/`mustMerge*` whose arguments are `.Values` and `.Values.k` (directly,
//   through `index .Values "k"` or a variable) make `k` a merge into the top level.
// Not understood: paths built at run time (`index .Values $name`, `printf` keys), values reached
// through helpers that receive a dict built elsewhere, `$` rebound in `define` blocks to something
// other than the root context. Those paths are simply not "read"; the defaults still make them known.
import type { Chart } from '../helm/chart/chart.js';

export interface TemplateUse {
  /** Key paths the templates read (each with the first file that reads it). */
  readonly reads: readonly { readonly path: readonly string[]; readonly file: string }[];
  /** Paths passed whole somewhere: every key below them is accepted. */
  readonly whole: readonly { readonly path: readonly string[]; readonly file: string; readonly how: string }[];
  /** Top-level keys whose subtree the templates merge into `.Values` itself. */
  readonly mergedIntoRoot: readonly { readonly key: string; readonly file: string }[];
}

/** Functions that hand a value on as a whole: below a path given to them, any key may be read. */
const PASS_THROUGH = [
  'toYaml', 'toYamlPretty', 'toJson', 'toPrettyJson', 'toRawJson', 'mustToJson', 'mustToPrettyJson', 'mustToRawJson',
  'tpl', 'include', 'template', 'deepCopy', 'mustDeepCopy', 'merge', 'mergeOverwrite', 'mustMerge', 'mustMergeOverwrite',
  'dict', 'set', 'keys', 'values', 'pick', 'omit', 'list', 'append', 'concat', 'fromYaml',
];
const PASS_THROUGH_RE = new RegExp(`(?:^|[\\s(|])(${PASS_THROUGH.join('|')})(?=[\\s)]|$)`);
const MERGE_RE = /\b(?:mustMergeOverwrite|mergeOverwrite|mustMerge|merge)\s+((?:\s*(?:\(\s*index\s+\$?\.Values\s+"[^"]*"\s*\)|\$?[\w.]+))+)/g;

/** Built-in objects of the root context: `.Release.Name` inside `with` is not a values path. */
const BUILTINS = new Set(['Values', 'Release', 'Chart', 'Capabilities', 'Files', 'Template', 'Subcharts']);

const QUOTED = /"((?:[^"\\]|\\.)*)"/g;

function quotedKeys(text: string): string[] {
  return [...text.matchAll(QUOTED)].map((m) => m[1]!.replace(/\\(.)/g, '$1'));
}

interface Frame {
  readonly keyword: string;
  dot: readonly string[] | null;
  readonly outer: readonly string[] | null;
}

class FileScan {
  private readonly stack: Frame[] = [];
  private readonly vars = new Map<string, readonly string[] | null>();

  constructor(
    private readonly file: string,
    private readonly out: { reads: TemplateUse['reads'][number][]; whole: TemplateUse['whole'][number][]; merged: TemplateUse['mergedIntoRoot'][number][] },
    rootDot: readonly string[] | null,
  ) {
    this.stack.push({ keyword: 'file', dot: rootDot, outer: rootDot });
  }

  private get dot(): readonly string[] | null {
    return this.stack[this.stack.length - 1]!.dot;
  }

  private read(path: readonly string[], whole: string | null): void {
    this.out.reads.push({ path, file: this.file });
    if (whole !== null && path.length > 0 && !(path.length === 1 && path[0] === 'global')) {
      this.out.whole.push({ path, file: this.file, how: whole });
    }
  }

  /** The values path an operand (the start of `text`) stands for, or null. */
  private operand(text: string): readonly string[] | null {
    const t = text.replace(/^[\s(]+/, '');
    let m = /^index\s+(\$?[\w]*\.Values(?:\.\w+)*|\$\w+(?:\.\w+)*|\.)((?:\s+"(?:[^"\\]|\\.)*")+)/.exec(t);
    if (m) {
      const base = this.operand(m[1]!);
      return base ? [...base, ...quotedKeys(m[2]!)] : null;
    }
    m = /^\$?\w*\.Values((?:\.\w+)*)/.exec(t);
    if (m) return m[1]!.split('.').filter(Boolean);
    m = /^\$(\w+)((?:\.\w+)*)/.exec(t);
    if (m) {
      const v = this.vars.get(m[1]!);
      return v ? [...v, ...m[2]!.split('.').filter(Boolean)] : null;
    }
    m = /^\.([A-Za-z_]\w*(?:\.\w+)*)/.exec(t);
    if (m) {
      const parts = m[1]!.split('.');
      if (BUILTINS.has(parts[0]!) || this.dot === null) return null;
      return [...this.dot, ...parts];
    }
    if (/^\.(?![\w.])/.test(t)) return this.dot;
    return null;
  }

  action(raw: string): void {
    let text = raw.replace(/\/\*[\s\S]*?\*\//g, '').trim();
    if (text === '') return;
    const keyword = /^(\w+)/.exec(text)?.[1] ?? '';
    const whole = PASS_THROUGH_RE.exec(text)?.[1] ?? null;

    // Merges into .Values before anything is rewritten.
    for (const m of text.matchAll(MERGE_RE)) {
      const args = m[1]!.match(/\(\s*index\s+\$?\.Values\s+"[^"]*"\s*\)|\$?[\w.]+/g) ?? [];
      const paths = args.map((a) => this.operand(a));
      if (paths.some((p) => p !== null && p.length === 0)) {
        for (const p of paths) if (p && p.length === 1) this.out.merged.push({ key: p[0]!, file: this.file });
      }
    }

    // Assignments: `$x := <operand>` (also inside with/range headers).
    for (const m of text.matchAll(/\$(\w+)\s*:?=\s*([^|]*)/g)) {
      if (/^\$\w+\s*,/.test(m[0])) continue;
      this.vars.set(m[1]!, this.operand(m[2]!));
    }

    // Block structure.
    if (keyword === 'end') {
      if (this.stack.length > 1) this.stack.pop();
      return;
    }
    if (keyword === 'else') {
      const top = this.stack[this.stack.length - 1]!;
      const rest = text.slice(4).trim();
      if (/^with\b/.test(rest)) top.dot = this.operand(rest.slice(4).replace(/^\s*\$\w+\s*:=/, ''));
      else top.dot = top.outer;
      text = rest;
    }

    // index/dig with literal keys: read exactly that path (and blank them out).
    text = text.replace(
      /\bindex\s+(\$?\w*\.Values(?:\.\w+)*|\$\w+(?:\.\w+)*|\.)((?:\s+"(?:[^"\\]|\\.)*")+)/g,
      (all) => {
        const p = this.operand(all);
        if (p) this.read(p, whole);
        return ' ';
      },
    );
    text = text.replace(
      /\bdig((?:\s+"(?:[^"\\]|\\.)*")+?)\s+("(?:[^"\\]|\\.)*"|\(\s*\w+\s*\)|[^\s"()]+)\s+(\$?\w*\.Values(?:\.\w+)*|\$\w+(?:\.\w+)*|\.)(?![\w.])/g,
      (_all, keys: string, _def: string, base: string) => {
        const p = this.operand(base);
        if (p) this.read([...p, ...quotedKeys(keys)], null);
        return ' ';
      },
    );
    // (.Values.a).b
    text = text.replace(/\(\s*\$?\w*\.Values((?:\.\w+)*)\s*\)((?:\.\w+)+)/g, (_all, a: string, b: string) => {
      this.read(`${a}${b}`.split('.').filter(Boolean), whole);
      return ' ';
    });
    // .Values.a.b, $.Values.a.b, $root.Values.a.b
    text = text.replace(/\$?\w*\.Values((?:\.\w+)*)/g, (_all, a: string) => {
      this.read(a.split('.').filter(Boolean), whole);
      return ' ';
    });
    // $x.b where $x holds a values path
    text = text.replace(/\$(\w+)((?:\.\w+)*)/g, (all, name: string, rest: string) => {
      const v = this.vars.get(name);
      if (!v) return all;
      this.read([...v, ...rest.split('.').filter(Boolean)], whole);
      return ' ';
    });
    // Relative to the dot: .b.c, and the bare dot.
    if (this.dot !== null) {
      const dot = this.dot;
      text = text.replace(/(^|[^\w$)\]"'.])\.([A-Za-z_]\w*(?:\.\w+)*)/g, (all, pre: string, p: string) => {
        const parts = p.split('.');
        if (BUILTINS.has(parts[0]!)) return all;
        this.read([...dot, ...parts], whole);
        return `${pre} `;
      });
      if (whole !== null && /(^|[^\w$)\]"'.])\.(?![\w.])/.test(text)) this.read(dot, whole);
    }

    if (keyword === 'with' || keyword === 'range' || keyword === 'if' || keyword === 'define' || keyword === 'block') {
      const outer = this.dot;
      let dot: readonly string[] | null = outer;
      const header = raw.replace(/\/\*[\s\S]*?\*\//g, '').trim().slice(keyword.length).replace(/^\s*\$\w+\s*(,\s*\$\w+\s*)?:=/, '');
      if (keyword === 'with') dot = this.operand(header);
      else if (keyword === 'range') {
        const p = this.operand(header);
        if (p && p.length > 0 && !(p.length === 1 && p[0] === 'global')) this.out.whole.push({ path: p, file: this.file, how: 'range' });
        dot = null;
      } else if (keyword === 'define' || keyword === 'block') dot = null;
      this.stack.push({ keyword, dot, outer });
    }
  }
}

const ACTION = /\{\{-?([\s\S]*?)-?\}\}/g;

function scanText(text: string, file: string, out: ConstructorParameters<typeof FileScan>[1], rootDot: readonly string[] | null): void {
  const scan = new FileScan(file, out, rootDot);
  for (const m of text.matchAll(ACTION)) scan.action(m[1]!);
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
  const out = { reads: [], whole: [], merged: [] } as ConstructorParameters<typeof FileScan>[1];
  const decoder = new TextDecoder();
  for (const t of chart.templates) scanText(decoder.decode(t.data), t.name, out, []);
  const strings: { path: string; text: string }[] = [];
  templateStrings(chart.values ?? {}, [], strings);
  for (const s of strings) scanText(s.text, `values.yaml ${s.path}`, out, []);
  const use: TemplateUse = { reads: out.reads, whole: out.whole, mergedIntoRoot: out.merged };
  cache.set(chart, use);
  return use;
}
