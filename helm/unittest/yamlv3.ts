// go-yaml v3 as helm-unittest uses it: suite files, rendered documents and snapshot files are
// decoded with yaml.v3 into `interface{}`, and failure messages and snapshots are printed by the
// yaml.v3 encoder (indent 2). Go's reflect.DeepEqual then tells `1` (int) from `1.0` (float64),
// so the decoded values keep that distinction: an int is a bigint, a float64 a number.
//
// The YAML grammar itself is parsed by the `yaml` package (failsafe schema: every scalar stays
// text); only v3's scalar resolution, merge keys and the encoder are written here.
import { Alias, Document, isAlias, isMap, isScalar, isSeq, parseAllDocuments, type Node } from 'yaml';
import { formatFloatG, isBase60Float, isOldBool, isTimestamp } from '../encoding/yaml-resolve.js';

/** A value as yaml.v3 decodes it into interface{}: int → bigint, float64 → number. */
export type YamlValue = null | boolean | string | bigint | number | YamlValue[] | { [key: string]: YamlValue };

export function isYamlMap(v: unknown): v is { [key: string]: YamlValue } {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

const INT64_MIN = -(2n ** 63n);
const UINT64_MAX = 2n ** 64n - 1n;
// yaml.v3's float syntax (resolve.go yamlStyleFloat), after underscores are removed.
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

/** Go's strconv.ParseInt(s, 0, 64) / ParseUint, or undefined when Go would fail. */
function parseGoInt(s: string): bigint | undefined {
  const m = /^([-+]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(s);
  if (!m) return undefined;
  const digits = m[2];
  let n: bigint;
  if (/^0[oO]/.test(digits)) n = BigInt(`0o${digits.slice(2)}`);
  else if (/^0[0-7]+$/.test(digits)) n = BigInt(`0o${digits.slice(1)}`);
  else n = BigInt(digits.toLowerCase().startsWith('0x') || digits.toLowerCase().startsWith('0b') ? digits.toLowerCase() : digits);
  if (m[1] === '-') n = -n;
  if (n < INT64_MIN || n > UINT64_MAX || (m[1] === '-' && n < INT64_MIN)) return undefined;
  return n;
}

/** What yaml.v3 resolves an untagged plain scalar to (resolve.go), timestamps kept as text. */
export function resolvePlain(s: string): YamlValue {
  switch (s) {
    case '': case '~': case 'null': case 'Null': case 'NULL': return null;
    case 'true': case 'True': case 'TRUE': return true;
    case 'false': case 'False': case 'FALSE': return false;
    case '.nan': case '.NaN': case '.NAN': return NaN;
    case '.inf': case '.Inf': case '.INF': case '+.inf': case '+.Inf': case '+.INF': return Infinity;
    case '-.inf': case '-.Inf': case '-.INF': return -Infinity;
  }
  const c = s[0];
  if (c === '.') {
    return /^\.[0-9]+([eE][-+]?[0-9]+)?$/.test(s) ? Number(s) : s;
  }
  if (!/[0-9+-]/.test(c)) return s;
  if (isTimestamp(s)) return s;
  const plain = s.replace(/_/g, '');
  const n = parseGoInt(plain);
  if (n !== undefined) return n;
  if (YAML_STYLE_FLOAT.test(plain)) return Number(plain);
  return s;
}

/** True when yaml.v3 would resolve `s` as something other than a string if printed plain. */
function resolvesToNonString(s: string): boolean {
  return isTimestamp(s) || typeof resolvePlain(s) !== 'string';
}

export class YamlV3Error extends Error {}

function toValue(node: unknown, doc: Document): YamlValue {
  if (node === null || node === undefined) return null;
  if (isAlias(node)) return toValue((node as Alias).resolve(doc), doc);
  if (isScalar(node)) {
    const text = node.value === null || node.value === undefined ? '' : String(node.value);
    const tag = node.tag;
    if (tag && tag !== '!') {
      const short = tag.replace('tag:yaml.org,2002:', '!!');
      switch (short) {
        case '!!str': return text;
        case '!!null': return null;
        case '!!bool': return text === 'true' || text === 'True' || text === 'TRUE';
        case '!!int': { const v = resolvePlain(text); if (typeof v === 'bigint') return v; throw new YamlV3Error(`yaml: cannot decode !!str \`${text}\` as a !!int`); }
        case '!!float': { const v = resolvePlain(text); if (typeof v === 'bigint') return Number(v); if (typeof v === 'number') return v; throw new YamlV3Error(`yaml: cannot decode !!str \`${text}\` as a !!float`); }
        default: return text;
      }
    }
    if (node.type === 'PLAIN') return resolvePlain(text);
    return text;
  }
  if (isSeq(node)) return node.items.map((item) => toValue(item, doc));
  if (isMap(node)) {
    const out: { [key: string]: YamlValue } = {};
    const merges: YamlValue[] = [];
    for (const pair of node.items) {
      const keyNode = pair.key as Node | null;
      if (isScalar(keyNode) && keyNode.type === 'PLAIN' && keyNode.value === '<<' && !keyNode.tag) {
        merges.push(toValue(pair.value, doc));
        continue;
      }
      const key = toValue(keyNode, doc);
      const name = key === null ? 'null' : typeof key === 'object' ? JSON.stringify(key) : String(key);
      if (Object.prototype.hasOwnProperty.call(out, name)) {
        throw new YamlV3Error(`yaml: mapping key "${name}" already defined`);
      }
      out[name] = toValue(pair.value, doc);
    }
    // Merged keys never override the mapping's own keys; earlier merge sources win over later ones.
    for (const m of merges.flatMap((v) => (Array.isArray(v) ? v : [v]))) {
      if (!isYamlMap(m)) throw new YamlV3Error('yaml: map merge requires map or sequence of maps as the value');
      for (const [k, v] of Object.entries(m)) if (!(k in out)) out[k] = v;
    }
    return out;
  }
  return null;
}

function parseDocs(text: string): Document[] {
  const docs = parseAllDocuments(text, { schema: 'failsafe', uniqueKeys: false, strict: false, prettyErrors: false });
  const list = Array.isArray(docs) ? docs : [docs as unknown as Document];
  for (const d of list) {
    const e = d.errors[0];
    if (e) {
      // yaml.v3's wording for an invalid escape, which helm-unittest recognises and retries on.
      if (e.code === 'BAD_DQ_ESCAPE') throw new YamlV3Error(`yaml: found unknown escape character: ${e.message.split('\n')[0]}`);
      throw new YamlV3Error(`yaml: ${e.message.split('\n')[0]}`);
    }
  }
  return list;
}

function isEmptyDocument(d: Document): boolean {
  const c = d.contents as unknown;
  if (c === null || c === undefined) return true;
  return isScalar(c) && c.type === 'PLAIN' && (c.value === null || c.value === '') && !c.tag;
}

/** Every document of a YAML stream (empty documents included, as null). */
export function decodeAll(text: string): YamlValue[] {
  return parseDocs(text).map((d) => (isEmptyDocument(d) ? null : toValue(d.contents, d)));
}

/** The first document of a YAML text (null when empty). */
export function decode(text: string): YamlValue {
  const docs = parseDocs(text);
  if (docs.length === 0 || isEmptyDocument(docs[0])) return null;
  return toValue(docs[0].contents, docs[0]);
}

// ---- encoder -------------------------------------------------------------------------------

/** yaml.v3's key order (sorter.go): letters before digits, digit runs compared as numbers. */
export function compareKeysV3(a: string, b: string): number {
  const ar = Array.from(a);
  const br = Array.from(b);
  const isDigit = (c: string) => c >= '0' && c <= '9';
  const isLetter = (c: string) => /\p{L}/u.test(c);
  let digits = false;
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) { digits = isDigit(ar[i]); continue; }
    const al = isLetter(ar[i]);
    const bl = isLetter(br[i]);
    if (al && bl) return ar[i] < br[i] ? -1 : 1;
    if (al || bl) return (digits ? al : bl) ? -1 : 1;
    let an = 0n;
    let bn = 0n;
    if (ar[i] === '0' || br[i] === '0') {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]); j--) {
        if (ar[j] !== '0') { an = 1n; bn = 1n; break; }
      }
    }
    let ai = i;
    let bi = i;
    for (; ai < ar.length && isDigit(ar[ai]); ai++) an = an * 10n + BigInt(ar[ai].charCodeAt(0) - 48);
    for (; bi < br.length && isDigit(br[bi]); bi++) bn = bn * 10n + BigInt(br[bi].charCodeAt(0) - 48);
    if (an !== bn) return an < bn ? -1 : 1;
    if (ai !== bi) return ai < bi ? -1 : 1;
    return ar[i] < br[i] ? -1 : 1;
  }
  return ar.length - br.length;
}

