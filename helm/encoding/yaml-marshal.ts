// YAML output exactly as Helm prints it.
//
// `marshal` is sigs.k8s.io/yaml.Marshal: the value goes through encoding/json (so structs
// become maps, []byte base64, floats Go's JSON text), go-yaml v2 reads that JSON back (maps
// with sorted keys, integral numbers as ints) and go-yaml v2's emitter prints it. `marshalPretty`
// is Helm's toYamlPretty: go-yaml v3's encoder with SetIndent(2) on the Go value itself.
//
// The emitter below is libyaml's block emitter (emitterc.go) reduced to the events these
// encoders produce — block mappings and sequences, `{}`/`[]` for empty ones, scalars — keeping
// its column/indent/whitespace bookkeeping, scalar analysis, style choice and line folding.
import { GoInt, GoStruct, GoTime, isMap, typeName } from '../template/value.js';
import { formatFloat, marshal as jsonMarshal } from './json.js';
import { formatFloatG, isBase60Float, isOldBool, resolvesToString } from './yaml-resolve.js';

/** A marshalling failure; `message` is the Go error text. */
export class YAMLMarshalError extends Error {
  override name = 'YAMLMarshalError';
}

const enum Style { Plain, Single, Double, Literal }

interface Dialect {
  /** go-yaml v2 puts `- ` at the key's column under a mapping key; v3 indents it. */
  readonly indentlessSequences: boolean;
  readonly bestWidth: number;
  /** v3 quotes the YAML 1.1 booleans too. */
  readonly quoteOldBools: boolean;
  /**
   * go-yaml v3's emitter changes: a tab no longer rules out the literal style, and the
   * "at line start" flag is set by each line break rather than by write_indent (so a literal
   * block gets no break of its own after its header).
   */
  readonly v3: boolean;
}

const V2: Dialect = { indentlessSequences: true, bestWidth: 80, quoteOldBools: false, v3: false };
const V3: Dialect = { indentlessSequences: false, bestWidth: Number.MAX_SAFE_INTEGER, quoteOldBools: true, v3: true };

/** sigs.k8s.io/yaml.Marshal(v), with its trailing newline. */
export function marshal(v: unknown): string {
  const e = new Emitter(V2);
  e.emitNode(toJSONShape(v), false, false);
  return e.finish();
}

/** Helm's toYamlPretty before the trailing newline is trimmed (go-yaml v3, indent 2). */
export function marshalPretty(v: unknown): string {
  const e = new Emitter(V3);
  e.emitNode(toV3Shape(v), false, false);
  return e.finish();
}

// ---------------------------------------------------------------------------------------------
// Values as the emitter sees them: a scalar's text and requested style, or a collection.

type Shape = ScalarShape | Shape[] | MapShape;

interface ScalarShape { readonly text: string; readonly style: Style }

class MapShape {
  constructor(readonly entries: Array<[ScalarShape, Shape]>) {}
}

function scalar(text: string, style = Style.Plain): ScalarShape {
  return { text, style };
}

const NULL = scalar('null');
const TRUE = scalar('true');
const FALSE = scalar('false');

/** go-yaml's stringv: plain when the text reads back as the same string, else quoted. */
function stringShape(s: string, d: Dialect): ScalarShape {
  const canUsePlain = resolvesToString(s) && !isBase60Float(s) && !(d.quoteOldBools && isOldBool(s));
  const style = s.includes('\n') ? Style.Literal : canUsePlain ? Style.Plain : Style.Double;
  return scalar(s, style);
}

/**
 * The value after the JSON round trip: what encoding/json makes of it, as go-yaml v2 decodes
 * that JSON (a number is an int when its JSON text parses as one, else a float).
 */
