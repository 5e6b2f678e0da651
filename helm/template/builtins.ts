// text/template's predefined functions (funcs.go): and or not len index slice print printf
// println html js urlquery eq ne lt le gt ge call. Parameters typed `reflect.Value` receive the
// raw operand: undefined for "no value" (an invalid reflect.Value), null for a nil interface.
// `and`, `or` and `call` are evaluated by the executor itself (short-circuit, callee name).

import { sprint, sprintf, sprintln } from './fmt.js';
import { type FuncMap, type GoParamType, goFunc } from './func.js';
import { byteLength, isPrint, utf8Bytes, utf8String } from './strconv.js';
import { GoComplex, GoInt, GoStruct, int, isMap, isTrue, typeName } from './value.js';

/** Go's type name for a value, extended with complex128 (not part of the value model). */
export function goTypeOf(v: unknown): string {
  if (v instanceof GoComplex) return 'complex128';
  return typeName(v);
}

/** Go's reflect type string for a declared parameter type. */
export function paramTypeString(t: GoParamType): string {
  switch (t) {
    case 'interface{}': return 'interface {}';
    case '[]interface{}': return '[]interface {}';
    case 'map[string]interface{}': return 'map[string]interface {}';
    case '[]byte': return '[]uint8';
    default: return t;
  }
}

/** Truth of an operand as `if` sees it (indirectInterface then isTrue). */
export function truth(v: unknown): boolean {
  if (v instanceof GoComplex) return v.re !== 0 || v.im !== 0;
  return isTrue(v);
}

const REFLECT_ZERO_TYPE = 'reflect: call of reflect.Value.Type on zero Value';

const RV: GoParamType = 'reflect.Value';

function length(item: unknown): GoInt {
  if (item === null) throw new Error('len of nil pointer');
  if (item === undefined) throw new Error(REFLECT_ZERO_TYPE);
  if (typeof item === 'string') return int(byteLength(item));
  if (Array.isArray(item) || item instanceof Uint8Array) return int(item.length);
  if (isMap(item)) return int(Object.keys(item).length);
  throw new Error(`len of type ${goTypeOf(item)}`);
}

function indexArg(index: unknown, cap: number): number {
  let x: bigint;
  if (index instanceof GoInt) x = index.value;
  else if (index === undefined || index === null) throw new Error('cannot index slice/array with nil');
  else throw new Error(`cannot index slice/array with type ${goTypeOf(index)}`);
  if (x < 0n || x > BigInt(cap)) throw new Error(`index out of range: ${x}`);
  return Number(x);
}

function index(item: unknown, ...indexes: unknown[]): unknown {
  if (item === undefined || item === null) throw new Error('index of untyped nil');
  for (let idx of indexes) {
    if (idx === null) idx = undefined;
    if (item === null) throw new Error('index of nil pointer');
    if (typeof item === 'string') {
      const bytes = utf8Bytes(item);
      const x = indexArg(idx, bytes.length);
      if (x === bytes.length) throw new Error('reflect: string index out of range');
      item = new GoInt(BigInt(bytes[x]), 'uint8');
    } else if (Array.isArray(item) || item instanceof Uint8Array) {
      const x = indexArg(idx, item.length);
      if (x === item.length) throw new Error('reflect: slice index out of range');
      item = item instanceof Uint8Array ? new GoInt(BigInt(item[x]), 'uint8') : item[x];
    } else if (isMap(item)) {
      if (idx === undefined) throw new Error('value is nil; should be of type string');
      if (typeof idx !== 'string') throw new Error(`value has type ${goTypeOf(idx)}; should be string`);
      item = Object.hasOwn(item, idx) ? item[idx] : null;
      if (item === undefined) item = null;
    } else {
      throw new Error(`can't index item of type ${goTypeOf(item)}`);
    }
  }
  return item;
}

function slice(item: unknown, ...indexes: unknown[]): unknown {
  if (item === undefined || item === null) throw new Error('slice of untyped nil');
  if (indexes.length > 3) throw new Error(`too many slice indexes: ${indexes.length}`);
  let len: number;
  let bytes: Uint8Array | undefined;
  if (typeof item === 'string') {
    if (indexes.length === 3) throw new Error('cannot 3-index slice a string');
    bytes = utf8Bytes(item);
    len = bytes.length;
  } else if (Array.isArray(item) || item instanceof Uint8Array) {
    len = item.length;
  } else {
    throw new Error(`can't slice item of type ${goTypeOf(item)}`);
  }
  const idx = [0, len, 0];
  for (let i = 0; i < indexes.length; i++) {
    const v = indexes[i];
    idx[i] = indexArg(v === null ? undefined : v, len);
  }
  if (idx[0] > idx[1]) throw new Error(`invalid slice index: ${idx[0]} > ${idx[1]}`);
  if (indexes.length === 3 && idx[1] > idx[2]) throw new Error(`invalid slice index: ${idx[1]} > ${idx[2]}`);
  if (typeof item === 'string') {
    return bytes!.length === item.length ? item.slice(idx[0], idx[1]) : utf8String(bytes!.subarray(idx[0], idx[1]));
  }
  return item.slice(idx[0], idx[1]);
}

