// Sprig's conversions: strval (toString) and spf13/cast v1.7.0 (toInt64, toInt, toFloat64),
// which Sprig uses everywhere a number is expected, so `add "3" 4` is 7 and `int "0x1F"` is 31.
// cast swallows errors: anything it cannot convert is 0.
import { formatValue } from '../template/fmt.js';
import { goFunc } from '../template/func.js';
import { parseFloat64, parseInt64, utf8String } from '../template/strconv.js';
import { GoInt, GoStruct, int, int64 } from '../template/value.js';

const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;

/** A template value that has Go's String() method (a fmt.Stringer), e.g. a semver.Version. */
interface Stringer { String(): string }

function isStringer(v: unknown): v is Stringer {
  if (!(v instanceof GoStruct)) return false;
  const methods = (v.constructor as typeof GoStruct).goMethods;
  return methods.includes('String') && typeof (v as unknown as Stringer).String === 'function';
}

/** Go's string(b) of a []byte (invalid UTF-8 becomes U+FFFD, as printing it would show). */
export function bytesToString(b: Uint8Array): string {
  return utf8String(b);
}

/** Sprig's strval: strings as they are, []byte as text, Stringers by String(), the rest as %v. */
export function strval(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v instanceof Uint8Array) return bytesToString(v);
  if (v instanceof Error) return v.message;
  if (isStringer(v)) return v.String();
  return formatValue(v);
}

/** Go's int64(f) for a float64: truncation; out of range gives the amd64 result (MinInt64). */
function floatToInt64(f: number): bigint {
  if (!Number.isFinite(f)) return INT64_MIN;
  const t = BigInt(Math.trunc(f));
  return t < INT64_MIN || t > INT64_MAX ? INT64_MIN : t;
}

/** strconv.ParseInt(s, base, 64) for an explicit base (no prefixes, no underscores). */
export function parseIntBase(s: string, base: 8 | 10): bigint | undefined {
  const digits = base === 8 ? /^[+-]?[0-7]+$/ : /^[+-]?[0-9]+$/;
  if (!digits.test(s)) return undefined;
  const neg = s.startsWith('-');
  let v = 0n;
  for (const ch of s.replace(/^[+-]/, '')) v = v * BigInt(base) + BigInt(Number(ch));
  if (neg) v = -v;
  return v < INT64_MIN || v > INT64_MAX ? undefined : v;
}

/** cast's trimZeroDecimal: "12.000" is "12", "12.5" stays (and then fails to parse as an int). */
function trimZeroDecimal(s: string): string {
  let foundZero = false;
  for (let i = s.length; i > 0; i--) {
    const c = s[i - 1];
    if (c === '.') {
      if (foundZero) return s.slice(0, i - 1);
    } else if (c === '0') {
      foundZero = true;
    } else {
      return s;
    }
  }
  return s;
}

/** cast.ToInt64: numbers truncated, strings parsed (base prefixes, ".0" trimmed), bools 1/0, else 0. */
export function castInt64(v: unknown): bigint {
  if (v instanceof GoInt) return BigInt.asIntN(64, v.value);
  if (typeof v === 'number') return floatToInt64(v);
  if (typeof v === 'string') return parseInt64(trimZeroDecimal(v)) ?? 0n;
  if (typeof v === 'boolean') return v ? 1n : 0n;
  return 0n;
}

/** cast.ToFloat64: numbers, strings (strconv.ParseFloat), bools 1/0, else 0. */
export function castFloat64(v: unknown): number {
  if (typeof v === 'number') return v;
  if (v instanceof GoInt) return Number(v.value);
  if (typeof v === 'string') return parseFloat64(v) ?? 0;
  if (typeof v === 'boolean') return v ? 1 : 0;
  return 0;
}

/** Sprig's strslice (toStrings): a list's non-nil elements as strings; nil is []; a scalar is [s]. */
export function toStrings(v: unknown): string[] {
  if (Array.isArray(v)) return v.filter((e) => e !== null && e !== undefined).map(strval);
  if (v instanceof Uint8Array) return Array.from(v, (b) => formatValue(new GoInt(BigInt(b), 'uint8')));
  if (v === null || v === undefined) return [];
  return [strval(v)];
}

/** A Go `int` parameter as a JS number (the executor hands over GoInt; plain numbers are tolerated). */
export function intArg(v: unknown): number {
  if (v instanceof GoInt) return Number(v.value);
  if (typeof v === 'number') return Math.trunc(v);
  return Number(castInt64(v));
}

const A = 'interface{}' as const;

export const conversionFuncs = {
  toString: goFunc({ params: [A] }, (v: unknown) => strval(v)),
  toStrings: goFunc({ params: [A] }, (v: unknown) => toStrings(v)),
  int64: goFunc({ params: [A] }, (v: unknown) => int64(castInt64(v))),
  // Go's int is 64 bits wide on every platform Helm ships for.
  int: goFunc({ params: [A] }, (v: unknown) => int(castInt64(v))),
  float64: goFunc({ params: [A] }, (v: unknown) => castFloat64(v)),
  // Wraps strconv.Atoi and drops its error: anything but a plain decimal integer is 0.
  atoi: goFunc({ params: ['string'] }, (s: string) => {
    return int(parseIntBase(s, 10) ?? 0n);
  }),
  // Unix permission notation: "0777" (or 777) read as octal; invalid input is 0.
  toDecimal: goFunc({ params: [A] }, (v: unknown) => int64(parseIntBase(formatValue(v), 8) ?? 0n)),
};