function toJSONShape(v: unknown): Shape {
  if (v === null || v === undefined) return NULL;
  switch (typeof v) {
    case 'string': return stringShape(wellFormed(v), V2);
    case 'boolean': return v ? TRUE : FALSE;
    case 'number': return numberShape(jsonFloatText(v));
    case 'function': throw jsonError(`json: unsupported type: ${typeName(v)}`);
  }
  if (v instanceof GoInt) return scalar(v.value.toString());
  if (Array.isArray(v)) return v.map(toJSONShape);
  if (v instanceof Uint8Array || v instanceof GoTime) return stringShape(JSON.parse(jsonMarshal(v)) as string, V2);
  if (v instanceof GoStruct) {
    const custom = (v as unknown as { toJSON?: () => unknown }).toJSON;
    if (typeof custom === 'function') return toJSONShape(custom.call(v));
    const fields: Record<string, unknown> = {};
    for (const [k, f] of Object.entries(v)) if (k !== 'goTypeName' && typeof f !== 'function') fields[k] = f;
    return toJSONShape(fields);
  }
  if (isMap(v)) {
    const keys = Object.keys(v).sort((a, b) => compareKeys(wellFormed(a), wellFormed(b)));
    return new MapShape(keys.map((k) => [stringShape(wellFormed(k), V2), toJSONShape(v[k])]));
  }
  throw jsonError(`json: unsupported type: ${typeName(v)}`);
}

function jsonError(msg: string): YAMLMarshalError {
  return new YAMLMarshalError(`error marshaling into JSON: ${msg}`);
}

function jsonFloatText(f: number): string {
  try {
    return formatFloat(f);
  } catch (err) {
    throw jsonError((err as Error).message);
  }
}

const INT_TEXT = /^-?[0-9]+$/;
const MAX_INT64 = (1n << 63n) - 1n;
const MIN_INT64 = -(1n << 63n);
const MAX_UINT64 = (1n << 64n) - 1n;

/** A JSON number as go-yaml v2 reads it back and prints it again. */
function numberShape(text: string): ScalarShape {
  if (INT_TEXT.test(text)) {
    if (text.length < 16) return scalar(text === '-0' ? '0' : text);
    const n = BigInt(text);
    if ((n >= MIN_INT64 && n <= MAX_INT64) || (n >= 0n && n <= MAX_UINT64)) return scalar(n.toString());
  }
  return scalar(formatFloatG(Number(text)));
}

/** Go strings hold UTF-8: a lone surrogate becomes U+FFFD on the way through encoding/json. */
function wellFormed(s: string): string {
  return (s as unknown as { isWellFormed?: () => boolean }).isWellFormed?.() === false
    ? (s as unknown as { toWellFormed: () => string }).toWellFormed()
    : s;
}

/** go-yaml v3 encoding the Go value directly (no JSON step). */
function toV3Shape(v: unknown): Shape {
  if (v === null || v === undefined) return NULL;
  switch (typeof v) {
    case 'string': return stringShape(wellFormed(v), V3);
    case 'boolean': return v ? TRUE : FALSE;
    case 'number': return scalar(formatFloatG(v));
    case 'function': throw new YAMLMarshalError(`cannot marshal type: ${typeName(v)}`);
  }
  if (v instanceof GoInt) return scalar(v.value.toString());
  if (Array.isArray(v)) return v.map(toV3Shape);
  if (v instanceof Uint8Array) return Array.from(v, (b) => scalar(String(b)));
  if (v instanceof GoTime) return scalar(JSON.parse(jsonMarshal(v)) as string);
  if (v instanceof GoStruct) {
    const fields: Record<string, unknown> = {};
    for (const [k, f] of Object.entries(v)) if (k !== 'goTypeName' && typeof f !== 'function') fields[k.toLowerCase()] = f;
    return new MapShape(Object.keys(fields).map((k) => [stringShape(k, V3), toV3Shape(fields[k])]));
  }
  if (isMap(v)) {
    const keys = Object.keys(v).sort(compareKeys);
    return new MapShape(keys.map((k) => [stringShape(wellFormed(k), V3), toV3Shape(v[k])]));
  }
  throw new YAMLMarshalError(`cannot marshal type: ${typeName(v)}`);
}

// ---------------------------------------------------------------------------------------------
// go-yaml's map key order (sorter.go keyList.Less) for string keys: runs of digits compare
// as numbers, letters before non-letters.

const LETTER = /\p{L}/u;
const DIGIT = /\p{Nd}/u;

function isLetter(c: number): boolean {
  if (c < 0x80) return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
  return LETTER.test(String.fromCodePoint(c));
}

function isDigit(c: number): boolean {
  if (c < 0x80) return c >= 0x30 && c <= 0x39;
  return DIGIT.test(String.fromCodePoint(c));
}

