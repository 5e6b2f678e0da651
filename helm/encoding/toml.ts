// BurntSushi/toml (v1.5, what Helm v3.19 links) as Helm's toToml and fromToml use it.
//
// encode: NewEncoder(w).Encode(v) — a table's plain keys first, then its sub-tables and arrays
// of tables, each group sorted; nested keys indented two spaces per level; floats always with
// a decimal point. decode: smol-toml parses (TOML 1.0); values are given the Go types
// BurntSushi decodes into interface{} (int64, float64, time.Time, maps, slices).
import { parse as parseTOML, TomlDate, TomlError } from 'smol-toml';
import { GoInt, GoStruct, GoTime, int64, isMap, kindOf } from '../template/value.js';
import { formatFloat, marshal as jsonMarshal, setKey } from './json.js';

/** A BurntSushi/toml error; `message` is its Go text. */
export class TOMLError extends Error {
  override name = 'TOMLError';
}

const INDENT = '  ';

/** toml.NewEncoder(w).Encode(v): the document, with its trailing newline. */
export function encode(v: unknown): string {
  const enc = new Encoder();
  enc.encode([], v);
  return enc.out;
}

type TomlKind = 'hash' | 'arrayHash' | 'array' | 'scalar' | undefined;

class Encoder {
  out = '';
  private written = false;

  private write(s: string): void {
    this.out += s;
    this.written = true;
  }

  private newline(): void {
    if (this.written) this.write('\n');
  }

  encode(key: string[], v: unknown): void {
    if (v === null || v === undefined) return;
    if (v instanceof GoTime || typeof v !== 'object' || v instanceof GoInt) {
      this.writeKeyValue(key, v, false);
      return;
    }
    if (Array.isArray(v) || v instanceof Uint8Array) {
      if (tomlKind(v) === 'arrayHash') this.arrayOfTables(key, v as unknown[]);
      else this.writeKeyValue(key, v, false);
      return;
    }
    if (isMap(v) || v instanceof GoStruct) {
      this.table(key, v);
      return;
    }
    throw new TOMLError(`unsupported type for key '${keyString(key)}': ${kindOf(v)}`);
  }

  private arrayOfTables(key: string[], arr: unknown[]): void {
    if (key.length === 0) throw new TOMLError('toml: top-level values must be Go maps or structs');
    for (const t of arr) {
      if (t === null || t === undefined) continue;
      this.newline();
      this.write(`${indentOf(key)}[[${keyString(key)}]]`);
      this.newline();
      this.mapOrStruct(key, t, false);
    }
  }

  private table(key: string[], v: object): void {
    // An extra blank line between top-level tables (none before the first output).
    if (key.length === 1) this.newline();
    if (key.length > 0) {
      this.write(`${indentOf(key)}[${keyString(key)}]`);
      this.newline();
    }
    this.mapOrStruct(key, v, false);
  }

  private mapOrStruct(key: string[], v: unknown, inline: boolean): void {
    const entries = fieldsOf(v);
    const direct: Array<[string, unknown]> = [];
    const sub: Array<[string, unknown]> = [];
    for (const e of entries) {
      const k = tomlKind(e[1]);
      (k === 'hash' || k === 'arrayHash' ? sub : direct).push(e);
    }
    if (isMap(v)) {
      const byKey = (a: [string, unknown], b: [string, unknown]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
      direct.sort(byKey);
      sub.sort(byKey);
    }
    if (inline) this.write('{');
    const writeGroup = (group: Array<[string, unknown]>, trailingComma: boolean) => {
      group.forEach(([k, val], i) => {
        if (val === null || val === undefined) return;
        if (inline) {
          this.writeKeyValue([k], val, true);
          if (trailingComma || i !== group.length - 1) this.write(', ');
        } else {
          this.encode([...key, k], val);
        }
      });
    };
    writeGroup(direct, sub.length > 0);
    writeGroup(sub, false);
    if (inline) this.write('}');
  }

  private writeKeyValue(key: string[], v: unknown, inline: boolean): void {
    if (key.length === 0) {
      this.element(v);
      return;
    }
    this.write(`${indentOf(key)}${maybeQuoted(key[key.length - 1]!)} = `);
    this.element(v);
    if (!inline) this.newline();
  }

  private element(v: unknown): void {
    if (v instanceof GoTime) {
      // time.Time: RFC 3339 with nanoseconds, unquoted.
      this.write(JSON.parse(jsonMarshal(v)) as string);
    } else if (typeof v === 'string') {
      this.write(quoted(v));
    } else if (typeof v === 'boolean') {
      this.write(v ? 'true' : 'false');
    } else if (v instanceof GoInt) {
      this.write(v.value.toString());
    } else if (typeof v === 'number') {
      this.write(formatTOMLFloat(v));
    } else if (Array.isArray(v) || v instanceof Uint8Array) {
      const items = Array.from(v as ArrayLike<unknown>, (x) => (v instanceof Uint8Array ? new GoInt(BigInt(x as number), 'uint8') : x));
      this.write('[');
      items.forEach((x, i) => {
        this.element(x);
        if (i !== items.length - 1) this.write(', ');
      });
      this.write(']');
    } else if (isMap(v) || v instanceof GoStruct) {
      this.mapOrStruct([], v, true);
    } else {
      throw new TOMLError(`unexpected type: ${kindOf(v)}`);
    }
  }
}

function fieldsOf(v: unknown): Array<[string, unknown]> {
  if (isMap(v)) return Object.entries(v);
  return Object.entries(v as object).filter(([k, f]) => k !== 'goTypeName' && typeof f !== 'function');
}

/** tomlTypeOfGo: hashes and arrays whose every element is a hash become tables. */
function tomlKind(v: unknown): TomlKind {
  if (v === null || v === undefined) return undefined;
  if (v instanceof GoTime) return 'scalar';
  if (isMap(v) || v instanceof GoStruct) return 'hash';
  if (Array.isArray(v)) {
    if (v.length === 0) return 'array';
    let allHashes = true;
    for (const x of v) {
      const k = tomlKind(x);
      if (k === undefined) throw new TOMLError('toml: cannot encode array with nil element');
      if (k !== 'hash') allHashes = false;
    }
    return allHashes ? 'arrayHash' : 'array';
  }
  if (v instanceof Uint8Array) return 'array';
  return 'scalar';
}

function indentOf(key: string[]): string {
  return INDENT.repeat(key.length - 1);
}

const BARE_KEY = /^[A-Za-z0-9_-]+$/;

function maybeQuoted(k: string): string {
  if (k === '') return '""';
  return BARE_KEY.test(k) ? k : `"${escapeString(k)}"`;
}

function keyString(key: string[]): string {
  return key.map(maybeQuoted).join('.');
}

function quoted(s: string): string {
  return `"${escapeString(s)}"`;
}

/** dblQuotedReplacer: `"` `\`, the C0 controls and DEL. */
function escapeString(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c !== 0x22 && c !== 0x5c && c !== 0x7f) {
      out += s[i];
      continue;
    }
    switch (c) {
      case 0x22: out += '\\"'; break;
      case 0x5c: out += '\\\\'; break;
      case 0x08: out += '\\b'; break;
      case 0x09: out += '\\t'; break;
      case 0x0a: out += '\\n'; break;
      case 0x0c: out += '\\f'; break;
      case 0x0d: out += '\\r'; break;
      default: out += '\\u' + c.toString(16).padStart(4, '0');
    }
  }
  return out;
}

