// Sprig's list functions (list.go). Go reaches any slice or array through reflection; a value
// that is not one fails with Sprig's "Cannot ... on type KIND" (the plain forms panic with the
// same text, which the executor reports like an error). A nil list panics in reflect.
import { goFunc } from '../template/func.js';
import { GoInt } from '../template/value.js';
import { castInt64, intArg } from './conversion.js';
import { isEmptyValue } from './defaults.js';
import { deepEqual, kindName } from './reflect.js';

const NIL_DEREFERENCE = 'runtime error: invalid memory address or nil pointer dereference';

/** The elements of a Go slice or array, or undefined for any other kind (nil panics, as in Go). */
function elementsOf(list: unknown): unknown[] | undefined {
  if (list === null || list === undefined) throw new Error(NIL_DEREFERENCE);
  if (Array.isArray(list)) return list;
  if (list instanceof Uint8Array) return Array.from(list, (b) => new GoInt(BigInt(b), 'uint8'));
  return undefined;
}

function listOrFail(list: unknown, message: (kind: string) => string): unknown[] {
  const l = elementsOf(list);
  if (l === undefined) throw new Error(message(kindName(list)));
  return l;
}

function push(list: unknown, v: unknown): unknown[] {
  return [...listOrFail(list, (k) => `Cannot push on type ${k}`), v];
}

function prepend(list: unknown, v: unknown): unknown[] {
  return [v, ...listOrFail(list, (k) => `Cannot prepend on type ${k}`)];
}

function chunk(size: number, list: unknown): unknown[][] {
  const l = listOrFail(list, (k) => `Cannot chunk type ${k}`);
  const cs = Math.floor((l.length - 1) / size) + 1;
  const out: unknown[][] = [];
  for (let i = 0; i < cs; i++) out.push(l.slice(i * size, (i + 1) * size));
  return out;
}

function first(list: unknown): unknown {
  const l = listOrFail(list, (k) => `Cannot find first on type ${k}`);
  return l.length === 0 ? null : l[0];
}

function last(list: unknown): unknown {
  const l = listOrFail(list, (k) => `Cannot find last on type ${k}`);
  return l.length === 0 ? null : l[l.length - 1];
}

// An empty list gives a nil []interface{}, which prints as [] like an empty one.
function rest(list: unknown): unknown[] {
  return listOrFail(list, (k) => `Cannot find rest on type ${k}`).slice(1);
}

function initial(list: unknown): unknown[] {
  const l = listOrFail(list, (k) => `Cannot find initial on type ${k}`);
  return l.slice(0, Math.max(0, l.length - 1));
}

function reverse(list: unknown): unknown[] {
  return [...listOrFail(list, (k) => `Cannot find reverse on type ${k}`)].reverse();
}

function compact(list: unknown): unknown[] {
  return listOrFail(list, (k) => `Cannot compact on type ${k}`).filter((x) => !isEmptyValue(x));
}

function uniq(list: unknown): unknown[] {
  const dest: unknown[] = [];
  for (const item of listOrFail(list, (k) => `Cannot find uniq on type ${k}`)) {
    if (!dest.some((d) => deepEqual(item, d))) dest.push(item);
  }
  return dest;
}

function without(list: unknown, ...omit: unknown[]): unknown[] {
  return listOrFail(list, (k) => `Cannot find without on type ${k}`).filter((item) => !omit.some((o) => deepEqual(item, o)));
}

function has(needle: unknown, haystack: unknown): boolean {
  if (haystack === null || haystack === undefined) return false;
  return listOrFail(haystack, (k) => `Cannot find has on type ${k}`).some((item) => deepEqual(needle, item));
}

function slice(list: unknown, ...indices: unknown[]): unknown {
  const l = listOrFail(list, (k) => `list should be type of slice or array but ${k}`);
  if (l.length === 0) return null;
  const start = indices.length > 0 ? Number(castInt64(indices[0])) : 0;
  const end = indices.length < 2 ? l.length : Number(castInt64(indices[1]));
  if (start < 0 || end < start || end > l.length) throw new Error('reflect.Value.Slice: slice index out of bounds');
  return l.slice(start, end);
}

function concat(...lists: unknown[]): unknown[] {
  const res: unknown[] = [];
  for (const list of lists) {
    const l = elementsOf(list);
    if (l === undefined) throw new Error(`Cannot concat type ${kindName(list)} as list`);
    res.push(...l);
  }
  return res;
}

const A = 'interface{}' as const;
const one = <F extends (v: unknown) => unknown>(f: F) => goFunc({ params: [A] }, f);
const two = <F extends (a: unknown, b: unknown) => unknown>(f: F) => goFunc({ params: [A, A] }, f);
const withRest = <F extends (a: unknown, ...rest: unknown[]) => unknown>(f: F) => goFunc({ params: [A], variadic: A }, f);
const mustTwo = <F extends (a: unknown, b: unknown) => unknown>(f: F) => goFunc({ params: [A, A], results: 2 }, f);
const mustOne = <F extends (v: unknown) => unknown>(f: F) => goFunc({ params: [A], results: 2 }, f);
const mustWithRest = <F extends (a: unknown, ...rest: unknown[]) => unknown>(f: F) =>
  goFunc({ params: [A], variadic: A, results: 2 }, f);

export const listFuncs = {
  list: (...v: unknown[]) => v,
  tuple: (...v: unknown[]) => v,
  append: two(push),
  push: two(push),
  mustAppend: mustTwo(push),
  mustPush: mustTwo(push),
  prepend: two(prepend),
  mustPrepend: mustTwo(prepend),
  first: one(first),
  mustFirst: mustOne(first),
  rest: one(rest),
  mustRest: mustOne(rest),
  last: one(last),
  mustLast: mustOne(last),
  initial: one(initial),
  mustInitial: mustOne(initial),
  reverse: one(reverse),
  mustReverse: mustOne(reverse),
  uniq: one(uniq),
  mustUniq: mustOne(uniq),
  without: withRest(without),
  mustWithout: mustWithRest(without),
  has: two(has),
  mustHas: mustTwo(has),
  slice: withRest(slice),
  mustSlice: mustWithRest(slice),
  concat,
  compact: one(compact),
  mustCompact: mustOne(compact),
  chunk: goFunc({ params: ['int', A] }, (size: unknown, list: unknown) => chunk(intArg(size), list)),
  mustChunk: goFunc({ params: ['int', A], results: 2 }, (size: unknown, list: unknown) => chunk(intArg(size), list)),
};