export function compareKeys(a: string, b: string): number {
  if (a === b) return 0;
  // Strings without surrogates index by code point directly; others are split into runes.
  if (!SURROGATE.test(a) && !SURROGATE.test(b)) {
    return keyLess(a.length, (i) => a.charCodeAt(i), b.length, (i) => b.charCodeAt(i)) ? -1 : 1;
  }
  const ar = toRunes(a);
  const br = toRunes(b);
  return keyLess(ar.length, (i) => ar[i]!, br.length, (i) => br[i]!) ? -1 : 1;
}

const SURROGATE = /[\ud800-\udfff]/;

function keyLess(alen: number, a: (i: number) => number, blen: number, b: (i: number) => number): boolean {
  for (let i = 0; i < alen && i < blen; i++) {
    const ac = a(i);
    const bc = b(i);
    if (ac === bc) continue;
    const al = isLetter(ac);
    const bl = isLetter(bc);
    if (al && bl) return ac < bc;
    if (al || bl) return bl;
    let an = 0;
    let bn = 0;
    if (ac === 0x30 || bc === 0x30) {
      for (let j = i - 1; j >= 0 && isDigit(a(j)); j--) {
        if (a(j) !== 0x30) {
          an = 1;
          bn = 1;
          break;
        }
      }
    }
    let ai = i;
    let bi = i;
    for (; ai < alen && isDigit(a(ai)); ai++) an = an * 10 + (a(ai) - 0x30);
    for (; bi < blen && isDigit(b(bi)); bi++) bn = bn * 10 + (b(bi) - 0x30);
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return ac < bc;
  }
  return alen < blen;
}

