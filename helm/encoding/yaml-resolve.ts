// go-yaml v2's implicit typing of plain scalars (YAML 1.1 as go-yaml implements it): what a
// plain `yes`, `0x1F`, `1e3`, `~` or `2001-12-14` means. The encoder quotes any string that
// would resolve to something else; the decoder types plain scalars with it.

export type ResolvedTag = 'str' | 'bool' | 'null' | 'int' | 'float' | 'timestamp';

export interface Resolved {
  readonly tag: ResolvedTag;
  /** bool: boolean; null: null; int: bigint; float: number; str/timestamp: the text. */
  readonly value: unknown;
}

const RESOLVE_MAP = new Map<string, Resolved>();
for (const s of ['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']) {
  RESOLVE_MAP.set(s, { tag: 'bool', value: true });
}
for (const s of ['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']) {
  RESOLVE_MAP.set(s, { tag: 'bool', value: false });
}
for (const s of ['', '~', 'null', 'Null', 'NULL']) RESOLVE_MAP.set(s, { tag: 'null', value: null });
for (const s of ['.nan', '.NaN', '.NAN']) RESOLVE_MAP.set(s, { tag: 'float', value: NaN });
for (const s of ['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF']) RESOLVE_MAP.set(s, { tag: 'float', value: Infinity });
for (const s of ['-.inf', '-.Inf', '-.INF']) RESOLVE_MAP.set(s, { tag: 'float', value: -Infinity });

/** go-yaml's resolveTable: the first byte decides whether a plain scalar may be a non-string. */
function hintOf(c: number): 'S' | 'D' | 'M' | '.' | undefined {
  if (c === 0x2b || c === 0x2d) return 'S';
  if (c >= 0x30 && c <= 0x39) return 'D';
  if (c === 0x2e) return '.';
  // yYnNtTfFoO~
  if (c === 0x79 || c === 0x59 || c === 0x6e || c === 0x4e || c === 0x74 || c === 0x54 ||
      c === 0x66 || c === 0x46 || c === 0x6f || c === 0x4f || c === 0x7e) return 'M';
  return undefined;
}

const STR = (s: string): Resolved => ({ tag: 'str', value: s });
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const MAX_INT64 = (1n << 63n) - 1n;
const MIN_INT64 = -(1n << 63n);
const MAX_UINT64 = (1n << 64n) - 1n;

/** resolve("", s): how go-yaml v2 types the plain scalar `s`. */
export function resolvePlain(s: string): Resolved {
  const hint = s === '' ? 'M' : hintOf(s.charCodeAt(0));
  if (hint === undefined) return STR(s);
  const mapped = RESOLVE_MAP.get(s);
  if (mapped) return mapped;
  if (hint === 'M') return STR(s);
  if (hint === '.') {
    const f = parseGoFloat(s);
    return f === undefined ? STR(s) : { tag: 'float', value: f };
  }
  if (isTimestamp(s)) return { tag: 'timestamp', value: s };
  const plain = s.includes('_') ? s.replace(/_/g, '') : s;
  const i = parseGoInt(plain, true);
  if (i !== undefined && i >= MIN_INT64 && i <= MAX_INT64) return { tag: 'int', value: i };
  const u = parseGoInt(plain, false);
  if (u !== undefined && u >= 0n && u <= MAX_UINT64) return { tag: 'int', value: u };
  if (YAML_STYLE_FLOAT.test(plain)) {
    const f = Number(plain);
    if (Number.isFinite(f)) return { tag: 'float', value: f };
  }
  return STR(s);
}

/** resolvePlain(s).tag === 'str', decided from the first character when it can be. */
export function resolvesToString(s: string): boolean {
  if (s !== '' && hintOf(s.charCodeAt(0)) === undefined) return true;
  return resolvePlain(s).tag === 'str';
}

/**
 * strconv.ParseInt/ParseUint(s, 0, 64) without the range check: optional sign (ParseInt
 * only), then 0x / 0o / 0b / leading-0 octal / decimal.
 */
function parseGoInt(s: string, signed: boolean): bigint | undefined {
  let i = 0;
  let neg = false;
  if (signed && (s[0] === '+' || s[0] === '-')) {
    neg = s[0] === '-';
    i = 1;
  }
  let body = s.slice(i);
  let digits: RegExp;
  let prefix = '';
  if (/^0[xX]/.test(body)) { prefix = '0x'; body = body.slice(2); digits = /^[0-9a-fA-F]+$/; }
  else if (/^0[bB]/.test(body)) { prefix = '0b'; body = body.slice(2); digits = /^[01]+$/; }
  else if (/^0[oO]/.test(body)) { prefix = '0o'; body = body.slice(2); digits = /^[0-7]+$/; }
  else if (body.length > 1 && body[0] === '0') { prefix = '0o'; body = body.slice(1); digits = /^[0-7]+$/; }
  else digits = /^[0-9]+$/;
  if (!digits.test(body)) return undefined;
  const v = BigInt(prefix + body);
  return neg ? -v : v;
}

