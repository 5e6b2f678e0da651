// Go encoding/json, as Helm's and Sprig's toJson/fromJson family use it.
//
// Output must match Go byte for byte: map keys sorted, `<>&` and U+2028/U+2029 escaped,
// floats in Go's shortest form with its 'f'/'e' cutoffs, `{}`/`[]` kept compact by Indent.
// Unmarshal validates the whole text first (Go's checkValid), so syntax errors win over type
// errors and carry Go's scanner wording.
import { GoInt, GoStruct, GoTime, isMap, typeName } from '../template/value.js';

export interface MarshalOptions {
  /** Go's default (true); `toRawJson` turns it off with Encoder.SetEscapeHTML(false). */
  readonly escapeHTML?: boolean;
  /** With `indent`, the text is formatted as json.MarshalIndent(v, prefix, indent) formats it. */
  readonly prefix?: string;
  readonly indent?: string;
}

/** A Go encoding/json error; `message` is Go's `err.Error()` text. */
export class JSONError extends Error {
  override name = 'JSONError';
}

export function marshal(v: unknown, opts: MarshalOptions = {}): string {
  const out: string[] = [];
  encodeValue(v, out, opts.escapeHTML ?? true);
  const compact = out.join('');
  if (opts.indent === undefined && opts.prefix === undefined) return compact;
  return indent(compact, opts.prefix ?? '', opts.indent ?? '');
}

// Go's shortest float64 text equals JS's for every finite value, and JS switches to exponent
// form at the same magnitudes Go's encoder does (>= 1e21, < 1e-6); only -0 differs.
export function formatFloat(f: number): string {
  if (!Number.isFinite(f)) {
    throw new JSONError(`json: unsupported value: ${Number.isNaN(f) ? 'NaN' : f > 0 ? '+Inf' : '-Inf'}`);
  }
  if (f === 0 && Object.is(f, -0)) return '-0';
  return String(f);
}

function encodeValue(v: unknown, out: string[], escapeHTML: boolean): void {
  if (v === null || v === undefined) {
    out.push('null');
  } else if (typeof v === 'string') {
    out.push(quote(v, escapeHTML));
  } else if (typeof v === 'number') {
    out.push(formatFloat(v));
  } else if (typeof v === 'boolean') {
    out.push(v ? 'true' : 'false');
  } else if (v instanceof GoInt) {
    out.push(v.value.toString());
  } else if (Array.isArray(v)) {
    out.push('[');
    for (let i = 0; i < v.length; i++) {
      if (i > 0) out.push(',');
      encodeValue(v[i], out, escapeHTML);
    }
    out.push(']');
  } else if (v instanceof Uint8Array) {
    out.push('"', Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64'), '"');
  } else if (v instanceof GoTime) {
    out.push(quote(goTimeRFC3339Nano(v), escapeHTML));
  } else if (v instanceof GoStruct) {
    encodeStruct(v, out, escapeHTML);
  } else if (isMap(v)) {
    const keys = sortedKeysBytewise(v);
    out.push('{');
    for (let i = 0; i < keys.length; i++) {
      if (i > 0) out.push(',');
      out.push(quote(keys[i]!, escapeHTML), ':');
      encodeValue(v[keys[i]!], out, escapeHTML);
    }
    out.push('}');
  } else {
    throw new JSONError(`json: unsupported type: ${typeName(v)}`);
  }
}

/**
 * A struct is encoded through `toJSON()` when it has one (Go's MarshalJSON / json tags), else
 * as its own enumerable fields in declaration order.
 */
function encodeStruct(v: GoStruct, out: string[], escapeHTML: boolean): void {
  const custom = (v as unknown as { toJSON?: () => unknown }).toJSON;
  if (typeof custom === 'function') {
    encodeValue(custom.call(v), out, escapeHTML);
    return;
  }
  out.push('{');
  let first = true;
  for (const [k, field] of Object.entries(v)) {
    if (k === 'goTypeName' || typeof field === 'function') continue;
    if (!first) out.push(',');
    first = false;
    out.push(quote(k, escapeHTML), ':');
    encodeValue(field, out, escapeHTML);
  }
  out.push('}');
}

/** Go compares map keys as UTF-8 bytes; UTF-16 order differs only around surrogates. */
export function sortedKeysBytewise(m: Record<string, unknown>): string[] {
  return Object.keys(m).sort(compareBytewise);
}

export function compareBytewise(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // A surrogate (U+D800–DFFF) stands for a code point above U+FFFF, whose UTF-8 sorts after
    // every BMP character; U+E000–FFFF otherwise sorts above surrogates in UTF-16.
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys) return xs ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

const HEX = '0123456789abcdef';

/** Go's encodeState.string: a JSON string literal. */
export function quote(s: string, escapeHTML = true): string {
  let out = '"';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let esc: string | undefined;
    if (c < 0x80) {
      if (c >= 0x20 && c !== 0x22 && c !== 0x5c && !(escapeHTML && (c === 0x3c || c === 0x3e || c === 0x26))) continue;
      switch (c) {
        case 0x22: esc = '\\"'; break;
        case 0x5c: esc = '\\\\'; break;
        case 0x08: esc = '\\b'; break;
        case 0x0c: esc = '\\f'; break;
        case 0x0a: esc = '\\n'; break;
        case 0x0d: esc = '\\r'; break;
        case 0x09: esc = '\\t'; break;
        default: esc = '\\u00' + HEX[c >> 4] + HEX[c & 0xf];
      }
    } else if (c === 0x2028 || c === 0x2029) {
      esc = c === 0x2028 ? '\\u2028' : '\\u2029';
    } else if (c >= 0xd800 && c <= 0xdbff) {
      const d = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
      if (d >= 0xdc00 && d <= 0xdfff) { i++; continue; }
      esc = '\\ufffd';
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      // A lone surrogate is invalid UTF-8 in a Go string.
      esc = '\\ufffd';
    } else {
      continue;
    }
    out += s.slice(start, i) + esc;
    start = i + 1;
  }
  return out + s.slice(start) + '"';
}

