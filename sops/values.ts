// How sops turns typed values into the exact plaintext bytes it encrypts and hashes, and back
// (sops-format.md §2.3, §5.1). Every rule here mirrors a Go function: strconv.FormatFloat(v,'f',-1),
// strconv.ParseBool, time.MarshalText, and yaml.v3's resolution of plain scalars.

export type ScalarType = 'str' | 'int' | 'float' | 'bool' | 'time' | 'bytes';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Go `strconv.FormatFloat(v, 'f', -1, 64)`: shortest round-trip digits, never an exponent. */
export function formatGoFloat(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  if (Object.is(v, -0)) return '-0';
  const s = String(v);
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (!m) return s;
  const [, sign, lead, frac = '', expText] = m;
  const digits = lead + frac;
  const exp = Number(expText);
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  const intLen = exp + 1;
  if (digits.length <= intLen) return sign + digits + '0'.repeat(intLen - digits.length);
  return `${sign}${digits.slice(0, intLen)}.${digits.slice(intLen)}`;
}

/** Go `strconv.ParseFloat` for the spellings sops can have written; undefined when invalid. */
export function parseGoFloat(s: string): number | undefined {
  const t = s.replace(/_/g, '');
  if (/^[+]?inf(inity)?$/i.test(t)) return Infinity;
  if (/^-inf(inity)?$/i.test(t)) return -Infinity;
  if (/^nan$/i.test(t)) return NaN;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return undefined;
  return Number(t);
}

/** Go `strconv.ParseBool`. */
export function parseGoBool(s: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(s)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(s)) return false;
  return undefined;
}

/** Base-10 int64 text (Go `strconv.Atoi`), canonicalised; undefined when invalid or out of range. */
export function parseGoInt(s: string): string | undefined {
  if (!/^[+-]?\d+$/.test(s)) return undefined;
  const v = BigInt(s);
  return v < INT64_MIN || v > INT64_MAX ? undefined : v.toString();
}

/**
 * A timestamp as yaml.v3 recognises it in a plain scalar (four layouts, short date fields allowed),
 * rendered the way Go's time.MarshalText does (RFC 3339, trimmed fraction, `Z` for a zero offset).
 */
export function parseYamlTimestamp(s: string): string | undefined {
  const m =
    /^(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:[Tt](\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2}))|(?: (\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.(\d+))?))?$/.exec(s);
  if (!m) return undefined;
  const hour = m[4] ?? m[9] ?? '0';
  const minute = m[5] ?? m[10] ?? '0';
  const second = m[6] ?? m[11] ?? '0';
  const frac = m[7] ?? m[12] ?? '';
  const zone = m[8] ?? 'Z';
  return renderTime(m[1], m[2], m[3], hour, minute, second, frac, zone);
}

/** RFC 3339 as Go parses it (time.Parse(time.RFC3339Nano)), re-rendered by MarshalText. */
export function parseRfc3339(s: string, secondsOnly = false): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?([Zz]|[+-]\d{2}:\d{2})$/.exec(s);
  if (!m) return undefined;
  return renderTime(m[1], m[2], m[3], m[4], m[5], m[6], secondsOnly ? '' : (m[7] ?? ''), m[8].toUpperCase());
}

function renderTime(y: string, mo: string, d: string, h: string, mi: string, se: string, frac: string, zone: string): string | undefined {
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, se].map(Number);
  const daysIn = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysIn || hour > 23 || minute > 59 || second > 59) return undefined;
  if (frac.length > 9) return undefined;
  const p2 = (n: number) => String(n).padStart(2, '0');
  const fraction = frac.replace(/0+$/, '');
  let z = zone;
  if (z !== 'Z') {
    const [oh, om] = z.slice(1).split(':').map(Number);
    if (oh > 23 || om > 59) return undefined;
    if (oh === 0 && om === 0) z = 'Z';
  }
  return `${y}-${p2(month)}-${p2(day)}T${p2(hour)}:${p2(minute)}:${p2(second)}${fraction ? '.' + fraction : ''}${z}`;
}

/** The result of resolving an untagged plain YAML scalar like Go's yaml.v3 does. */
export type Resolved = { type: Exclude<ScalarType, 'bytes'>; text: string } | null;

const NULLS = new Set(['', '~', 'null', 'Null', 'NULL']);
const TRUES = new Set(['true', 'True', 'TRUE']);
const FALSES = new Set(['false', 'False', 'FALSE']);
const YAML_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

/** yaml.v3 plain-scalar resolution (sops-format.md §9.1): null, bool, int, float, timestamp, else str. */
export function resolvePlain(s: string): Resolved {
  if (NULLS.has(s)) return null;
  if (TRUES.has(s)) return { type: 'bool', text: 'True' };
  if (FALSES.has(s)) return { type: 'bool', text: 'False' };
  if (['.nan', '.NaN', '.NAN'].includes(s)) return { type: 'float', text: 'NaN' };
  if (['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF'].includes(s)) return { type: 'float', text: '+Inf' };
  if (['-.inf', '-.Inf', '-.INF'].includes(s)) return { type: 'float', text: '-Inf' };
  if (s === '-0' || s === '-0.0') return { type: 'float', text: '-0' };
  if (!/^[-+.0-9]/.test(s)) return { type: 'str', text: s };
  const time = /^\d/.test(s) ? parseYamlTimestamp(s) : undefined;
  if (time) return { type: 'time', text: time };
  const plain = s.replace(/_/g, '');
  const int = parseGoIntBase0(plain);
  if (int !== undefined) return { type: 'int', text: int };
  if (YAML_FLOAT.test(plain)) return { type: 'float', text: formatGoFloat(Number(plain)) };
  return { type: 'str', text: s };
}

/** Go `strconv.ParseInt(s, 0, 64)`: sign, then 0x/0o/0b prefixes or a leading-0 octal. */
function parseGoIntBase0(s: string): string | undefined {
  const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(s);
  if (!m) return undefined;
  const body = /^0[0-7]+$/.test(m[2]) ? '0o' + m[2].slice(1) : m[2];
  const v = BigInt(body) * (m[1] === '-' ? -1n : 1n);
  return v < INT64_MIN || v > INT64_MAX ? undefined : v.toString();
}

/**
 * Checks the plaintext of a decrypted value against its declared type and returns the canonical
 * text that sops hashes (e.g. `true` stored as bool hashes as `True`); undefined when invalid.
 */
export function canonicalFromType(type: string, plain: string): string | undefined {
  switch (type) {
    case 'str':
    case 'bytes':
    case 'comment':
      return plain;
    case 'int':
      return parseGoInt(plain);
    case 'float': {
      const f = parseGoFloat(plain);
      return f === undefined ? undefined : formatGoFloat(f);
    }
    case 'bool': {
      const b = parseGoBool(plain);
      return b === undefined ? undefined : b ? 'True' : 'False';
    }
    case 'time':
      return parseRfc3339(plain);
    default:
      return undefined;
  }
}