/** strconv.ParseFloat for the texts go-yaml hands it after a '.' hint (`.5`, `.5e3`). */
function parseGoFloat(s: string): number | undefined {
  let t = s;
  if (t.includes('_')) {
    // Go accepts an underscore only between digits.
    if (!/^[.]?[0-9](_?[0-9])*([.][0-9](_?[0-9])*)?([eE][-+]?[0-9](_?[0-9])*)?$/.test(t)) return undefined;
    t = t.replace(/_/g, '');
  }
  if (!/^\.[0-9]+([eE][-+]?[0-9]+)?$/.test(t)) return undefined;
  const f = Number(t);
  return Number.isFinite(f) ? f : undefined;
}

const TS_DATE = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;
const TS_RFC3339 = /^(\d{4})-(\d{1,2})-(\d{1,2})[Tt](\d{1,2}):(\d{1,2}):(\d{1,2})(?:[.,]\d+)?(?:Z|[+-]\d{2}:\d{2})$/;
const TS_SPACED = /^(\d{4})-(\d{1,2})-(\d{1,2}) (\d{1,2}):(\d{1,2}):(\d{1,2})(?:[.,]\d+)?$/;

/** go-yaml's parseTimestamp: time.Parse with its four layouts, including Go's range checks. */
export function isTimestamp(s: string): boolean {
  if (s.length < 5 || s[4] !== '-') return false;
  const m = TS_DATE.exec(s) ?? TS_RFC3339.exec(s) ?? TS_SPACED.exec(s);
  if (!m) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysIn(month, year)) return false;
  if (m[4] !== undefined && (Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6]) > 59)) return false;
  return true;
}

function daysIn(month: number, year: number): number {
  if (month === 2) return (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)) ? 29 : 28;
  return [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
}

const BASE60_FLOAT = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;

/** YAML 1.1 base-60 floats (`1:20`): go-yaml does not decode them but still quotes them. */
export function isBase60Float(s: string): boolean {
  if (s === '') return false;
  const c = s[0]!;
  if (!(c === '+' || c === '-' || (c >= '0' && c <= '9')) || !s.includes(':')) return false;
  return BASE60_FLOAT.test(s);
}

/** go-yaml v3 keeps quoting the YAML 1.1 booleans it no longer decodes as such. */
export function isOldBool(s: string): boolean {
  switch (s) {
    case 'y': case 'Y': case 'yes': case 'Yes': case 'YES': case 'on': case 'On': case 'ON':
    case 'n': case 'N': case 'no': case 'No': case 'NO': case 'off': case 'Off': case 'OFF':
      return true;
    default:
      return false;
  }
}

/** strconv.FormatFloat(f, 'g', -1, 64), then go-yaml's names for the infinities and NaN. */
export function formatFloatG(f: number): string {
  if (Number.isNaN(f)) return '.nan';
  if (f === Infinity) return '.inf';
  if (f === -Infinity) return '-.inf';
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  // Between 1e-4 and 1e6 both print the shortest digits without an exponent.
  const abs = Math.abs(f);
  if (abs >= 1e-4 && abs < 1e6) return String(f);
  const e = f.toExponential(); // shortest round-trip digits: d.ddde±x
  const neg = e[0] === '-';
  const body = neg ? e.slice(1) : e;
  const ePos = body.indexOf('e');
  const digits = body.slice(0, ePos).replace('.', '');
  const exp = Number(body.slice(ePos + 1));
  let out: string;
  // strconv decides with precision 6 when the precision is the shortest: 1e6 is 1e+06.
  if (exp < -4 || exp >= 6) {
    const mant = digits.length > 1 ? digits[0] + '.' + digits.slice(1) : digits;
    const ae = Math.abs(exp);
    out = `${mant}e${exp < 0 ? '-' : '+'}${ae < 10 ? '0' + ae : ae}`;
  } else if (exp < 0) {
    out = '0.' + '0'.repeat(-exp - 1) + digits;
  } else if (exp + 1 >= digits.length) {
    out = digits + '0'.repeat(exp + 1 - digits.length);
  } else {
    out = digits.slice(0, exp + 1) + '.' + digits.slice(exp + 1);
  }
  return neg ? '-' + out : out;
}