interface ScalarAnalysis {
  multiline: boolean;
  blockPlainAllowed: boolean;
  singleQuotedAllowed: boolean;
  blockAllowed: boolean;
}

// libyaml's yaml_emitter_analyze_scalar, for the block context the encoder writes in.
function analyze(value: string): ScalarAnalysis {
  if (value.length === 0) return { multiline: false, blockPlainAllowed: true, singleQuotedAllowed: true, blockAllowed: false };
  let blockIndicators = false;
  let lineBreaks = false;
  let special = false;
  let tabs = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  let previousSpace = false;
  let previousBreak = false;
  if (value.startsWith('---') || value.startsWith('...')) blockIndicators = true;
  const chars = Array.from(value);
  let precededByWhitespace = true;
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i];
    const next = chars[i + 1];
    const followedByWhitespace = next === undefined || next === ' ' || next === '\t' || next === '\n' || next === '\r';
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(ch)) blockIndicators = true;
      else if ((ch === '?' || ch === ':') && followedByWhitespace) blockIndicators = true;
      else if (ch === '-' && followedByWhitespace) blockIndicators = true;
    } else if (ch === ':' && followedByWhitespace) blockIndicators = true;
    else if (ch === '#' && precededByWhitespace) blockIndicators = true;
    const code = ch.codePointAt(0)!;
    if (ch === '\t') tabs = true;
    else if (!isPrintable(code)) special = true;
    if (ch === ' ') {
      if (i === 0) leadingSpace = true;
      if (i === chars.length - 1) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (ch === '\n' || ch === '\r' || code === 0x85 || code === 0x2028 || code === 0x2029) {
      lineBreaks = true;
      if (i === 0) leadingBreak = true;
      if (i === chars.length - 1) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousSpace = false;
      previousBreak = true;
    } else {
      previousSpace = false;
      previousBreak = false;
    }
    precededByWhitespace = ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r' || code === 0x85 || code === 0x2028 || code === 0x2029;
  }
  const r: ScalarAnalysis = { multiline: lineBreaks, blockPlainAllowed: true, singleQuotedAllowed: true, blockAllowed: true };
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) r.blockPlainAllowed = false;
  if (trailingSpace) r.blockAllowed = false;
  if (breakSpace) { r.blockPlainAllowed = false; r.singleQuotedAllowed = false; }
  if (spaceBreak || tabs || special) { r.blockPlainAllowed = false; r.singleQuotedAllowed = false; }
  if (spaceBreak || special) r.blockAllowed = false;
  if (lineBreaks) r.blockPlainAllowed = false;
  if (blockIndicators) r.blockPlainAllowed = false;
  return r;
}