/** Go's json.Indent over compact, valid JSON. */
function indent(src: string, prefix: string, ind: string): string {
  let out = '';
  let depth = 0;
  let needIndent = false;
  const newline = (d: number) => '\n' + prefix + ind.repeat(d);
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === '"') {
      let j = i + 1;
      while (src[j] !== '"') j += src[j] === '\\' ? 2 : 1;
      if (needIndent) { out += newline(depth); needIndent = false; }
      out += src.slice(i, j + 1);
      i = j;
      continue;
    }
    if (needIndent && c !== ']' && c !== '}') {
      out += newline(depth);
      needIndent = false;
    }
    switch (c) {
      case '{':
      case '[':
        out += c;
        depth++;
        // Delay the newline so that an empty object or array stays `{}` / `[]`.
        needIndent = true;
        break;
      case ',':
        out += c + newline(depth);
        break;
      case ':':
        out += ': ';
        break;
      case '}':
      case ']':
        depth--;
        if (needIndent) needIndent = false;
        else out += newline(depth);
        out += c;
        break;
      default:
        out += c;
    }
  }
  return out;
}

/** time.Time.MarshalJSON: RFC 3339 with nanoseconds, trailing zeros dropped. */
function goTimeRFC3339Nano(t: GoTime): string {
  const offsetMin = zoneOffsetMinutes(t);
  const d = new Date(t.ms + offsetMin * 60000);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  const nanos = (d.getUTCMilliseconds() * 1e6 + t.nanos).toString().padStart(9, '0').replace(/0+$/, '');
  let s = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  if (nanos) s += '.' + nanos;
  if (offsetMin === 0) return s + 'Z';
  const a = Math.abs(offsetMin);
  return `${s}${offsetMin < 0 ? '-' : '+'}${pad(Math.floor(a / 60))}:${pad(a % 60)}`;
}

function zoneOffsetMinutes(t: GoTime): number {
  if (t.zone === 'UTC' || t.zone === '') return 0;
  const fixed = /^([+-])(\d{2}):?(\d{2})$/.exec(t.zone);
  if (fixed) return (fixed[1] === '-' ? -1 : 1) * (Number(fixed[2]) * 60 + Number(fixed[3]));
  try {
    const parts = new Intl.DateTimeFormat('en-US', { timeZone: t.zone, timeZoneName: 'longOffset' })
      .formatToParts(new Date(t.ms));
    const name = parts.find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
    const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
    return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
  } catch {
    return 0;
  }
}

// ---------------------------------------------------------------------------------------------
// Unmarshal

/** What Go decodes into: `interface{}` (any), `map[string]interface{}` or `[]interface{}`. */
export type UnmarshalTarget = 'any' | 'map' | 'slice';

/**
 * json.Unmarshal into an interface{} (numbers float64), or into a map/slice as Helm's
 * fromJson/fromJsonArray do; throws JSONError with Go's message.
 */