// ---- comparison (eq ne lt le gt ge) ----

const enum Kind { Invalid, Bool, Complex, Int, Float, String, Uint }

function basicKind(v: unknown): Kind {
  switch (typeof v) {
    case 'boolean': return Kind.Bool;
    case 'number': return Kind.Float;
    case 'string': return Kind.String;
  }
  if (v instanceof GoInt) return v.unsigned ? Kind.Uint : Kind.Int;
  if (v instanceof GoComplex) return Kind.Complex;
  return Kind.Invalid;
}

/** reflect.Kind names used for "can these be compared at all". */
function reflectKind(v: unknown): string {
  if (v === undefined || v === null) return 'invalid';
  if (Array.isArray(v) || v instanceof Uint8Array) return 'slice';
  if (typeof v === 'function') return 'func';
  if (isMap(v)) return 'map';
  if (v instanceof GoStruct) return v.goTypeName.startsWith('*') ? 'ptr' : 'struct';
  return typeof v;
}

function isComparable(v: unknown): boolean {
  const k = reflectKind(v);
  return k !== 'slice' && k !== 'map' && k !== 'func';
}

function eq(arg1: unknown, ...arg2: unknown[]): boolean {
  if (arg1 === null) arg1 = undefined;
  if (arg2.length === 0) throw new Error('missing argument for comparison');
  const k1 = basicKind(arg1);
  for (let arg of arg2) {
    if (arg === null) arg = undefined;
    const k2 = basicKind(arg);
    let t = false;
    if (k1 !== k2) {
      if (k1 === Kind.Int && k2 === Kind.Uint) {
        t = (arg1 as GoInt).value >= 0n && (arg1 as GoInt).value === (arg as GoInt).value;
      } else if (k1 === Kind.Uint && k2 === Kind.Int) {
        t = (arg as GoInt).value >= 0n && (arg1 as GoInt).value === (arg as GoInt).value;
      } else if (arg1 !== undefined && arg !== undefined) {
        throw new Error(`incompatible types for comparison: ${goTypeOf(arg1)} and ${goTypeOf(arg)}`);
      }
    } else {
      switch (k1) {
        case Kind.Bool: case Kind.Float: case Kind.String: t = arg1 === arg; break;
        case Kind.Int: case Kind.Uint: t = (arg1 as GoInt).value === (arg as GoInt).value; break;
        case Kind.Complex: t = (arg1 as GoComplex).re === (arg as GoComplex).re && (arg1 as GoComplex).im === (arg as GoComplex).im; break;
        default: {
          const r1 = reflectKind(arg1);
          const r2 = reflectKind(arg);
          if (r1 !== r2 && r1 !== 'invalid' && r2 !== 'invalid') {
            throw new Error(`non-comparable types ${sprintf('%s', [arg1])}: ${goTypeOf(arg1)}, ${goTypeOf(arg)}: ${sprintf('%v', [arg])}`);
          }
          const n1 = arg1 === undefined;
          const n2 = arg === undefined;
          if (n1 || n2) {
            t = n1 === n2;
          } else {
            if (!isComparable(arg)) throw new Error(`non-comparable type ${sprintf('%s', [arg])}: ${goTypeOf(arg)}`);
            t = arg1 === arg;
          }
        }
      }
    }
    if (t) return true;
  }
  return false;
}

function ne(arg1: unknown, arg2: unknown): boolean {
  return !eq(arg1, arg2);
}

function lt(arg1: unknown, arg2: unknown): boolean {
  if (arg1 === null) arg1 = undefined;
  if (arg2 === null) arg2 = undefined;
  const k1 = basicKind(arg1);
  if (k1 === Kind.Invalid) throw new Error('invalid type for comparison');
  const k2 = basicKind(arg2);
  if (k2 === Kind.Invalid) throw new Error('invalid type for comparison');
  if (k1 !== k2) {
    if (k1 === Kind.Int && k2 === Kind.Uint) {
      return (arg1 as GoInt).value < 0n || (arg1 as GoInt).value < (arg2 as GoInt).value;
    }
    if (k1 === Kind.Uint && k2 === Kind.Int) {
      return (arg2 as GoInt).value >= 0n && (arg1 as GoInt).value < (arg2 as GoInt).value;
    }
    throw new Error(`incompatible types for comparison: ${goTypeOf(arg1)} and ${goTypeOf(arg2)}`);
  }
  switch (k1) {
    case Kind.Bool: case Kind.Complex: throw new Error('invalid type for comparison');
    case Kind.Int: case Kind.Uint: return (arg1 as GoInt).value < (arg2 as GoInt).value;
    default: return (arg1 as number | string) < (arg2 as number | string);
  }
}

