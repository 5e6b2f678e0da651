// Helm's pkg/strvals: `--set a.b[0]=x,c=y` and its variants, parsed rune by rune exactly as
// Helm does, including its error texts and quirks (a `\` escapes the next rune in keys and
// values; `{a,b}` is a list; values become int64, bool or null unless forced to strings;
// `--set-json` values are JSON documents; `--set-literal` takes everything after `=` as is).

import { quote, quoteRune } from '../template/strconv.js';
import { int64, isMap, typeName } from '../template/value.js';

type Values = Record<string, unknown>;

/** Helm's strvals.MaxIndex. */
export const MAX_INDEX = 65536;
/** Helm's strvals.MaxNestedNameLevel. */
export const MAX_NESTED_NAME_LEVEL = 30;

/** io.EOF, which ends parsing without error. */
class EOF extends Error {
  constructor() {
    super('EOF');
  }
}

/** strvals.ErrNotList: the value is not a `{...}` list. */
class NotList extends Error {
  constructor() {
    super('not a list');
  }
}

/** A Go runtime panic inside key(), turned into "unable to parse key: ..." by its recover. */
class Panic extends Error {}

/** Reads and converts a value (its runes) into what is stored. */
export type RunesValueReader = (runes: string) => unknown;

class RuneScanner {
  private pos = 0;
  private readonly runes: string[];

  constructor(text: string) {
    this.runes = Array.from(text);
  }

  read(): string | null {
    return this.pos < this.runes.length ? this.runes[this.pos++]! : null;
  }

  unread(): void {
    this.pos--;
  }

  rest(): string {
    return this.runes.slice(this.pos).join('');
  }

  skip(runeCount: number): void {
    this.pos += runeCount;
  }
}

/** The Go panic text of a failed `x.([]interface{})` / `x.(map[string]interface{})`. */
function conversionPanic(value: unknown, wanted: string): Panic {
  const actual = value === null || value === undefined ? 'nil' : typeName(value);
  return new Panic(`interface conversion: interface {} is ${actual}, not ${wanted}`);
}

function asList(value: unknown): unknown[] {
  if (!Array.isArray(value)) throw conversionPanic(value, '[]interface {}');
  return value;
}

function asMap(value: unknown): Values {
  if (!isMap(value)) throw conversionPanic(value, 'map[string]interface {}');
  return value;
}

function set(data: Values, key: string, value: unknown): void {
  if (key.length === 0) return;
  data[key] = value;
}

function setIndex(list: unknown[], index: number, value: unknown): unknown[] {
  if (index < 0) throw new Error(`negative ${index} index not allowed`);
  if (index > MAX_INDEX) throw new Error(`index of ${index} is greater than maximum supported index of ${MAX_INDEX}`);
  const out = list.length <= index ? [...list, ...new Array<unknown>(index + 1 - list.length).fill(null)] : list;
  out[index] = value;
  return out;
}

/** strconv.Atoi with its error text. */
function atoi(s: string): number {
  if (!/^[+-]?[0-9]+$/.test(s)) throw new Error(`strconv.Atoi: parsing ${quote(s)}: invalid syntax`);
  const n = BigInt(s);
  if (n > 9223372036854775807n || n < -9223372036854775808n) {
    throw new Error(`strconv.Atoi: parsing ${quote(s)}: value out of range`);
  }
  return Number(n);
}

/** `%q` of a []rune: each rune as a quoted character, in brackets. */
function quoteRunes(runes: string): string {
  return `[${Array.from(runes).map((r) => quoteRune(r.codePointAt(0)!)).join(' ')}]`;
}

/** strvals' typedVal: true/false/null (any case), int64 unless it starts with 0, else the string. */
export function typedVal(val: string, forceString: boolean): unknown {
  if (forceString) return val;
  const lower = val.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  if (lower === 'null') return null;
  if (val === '0') return int64(0);
  if (val.length !== 0 && val[0] !== '0' && /^[+-]?[0-9]+$/.test(val)) {
    const n = BigInt(val);
    if (n <= 9223372036854775807n && n >= -9223372036854775808n) return int64(n);
  }
  return val;
}

type Mode = 'typed' | 'json' | 'literal';

function isSpace(r: string): boolean {
  return /^[\t\n\v\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]$/u.test(r);
}

