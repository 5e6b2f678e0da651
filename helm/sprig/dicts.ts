// Sprig's dict.go: dict, get/set/unset/hasKey, pluck, keys, pick, omit, values, dig, deepCopy
// and merge/mergeOverwrite with dario.cat/mergo v1.0.1 semantics (mutating and returning dst).
// Go visits map keys in random order; keys and values here come out sorted, which is one of
// the orders Go may produce and keeps renders reproducible.
import { goFunc } from '../template/func.js';
import { isMap, sortedKeys, typeName } from '../template/value.js';
import { strval } from './conversion.js';
import { isEmptyValue } from './defaults.js';

type Dict = Record<string, unknown>;

function dict(...v: unknown[]): Dict {
  const d: Dict = {};
  for (let i = 0; i < v.length; i += 2) {
    const key = strval(v[i]);
    d[key] = i + 1 >= v.length ? '' : v[i + 1];
  }
  return d;
}

const has = (d: Dict, key: string) => Object.prototype.hasOwnProperty.call(d, key);

/**
 * mergo's deepMerge for map[string]interface{}: a key missing (or empty) in dst takes src's
 * value; nested maps merge recursively; with overwrite a non-nil src value replaces dst's,
 * except that two maps still merge (and a nil src value replaces only with overwrite).
 */
function deepMerge(dst: Dict, src: Dict, overwrite: boolean): void {
  const srcEmpty = Object.keys(src).length === 0;
  for (const key of Object.keys(src)) {
    const srcElement = src[key];
    const dstPresent = has(dst, key);
    const dstElement = dst[key];
    if (srcElement === null || srcElement === undefined) {
      if (overwrite) dst[key] = null;
      continue;
    }
    if (isMap(srcElement)) {
      if (dstPresent && isMap(dstElement)) deepMerge(dstElement, srcElement, overwrite);
    } else if (Array.isArray(srcElement) || srcElement instanceof Uint8Array) {
      // mergo tests the emptiness of the enclosing maps here, not of the elements.
      const dstIsEmptyMap = Object.keys(dst).length === 0;
      if (!srcEmpty && (overwrite || dstIsEmptyMap)) dst[key] = srcElement;
    }
    if (dstPresent && !isEmptyValue(dstElement)) {
      if (Array.isArray(srcElement) || srcElement instanceof Uint8Array) continue;
      if (isMap(srcElement) && isMap(dstElement)) continue;
    }
    if (overwrite || !dstPresent || isEmptyValue(dstElement)) dst[key] = srcElement;
  }
}

function merge(overwrite: boolean, dst: unknown, ...srcs: unknown[]): Dict {
  // A nil dst map is replaced by a new one, as mergo does through the pointer.
  const target: Dict = isMap(dst) ? dst : {};
  for (const src of srcs) {
    if (isMap(src)) deepMerge(target, src, overwrite);
  }
  return target;
}

/** copystructure.Copy: maps and slices copied all the way down; scalars and structs shared. */
export function deepCopy(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(deepCopy);
  if (v instanceof Uint8Array) return new Uint8Array(v);
  if (isMap(v)) {
    const out: Dict = {};
    for (const k of Object.keys(v)) out[k] = deepCopy(v[k]);
    return out;
  }
  return v;
}

function interfaceConversion(v: unknown, want: string): Error {
  const got = v === null || v === undefined ? 'nil' : typeName(v);
  return new Error(`interface conversion: interface {} is ${got}, not ${want}`);
}

function dig(...ps: unknown[]): unknown {
  if (ps.length < 3) throw new Error('dig needs at least three arguments');
  const last = ps[ps.length - 1];
  if (!isMap(last)) throw interfaceConversion(last, 'map[string]interface {}');
  const def = ps[ps.length - 2];
  const ks = ps.slice(0, -2).map((k) => {
    if (typeof k !== 'string') throw interfaceConversion(k, 'string');
    return k;
  });
  let d: Dict = last;
  for (let i = 0; ; i++) {
    const k = ks[i]!;
    if (!has(d, k)) return def;
    const step = d[k];
    if (i === ks.length - 1) return step;
    if (!isMap(step)) throw interfaceConversion(step, 'map[string]interface {}');
    d = step;
  }
}

const M = 'map[string]interface{}' as const;
const S = 'string' as const;
const A = 'interface{}' as const;

export const dictFuncs = {
  dict,
  // A nil map reads as empty; writing to one panics, as in Go.
  get: goFunc({ params: [M, S] }, (d: Dict | null, key: string) => (d !== null && has(d, key) ? d[key] : '')),
  set: goFunc({ params: [M, S, A] }, (d: Dict | null, key: string, value: unknown) => {
    if (d === null) throw new Error('assignment to entry in nil map');
    d[key] = value;
    return d;
  }),
  unset: goFunc({ params: [M, S] }, (d: Dict | null, key: string) => {
    // A nil map[string]interface{} prints as map[]; the value model's stand-in is an empty map.
    if (d === null) return {};
    delete d[key];
    return d;
  }),
  hasKey: goFunc({ params: [M, S] }, (d: Dict | null, key: string) => d !== null && has(d, key)),
  pluck: goFunc({ params: [S], variadic: M }, (key: string, ...ds: Dict[]) =>
    ds.filter((d) => d !== null && has(d, key)).map((d) => d[key])),
  keys: goFunc({ params: [], variadic: M }, (...ds: Dict[]) => ds.flatMap((d) => (d === null ? [] : sortedKeys(d)))),
  pick: goFunc({ params: [M], variadic: S }, (d: Dict, ...ks: string[]) => {
    const res: Dict = {};
    for (const k of ks) if (d !== null && has(d, k)) res[k] = d[k];
    return res;
  }),
  omit: goFunc({ params: [M], variadic: S }, (d: Dict, ...ks: string[]) => {
    const res: Dict = {};
    const omitted = new Set(ks);
    for (const k of d === null ? [] : Object.keys(d)) if (!omitted.has(k)) res[k] = d[k];
    return res;
  }),
  merge: goFunc({ params: [M], variadic: M }, (dst: Dict, ...srcs: Dict[]) => merge(false, dst, ...srcs)),
  mustMerge: goFunc({ params: [M], variadic: M, results: 2 }, (dst: Dict, ...srcs: Dict[]) => merge(false, dst, ...srcs)),
  mergeOverwrite: goFunc({ params: [M], variadic: M }, (dst: Dict, ...srcs: Dict[]) => merge(true, dst, ...srcs)),
  mustMergeOverwrite: goFunc({ params: [M], variadic: M, results: 2 }, (dst: Dict, ...srcs: Dict[]) => merge(true, dst, ...srcs)),
  values: goFunc({ params: [M] }, (d: Dict) => (d === null ? [] : sortedKeys(d).map((k) => d[k]))),
  deepCopy: goFunc({ params: [A] }, (v: unknown) => deepCopy(v)),
  mustDeepCopy: goFunc({ params: [A], results: 2 }, (v: unknown) => deepCopy(v)),
  dig,
};
