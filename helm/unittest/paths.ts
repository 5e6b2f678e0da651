// helm-unittest's value paths: vmware-labs/yaml-jsonpath over a rendered document
// (`spec.containers[0].image`, `metadata.labels["app.kubernetes.io/name"]`, `webhooks[*].name`,
// `spec.ports[?(@.name == "http")].port`, `$..image`). A path finds zero or more values; an
// unknown key or an index out of range finds none (it is not an error). A mapping's children are
// visited in yaml.v3's key order, because upstream walks the document after re-encoding it.
//
// `set` keys of a suite are a different grammar (Helm --set style); `buildSetValue` reads them.
import { compareKeysV3, isYamlMap, type YamlValue } from './yamlv3.js';

export class PathError extends Error {}

type Step =
  | { kind: 'child'; names: string[] }
  | { kind: 'all' }
  | { kind: 'subscript'; text: string }
  | { kind: 'recurse' }
  | { kind: 'filter'; expr: FilterExpr };

type Operand = { kind: 'path'; root: '@' | '$'; steps: Step[] } | { kind: 'literal'; value: string | number | boolean | null } | { kind: 'regex'; re: RegExp };
type FilterExpr =
  | { kind: 'or' | 'and'; left: FilterExpr; right: FilterExpr }
  | { kind: 'not'; expr: FilterExpr }
  | { kind: 'exists'; operand: Operand }
  | { kind: 'compare'; op: string; left: Operand; right: Operand };

const NAME_END = new Set(['.', '[', ']', ')', ' ', '&', '|', '=', '!', '>', '<', '~']);

function unescape(raw: string): string {
  let out = '';
  let escaped = false;
  for (const ch of raw) {
    if (ch === '\\') {
      if (escaped) out += ch;
      escaped = !escaped;
      continue;
    }
    escaped = false;
    out += ch;
  }
  return out;
}

class PathParser {
  pos = 0;
  constructor(readonly src: string) {}

  peek(s: string): boolean { return this.src.startsWith(s, this.pos); }
  eof(): boolean { return this.pos >= this.src.length; }
  skipSpace(): void { while (this.src[this.pos] === ' ') this.pos++; }
  fail(msg: string): never { throw new PathError(`${msg} at position ${this.pos}, following "${this.src.slice(0, this.pos)}"`); }

  name(): string {
    const start = this.pos;
    while (!this.eof() && !NAME_END.has(this.src[this.pos])) this.pos++;
    if (this.pos === start) this.fail('child name missing');
    return this.src.slice(start, this.pos);
  }

  quoted(): string {
    const q = this.src[this.pos++];
    let out = '';
    for (;;) {
      if (this.eof()) this.fail(`unmatched ${q}`);
      const ch = this.src[this.pos];
      if (ch === '\\' && (this.src[this.pos + 1] === q || this.src[this.pos + 1] === '\\')) {
        out += this.src[this.pos + 1];
        this.pos += 2;
        continue;
      }
      if (ch === q) { this.pos++; return out; }
      out += ch;
      this.pos++;
    }
  }