function isPrintable(c: number): boolean {
  return c === 0x0a || (c >= 0x20 && c <= 0x7e) || c === 0x85 || (c >= 0xa0 && c <= 0xd7ff)
    || (c >= 0xe000 && c <= 0xfffd && c !== 0xfeff) || (c >= 0x10000 && c <= 0x10ffff);
}

function doubleQuoted(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    switch (ch) {
      case '"': out += '\\"'; continue;
      case '\\': out += '\\\\'; continue;
      case '\n': out += '\\n'; continue;
      case '\t': out += '\\t'; continue;
      case '\r': out += '\\r'; continue;
      case '\0': out += '\\0'; continue;
    }
    if (!isPrintable(c) || c === 0xfeff) {
      out += c <= 0xff ? `\\x${c.toString(16).toUpperCase().padStart(2, '0')}` : c <= 0xffff ? `\\u${c.toString(16).toUpperCase().padStart(4, '0')}` : `\\U${c.toString(16).toUpperCase().padStart(8, '0')}`;
    } else out += ch;
  }
  return `${out}"`;
}

type Style = 'plain' | 'single' | 'double' | 'literal';

function scalarStyle(s: string, isKey: boolean): Style {
  let style: Style;
  const canUsePlain = !resolvesToNonString(s) && !isBase60Float(s) && !isOldBool(s);
  if (s.includes('\n')) style = 'literal';
  else if (canUsePlain) style = 'plain';
  else style = 'double';
  const a = analyze(s);
  if (isKey && a.multiline) style = 'double';
  if (style === 'plain') {
    if (!a.blockPlainAllowed) style = 'single';
    if (s.length === 0 && isKey) style = 'single';
  }
  if (style === 'single' && !a.singleQuotedAllowed) style = 'double';
  if (style === 'literal' && (!a.blockAllowed || isKey)) style = 'double';
  return style;
}

