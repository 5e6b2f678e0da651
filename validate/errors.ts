// Turns ajv's keyword/params errors into one line a person can act on: the field path in the
// object (`.spec.template.spec.containers[0].image`), what is wrong, what would be valid and
// the value received. anyOf/oneOf failures are collapsed to one message instead of one per
// alternative tried.
import { FORMAT_DESCRIPTIONS } from './formats.js';
import type { AjvError, FieldHints } from './loader.js';

export interface PathMessage {
  readonly path: string;
  readonly message: string;
}

const SIMPLE_KEY = /^[A-Za-z_$][\w$-]*$/;

/** `.a.b[0]["app.kubernetes.io/name"]`: array indexes only where the data is an array. */
export function jsonPath(root: unknown, pointer: string): string {
  if (!pointer) return '';
  let out = '';
  let cur: any = root;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(cur) && /^\d+$/.test(key)) out += `[${key}]`;
    else out += SIMPLE_KEY.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
    cur = cur != null && typeof cur === 'object' ? cur[key] : undefined;
  }
  return out;
}

export function childPath(path: string, key: string): string {
  return path + (SIMPLE_KEY.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`);
}

function valueAt(root: unknown, pointer: string): unknown {
  let cur: any = root;
  if (!pointer) return cur;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    cur = cur != null && typeof cur === 'object' ? cur[key] : undefined;
  }
  return cur;
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

/** `string "abc"`, `integer 5`, `an object`, `an array`, `null`: the value as a person sees it. */
export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (typeof v === 'object') return 'an object';
  const shown = JSON.stringify(v) ?? String(v);
  return `${typeName(v)} ${shown.length > 80 ? `${shown.slice(0, 77)}...` : shown}`;
}

const quoteList = (xs: readonly unknown[]) => xs.map((x) => JSON.stringify(x)).join(', ');
const orList = (xs: readonly string[]) => (xs.length <= 1 ? xs.join('') : `${xs.slice(0, -1).join(', ')} or ${xs[xs.length - 1]}`);

function simpleMessage(e: AjvError, value: unknown): string {
  const p = e.params;
  const got = `; got ${describeValue(value)}`;
  switch (e.keyword) {
    case 'type': {
      const types = (Array.isArray(p.type) ? p.type : String(p.type).split(',')) as string[];
      return `expected ${orList(types)}${got}`;
    }
    case 'enum':
      return `must be one of ${quoteList(p.allowedValues)}${got}`;
    case 'const':
      return `must be ${JSON.stringify(p.allowedValue)}${got}`;
    case 'format':
      return `must be ${FORMAT_DESCRIPTIONS[p.format as keyof typeof FORMAT_DESCRIPTIONS] ?? `in format "${p.format}"`}${got}`;
    case 'pattern':
      return `must match the pattern ${p.pattern}${got}`;
    case 'minLength':
      return `must be at least ${p.limit} characters long; got ${String(value).length}: ${describeValue(value)}`;
    case 'maxLength':
      return `must be at most ${p.limit} characters long; got ${String(value).length}`;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `must be ${p.comparison} ${p.limit}${got}`;
    case 'multipleOf':
      return `must be a multiple of ${p.multipleOf}${got}`;
    case 'minItems':
      return `must have at least ${p.limit} item${p.limit === 1 ? '' : 's'}; got ${Array.isArray(value) ? value.length : 0}`;
    case 'maxItems':
      return `must have at most ${p.limit} item${p.limit === 1 ? '' : 's'}; got ${Array.isArray(value) ? value.length : 0}`;
    case 'uniqueItems':
      return `must not repeat items (items ${p.j} and ${p.i} are equal)`;
    case 'minProperties':
      return `must have at least ${p.limit} field${p.limit === 1 ? '' : 's'}`;
    case 'maxProperties':
      return `must have at most ${p.limit} field${p.limit === 1 ? '' : 's'}`;
    case 'not':
      return 'is not allowed in this combination of fields (the schema forbids it)';
    case 'oneOf':
      return p.passingSchemas
        ? `matches more than one of its mutually exclusive forms (alternatives ${quoteList(p.passingSchemas)}); set only one`
        : 'matches none of its allowed forms';
    case 'anyOf':
      return 'matches none of its allowed forms';
    default:
      return `fails "${e.keyword}" ${JSON.stringify(p)}`;
  }
}

/** What the schema says about the object at a JSON pointer, when known (for hints). */
export type FieldsAt = (pointer: string) => FieldHints | undefined;

/** Edit distance counting insertions, deletions, substitutions and adjacent swaps. */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  let prevPrev = prev;
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      // A swap of two neighbours ("nmae") is one typo, not two.
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) cur[j] = Math.min(cur[j], prevPrev[j - 2] + 1);
    }
    [prevPrev, prev] = [prev, cur];
  }
  return prev[b.length];
}

/** The allowed name closest to a misspelt one, if it is close enough to be a typo. */
export function closest(name: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of [...candidates].sort()) {
    const d = c.toLowerCase() === name.toLowerCase() ? 0 : editDistance(c.toLowerCase(), name.toLowerCase());
    if (d < bestD) [best, bestD] = [c, d];
  }
  return best !== undefined && bestD <= Math.max(1, Math.floor(name.length / 3)) ? best : undefined;
}

function unknownFieldMessage(name: string, present: unknown, allowed: string[] | undefined): string {
  const base = `unknown field "${name}"`;
  if (!allowed) return base;
  const unset = allowed.filter((f) => !(present && typeof present === 'object' && f in present));
  const guess = closest(name, unset) ?? closest(name, allowed);
  if (guess) return `${base}; did you mean "${guess}"?`;
  if (allowed.length === 0) return `${base}; no fields are allowed here`;
  if (allowed.length <= 12) return `${base}; valid fields: ${[...allowed].sort().join(', ')}`;
  return base;
}

/** The errors of one object, as path + message, anyOf/oneOf collapsed, in ajv's order. */
export function describeErrors(root: unknown, errors: readonly AjvError[], fieldsAt: FieldsAt = () => undefined): PathMessage[] {
  const out: PathMessage[] = [];
  const seen = new Set<string>();
  const push = (pm: PathMessage) => {
    const k = `${pm.path}\0${pm.message}`;
    if (!seen.has(k)) {
      seen.add(k);
      out.push(pm);
    }
  };
  for (const pm of collapse({ root, hints: fieldsAt }, errors)) push(pm);
  return out;
}

/** The object being described and what the schema says about its parts. */
interface Ctx {
  readonly root: unknown;
  readonly hints: FieldsAt;
}

const isCombinator = (e: AjvError) => e.keyword === 'anyOf' || e.keyword === 'oneOf';
const inside = (e: AjvError, c: AjvError) =>
  e !== c && e.schemaPath.startsWith(`${c.schemaPath}/`) && (e.instancePath === c.instancePath || e.instancePath.startsWith(`${c.instancePath}/`));

function collapse(ctx: Ctx, errors: readonly AjvError[]): PathMessage[] {
  // Outermost combinators first: an error inside a combinator is described by it.
  const combinators = errors.filter(isCombinator);
  const outer = combinators.filter((c) => !combinators.some((o) => inside(c, o)));
  const claimed = new Set<AjvError>();
  const byCombinator = new Map<AjvError, AjvError[]>();
  for (const c of outer) {
    const sub = errors.filter((e) => inside(e, c));
    sub.forEach((e) => claimed.add(e));
    byCombinator.set(c, sub);
  }
  const out: PathMessage[] = [];
  for (const e of errors) {
    if (claimed.has(e)) continue;
    const sub = byCombinator.get(e);
    if (sub) out.push(...describeCombinator(ctx, e, sub));
    else out.push(...describeOne(ctx, e));
  }
  return out;
}

function describeOne(ctx: Ctx, e: AjvError): PathMessage[] {
  const { root, hints } = ctx;
  const path = jsonPath(root, e.instancePath);
  if (e.keyword === 'additionalProperties') {
    const name = e.params.additionalProperty as string;
    return [{ path: childPath(path, name), message: unknownFieldMessage(name, valueAt(root, e.instancePath), hints(e.instancePath)?.fields) }];
  }
  if (e.keyword === 'required') {
    return [{ path: childPath(path, e.params.missingProperty), message: `missing required field "${e.params.missingProperty}"` }];
  }
  return [{ path, message: simpleMessage(e, valueAt(root, e.instancePath)) }];
}

function describeCombinator(ctx: Ctx, c: AjvError, sub: AjvError[]): PathMessage[] {
  const { root, hints } = ctx;
  const path = jsonPath(root, c.instancePath);
  const value = valueAt(root, c.instancePath);
  // Several alternatives matched: what the others lacked does not matter.
  if (c.params.passingSchemas) {
    const ex = hints(c.instancePath)?.exclusive;
    const set = ex && value && typeof value === 'object' ? ex.fields.filter((f) => f in value) : [];
    if (!ex || set.length < 2) return [{ path, message: simpleMessage(c, value) }];
    return [{ path, message: `must set ${ex.atMostOne ? 'at most' : 'exactly'} one of the fields ${quoteList(ex.fields)}; got ${quoteList(set)}` }];
  }
  const branches = new Map<number, AjvError[]>();
  for (const e of sub) {
    const i = Number(e.schemaPath.slice(c.schemaPath.length + 1).split('/')[0]);
    branches.set(i, [...(branches.get(i) ?? []), e]);
  }
  const lists = [...branches.entries()].sort(([a], [b]) => a - b).map(([, es]) => es);
  const here = (e: AjvError) => e.instancePath === c.instancePath;
  const exactly = c.keyword === 'oneOf' ? 'exactly ' : '';

  // Every alternative wants a different field: "must set one of a, b".
  if (lists.length > 1 && lists.every((es) => es.length === 1 && es[0].keyword === 'required' && here(es[0]))) {
    return [{ path, message: `must set ${exactly}one of the fields ${quoteList(lists.map((es) => es[0].params.missingProperty))}` }];
  }
  // Every alternative is a different type: "expected integer or string".
  if (lists.every((es) => es.every((e) => e.keyword === 'type' && here(e)))) {
    const types = [...new Set(lists.flatMap((es) => es.flatMap((e) => String(e.params.type).split(','))))];
    return [{ path, message: `expected ${orList(types)}; got ${describeValue(value)}` }];
  }
  // Every alternative is a different format (IPv4 or IPv6, ...).
  if (lists.every((es) => es.length === 1 && es[0].keyword === 'format' && here(es[0]))) {
    const names = lists.map((es) => FORMAT_DESCRIPTIONS[es[0].params.format as keyof typeof FORMAT_DESCRIPTIONS] ?? `format "${es[0].params.format}"`);
    return [{ path, message: `must be ${orList(names)}; got ${describeValue(value)}` }];
  }
  // Otherwise the alternative that came closest explains it best: skip those whose very shape
  // (type) does not fit, then take the one with the fewest problems; an alternative ruled out
  // by a discriminator (`not`, as in Gateway API's address types) counts as a little further.
  const fitting = lists.filter((es) => !es.some((e) => e.keyword === 'type' && here(e)));
  const scored = (fitting.length ? fitting : lists).map((es) => {
    const described = collapse(ctx, es);
    return { described, score: described.length + (es.some((e) => e.keyword === 'not') ? 0.5 : 0) };
  });
  const { described } = scored.reduce((a, b) => (b.score < a.score ? b : a));
  if (lists.length <= 1) return described;
  return described.map((pm) => ({ ...pm, message: `${pm.message} (closest of ${lists.length} allowed forms)` }));
}
