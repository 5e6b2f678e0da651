// The Go value model shared by the template executor, Sprig, Helm's functions and the codecs.
//
// Helm's output depends on Go's dynamic types: a value read from values.yaml is a float64
// (sigs.k8s.io/yaml goes through encoding/json), a template literal `3` is an int, `add 1 2`
// is an int64, and `%v` prints float64 1000000 as `1e+06` but int 1000000 as `1000000`. JS has
// one number type, so ints are boxed and every other Go kind maps onto the closest JS value:
//
//   Go                          JS
//   nil (interface)             null
//   "no value" (invalid Value)  undefined   (a missing map key; printed as <no value>)
//   bool                        boolean
//   string                      string      (Go counts bytes: use byteLength where Go does)
//   float64 (and float32)       number
//   int, int64, uint, ...       GoInt       (bigint value + kind)
//   map[string]interface{}      plain object (Object.prototype or null prototype)
//   []interface{}               Array
//   []byte                      Uint8Array
//   struct / *struct            a subclass of GoStruct (fields: own properties; methods: listed)
//   func                        GoFunc (a JS function)
//
// Keys of plain objects are unordered for Go: range, toYaml and toJson sort them.

import { formatTime, timeString } from './time.js';

export type IntKind =
  | 'int' | 'int8' | 'int16' | 'int32' | 'int64'
  | 'uint' | 'uint8' | 'uint16' | 'uint32' | 'uint64' | 'uintptr';

/** A Go integer of a given kind. Immutable; compare with `.value`. */
export class GoInt {
  constructor(readonly value: bigint, readonly kind: IntKind = 'int') {}
  get unsigned(): boolean { return this.kind.startsWith('u'); }
  toNumber(): number { return Number(this.value); }
  toString(): string { return this.value.toString(); }
}

/** A Go `int` (the kind of template integer literals, `len` and range indices). */
export function int(n: number | bigint): GoInt {
  return new GoInt(typeof n === 'bigint' ? n : BigInt(Math.trunc(n)), 'int');
}

/** A Go `int64` (what Sprig's math functions return). */
export function int64(n: number | bigint): GoInt {
  return new GoInt(typeof n === 'bigint' ? n : BigInt(Math.trunc(n)), 'int64');
}

export function isGoInt(v: unknown): v is GoInt {
  return v instanceof GoInt;
}

/**
 * Base of Go structs exposed to templates (`.Release`, `.Chart`, `.Capabilities`, `.Files`, ...).
 * A field is an own enumerable property (missing field = template error, unlike a map);
 * a method is a prototype function whose name is in `goMethods` (called with the template's
 * arguments). `goTypeName` is what `%T` / `typeOf` print, e.g. `*chart.Metadata`.
 */
export abstract class GoStruct {
  abstract readonly goTypeName: string;
  /** Names of the methods the template may call; the executor calls `this[name](...args)`. */
  static goMethods: readonly string[] = [];
}

/** A Go `time.Time`; `ms` since the epoch, `nanos` the sub-millisecond rest, `zone` an IANA or fixed zone name. */
export class GoTime extends GoStruct {
  // fmt prints a time through String(); templates may call these like Go methods (`now.Unix`).
  static override goMethods: readonly string[] = [
    'String', 'Format', 'Unix', 'UnixMilli', 'UnixNano', 'Year', 'YearDay', 'Day', 'Hour', 'Minute', 'Second',
    'Nanosecond', 'IsZero', 'UTC',
  ];
  readonly goTypeName = 'time.Time';
  constructor(readonly ms: number, readonly nanos = 0, readonly zone = 'UTC') { super(); }
  String(): string { return timeString(this); }
  Format(layout: unknown): string { return formatTime(this, String(layout)); }
  Unix(): GoInt { return new GoInt(BigInt(Math.floor(this.ms / 1000)), 'int64'); }
  UnixMilli(): GoInt { return new GoInt(BigInt(Math.floor(this.ms)), 'int64'); }
  UnixNano(): GoInt { return new GoInt(BigInt(Math.floor(this.ms)) * 1000000n + BigInt(this.nanos), 'int64'); }
  Year(): GoInt { return new GoInt(BigInt(formatTime(this, '2006')), 'int'); }
  YearDay(): GoInt { return new GoInt(BigInt(formatTime(this, '002')), 'int'); }
  Day(): GoInt { return new GoInt(BigInt(formatTime(this, '2')), 'int'); }
  Hour(): GoInt { return new GoInt(BigInt(formatTime(this, '15')), 'int'); }
  Minute(): GoInt { return new GoInt(BigInt(formatTime(this, '4')), 'int'); }
  Second(): GoInt { return new GoInt(BigInt(formatTime(this, '5')), 'int'); }
  Nanosecond(): GoInt { return new GoInt(BigInt((((this.ms % 1000) + 1000) % 1000) * 1e6 + this.nanos), 'int'); }
  IsZero(): boolean { return this.ms === GO_ZERO_TIME_MS && this.nanos === 0; }
  UTC(): GoTime { return new GoTime(this.ms, this.nanos, 'UTC'); }
}