function literal(s: string, indent: string): string {
  let chomp = '';
  if (!s.endsWith('\n')) chomp = '-';
  else if (s.endsWith('\n\n') || s === '\n') chomp = '+';
  const indicator = s.startsWith(' ') || s.startsWith('\n') ? '2' : '';
  const lines = s.split('\n');
  if (s.endsWith('\n')) lines.pop();
  return `|${indicator}${chomp}\n${lines.map((l) => (l === '' ? '' : indent + l)).join('\n')}`;
}

function scalar(v: YamlValue, indent: string, isKey: boolean): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return formatFloatG(v);
  const s = v as string;
  switch (scalarStyle(s, isKey)) {
    case 'plain': return s;
    case 'single': return `'${s.replace(/'/g, "''")}'`;
    case 'double': return doubleQuoted(s);
    case 'literal': return literal(s, indent);
  }
}

function isCollection(v: YamlValue): v is YamlValue[] | { [k: string]: YamlValue } {
  return v !== null && typeof v === 'object';
}

function emptyCollection(v: YamlValue): string | undefined {
  if (Array.isArray(v) && v.length === 0) return '[]';
  if (isYamlMap(v) && Object.keys(v).length === 0) return '{}';
  return undefined;
}

function encodeNode(v: YamlValue, indent: string, out: string[]): void {
  if (Array.isArray(v)) {
    for (const item of v) {
      const empty = emptyCollection(item);
      if (isCollection(item) && empty === undefined) {
        const inner: string[] = [];
        encodeNode(item, `${indent}  `, inner);
        // The first line of the item goes on the dash line.
        inner[0] = `${indent}- ${inner[0].slice(indent.length + 2)}`;
        out.push(...inner);
      } else {
        out.push(`${indent}- ${empty ?? scalar(item, `${indent}  `, false)}`);
      }
    }
    return;
  }
  if (isYamlMap(v)) {
    for (const key of Object.keys(v).sort(compareKeysV3)) {
      const val = v[key];
      const k = scalar(key, indent, true);
      const empty = emptyCollection(val);
      if (isCollection(val) && empty === undefined) {
        out.push(`${indent}${k}:`);
        encodeNode(val, `${indent}  `, out);
      } else {
        out.push(`${indent}${k}: ${empty ?? scalar(val, `${indent}  `, false)}`);
      }
    }
    return;
  }
  out.push(indent + scalar(v, indent, false));
}

/** yaml.v3 Encoder with SetIndent(2): what helm-unittest prints in messages and snapshots. */
export function encode(v: YamlValue): string {
  const empty = emptyCollection(v);
  if (empty !== undefined) return `${empty}\n`;
  if (!isCollection(v)) {
    return `${scalar(v, '  ', false)}\n`;
  }
  const out: string[] = [];
  encodeNode(v, '', out);
  return `${out.join('\n')}\n`;
}
