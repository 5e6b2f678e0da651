// Go's strconv as text/template and fmt use it: quoting (%q, Root.String(), error texts),
// unquoting of template string/char literals, Go number-literal syntax (base prefixes,
// underscores, hex floats) and float formatting with Go's exact rounding and exponent rules.
//
// Go strings are bytes; ours are UTF-16. Quoting works on code points, which gives the same
// text for every valid UTF-8 string.

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;

/** unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
export function isPrint(r: number): boolean {
  if (r < 0x80) return r >= 0x20 && r < 0x7f;
  if (r >= 0xd800 && r <= 0xdfff) return false;
  return PRINTABLE.test(String.fromCodePoint(r));
}

const LOWERHEX = '0123456789abcdef';

function hexPad(r: number, width: number): string {
  let s = r.toString(16);
  while (s.length < width) s = '0' + s;
  return s;
}

function escapeRune(r: number, quote: number, asciiOnly: boolean): string {
  if (r === quote || r === 0x5c) return '\\' + String.fromCharCode(r);
  if (asciiOnly) {
    if (r < 0x80 && isPrint(r)) return String.fromCharCode(r);
  } else if (isPrint(r)) {
    return String.fromCodePoint(r);
  }
  switch (r) {
    case 7: return '\\a';
    case 8: return '\\b';
    case 12: return '\\f';
    case 10: return '\\n';
    case 13: return '\\r';
    case 9: return '\\t';
    case 11: return '\\v';
  }
  if (r < 0x20 || r === 0x7f) return '\\x' + LOWERHEX[r >> 4] + LOWERHEX[r & 15];
  if (r >= 0xd800 && r <= 0xdfff) r = 0xfffd;
  if (r < 0x10000) return '\\u' + hexPad(r, 4);
  return '\\U' + hexPad(r, 8);
}

function quoteWith(s: string, quote: number, asciiOnly: boolean): string {
  const q = String.fromCharCode(quote);
  let out = q;
  for (const ch of s) out += escapeRune(ch.codePointAt(0)!, quote, asciiOnly);
  return out + q;
}

/** strconv.Quote */
export function quote(s: string): string {
  // Fast path: printable ASCII without quotes or backslashes needs no escaping (and no regular
  // expression: error texts are built near stack overflows too).
  let plain = true;
  for (let i = 0; i < s.length && plain; i++) {
    const c = s.charCodeAt(i);
    plain = c >= 0x20 && c < 0x7f && c !== 0x22 && c !== 0x5c;
  }
  if (plain) return '"' + s + '"';
  return quoteWith(s, 0x22, false);
}

/** strconv.QuoteToASCII */
export function quoteToASCII(s: string): string {
  return quoteWith(s, 0x22, true);
}

/** strconv.QuoteRune */
export function quoteRune(r: number, asciiOnly = false): string {
  if (r > 0x10ffff || (r >= 0xd800 && r <= 0xdfff) || r < 0) r = 0xfffd;
  return "'" + escapeRune(r, 0x27, asciiOnly) + "'";
}

/** strconv.CanBackquote */
export function canBackquote(s: string): boolean {
  for (const ch of s) {
    const r = ch.codePointAt(0)!;
    if (r === 0x60 || r === 0xfeff) return false;
    if (r < 0x20 && r !== 9) return false;
    if (r === 0x7f || r === 0xfffd) return false;
  }
  return true;
}

/** UTF-8 length of a string, as Go's len(s). */
export function byteLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) { n += 4; i++; }
    else n += 3;
  }
  return n;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function utf8Bytes(s: string): Uint8Array {
  return encoder.encode(s);
}

export function utf8String(b: Uint8Array): string {
  return decoder.decode(b);
}

export class SyntaxError extends Error {
  constructor() { super('invalid syntax'); }
}