  /** Steps until the end of input, or (inside a filter) until an operator or `)`. */
  steps(inFilter: boolean): Step[] {
    const steps: Step[] = [];
    let first = !inFilter;
    for (;;) {
      if (this.eof()) return steps;
      if (inFilter && /[ )&|=!<>]/.test(this.src[this.pos])) return steps;
      if (this.peek('..')) {
        this.pos += 2;
        steps.push({ kind: 'recurse' });
        if (this.peek('[')) continue;
        if (this.peek('*')) { this.pos++; steps.push({ kind: 'all' }); continue; }
        steps.push({ kind: 'child', names: [unescape(this.name())] });
      } else if (this.peek('.')) {
        this.pos++;
        const n = this.name();
        steps.push(n === '*' ? { kind: 'all' } : { kind: 'child', names: [unescape(n)] });
      } else if (this.peek('[?(')) {
        this.pos += 3;
        const expr = this.orExpr();
        this.skipSpace();
        if (!this.peek(')]')) this.fail('missing end of filter');
        this.pos += 2;
        steps.push({ kind: 'filter', expr });
      } else if (/^\[\s*['"]/.test(this.src.slice(this.pos))) {
        this.pos++;
        const names: string[] = [];
        for (;;) {
          this.skipSpace();
          names.push(this.quoted());
          this.skipSpace();
          if (this.peek(',')) { this.pos++; continue; }
          if (this.peek(']')) { this.pos++; break; }
          this.fail('missing "]" or ","');
        }
        steps.push({ kind: 'child', names });
      } else if (this.peek('[')) {
        const end = this.src.indexOf(']', this.pos);
        if (end < 0) this.fail('unmatched [');
        const text = this.src.slice(this.pos + 1, end).trim();
        if (text === '') this.fail('subscript missing from []');
        if (text !== '*' && !/^(-?\d+)?(:(-?\d+)?(:(-?\d+)?)?)?$/.test(text) && !/^-?\d+(\s*,\s*-?\d+)*$/.test(text)) {
          throw new PathError(`invalid array index [${text}] before position ${end + 1}: non-integer array index`);
        }
        this.pos = end + 1;
        steps.push({ kind: 'subscript', text });
      } else if (first) {
        const n = this.name();
        steps.push(n === '*' ? { kind: 'all' } : { kind: 'child', names: [unescape(n)] });
      } else {
        this.fail('invalid path syntax');
      }
      first = false;
    }
  }

  orExpr(): FilterExpr {
    let left = this.andExpr();
    for (;;) {
      this.skipSpace();
      if (!this.peek('||')) return left;
      this.pos += 2;
      left = { kind: 'or', left, right: this.andExpr() };
    }
  }

  andExpr(): FilterExpr {
    let left = this.unary();
    for (;;) {
      this.skipSpace();
      if (!this.peek('&&')) return left;
      this.pos += 2;
      left = { kind: 'and', left, right: this.unary() };
    }
  }

  unary(): FilterExpr {
    this.skipSpace();
    if (this.peek('!') && !this.peek('!=')) {
      this.pos++;
      return { kind: 'not', expr: this.unary() };
    }
    if (this.peek('(')) {
      this.pos++;
      const e = this.orExpr();
      this.skipSpace();
      if (!this.peek(')')) this.fail('missing )');
      this.pos++;
      return e;
    }
    const left = this.operand();
    this.skipSpace();
    const op = ['==', '!=', '>=', '<=', '=~', '>', '<'].find((o) => this.peek(o));
    if (!op) {
      if (left.kind !== 'path') this.fail('literal without comparison');
      return { kind: 'exists', operand: left };
    }
    this.pos += op.length;
    this.skipSpace();
    return { kind: 'compare', op, left, right: this.operand() };
  }

  operand(): Operand {
    this.skipSpace();
    const ch = this.src[this.pos];
    if (ch === '@' || ch === '$') {
      this.pos++;
      return { kind: 'path', root: ch, steps: this.steps(true) };
    }
    if (ch === "'" || ch === '"') return { kind: 'literal', value: this.quoted() };
    if (ch === '/') {
      let i = this.pos + 1;
      let body = '';
      while (i < this.src.length && this.src[i] !== '/') {
        if (this.src[i] === '\\' && this.src[i + 1] === '/') { body += '/'; i += 2; continue; }
        body += this.src[i++];
      }
      if (i >= this.src.length) this.fail('unmatched /');
      this.pos = i + 1;
      return { kind: 'regex', re: new RegExp(body, 'u') };
    }
    const m = /^(-?\d+(\.\d+)?([eE][-+]?\d+)?|true|false|null)/.exec(this.src.slice(this.pos));
    if (!m) this.fail('invalid filter operand');
    this.pos += m[0].length;
    const lit = m[0] === 'true' ? true : m[0] === 'false' ? false : m[0] === 'null' ? null : Number(m[0]);
    return { kind: 'literal', value: lit };
  }
}

const cache = new Map<string, Step[]>();

function parsePath(path: string): Step[] {
  let steps = cache.get(path);
  if (!steps) {
    const p = new PathParser(path.trim().startsWith('$') ? path.trim().slice(1) : path.trim());
    steps = p.steps(false);
    cache.set(path, steps);
  }
  return steps;
}

function childrenInOrder(v: YamlValue): YamlValue[] {
  if (Array.isArray(v)) return v;
  if (isYamlMap(v)) return Object.keys(v).sort(compareKeysV3).map((k) => v[k]);
  return [];
}

function descendants(v: YamlValue, out: YamlValue[]): void {
  out.push(v);
  for (const c of childrenInOrder(v)) descendants(c, out);
}

function subscript(text: string, len: number): number[] {
  if (text.includes(',')) return text.split(',').map((s) => { const i = Number(s.trim()); return i < 0 ? len + i : i; });
  if (!text.includes(':')) { const i = Number(text); return [i < 0 ? len + i : i]; }
  const [a, b, c] = text.split(':');
  const step = c === undefined || c === '' ? 1 : Number(c);
  if (step === 0) return [];
  const norm = (s: string | undefined, dflt: number) => {
    if (s === undefined || s === '') return dflt;
    const n = Number(s);
    return n < 0 ? Math.max(len + n, step < 0 ? -1 : 0) : Math.min(n, len);
  };
  const out: number[] = [];
  if (step > 0) for (let i = norm(a, 0); i < norm(b, len); i += step) out.push(i);
  else for (let i = norm(a, len - 1); i > norm(b, -1); i += step) out.push(i);
  return out;
}

function apply(steps: readonly Step[], start: YamlValue, root: YamlValue): YamlValue[] {
  let current: YamlValue[] = [start];
  for (let s = 0; s < steps.length; s++) {
    const step = steps[s];
    const next: YamlValue[] = [];
    for (const node of current) {
      switch (step.kind) {
        case 'child':
          if (isYamlMap(node)) for (const n of step.names) if (Object.prototype.hasOwnProperty.call(node, n)) next.push(node[n]);
          break;
        case 'all':
          next.push(...childrenInOrder(node));
          break;
        case 'recurse':
          descendants(node, next);
          break;
        case 'subscript':
          if (step.text === '*') next.push(...childrenInOrder(node));
          else if (Array.isArray(node)) for (const i of subscript(step.text, node.length)) if (i >= 0 && i < node.length) next.push(node[i]);
          break;
        case 'filter':
          if (Array.isArray(node)) { for (const c of node) if (evalFilter(step.expr, c, root)) next.push(c); }
          else if (evalFilter(step.expr, node, root)) next.push(node);
          break;
      }
    }
    current = next;
  }
  return current;
}

function operandValues(o: Operand, at: YamlValue, root: YamlValue): YamlValue[] {
  if (o.kind === 'literal') return [o.value];
  if (o.kind === 'regex') return [];
  return apply(o.steps, o.root === '@' ? at : root, root);
}

function compareScalars(op: string, a: YamlValue, b: YamlValue): boolean {
  const num = (v: YamlValue) => (typeof v === 'bigint' ? Number(v) : typeof v === 'number' ? v : undefined);
  const an = num(a);
  const bn = num(b);
  if (an !== undefined && bn !== undefined) {
    switch (op) {
      case '==': return an === bn;
      case '!=': return an !== bn;
      case '>': return an > bn;
      case '>=': return an >= bn;
      case '<': return an < bn;
      case '<=': return an <= bn;
    }
  }
  if (typeof a === 'string' && typeof b === 'string') {
    switch (op) {
      case '==': return a === b;
      case '!=': return a !== b;
      case '>': return a > b;
      case '>=': return a >= b;
      case '<': return a < b;
      case '<=': return a <= b;
    }
  }
  if (op === '==') return a === b;
  if (op === '!=') return a !== b;
  return false;
}

function evalFilter(e: FilterExpr, at: YamlValue, root: YamlValue): boolean {
  switch (e.kind) {
    case 'or': return evalFilter(e.left, at, root) || evalFilter(e.right, at, root);
    case 'and': return evalFilter(e.left, at, root) && evalFilter(e.right, at, root);
    case 'not': return !evalFilter(e.expr, at, root);
    case 'exists': return operandValues(e.operand, at, root).length > 0;
    case 'compare': {
      if (e.op === '=~') {
        if (e.right.kind !== 'regex') return false;
        const re = e.right.re;
        return operandValues(e.left, at, root).some((v) => typeof v === 'string' && re.test(v));
      }
      const lefts = operandValues(e.left, at, root);
      const rights = operandValues(e.right, at, root);
      return lefts.some((l) => rights.some((r) => compareScalars(e.op, l, r)));
    }
  }
}

/** The values a helm-unittest path finds in a document (the document itself for ""). */
export function getValuesOfPath(doc: YamlValue, path: string): YamlValue[] {
  if (path === '') return [doc];
  return apply(parsePath(path), doc, doc);
}

/** Checks a path's syntax, throwing the parse error helm-unittest would report. */
export function validatePath(path: string): void {
  if (path !== '') parsePath(path);
}

// ---- `set` keys ----------------------------------------------------------------------------

/**
 * The value tree a suite's `set` entry stands for (valueutils.BuildValueOfSetPath): `a.b[1].c`
 * builds {a: {b: [null, {c: v}]}}; `a.[b.c]` is a key with dots.
 */
export function buildSetValue(path: string, value: unknown): Record<string, unknown> {
  if (path === '') throw new PathError('set path is empty');
  const cursors: (string | number)[] = [];
  const stop = new Set(['.', '[', ']', ',', '{', '}', '=']);
  const illegal = new Set([',', '{', '}', '=']);
  let pos = 0;
  let state: 'key' | 'index' | 'denotation' | 'escaping' = 'key';
  let escapedKey = '';
  for (;;) {
    let k = '';
    while (pos < path.length && !stop.has(path[pos])) k += path[pos++];
    if (pos >= path.length) {
      if (k.length !== 0 && state === 'key') { cursors.push(k); break; }
      if (k.length === 0 && state === 'denotation') break;
      throw new PathError('unexpected end of');
    }
    const last = path[pos++];
    if (illegal.has(last)) throw new PathError(`invalid token found ${last}`);
    switch (state) {
      case 'index': {
        if (last !== ']') throw new PathError('missing index value');
        if (!/^[-+]?\d+$/.test(k)) throw new PathError(`strconv.Atoi: parsing "${k}": invalid syntax`);
        cursors.push(Number(k));
        state = 'denotation';
        break;
      }
      case 'denotation':
        if (last === '.') state = 'key';
        else if (last === '[') state = 'index';
        else throw new PathError(`invalid denotation token ${last}`);
        break;
      case 'key':
        if (last === '.') { cursors.push(k); state = 'key'; }
        else if (last === '[') {
          if (k.length === 0) { escapedKey = ''; state = 'escaping'; }
          else { cursors.push(k); state = 'index'; }
        } else throw new PathError(`invalid key ${last}`);
        break;
      case 'escaping':
        if (last === '.') escapedKey += `${k}.`;
        else if (last === ']') { escapedKey += k; cursors.push(escapedKey); state = 'denotation'; }
        else throw new PathError(`invalid escaping token ${last}`);
        break;
    }
  }
  const built: Record<string, unknown> = {};
  let current: unknown = built;
  cursors.forEach((cursor, depth) => {
    const next: unknown = depth === cursors.length - 1
      ? value
      : typeof cursors[depth + 1] === 'number' ? new Array((cursors[depth + 1] as number) + 1).fill(null) : {};
    if (typeof cursor === 'string') (current as Record<string, unknown>)[cursor] = next;
    else (current as unknown[])[cursor] = next;
    current = next;
  });
  return built;
}