/** strconv.FormatFloat(f, 'f', -1, 64) with ".0" added when it has no decimal point. */
export function formatTOMLFloat(f: number): string {
  if (Number.isNaN(f)) return 'nan';
  if (!Number.isFinite(f)) return f < 0 ? '-inf' : 'inf';
  let s = formatFloat(f);
  if (s.includes('e')) s = expandExponent(s);
  return s.includes('.') ? s : s + '.0';
}

/** JS's exponent form (from 1e21 and below 1e-6) written out as Go's 'f' format does. */
function expandExponent(s: string): string {
  const neg = s.startsWith('-');
  const [mant, expText] = (neg ? s.slice(1) : s).split('e') as [string, string];
  const exp = Number(expText);
  const digits = mant.replace('.', '');
  const dp = (mant.indexOf('.') === -1 ? mant.length : mant.indexOf('.')) + exp;
  let out: string;
  if (dp <= 0) out = '0.' + '0'.repeat(-dp) + digits;
  else if (dp >= digits.length) out = digits + '0'.repeat(dp - digits.length);
  else out = digits.slice(0, dp) + '.' + digits.slice(dp);
  return neg ? '-' + out : out;
}

// ---------------------------------------------------------------------------------------------
// Decode

/** toml.Unmarshal into interface{} (Helm's fromToml decodes into map[string]interface{}). */
export function decode(text: string): unknown {
  let doc: unknown;
  try {
    doc = parseTOML(text, { integersAsBigInt: true });
  } catch (err) {
    if (err instanceof TomlError) throw new TOMLError(tomlErrorText(err, text));
    throw err;
  }
  return toGo(doc);
}

function toGo(v: unknown): unknown {
  if (typeof v === 'bigint') return int64(v);
  if (v instanceof TomlDate) return toGoTime(v);
  if (Array.isArray(v)) return v.map(toGo);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) setKey(out, k, toGo(x));
    return out;
  }
  return v;
}

function toGoTime(d: TomlDate): GoTime {
  const iso = d.toISOString();
  const frac = /\.(\d+)/.exec(iso)?.[1] ?? '';
  const nanos = frac.length > 3 ? Number(frac.slice(3, 9).padEnd(6, '0')) : 0;
  const offset = /([+-]\d{2}:\d{2})$/.exec(iso)?.[1];
  return new GoTime(d.getTime(), nanos, offset && offset !== '+00:00' ? offset : 'UTC');
}

/** BurntSushi's ParseError text for the cases smol-toml reports differently. */
function tomlErrorText(err: TomlError, text: string): string {
  const msg = err.message.replace(/^Invalid TOML document: /, '').split('\n')[0]!;
  if (/cannot find end of key/.test(msg) && !text.slice(offsetOf(text, err.line)).includes('=')) {
    return `toml: line ${err.line}: unexpected EOF; expected key separator '='`;
  }
  return `toml: line ${err.line}: ${msg}`;
}

function offsetOf(text: string, line: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) offset = text.indexOf('\n', offset) + 1;
  return offset;
}