/** strconv.UnquoteChar: one (possibly escaped) character of a quoted literal. */
export function unquoteChar(s: string, quote: number): { value: number; byte: boolean; tail: string } {
  const c = s.codePointAt(0);
  if (c === undefined) throw new SyntaxError();
  if (c === quote && (quote === 0x27 || quote === 0x22)) throw new SyntaxError();
  if (c !== 0x5c) {
    const w = c > 0xffff ? 2 : 1;
    return { value: c, byte: false, tail: s.slice(w) };
  }
  if (s.length <= 1) throw new SyntaxError();
  const e = s[1];
  let rest = s.slice(2);
  switch (e) {
    case 'a': return { value: 7, byte: false, tail: rest };
    case 'b': return { value: 8, byte: false, tail: rest };
    case 'f': return { value: 12, byte: false, tail: rest };
    case 'n': return { value: 10, byte: false, tail: rest };
    case 'r': return { value: 13, byte: false, tail: rest };
    case 't': return { value: 9, byte: false, tail: rest };
    case 'v': return { value: 11, byte: false, tail: rest };
    case 'x': case 'u': case 'U': {
      const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      if (rest.length < n) throw new SyntaxError();
      let v = 0;
      for (let j = 0; j < n; j++) {
        const d = parseInt(rest[j], 16);
        if (Number.isNaN(d)) throw new SyntaxError();
        v = v * 16 + d;
      }
      rest = rest.slice(n);
      if (e === 'x') return { value: v, byte: true, tail: rest };
      if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) throw new SyntaxError();
      return { value: v, byte: false, tail: rest };
    }
    case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': {
      let v = e.charCodeAt(0) - 48;
      if (rest.length < 2) throw new SyntaxError();
      for (let j = 0; j < 2; j++) {
        const d = rest.charCodeAt(j) - 48;
        if (d < 0 || d > 7) throw new SyntaxError();
        v = v * 8 + d;
      }
      if (v > 255) throw new SyntaxError();
      return { value: v, byte: true, tail: rest.slice(2) };
    }
    case '\\': return { value: 0x5c, byte: false, tail: rest };
    case "'": case '"':
      if (e.charCodeAt(0) !== quote) throw new SyntaxError();
      return { value: e.charCodeAt(0), byte: false, tail: rest };
    default:
      throw new SyntaxError();
  }
}

/** strconv.Unquote for "..." and `...` (and '...' of one character). */
export function unquote(s: string): string {
  const n = s.length;
  if (n < 2) throw new SyntaxError();
  const q = s[0];
  if (q !== s[n - 1]) throw new SyntaxError();
  const body = s.slice(1, n - 1);
  if (q === '`') {
    if (body.includes('`')) throw new SyntaxError();
    return body.includes('\r') ? body.replace(/\r/g, '') : body;
  }
  if (q !== '"' && q !== "'") throw new SyntaxError();
  if (body.includes('\n')) throw new SyntaxError();
  if (!body.includes('\\') && !body.includes(q)) {
    if (q === '"') return body;
    if ([...body].length === 1) return body;
  }
  const quoteCode = q.charCodeAt(0);
  let rest = body;
  let out = '';
  let bytes: number[] = [];
  const flush = (): void => {
    if (bytes.length) { out += utf8String(Uint8Array.from(bytes)); bytes = []; }
  };
  let count = 0;
  while (rest.length > 0) {
    const r = unquoteChar(rest, quoteCode);
    rest = r.tail;
    count++;
    if (r.byte) bytes.push(r.value);
    else { flush(); out += String.fromCodePoint(r.value); }
    if (q === "'" && rest.length > 0) throw new SyntaxError();
  }
  flush();
  if (q === "'" && count !== 1) throw new SyntaxError();
  return out;
}

// ---- number literals (strconv.ParseUint/ParseInt/ParseFloat with base 0) ----

/** underscoreOK from strconv: underscores may only separate digits (or a base prefix and a digit). */
function underscoreOK(s: string): boolean {
  let saw = '^';
  let i = 0;
  if (s.length >= 1 && (s[0] === '-' || s[0] === '+')) s = s.slice(1);
  let hex = false;
  if (s.length >= 2 && s[0] === '0' && 'bBoOxX'.includes(s[1])) {
    i = 2;
    saw = '0';
    hex = s[1] === 'x' || s[1] === 'X';
  }
  for (; i < s.length; i++) {
    const c = s[i];
    if ((c >= '0' && c <= '9') || (hex && /[a-fA-F]/.test(c))) { saw = '0'; continue; }
    if (c === '_') {
      if (saw !== '0') return false;
      saw = '_';
      continue;
    }
    if (saw === '_') return false;
    saw = '!';
  }
  return saw !== '_';
}