function le(arg1: unknown, arg2: unknown): boolean {
  return lt(arg1, arg2) || eq(arg1, arg2);
}

function gt(arg1: unknown, arg2: unknown): boolean {
  return !le(arg1, arg2);
}

function ge(arg1: unknown, arg2: unknown): boolean {
  return !lt(arg1, arg2);
}

// ---- escapers ----

/** html/js/urlquery's argument: one string as is, otherwise Sprint with nils as <no value>. */
function evalArgs(args: unknown[]): string {
  if (args.length === 1 && typeof args[0] === 'string') return args[0];
  return sprint(args.map((a) => (a === null || a === undefined ? '<no value>' : a)));
}

export function htmlEscapeString(s: string): string {
  if (!/['"&<>\0]/.test(s)) return s;
  return s.replace(/['"&<>\0]/g, (c) => {
    switch (c) {
      case '\0': return '\uFFFD';
      case '"': return '&#34;';
      case "'": return '&#39;';
      case '&': return '&amp;';
      case '<': return '&lt;';
      default: return '&gt;';
    }
  });
}

export function jsEscapeString(s: string): string {
  let out = '';
  for (const ch of s) {
    const r = ch.codePointAt(0)!;
    switch (ch) {
      case '\\': out += '\\\\'; continue;
      case "'": out += "\\'"; continue;
      case '"': out += '\\"'; continue;
      case '<': out += '\\u003C'; continue;
      case '>': out += '\\u003E'; continue;
      case '&': out += '\\u0026'; continue;
      case '=': out += '\\u003D'; continue;
    }
    if (r < 0x20) {
      out += '\\u00' + r.toString(16).toUpperCase().padStart(2, '0');
    } else if (r >= 0x80 && !isPrint(r)) {
      out += '\\u' + r.toString(16).toUpperCase().padStart(4, '0');
    } else {
      out += ch;
    }
  }
  return out;
}

/** url.QueryEscape */
export function queryEscape(s: string): string {
  let out = '';
  for (const b of utf8Bytes(s)) {
    if ((b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || (b >= 0x30 && b <= 0x39) || b === 0x2d || b === 0x5f || b === 0x2e || b === 0x7e) {
      out += String.fromCharCode(b);
    } else if (b === 0x20) {
      out += '+';
    } else {
      out += '%' + b.toString(16).toUpperCase().padStart(2, '0');
    }
  }
  return out;
}

function nilToNull(args: unknown[]): unknown[] {
  for (let i = 0; i < args.length; i++) if (args[i] === undefined) args[i] = null;
  return args;
}

function unreachable(): never {
  throw new Error('unreachable');
}

/** The builtins, with Go's signatures (the executor checks arity and argument types). */
export const BUILTINS: FuncMap = {
  and: goFunc({ params: [RV], variadic: RV }, unreachable),
  or: goFunc({ params: [RV], variadic: RV }, unreachable),
  call: goFunc({ params: [RV], variadic: RV, results: 2 }, unreachable),
  not: goFunc({ params: [RV] }, (a: unknown) => !truth(a)),
  len: goFunc({ params: [RV], results: 2 }, length),
  index: goFunc({ params: [RV], variadic: RV, results: 2 }, index),
  slice: goFunc({ params: [RV], variadic: RV, results: 2 }, slice),
  print: goFunc({ params: [], variadic: 'interface{}' }, (...a: unknown[]) => sprint(nilToNull(a))),
  printf: goFunc({ params: ['string'], variadic: 'interface{}' }, (f: string, ...a: unknown[]) => sprintf(f, nilToNull(a))),
  println: goFunc({ params: [], variadic: 'interface{}' }, (...a: unknown[]) => sprintln(nilToNull(a))),
  html: goFunc({ params: [], variadic: 'interface{}' }, (...a: unknown[]) => htmlEscapeString(evalArgs(a))),
  js: goFunc({ params: [], variadic: 'interface{}' }, (...a: unknown[]) => jsEscapeString(evalArgs(a))),
  urlquery: goFunc({ params: [], variadic: 'interface{}' }, (...a: unknown[]) => queryEscape(evalArgs(a))),
  eq: goFunc({ params: [RV], variadic: RV, results: 2 }, eq),
  ne: goFunc({ params: [RV, RV], results: 2 }, ne),
  lt: goFunc({ params: [RV, RV], results: 2 }, lt),
  le: goFunc({ params: [RV, RV], results: 2 }, le),
  gt: goFunc({ params: [RV, RV], results: 2 }, gt),
  ge: goFunc({ params: [RV, RV], results: 2 }, ge),
};