/** The extent (in runes) of the first JSON value in `text`, as json.Decoder reads it, and the value. */
function decodeJsonPrefix(text: string): { value: unknown; runes: number } {
  let i = 0;
  const n = text.length;
  const ws = () => {
    while (i < n && ' \t\r\n'.includes(text[i]!)) i++;
  };
  const fail = (what: string): never => {
    if (i >= n) throw new Error('unexpected EOF');
    throw new Error(`invalid character ${quoteRune(text.codePointAt(i)!)} ${what}`);
  };
  const value = (): void => {
    ws();
    if (i >= n) throw new Error('unexpected EOF');
    const c = text[i]!;
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      i++;
      ws();
      if (text[i] === close) {
        i++;
        return;
      }
      while (true) {
        if (c === '{') {
          ws();
          if (text[i] !== '"') fail('looking for beginning of object key string');
          value();
          ws();
          if (text[i] !== ':') fail('after object key');
          i++;
        }
        value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === close) {
          i++;
          return;
        }
        fail(c === '{' ? 'after object key:value pair' : 'after array element');
      }
    }
    if (c === '"') {
      i++;
      while (i < n && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
      if (i >= n) throw new Error('unexpected EOF');
      i++;
      return;
    }
    const literal = /^(?:true|false|null|-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)/.exec(text.slice(i));
    if (!literal) fail('looking for beginning of value');
    i += literal![0].length;
  };
  value();
  const consumed = text.slice(0, i);
  return { value: JSON.parse(consumed), runes: Array.from(consumed).length };
}

class Parser {
  private readonly sc: RuneScanner;

  constructor(
    text: string,
    private readonly data: Values,
    private readonly mode: Mode,
    private readonly reader: RunesValueReader = () => undefined,
  ) {
    this.sc = new RuneScanner(text);
  }

  parse(): void {
    while (true) {
      try {
        this.key(this.data, 0);
      } catch (e) {
        if (e instanceof EOF) return;
        throw e;
      }
    }
  }

  /** Runes up to a stop rune (consumed); `\` escapes the next rune except in literal mode. Throws EOF with what was read. */
  private runesUntil(stop: string): { runes: string; last: string | null } {
    let v = '';
    while (true) {
      const r = this.sc.read();
      if (r === null) return { runes: v, last: null };
      if (stop.includes(r)) return { runes: v, last: r };
      if (r === '\\' && this.mode !== 'literal') {
        const next = this.sc.read();
        if (next === null) return { runes: v, last: null };
        v += next;
        continue;
      }
      v += r;
    }
  }

  private key(data: Values, nestedNameLevelIn: number): void {
    try {
      this.keyInner(data, nestedNameLevelIn);
    } catch (e) {
      if (e instanceof Panic) throw new Error(`unable to parse key: ${e.message}`);
      throw e;
    }
  }

  private keyInner(data: Values, nestedNameLevelIn: number): void {
    let nestedNameLevel = nestedNameLevelIn;
    const { runes: k, last } = this.runesUntil(this.mode === 'literal' ? '=[.' : '=[,.');
    if (last === null) {
      if (k.length === 0) throw new EOF();
      throw new Error(`key ${quote(k)} has no value`);
    }
    if (last === '[') {
      const i = this.keyIndex();
      let list: unknown[] = [];
      if (Object.prototype.hasOwnProperty.call(data, k)) list = asList(data[k]);
      // Go stores the list it gets back even with an error (an io.EOF there ends parsing quietly).
      let result: unknown[] = list;
      try {
        result = this.listItem(list, i, nestedNameLevel);
      } finally {
        set(data, k, result);
      }
      return;
    }
    if (last === '=') {
      if (this.mode === 'literal') {
        set(data, k, this.sc.rest());
        this.sc.skip(Array.from(this.sc.rest()).length);
        return;
      }
      if (this.mode === 'json') {
        if (this.emptyVal()) {
          set(data, k, null);
          return;
        }
        const { value, runes } = decodeJsonPrefix(this.sc.rest());
        set(data, k, value);
        this.sc.skip(runes);
        this.emptyVal();
        return;
      }
      let list: unknown[];
      try {
        list = this.valList();
      } catch (e) {
        if (e instanceof EOF) {
          set(data, k, '');
          throw e;
        }
        if (!(e instanceof NotList)) throw e;
        const rs = this.val();
        set(data, k, this.reader(rs));
        return;
      }
      set(data, k, list);
      return;
    }
    if (last === ',') {
      set(data, k, '');
      throw new Error(`key ${quote(k)} has no value (cannot end with ,)`);
    }
    // last === '.'
    nestedNameLevel++;
    if (nestedNameLevel > MAX_NESTED_NAME_LEVEL) {
      throw new Error(`value name nested level is greater than maximum supported nested level of ${MAX_NESTED_NAME_LEVEL}`);
    }
    let inner: Values = {};
    if (Object.prototype.hasOwnProperty.call(data, k)) inner = asMap(data[k]);
    let error: unknown = null;
    try {
      this.key(inner, nestedNameLevel);
    } catch (e) {
      error = e;
    }
    if (error === null && Object.keys(inner).length === 0) throw new Error(`key map ${quote(k)} has no value`);
    if (Object.keys(inner).length !== 0) set(data, k, inner);
    if (error !== null) throw error;
  }