const MAX_UINT64 = (1n << 64n) - 1n;
const MAX_INT64 = (1n << 63n) - 1n;

/** strconv.ParseUint(s, 0, 64); null on any error. */
export function parseUint(s0: string): bigint | null {
  if (s0 === '') return null;
  let s = s0;
  let base = 10;
  if (s[0] === '0') {
    const p = s[1];
    if (s.length >= 3 && (p === 'b' || p === 'B')) { base = 2; s = s.slice(2); }
    else if (s.length >= 3 && (p === 'o' || p === 'O')) { base = 8; s = s.slice(2); }
    else if (s.length >= 3 && (p === 'x' || p === 'X')) { base = 16; s = s.slice(2); }
    else { base = 8; s = s.slice(1); }
  }
  let n = 0n;
  const b = BigInt(base);
  let underscores = false;
  for (const c of s) {
    if (c === '_') { underscores = true; continue; }
    const d = parseInt(c, 36);
    if (Number.isNaN(d) || d >= base) return null;
    n = n * b + BigInt(d);
    if (n > MAX_UINT64) return null;
  }
  if (underscores && !underscoreOK(s0)) return null;
  return n;
}

/** strconv.ParseInt(s, 0, 64); null on any error. */
export function parseInt64(s: string): bigint | null {
  if (s === '') return null;
  let neg = false;
  if (s[0] === '+' || s[0] === '-') { neg = s[0] === '-'; s = s.slice(1); }
  const u = parseUint(s);
  if (u === null) return null;
  if (!neg && u > MAX_INT64) return null;
  if (neg && u > MAX_INT64 + 1n) return null;
  return neg ? -u : u;
}

/** strconv.ParseFloat(s, 64); null on syntax or range error. */
export function parseFloat64(s: string): number | null {
  if (s === '') return null;
  let i = 0;
  let neg = false;
  if (s[0] === '+' || s[0] === '-') { neg = s[0] === '-'; i = 1; }
  const special = s.slice(i).toLowerCase();
  if (special === 'inf' || special === 'infinity') return neg ? -Infinity : Infinity;
  if (special === 'nan') return NaN;
  let base = 10;
  if (s[i] === '0' && i + 1 < s.length && (s[i + 1] === 'x' || s[i + 1] === 'X')) { base = 16; i += 2; }
  let mant = '';
  let sawdot = false;
  let sawdigits = false;
  let fracDigits = 0;
  let underscores = base === 16 ? false : false;
  for (; i < s.length; i++) {
    const c = s[i];
    if (c === '_') { underscores = true; continue; }
    if (c === '.') {
      if (sawdot) break;
      sawdot = true;
      continue;
    }
    const isDigit = base === 10 ? c >= '0' && c <= '9' : /[0-9a-fA-F]/.test(c);
    if (!isDigit) break;
    sawdigits = true;
    mant += c;
    if (sawdot) fracDigits++;
  }
  if (!sawdigits) return null;
  let exp = 0;
  const expChar = base === 10 ? 'e' : 'p';
  if (i < s.length && s[i].toLowerCase() === expChar) {
    i++;
    if (i >= s.length) return null;
    let esign = 1;
    if (s[i] === '+' || s[i] === '-') { if (s[i] === '-') esign = -1; i++; }
    if (i >= s.length || s[i] < '0' || s[i] > '9') return null;
    let e = 0;
    for (; i < s.length && ((s[i] >= '0' && s[i] <= '9') || s[i] === '_'); i++) {
      if (s[i] === '_') { underscores = true; continue; }
      if (e < 100000) e = e * 10 + (s.charCodeAt(i) - 48);
    }
    exp = esign * e;
  } else if (base === 16) {
    return null;
  }
  if (i !== s.length) return null;
  if (underscores && !underscoreOK(s)) return null;
  let v: number;
  if (base === 10) {
    v = Number(`${mant.slice(0, mant.length - fracDigits) || '0'}.${mant.slice(mant.length - fracDigits) || '0'}e${exp}`);
  } else {
    v = Number(BigInt('0x' + mant)) * 2 ** (exp - 4 * fracDigits);
  }
  if (!Number.isFinite(v)) return null;
  return neg ? -v : v;
}