export function unmarshal(text: string, target: UnmarshalTarget = 'any'): unknown {
  const value = new Decoder(text).decodeDocument();
  if (target === 'map' && value !== null && !isMap(value)) {
    throw new JSONError(`json: cannot unmarshal ${jsonKind(value)} into Go value of type map[string]interface {}`);
  }
  if (target === 'slice' && value !== null && !Array.isArray(value)) {
    throw new JSONError(`json: cannot unmarshal ${jsonKind(value)} into Go value of type []interface {}`);
  }
  return value;
}

function jsonKind(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'boolean') return 'bool';
  return 'object';
}

const EOF_MESSAGE = 'unexpected end of JSON input';

class Decoder {
  private pos = 0;
  private typeError: JSONError | undefined;
  constructor(private readonly src: string) {}

  decodeDocument(): unknown {
    const v = this.value('looking for beginning of value');
    this.skipSpace();
    if (this.pos < this.src.length) this.fail('after top-level value');
    // Go reports a number out of float64 range only after the syntax check passed.
    if (this.typeError) throw this.typeError;
    return v;
  }

  private skipSpace(): void {
    const s = this.src;
    while (this.pos < s.length) {
      const c = s.charCodeAt(this.pos);
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) break;
      this.pos++;
    }
  }

  private fail(context: string): never {
    if (this.pos >= this.src.length) throw new JSONError(EOF_MESSAGE);
    throw new JSONError(`invalid character ${quoteChar(this.src, this.pos)} ${context}`);
  }

  private value(context: string): unknown {
    this.skipSpace();
    const s = this.src;
    if (this.pos >= s.length) throw new JSONError(EOF_MESSAGE);
    const c = s[this.pos]!;
    switch (c) {
      case '{': return this.object();
      case '[': return this.array();
      case '"': return this.string();
      case 't': return this.literal('true', true);
      case 'f': return this.literal('false', false);
      case 'n': return this.literal('null', null);
      default:
        if (c === '-' || (c >= '0' && c <= '9')) return this.number();
        return this.fail(context);
    }
  }

  private object(): Record<string, unknown> {
    const obj: Record<string, unknown> = {};
    this.pos++;
    this.skipSpace();
    if (this.src[this.pos] === '}') { this.pos++; return obj; }
    for (;;) {
      this.skipSpace();
      if (this.src[this.pos] !== '"') this.fail('looking for beginning of object key string');
      const key = this.string();
      this.skipSpace();
      if (this.src[this.pos] !== ':') this.fail('after object key');
      this.pos++;
      const v = this.value('looking for beginning of value');
      setKey(obj, key, v);
      this.skipSpace();
      const c = this.src[this.pos];
      if (c === ',') { this.pos++; continue; }
      if (c === '}') { this.pos++; return obj; }
      this.fail('after object key:value pair');
    }
  }

  private array(): unknown[] {
    const arr: unknown[] = [];
    this.pos++;
    this.skipSpace();
    if (this.src[this.pos] === ']') { this.pos++; return arr; }
    for (;;) {
      arr.push(this.value('looking for beginning of value'));
      this.skipSpace();
      const c = this.src[this.pos];
      if (c === ',') { this.pos++; continue; }
      if (c === ']') { this.pos++; return arr; }
      this.fail('after array element');
    }
  }

  private literal<T>(word: string, v: T): T {
    for (let i = 1; i < word.length; i++) {
      this.pos++;
      if (this.src[this.pos] !== word[i]) this.fail(`in literal ${word} (expecting '${word[i]}')`);
    }
    this.pos++;
    return v;
  }

  private number(): number {
    const s = this.src;
    const start = this.pos;
    const digit = () => this.pos < s.length && s.charCodeAt(this.pos) >= 0x30 && s.charCodeAt(this.pos) <= 0x39;
    if (s[this.pos] === '-') {
      this.pos++;
      if (!digit()) this.fail('in numeric literal');
    }
    if (s[this.pos] === '0') this.pos++;
    else while (digit()) this.pos++;
    if (s[this.pos] === '.') {
      this.pos++;
      if (!digit()) this.fail('after decimal point in numeric literal');
      while (digit()) this.pos++;
    }
    if (s[this.pos] === 'e' || s[this.pos] === 'E') {
      this.pos++;
      if (s[this.pos] === '+' || s[this.pos] === '-') this.pos++;
      if (!digit()) this.fail('in exponent of numeric literal');
      while (digit()) this.pos++;
    }
    const text = s.slice(start, this.pos);
    const f = Number(text);
    if (!Number.isFinite(f)) {
      this.typeError ??= new JSONError(`json: cannot unmarshal number ${text} into Go value of type float64`);
      return 0;
    }
    return f;
  }

  private string(): string {
    const s = this.src;
    this.pos++;
    let out = '';
    let start = this.pos;
    for (;;) {
      if (this.pos >= s.length) throw new JSONError(EOF_MESSAGE);
      const c = s.charCodeAt(this.pos);
      if (c === 0x22) {
        out += s.slice(start, this.pos);
        this.pos++;
        return out;
      }
      if (c < 0x20) this.fail('in string literal');
      if (c === 0x5c) {
        out += s.slice(start, this.pos);
        this.pos++;
        out += this.escape();
        start = this.pos;
        continue;
      }
      if (c >= 0xd800 && c <= 0xdfff) {
        // Invalid UTF-8 (here: a lone surrogate) decodes as U+FFFD.
        const d = s.charCodeAt(this.pos + 1);
        if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) { this.pos += 2; continue; }
        out += s.slice(start, this.pos) + '\ufffd';
        this.pos++;
        start = this.pos;
        continue;
      }
      this.pos++;
    }
  }

  private escape(): string {
    const s = this.src;
    if (this.pos >= s.length) throw new JSONError(EOF_MESSAGE);
    const c = s[this.pos]!;
    this.pos++;
    switch (c) {
      case '"': return '"';
      case '\\': return '\\';
      case '/': return '/';
      case 'b': return '\b';
      case 'f': return '\f';
      case 'n': return '\n';
      case 'r': return '\r';
      case 't': return '\t';
      case 'u': {
        const hi = this.hex4();
        if (hi >= 0xd800 && hi <= 0xdbff) {
          // A pair only when a low-surrogate escape follows immediately.
          if (s[this.pos] === '\\' && s[this.pos + 1] === 'u') {
            const save = this.pos;
            this.pos += 2;
            const lo = this.hex4();
            if (lo >= 0xdc00 && lo <= 0xdfff) return String.fromCharCode(hi, lo);
            this.pos = save;
          }
          return '\ufffd';
        }
        if (hi >= 0xdc00 && hi <= 0xdfff) return '\ufffd';
        return String.fromCharCode(hi);
      }
      default:
        this.pos--;
        return this.fail('in string escape code');
    }
  }

  private hex4(): number {
    let n = 0;
    for (let i = 0; i < 4; i++) {
      const d = this.pos < this.src.length ? parseInt(this.src[this.pos]!, 16) : NaN;
      if (Number.isNaN(d)) this.fail('in \\u hexadecimal character escape');
      n = n * 16 + d;
      this.pos++;
    }
    return n;
  }
}