  private keyIndex(): number {
    const { runes, last } = this.runesUntil(']');
    if (last === null) throw new EOF();
    try {
      return atoi(runes);
    } catch (e) {
      throw new Error(`error parsing index: ${(e as Error).message}`);
    }
  }

  /** The value after `name[i]`, stored into `list` (grown into a new array when too short). */
  private listItem(list: unknown[], i: number, nestedNameLevel: number): unknown[] {
    if (i < 0) throw new Error(`negative ${i} index not allowed`);
    const { runes: k, last } = this.runesUntil('[.=');
    if (k.length > 0) throw new Error(`unexpected data at end of array index: ${quoteRunes(k)}`);
    if (last === null) throw new EOF();
    if (last === '=') {
      if (this.mode === 'literal') {
        const rest = this.sc.rest();
        this.sc.skip(Array.from(rest).length);
        return setIndex(list, i, rest);
      }
      if (this.mode === 'json') {
        if (this.emptyVal()) return setIndex(list, i, null);
        const { value, runes } = decodeJsonPrefix(this.sc.rest());
        const out = setIndex(list, i, value);
        this.sc.skip(runes);
        this.emptyVal();
        return out;
      }
      let vl: unknown[];
      try {
        vl = this.valList();
      } catch (e) {
        if (e instanceof EOF) return setIndex(list, i, '');
        if (!(e instanceof NotList)) throw e;
        const rs = this.val();
        return setIndex(list, i, this.reader(rs));
      }
      return setIndex(list, i, vl);
    }
    if (last === '[') {
      const nextI = this.keyIndex();
      let current: unknown[] = [];
      if (list.length > i && list[i] !== null && list[i] !== undefined) current = asList(list[i]);
      const nested = this.listItem(current, nextI, nestedNameLevel);
      return setIndex(list, i, nested);
    }
    // last === '.'
    let inner: Values = {};
    if (list.length > i) {
      if (isMap(list[i])) {
        inner = list[i] as Values;
      } else {
        // Indices out of order: the element becomes a map.
        list[i] = inner;
      }
    }
    this.key(inner, nestedNameLevel);
    return setIndex(list, i, inner);
  }

  /** Optional spaces then `,` or the end: consumed, true. Anything else: left, false. */
  private emptyVal(): boolean {
    while (true) {
      const r = this.sc.read();
      if (r === null || r === ',') return true;
      if (!isSpace(r)) {
        this.sc.unread();
        return false;
      }
    }
  }

  private val(): string {
    return this.runesUntil(',').runes;
  }

  private valList(): unknown[] {
    const r = this.sc.read();
    if (r === null) throw new EOF();
    if (r !== '{') {
      this.sc.unread();
      throw new NotList();
    }
    const list: unknown[] = [];
    while (true) {
      const { runes, last } = this.runesUntil(',}');
      if (last === null) throw new Error("list must terminate with '}'");
      if (last === '}') {
        const next = this.sc.read();
        if (next !== null && next !== ',') this.sc.unread();
        list.push(this.reader(runes));
        return list;
      }
      list.push(this.reader(runes));
    }
  }
}

function typedReader(forceString: boolean): RunesValueReader {
  return (runes) => typedVal(runes, forceString);
}

/** strvals.ParseInto (`--set`): merges `s` into `base` (changed in place) and returns it. */
export function parseSet(s: string, base: Values = {}): Values {
  new Parser(s, base, 'typed', typedReader(false)).parse();
  return base;
}

/** strvals.ParseIntoString (`--set-string`): every value a string. */
export function parseSetString(s: string, base: Values = {}): Values {
  new Parser(s, base, 'typed', typedReader(true)).parse();
  return base;
}

/** strvals.ParseJSON (`--set-json`): values are JSON; an empty value is null. */
export function parseSetJSON(s: string, base: Values = {}): Values {
  new Parser(s, base, 'json').parse();
  return base;
}

/** strvals.ParseIntoFile (`--set-file`): each value is a path; `readFile` gives the stored value. */
export function parseSetFile(s: string, base: Values, readFile: RunesValueReader): Values {
  new Parser(s, base, 'typed', readFile).parse();
  return base;
}

/** strvals.ParseLiteralInto (`--set-literal`): one key, the whole rest after `=` as a string. */
export function parseSetLiteral(s: string, base: Values = {}): Values {
  new Parser(s, base, 'literal').parse();
  return base;
}

/** strvals.Parse into a fresh map. */
export function parseSetValues(s: string): Values {
  return parseSet(s, {});
}