// ---- float formatting (strconv.FormatFloat) ----

interface Decimal { d: string; dp: number } // value = 0.d × 10^dp, d without trailing zeros

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const pow5cache: bigint[] = [1n];

function pow5(n: number): bigint {
  while (pow5cache.length <= n) pow5cache.push(pow5cache[pow5cache.length - 1] * 5n);
  return pow5cache[n];
}

/** The exact decimal expansion of a finite, non-negative double. */
function exactDecimal(v: number): Decimal {
  if (v === 0) return { d: '', dp: 0 };
  f64[0] = v;
  const lo = u32[0];
  const hi = u32[1];
  const bexp = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e: number;
  if (bexp === 0) e = -1074;
  else { mant |= 1n << 52n; e = bexp - 1075; }
  let digits: string;
  let dp: number;
  if (e >= 0) {
    digits = (mant << BigInt(e)).toString();
    dp = digits.length;
  } else {
    digits = (mant * pow5(-e)).toString();
    dp = digits.length + e;
  }
  return { d: digits.replace(/0+$/, ''), dp };
}

/** Shortest digits that read back as v (what Go's FormatFloat(v, f, -1, 64) uses). */
function shortestDecimal(v: number): Decimal {
  if (v === 0) return { d: '', dp: 0 };
  const s = v.toExponential();
  const ePos = s.indexOf('e');
  const d = s.slice(0, ePos).replace('.', '');
  return { d: d.replace(/0+$/, ''), dp: Number(s.slice(ePos + 1)) + 1 };
}

/** Round to nd digits, ties to even (Go's decimal.Round on an exact value). */
function roundDecimal(x: Decimal, nd: number): Decimal {
  if (nd < 0 || nd >= x.d.length) return x;
  const c = x.d.charCodeAt(nd);
  let up: boolean;
  if (c === 53 && nd + 1 === x.d.length) up = nd > 0 && (x.d.charCodeAt(nd - 1) - 48) % 2 === 1;
  else up = c >= 53;
  if (!up) return { d: x.d.slice(0, nd).replace(/0+$/, ''), dp: x.dp };
  let i = nd - 1;
  while (i >= 0 && x.d[i] === '9') i--;
  if (i < 0) return { d: '1', dp: x.dp + 1 };
  return { d: x.d.slice(0, i) + String.fromCharCode(x.d.charCodeAt(i) + 1), dp: x.dp };
}

function fmtE(neg: boolean, x: Decimal, prec: number, fmt: string): string {
  let out = neg ? '-' : '';
  out += x.d.length === 0 ? '0' : x.d[0];
  if (prec > 0) {
    out += '.';
    let i = 1;
    const m = Math.min(x.d.length, prec + 1);
    if (i < m) { out += x.d.slice(i, m); i = m; }
    for (; i <= prec; i++) out += '0';
  }
  out += fmt;
  let exp = x.dp - 1;
  if (x.d.length === 0) exp = 0;
  out += exp < 0 ? '-' : '+';
  if (exp < 0) exp = -exp;
  out += exp < 10 ? '0' + exp : String(exp);
  return out;
}

function fmtF(neg: boolean, x: Decimal, prec: number): string {
  let out = neg ? '-' : '';
  if (x.dp > 0) {
    const m = Math.min(x.d.length, x.dp);
    out += x.d.slice(0, m);
    for (let i = m; i < x.dp; i++) out += '0';
  } else {
    out += '0';
  }
  if (prec > 0) {
    out += '.';
    for (let i = 1; i <= prec; i++) {
      const j = x.dp + i - 1;
      out += j >= 0 && j < x.d.length ? x.d[j] : '0';
    }
  }
  return out;
}