/** Sets a decoded map entry; a `__proto__` key is an ordinary entry, as in a Go map. */
export function setKey(obj: Record<string, unknown>, key: string, v: unknown): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value: v, enumerable: true, writable: true, configurable: true });
  else obj[key] = v;
}

/** Go's quoteChar: the offending byte as the scanner's message shows it. */
function quoteChar(src: string, pos: number): string {
  const cp = src.codePointAt(pos)!;
  if (cp === 0x27) return `'\\''`;
  if (cp === 0x22) return `'"'`;
  // The scanner reads bytes: a multi-byte character is reported by its first UTF-8 byte,
  // shown as the Latin-1 rune of that byte.
  const b = cp < 0x80 ? cp : Buffer.from(String.fromCodePoint(cp))[0]!;
  return `'${goQuoteRune(b)}'`;
}

/** The inside of strconv.Quote for a rune below U+0100. */
function goQuoteRune(r: number): string {
  switch (r) {
    case 0x07: return '\\a';
    case 0x08: return '\\b';
    case 0x0c: return '\\f';
    case 0x0a: return '\\n';
    case 0x0d: return '\\r';
    case 0x09: return '\\t';
    case 0x0b: return '\\v';
    case 0x5c: return '\\\\';
  }
  if (r < 0x20 || r === 0x7f) return '\\x' + HEX[r >> 4] + HEX[r & 0xf];
  if ((r >= 0x80 && r < 0xa0) || r === 0xa0 || r === 0xad) return '\\u00' + HEX[r >> 4] + HEX[r & 0xf];
  return String.fromCharCode(r);
}