/** Go's zero time.Time (January 1, year 1, UTC) in epoch milliseconds. */
export const GO_ZERO_TIME_MS = -62135596800000;

/** A Go func value stored in data (`call` invokes it). */
export type GoFunc = (...args: unknown[]) => unknown;

/**
 * A Go map type with methods (Helm's `.Files` is `map[string][]byte` with Get, Glob, ...): its
 * entries are its own enumerable properties, its methods prototype functions named in
 * `goMethods`. It is a map to isMap/kindOf/isTrue (range, index, len, `if` see the entries);
 * the executor finds its methods first, as Go's MethodByName does, and reads any other field
 * name as a map key.
 */
export abstract class GoMapType extends GoStruct {}

export function isMap(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null || v instanceof GoMapType;
}

/** Go reflect.Kind names, as Sprig's kindOf prints them. */
export type GoKind =
  | 'invalid' | 'bool' | IntKind | 'float64' | 'string' | 'slice' | 'map' | 'struct' | 'ptr' | 'func';

export function kindOf(v: unknown): GoKind {
  if (v === null || v === undefined) return 'invalid';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return 'float64';
  if (typeof v === 'string') return 'string';
  if (v instanceof GoInt) return v.kind;
  if (Array.isArray(v) || v instanceof Uint8Array) return 'slice';
  if (typeof v === 'function') return 'func';
  if (v instanceof GoMapType) return 'map';
  if (v instanceof GoStruct) return v.goTypeName.startsWith('*') ? 'ptr' : 'struct';
  if (isMap(v)) return 'map';
  return 'invalid';
}

/** Go's `%T` of a value. */
export function typeName(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return 'float64';
  if (typeof v === 'string') return 'string';
  if (v instanceof GoInt) return v.kind;
  if (v instanceof Uint8Array) return '[]uint8';
  if (Array.isArray(v)) return '[]interface {}';
  if (typeof v === 'function') return 'func(...interface {}) interface {}';
  if (v instanceof GoStruct) return v.goTypeName;
  if (isMap(v)) return 'map[string]interface {}';
  return 'interface {}';
}

/** text/template's truth: the zero value of its type is false; a struct is always true. */
export function isTrue(v: unknown): boolean {
  if (v === null || v === undefined) return false;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'string') return v.length > 0;
  if (v instanceof GoInt) return v.value !== 0n;
  if (Array.isArray(v)) return v.length > 0;
  if (v instanceof Uint8Array) return v.length > 0;
  if (v instanceof GoMapType) return Object.keys(v).length > 0;
  if (v instanceof GoStruct) return true;
  if (typeof v === 'function') return true;
  if (isMap(v)) return Object.keys(v).length > 0;
  return true;
}

/**
 * Go's notion of "empty" used by Sprig's `empty`/`default` (same as !isTrue for these kinds).
 * Sprig never finds a struct empty, a zero time.Time included.
 */
export function isEmpty(v: unknown): boolean {
  if (v instanceof GoMapType) return Object.keys(v).length === 0;
  if (v instanceof GoStruct) return false;
  return !isTrue(v);
}

/** Sorted keys, as Go's range, fmt and encoders visit a map. */
export function sortedKeys(m: Record<string, unknown>): string[] {
  return Object.keys(m).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** A Go complex128 (only template literals such as `1+2i` produce one). */
export class GoComplex {
  constructor(readonly re: number, readonly im: number) {}
}