/**
 * strconv.FormatFloat(v, fmt, prec, 64) for fmt in e E f F g G (and b/x as a best effort).
 * prec < 0 means the shortest representation that reads back exactly.
 */
export function formatFloat(v: number, fmt: string, prec: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  const neg = v < 0 || Object.is(v, -0);
  const a = Math.abs(v);
  if (fmt === 'F') fmt = 'f';
  if (fmt === 'b' || fmt === 'x' || fmt === 'X') return formatBinaryOrHex(v, fmt, prec);
  const shortest = prec < 0;
  let x: Decimal;
  if (shortest) {
    x = shortestDecimal(a);
    switch (fmt) {
      case 'e': case 'E': prec = Math.max(x.d.length - 1, 0); break;
      case 'f': prec = Math.max(x.d.length - x.dp, 0); break;
      case 'g': case 'G': prec = x.d.length; break;
    }
  } else {
    x = exactDecimal(a);
    switch (fmt) {
      case 'e': case 'E': x = roundDecimal(x, prec + 1); break;
      case 'f': x = roundDecimal(x, x.dp + prec); break;
      case 'g': case 'G':
        if (prec === 0) prec = 1;
        x = roundDecimal(x, prec);
        break;
    }
  }
  switch (fmt) {
    case 'e': case 'E':
      return fmtE(neg, x, prec, fmt);
    case 'f':
      return fmtF(neg, x, prec);
    case 'g': case 'G': {
      let eprec = prec;
      if (eprec > x.d.length && x.d.length >= x.dp) eprec = x.d.length;
      if (shortest) eprec = 6;
      const exp = x.dp - 1;
      if (exp < -4 || exp >= eprec) {
        if (prec > x.d.length) prec = x.d.length;
        return fmtE(neg, x, prec - 1, fmt === 'g' ? 'e' : 'E');
      }
      if (prec > x.dp) prec = x.d.length;
      return fmtF(neg, x, Math.max(prec - x.dp, 0));
    }
  }
  return '%' + fmt;
}

function formatBinaryOrHex(v: number, fmt: string, prec: number): string {
  f64[0] = v;
  const lo = u32[0];
  const hi = u32[1];
  const neg = hi >>> 31 === 1;
  const bexp = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exp: number;
  if (bexp === 0) exp = -1074;
  else { mant |= 1n << 52n; exp = bexp - 1075; }
  if (fmt === 'b') return `${neg ? '-' : ''}${mant}p${exp >= 0 ? '+' : ''}${exp}`;
  // %x: 0x1.hhhhp±d with the mantissa normalised to a leading 1.
  if (mant === 0n) {
    const z = prec > 0 ? '0.' + '0'.repeat(prec) : '0';
    return `${neg ? '-' : ''}0x${z}p+00`.replace('x', fmt === 'X' ? 'X' : 'x').replace('p', fmt === 'X' ? 'P' : 'p');
  }
  while (mant < 1n << 52n) { mant <<= 1n; exp--; }
  exp += 52;
  let frac = mant & ((1n << 52n) - 1n);
  let hex = frac.toString(16).padStart(13, '0');
  if (prec >= 0 && prec < 13) {
    const shift = BigInt(4 * (13 - prec));
    const half = 1n << (shift - 1n);
    const rem = frac & ((1n << shift) - 1n);
    frac >>= shift;
    let lead = 1n;
    if (rem > half || (rem === half && (frac & 1n) === 1n)) {
      frac += 1n;
      if (frac >> BigInt(4 * prec) !== 0n) { lead = 2n; frac = 0n; }
    }
    hex = prec === 0 ? '' : frac.toString(16).padStart(prec, '0');
    if (lead === 2n) { exp++; }
  } else {
    hex = hex.replace(/0+$/, '');
    if (prec > 13) hex = hex.padEnd(prec, '0');
  }
  const es = exp < 0 ? '-' : '+';
  const ea = Math.abs(exp);
  let out = `${neg ? '-' : ''}0x1${hex ? '.' + hex : ''}p${es}${ea < 10 ? '0' + ea : ea}`;
  if (fmt === 'X') out = out.toUpperCase();
  return out;
}