function toRunes(s: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        out.push(((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000);
        i++;
        continue;
      }
    }
    out.push(c);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The emitter.

const BEST_INDENT = 2;

interface Analysis {
  multiline: boolean;
  blockPlainAllowed: boolean;
  singleQuotedAllowed: boolean;
  blockAllowed: boolean;
}

function isPrintable(c: number): boolean {
  return c === 0x0a || (c >= 0x20 && c <= 0x7e) || (c >= 0xa0 && c <= 0xd7ff) ||
    (c >= 0xe000 && c <= 0xfffd && c !== 0xfeff);
}

function isBreak(c: number): boolean {
  return c === 0x0a || c === 0x0d || c === 0x85 || c === 0x2028 || c === 0x2029;
}

function isBlank(c: number | undefined): boolean {
  return c === 0x20 || c === 0x09;
}

/** yaml_emitter_analyze_scalar. */
function analyzeScalar(value: number[], tabsAllowBlock = false): Analysis {
  if (value.length === 0) {
    return { multiline: false, blockPlainAllowed: true, singleQuotedAllowed: true, blockAllowed: false };
  }
  let blockIndicators = false;
  let lineBreaks = false;
  let specialCharacters = false;
  let tabCharacters = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  let previousSpace = false;
  let previousBreak = false;
  const n = value.length;
  if (n >= 3 && ((value[0] === 0x2d && value[1] === 0x2d && value[2] === 0x2d) ||
                 (value[0] === 0x2e && value[1] === 0x2e && value[2] === 0x2e))) {
    blockIndicators = true;
  }
  let precededByWhitespace = true;
  for (let i = 0; i < n; i++) {
    const c = value[i]!;
    const followedByWhitespace = i + 1 >= n || isBlank(value[i + 1]);
    // The indicators that rule out the plain style in block context (libyaml also tracks the
    // flow-context ones, which never apply here).
    if (i === 0) {
      switch (c) {
        case 0x23: case 0x2c: case 0x5b: case 0x5d: case 0x7b: case 0x7d: case 0x26: case 0x2a:
        case 0x21: case 0x7c: case 0x3e: case 0x27: case 0x22: case 0x25: case 0x40: case 0x60:
          blockIndicators = true;
          break;
        case 0x3f: case 0x3a: case 0x2d:
          if (followedByWhitespace) blockIndicators = true;
          break;
      }
    } else if ((c === 0x3a && followedByWhitespace) || (c === 0x23 && precededByWhitespace)) {
      blockIndicators = true;
    }
    if (c === 0x09 && tabsAllowBlock) tabCharacters = true;
    else if (!isPrintable(c)) specialCharacters = true;
    if (c === 0x20) {
      if (i === 0) leadingSpace = true;
      if (i === n - 1) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (isBreak(c)) {
      lineBreaks = true;
      if (i === 0) leadingBreak = true;
      if (i === n - 1) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousSpace = false;
      previousBreak = true;
    } else {
      previousSpace = false;
      previousBreak = false;
    }
    precededByWhitespace = isBlank(c) || isBreak(c) || c === 0;
  }
  const a: Analysis = {
    multiline: lineBreaks,
    blockPlainAllowed: true,
    singleQuotedAllowed: true,
    blockAllowed: true,
  };
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) {
    a.blockPlainAllowed = false;
  }
  if (trailingSpace) a.blockAllowed = false;
  if (breakSpace) {
    a.blockPlainAllowed = false;
    a.singleQuotedAllowed = false;
  }
  if (spaceBreak || tabCharacters || specialCharacters) {
    a.blockPlainAllowed = false;
    a.singleQuotedAllowed = false;
  }
  if (spaceBreak || specialCharacters) a.blockAllowed = false;
  if (lineBreaks) {
    a.blockPlainAllowed = false;
  }
  if (blockIndicators) a.blockPlainAllowed = false;
  return a;
}

const HEX_UPPER = '0123456789ABCDEF';

/** Printable ASCII without `"` and `\\`: written as is in plain and double-quoted style. */
const SIMPLE_ASCII = /^[\x20\x21\x23-\x5b\x5d-\x7e]+$/;
/** What rules out the plain style in block context for such text (see analyzeScalar). */
const PLAIN_UNSAFE = /^[#,[\]{}&*!|>'"%@`]|^[-?:](?: |$)|^---|^\.\.\.|: |:$| #|^ | $/;

function plainSafe(s: string): boolean {
  return !PLAIN_UNSAFE.test(s);
}

/** yaml_emitter_check_simple_key for a scalar: one line, at most 128 bytes. */
function isSimpleKey(text: string): boolean {
  if (text.length <= 128 && SIMPLE_ASCII.test(text)) return true;
  const runes = toRunes(text);
  return !analyzeScalar(runes).multiline && utf8Length(runes) <= 128;
}

/** Byte length of the UTF-8 encoding of code points (simple-key limit is 128 bytes). */
function utf8Length(runes: number[]): number {
  let n = 0;
  for (const c of runes) n += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
  return n;
}

class Emitter {
  private out = '';
  private column = 0;
  private indent = -1;
  private readonly indents: number[] = [];
  private whitespace = true;
  private indention = true;
  private mappingContext = false;
  private simpleKeyContext = false;

  constructor(private readonly d: Dialect) {}

  finish(): string {
    // DOCUMENT-END: the last line is terminated.
    this.writeIndent();
    return this.out;
  }

  /** yaml_emitter_emit_node; the root and sequence contexts change nothing these events print. */
  emitNode(node: Shape, mapping: boolean, simpleKey: boolean): void {
    this.mappingContext = mapping;
    this.simpleKeyContext = simpleKey;
    if (Array.isArray(node)) {
      if (node.length === 0) this.emitEmptyFlow('[', ']');
      else this.emitBlockSequence(node);
    } else if (node instanceof MapShape) {
      if (node.entries.length === 0) this.emitEmptyFlow('{', '}');
      else this.emitBlockMapping(node);
    } else {
      this.emitScalar(node);
    }
  }

  private increaseIndent(flow: boolean, indentless: boolean): void {
    this.indents.push(this.indent);
    if (this.indent < 0) this.indent = flow ? BEST_INDENT : 0;
    else if (!indentless) this.indent += BEST_INDENT;
  }

  private popIndent(): void {
    this.indent = this.indents.pop()!;
  }

  /**
   * An empty collection is the only flow collection these encoders produce (`{}` / `[]`), so
   * scalars are always in block context: the flow-level checks of libyaml drop out.
   */
  private emitEmptyFlow(open: string, close: string): void {
    this.writeIndicator(open, true, true, false);
    this.writeIndicator(close, false, false, false);
  }

  private emitBlockSequence(items: Shape[]): void {
    this.increaseIndent(false, this.d.indentlessSequences && this.mappingContext && !this.indention);
    for (const item of items) {
      this.writeIndent();
      this.writeIndicator('-', true, false, true);
      this.emitNode(item, false, false);
    }
    this.popIndent();
  }

  private emitBlockMapping(map: MapShape): void {
    this.increaseIndent(false, false);
    for (const [key, value] of map.entries) {
      this.writeIndent();
      if (isSimpleKey(key.text)) {
        this.emitNode(key, true, true);
        this.writeIndicator(':', false, false, false);
      } else {
        this.writeIndicator('?', true, false, true);
        this.emitNode(key, true, false);
        this.writeIndent();
        this.writeIndicator(':', true, false, true);
      }
      this.emitNode(value, true, false);
    }
    this.popIndent();
  }

  private emitScalar(node: ScalarShape): void {
    if (this.emitSimpleScalar(node)) return;
    const value = toRunes(node.text);
    const a = analyzeScalar(value, this.d.v3);
    let style = node.style;
    if (this.simpleKeyContext && a.multiline) style = Style.Double;
    if (style === Style.Plain) {
      if (!a.blockPlainAllowed) style = Style.Single;
      if (value.length === 0 && this.simpleKeyContext) style = Style.Single;
    }
    if (style === Style.Single && !a.singleQuotedAllowed) style = Style.Double;
    if (style === Style.Literal && (!a.blockAllowed || this.simpleKeyContext)) style = Style.Double;

    this.increaseIndent(true, false);
    const allowBreaks = !this.simpleKeyContext;
    switch (style) {
      case Style.Plain: this.writePlain(value, allowBreaks); break;
      case Style.Single: this.writeSingleQuoted(value, allowBreaks); break;
      case Style.Double: this.writeDoubleQuoted(value, allowBreaks); break;
      case Style.Literal: this.writeLiteral(value); break;
    }
    this.popIndent();
  }

  /**
   * The common case without the general machinery: printable ASCII that needs no escape and
   * cannot reach a fold point, in the style the full analysis would pick (plain or "...").
   */
  private emitSimpleScalar(node: ScalarShape): boolean {
    const s = node.text;
    const n = s.length;
    if (n === 0 || (node.style !== Style.Plain && node.style !== Style.Double)) return false;
    // Folding needs a space past the best width; the text ends before that column.
    if (this.column + 1 + n + 1 > this.d.bestWidth) return false;
    if (!SIMPLE_ASCII.test(s)) return false;
    if (node.style === Style.Plain && !plainSafe(s)) return false;
    if (!this.whitespace) this.put(' ');
    this.put(node.style === Style.Plain ? s : `"${s}"`);
    this.whitespace = false;
    this.indention = false;
    return true;
  }

  // --- low-level writers (put / put_break / write / write_indent / write_indicator)

  private put(s: string): void {
    this.out += s;
    this.column += s.length;
  }

  private putBreak(): void {
    this.out += '\n';
    this.column = 0;
    if (this.d.v3) this.indention = true;
  }

  private writeRune(c: number): void {
    this.out += String.fromCodePoint(c);
    this.column++;
  }

  private writeBreak(c: number): void {
    if (c === 0x0a) {
      this.putBreak();
    } else {
      this.writeRune(c);
      this.column = 0;
      if (this.d.v3) this.indention = true;
    }
  }

  private writeIndent(): void {
    const indent = this.indent < 0 ? 0 : this.indent;
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace)) this.putBreak();
    if (this.column < indent) {
      this.out += ' '.repeat(indent - this.column);
      this.column = indent;
    }
    this.whitespace = true;
    if (!this.d.v3) this.indention = true;
  }

  private writeIndicator(indicator: string, needWhitespace: boolean, isWhitespace: boolean, isIndention: boolean): void {
    if (needWhitespace && !this.whitespace) this.put(' ');
    this.put(indicator);
    this.whitespace = isWhitespace;
    this.indention = this.indention && isIndention;
  }

  private writePlain(value: number[], allowBreaks: boolean): void {
    if (!this.whitespace) this.put(' ');
    let spaces = false;
    let breaks = false;
    const bestWidth = this.d.bestWidth;
    for (let i = 0; i < value.length; i++) {
      const c = value[i]!;
      if (c === 0x20) {
        if (allowBreaks && !spaces && this.column > bestWidth && value[i + 1] !== 0x20) this.writeIndent();
        else this.writeRune(c);
        spaces = true;
      } else if (isBreak(c)) {
        if (!breaks && c === 0x0a) this.putBreak();
        this.writeBreak(c);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        this.writeRune(c);
        this.indention = false;
        spaces = false;
        breaks = false;
      }
    }
    this.whitespace = false;
    this.indention = false;
  }

  private writeSingleQuoted(value: number[], allowBreaks: boolean): void {
    this.writeIndicator("'", true, false, false);
    let spaces = false;
    let breaks = false;
    const bestWidth = this.d.bestWidth;
    const last = value.length - 1;
    for (let i = 0; i < value.length; i++) {
      const c = value[i]!;
      if (c === 0x20) {
        if (allowBreaks && !spaces && this.column > bestWidth && i > 0 && i < last && value[i + 1] !== 0x20) this.writeIndent();
        else this.writeRune(c);
        spaces = true;
      } else if (isBreak(c)) {
        if (!breaks && c === 0x0a) this.putBreak();
        this.writeBreak(c);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        if (c === 0x27) this.put("'");
        this.writeRune(c);
        this.indention = false;
        spaces = false;
        breaks = false;
      }
    }
    this.writeIndicator("'", false, false, false);
    this.whitespace = false;
    this.indention = false;
  }

  private writeDoubleQuoted(value: number[], allowBreaks: boolean): void {
    this.writeIndicator('"', true, false, false);
    let spaces = false;
    const bestWidth = this.d.bestWidth;
    const last = value.length - 1;
    // libyaml's is_bom looks at the start of the value, not at the current character.
    const startsWithBOM = value[0] === 0xfeff;
    for (let i = 0; i < value.length; i++) {
      const c = value[i]!;
      if (!isPrintable(c) || startsWithBOM || isBreak(c) || c === 0x22 || c === 0x5c) {
        this.put('\\' + escapeFor(c));
        spaces = false;
      } else if (c === 0x20) {
        if (allowBreaks && !spaces && this.column > bestWidth && i > 0 && i < last) {
          this.writeIndent();
          if (value[i + 1] === 0x20) this.put('\\');
        } else {
          this.writeRune(c);
        }
        spaces = true;
      } else {
        this.writeRune(c);
        spaces = false;
      }
    }
    this.writeIndicator('"', false, false, false);
    this.whitespace = false;
    this.indention = false;
  }

  private writeLiteral(value: number[]): void {
    this.writeIndicator('|', true, false, false);
    // Block scalar hints: an explicit indentation when the text starts with a space or
    // break, and the chomping that keeps exactly the trailing breaks the text has.
    if (value[0] === 0x20 || isBreak(value[0]!)) this.writeIndicator(String(BEST_INDENT), false, false, false);
    const n = value.length;
    let chomp = '';
    if (!isBreak(value[n - 1]!)) chomp = '-';
    else if (n === 1) chomp = '+';
    else if (isBreak(value[n - 2]!)) chomp = '+';
    if (chomp) this.writeIndicator(chomp, false, false, false);
    if (!this.d.v3) {
      this.putBreak();
      this.indention = true;
    }
    this.whitespace = true;
    let breaks = true;
    for (let i = 0; i < n; i++) {
      const c = value[i]!;
      if (isBreak(c)) {
        this.writeBreak(c);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        this.writeRune(c);
        this.indention = false;
        breaks = false;
      }
    }
  }
}

function escapeFor(c: number): string {
  switch (c) {
    case 0x00: return '0';
    case 0x07: return 'a';
    case 0x08: return 'b';
    case 0x09: return 't';
    case 0x0a: return 'n';
    case 0x0b: return 'v';
    case 0x0c: return 'f';
    case 0x0d: return 'r';
    case 0x1b: return 'e';
    case 0x22: return '"';
    case 0x5c: return '\\';
    case 0x85: return 'N';
    case 0xa0: return '_';
    case 0x2028: return 'L';
    case 0x2029: return 'P';
  }
  const [prefix, width] = c <= 0xff ? ['x', 2] : c <= 0xffff ? ['u', 4] : ['U', 8];
  let hex = '';
  for (let k = (width - 1) * 4; k >= 0; k -= 4) hex += HEX_UPPER[(c >> k) & 0xf];
  return prefix + hex;
}
