// sigs.k8s.io/yaml.Unmarshal as Helm reads values files and `fromYaml`: go-yaml v2 decodes the
// first document (YAML 1.1 typing, merge keys, aliases), the result is converted to JSON
// (non-string keys stringified) and encoding/json decodes that into interface{} — so every
// number ends as a float64 (a JS number).
//
// The `yaml` package parses; typing, merging and the JSON conversion follow go-yaml and sigs.
import {
  Alias, type Document, isAlias, isMap as isYAMLMap, isScalar, isSeq, LineCounter, parseAllDocuments,
  type Node, type Scalar, type YAMLError,
} from 'yaml';
import { GoInt, isMap } from '../template/value.js';

const MAX_INT64 = (1n << 63n) - 1n;
import { formatFloat, setKey } from './json.js';
import { formatFloatG, type Resolved, resolvePlain } from './yaml-resolve.js';

/** An error of sigs.k8s.io/yaml.Unmarshal; `message` is Go's text. */
export class YAMLUnmarshalError extends Error {
  override name = 'YAMLUnmarshalError';
}

export type UnmarshalTarget = 'any' | 'map' | 'slice';

export interface UnmarshalOptions {
  /** What the Go caller decodes into: interface{}, map[string]interface{} or []interface{}. */
  readonly target?: UnmarshalTarget;
  /** yaml.UnmarshalStrict: a key repeated in one mapping is an error. */
  readonly strict?: boolean;
  /**
   * Keep YAML integers as GoInt (kind int) instead of float64: what sigs.k8s.io/yaml sees
   * before encoding/json when it coerces a scalar for a Go string field (an int prints with
   * FormatInt, a float with FormatFloat(f, 'g', -1, 32)), e.g. Chart.yaml's `version: 20230101`.
   */
  readonly keepInts?: boolean;
}

const PARSE_OPTIONS = {
  version: '1.1',
  schema: 'failsafe',
  merge: false,
  uniqueKeys: false,
  prettyErrors: false,
  logLevel: 'silent',
} as const;

// Templates call fromYaml on the same text again and again (in loops, per subchart): parsed
// values are kept, and each caller gets its own copy since templates and coalescing mutate them.
// Large texts (whole values files, read once per chart) are not kept.
const CACHE_ENTRIES = 256;
const CACHE_MAX_TEXT = 64 * 1024;
const cache = new Map<string, unknown>();

export function unmarshal(text: string, opts: UnmarshalOptions = {}): unknown {
  if (text.length > CACHE_MAX_TEXT) return decodeText(text, opts);
  const key = `${opts.target ?? 'any'}|${opts.strict ? 1 : 0}|${opts.keepInts ? 1 : 0}|${text}`;
  let value = cache.get(key);
  if (value === undefined) {
    value = decodeText(text, opts);
    if (cache.size >= CACHE_ENTRIES) cache.delete(cache.keys().next().value!);
    cache.set(key, value);
  }
  return copyValue(value);
}

/** A deep copy of a decoded value (GoInts are immutable and shared). */
function copyValue(v: unknown): unknown {
  if (v === null || typeof v !== 'object' || v instanceof GoInt) return v;
  if (Array.isArray(v)) return v.map(copyValue);
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) setKey(out, k, copyValue(x));
  return out;
}

function decodeText(input: string, opts: UnmarshalOptions): unknown {
  // YAML 1.1 (libyaml) reads a raw NEL as a line break and stores it as "\n"; YAML 1.2
  // parsers take it as text.
  const text = input.includes('\u0085') ? input.replace(/\u0085/g, '\n') : input;
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { ...PARSE_OPTIONS, lineCounter });
  // go-yaml's Unmarshal reads the first document only; later ones are never parsed.
  const doc = Array.isArray(docs) ? docs[0] : undefined;
  let value: unknown = null;
  if (doc) {
    const error = doc.errors.find((e) => !LIBYAML_ACCEPTS.test(e.message));
    if (error) throw convertError(yamlSyntaxError(text, error, lineCounter));
    const decoder = new Decoder(doc, lineCounter, opts.strict ?? false, opts.keepInts ?? false);
    value = doc.contents ? decoder.decode(doc.contents as Node) : null;
    if (decoder.typeErrors.length > 0) {
      throw convertError(`yaml: unmarshal errors:\n  ${decoder.typeErrors.join('\n  ')}`);
    }
  }
  const target = opts.target ?? 'any';
  if (target === 'map' && value !== null && !isMap(value)) throw jsonTypeError(value, 'map[string]interface {}');
  if (target === 'slice' && value !== null && !Array.isArray(value)) throw jsonTypeError(value, '[]interface {}');
  return value;
}

/**
 * YAML 1.2 rules the yaml package enforces and libyaml does not: libyaml starts a comment at
 * any `#` between tokens (`a: "b"#c`), spaced or not.
 */
const LIBYAML_ACCEPTS = /^Comments must be separated from other tokens by white space characters/;

function convertError(msg: string): YAMLUnmarshalError {
  return new YAMLUnmarshalError(`error converting YAML to JSON: ${msg}`);
}

function jsonTypeError(v: unknown, goType: string): YAMLUnmarshalError {
  const kind = Array.isArray(v) ? 'array' : typeof v === 'string' ? 'string' : typeof v === 'number' ? 'number'
    : typeof v === 'boolean' ? 'bool' : 'object';
  return new YAMLUnmarshalError(`error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${kind} into Go value of type ${goType}`);
}

/** A go-yaml value before the JSON step: ints stay bigint so keys print as Go prints them. */
type GoYAML = null | boolean | string | bigint | number | GoYAML[] | GoYAMLMap;
type GoYAMLMap = Map<unknown, GoYAML>;

class Decoder {
  readonly typeErrors: string[] = [];
  private readonly aliasing = new Set<Alias>();
  // go-yaml's guard against alias expansion bombs ("billion laughs").
  private decodeCount = 0;
  private aliasCount = 0;
  private aliasDepth = 0;

  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
    private readonly strict: boolean,
    private readonly keepInts: boolean,
  ) {}

  decode(node: Node): unknown {
    return toJSONValue(this.node(node), this.keepInts);
  }

  private node(n: Node): GoYAML {
    this.decodeCount++;
    if (this.aliasDepth > 0) this.aliasCount++;
    if (this.aliasCount > 100 && this.decodeCount > 1000 && this.aliasCount / this.decodeCount > allowedAliasRatio(this.decodeCount)) {
      throw convertError('yaml: document contains excessive aliasing');
    }
    if (isAlias(n)) return this.alias(n);
    if (isScalar(n)) return this.scalar(n);
    if (isSeq(n)) return n.items.map((item) => this.node(item as Node));
    if (isYAMLMap(n)) {
      const out: GoYAMLMap = new Map();
      this.mappingInto(n as unknown as { items: Array<{ key: unknown; value: unknown }> }, out);
      return out;
    }
    return null;
  }

  private alias(a: Alias): GoYAML {
    const target = a.resolve(this.doc);
    if (!target) throw new YAMLUnmarshalError(`error converting YAML to JSON: yaml: unknown anchor '${a.source}' referenced`);
    if (this.aliasing.has(a)) throw convertError(`yaml: anchor '${a.source}' value contains itself`);
    this.aliasing.add(a);
    this.aliasDepth++;
    try {
      return this.node(target as Node);
    } finally {
      this.aliasDepth--;
      this.aliasing.delete(a);
    }
  }

  private mappingInto(m: { items: Array<{ key: unknown; value: unknown }> }, out: GoYAMLMap): void {
    for (const pair of m.items) {
      const keyNode = pair.key as Node | null;
      const valueNode = pair.value as Node | null;
      // go-yaml's isMerge: `<<` either plain and untagged, or tagged !!merge.
      if (keyNode && isScalar(keyNode) && keyNode.value === '<<' &&
          ((keyNode.type === 'PLAIN' && keyNode.tag === undefined) || keyNode.tag === 'tag:yaml.org,2002:merge')) {
        this.checkMergeValue(valueNode);
        this.mergeInto(valueNode, out);
        continue;
      }
      const key = keyNode ? this.node(keyNode) : null;
      if (key instanceof Map || Array.isArray(key)) throw convertError(`yaml: invalid map key: ${goSyntax(key)}`);
      const value = valueNode ? this.node(valueNode) : null;
      if (this.strict && out.has(key)) {
        this.typeErrors.push(`line ${this.lineOf(keyNode)}: key ${goSyntax(key)} already set in map`);
        continue;
      }
      out.set(key, value);
    }
  }

  /** Checks a merge value is a mapping or a sequence of mappings (go-yaml's failWantMap). */
  private checkMergeValue(n: Node | null): void {
    const isMapNode = (x: Node | null) => !!x && (isYAMLMap(x) || (isAlias(x) && isYAMLMap(x.resolve(this.doc))));
    if (isMapNode(n)) return;
    if (n && isSeq(n) && n.items.every((i) => isMapNode(i as Node))) return;
    throw convertError('yaml: map merge requires map or sequence of maps as the value');
  }

  /** go-yaml v2 decodes merged mappings into the same map: they overwrite earlier keys. */
  private mergeInto(n: Node | null, out: GoYAMLMap): void {
    if (!n) return;
    if (isSeq(n)) {
      // Earlier mappings take precedence, so they are applied last.
      for (let i = n.items.length - 1; i >= 0; i--) this.mergeInto(n.items[i] as Node, out);
      return;
    }
    const m = this.node(n);
    if (m instanceof Map) for (const [k, v] of m) out.set(k, v);
  }

  private scalar(s: Scalar): GoYAML {
    const text = s.value === null || s.value === undefined ? '' : String(s.value);
    const tag = s.tag;
    if (tag === undefined) {
      if (s.type !== 'PLAIN') return text;
      return typed(resolvePlain(text));
    }
    switch (tag) {
      case 'tag:yaml.org,2002:str':
        return text;
      case 'tag:yaml.org,2002:binary': {
        const b64 = text.replace(/\s+/g, '');
        if (b64.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) throw convertError('yaml: !!binary value contains invalid base64 data');
        // The bytes become a Go string, and invalid UTF-8 turns into U+FFFD on the way to JSON.
        return Buffer.from(b64, 'base64').toString('utf8');
      }
      case 'tag:yaml.org,2002:bool':
      case 'tag:yaml.org,2002:int':
      case 'tag:yaml.org,2002:float':
      case 'tag:yaml.org,2002:null':
      case 'tag:yaml.org,2002:timestamp':
        return this.explicit(tag.slice('tag:yaml.org,2002:'.length), text);
      default:
        // `!`, local and unknown tags are not resolved: the text is the value.
        return text;
    }
  }

  /** resolve(tag, text) with an explicit standard tag: the text must resolve to it. */
  private explicit(want: string, text: string): GoYAML {
    const r = resolvePlain(text);
    if (r.tag === want) return typed(r);
    if (want === 'float' && r.tag === 'int') return Number(r.value as bigint);
    throw convertError(`yaml: cannot decode !!${r.tag} \`${text}\` as a !!${want}`);
  }

  private lineOf(n: Node | null): number {
    const offset = n?.range?.[0] ?? 0;
    return this.lines.linePos(offset).line;
  }
}

function allowedAliasRatio(decodeCount: number): number {
  if (decodeCount <= 400_000) return 0.99;
  if (decodeCount >= 4_000_000) return 0.1;
  return 0.99 - 0.89 * ((decodeCount - 400_000) / 3_600_000);
}

function typed(r: Resolved): GoYAML {
  switch (r.tag) {
    case 'bool': return r.value as boolean;
    case 'null': return null;
    case 'int': return r.value as bigint;
    case 'float': return r.value as number;
    // A timestamp decoded into interface{} stays its text (go-yaml v2 compatibility).
    default: return r.value as string;
  }
}

/** The JSON step: keys stringified as sigs.k8s.io/yaml does, numbers become float64. */
function toJSONValue(v: GoYAML, keepInts: boolean): unknown {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'bigint') return keepInts ? new GoInt(v, v > MAX_INT64 ? 'uint64' : 'int') : Number(v);
  if (typeof v === 'number') {
    // encoding/json refuses NaN and the infinities.
    try {
      formatFloat(v);
    } catch (err) {
      throw convertError((err as Error).message);
    }
    return v;
  }
  if (Array.isArray(v)) return v.map((x) => toJSONValue(x, keepInts));
  const out: Record<string, unknown> = {};
  for (const [k, val] of v) {
    const key = jsonKey(k, val);
    setKey(out, key, toJSONValue(val, keepInts));
  }
  return out;
}

function jsonKey(k: unknown, v: GoYAML): string {
  if (typeof k === 'string') return k;
  if (typeof k === 'bigint') return k.toString();
  if (typeof k === 'boolean') return k ? 'true' : 'false';
  if (typeof k === 'number') return formatFloat32G(k);
  throw convertError(`unsupported map key of type: <nil>, key: <nil>, value: ${goSyntax(v)}`);
}

/** strconv.FormatFloat(f, 'g', -1, 32) with go-yaml's names for infinities and NaN. */
function formatFloat32G(f: number): string {
  const f32 = Math.fround(f);
  if (!Number.isFinite(f32) || f32 === 0) return formatFloatG(f32);
  for (let p = 1; p <= 9; p++) {
    const s = f32.toPrecision(p);
    if (Math.fround(Number(s)) === f32) return formatFloatG(Number(s));
  }
  return formatFloatG(f32);
}

/** `%#v` of a decoded value, for error texts (a nil inside a collection is typed). */
function goSyntax(v: unknown, nested = false): string {
  if (v === null) return nested ? 'interface {}(nil)' : '<nil>';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return formatFloatG(v);
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[]interface {}{${v.map((x) => goSyntax(x, true)).join(', ')}}`;
  if (v instanceof Map) return `map[interface {}]interface {}{${[...v].map(([k, x]) => `${goSyntax(k, true)}:${goSyntax(x, true)}`).join(', ')}}`;
  return String(v);
}

// ---------------------------------------------------------------------------------------------
// Syntax errors in libyaml's words where the case is common, with the line go-yaml prints:
// a scanner error names the 1-based line of the problem, a parser error its 0-based line
// (go-yaml adds one only for scanner errors), and a problem on the first line names none.

interface LibyamlError {
  readonly scanner: boolean;
  readonly problem: string;
  /** 0-based line of the problem mark and of the context mark. */
  readonly line: number;
  readonly contextLine?: number;
}

function yamlSyntaxError(src: string, err: YAMLError, lines: LineCounter): string {
  const e = libyamlError(src, err, lines);
  let where = '';
  if (e.line !== 0) where = `line ${e.scanner ? e.line + 1 : e.line}: `;
  else if (e.contextLine) where = `line ${e.contextLine}: `;
  return `yaml: ${where}${e.problem}`;
}

function libyamlError(src: string, err: YAMLError, lines: LineCounter): LibyamlError {
  const line0 = (offset: number) => lines.linePos(Math.min(offset, src.length)).line - 1;
  const at = err.pos[0];
  const msg = err.message;
  // At the stream end libyaml forces a last line break before it looks at pending keys.
  const endLine = line0(src.length) + (src.length > 0 && !src.endsWith('\n') ? 1 : 0);
  if (err.code === 'MISSING_CHAR' && /Implicit map keys/.test(msg)) {
    // libyaml notices the missing ':' when it reaches the next token after the key.
    const next = nextTokenOffset(src, err.pos[1]);
    return { scanner: true, problem: "could not find expected ':'", line: next >= src.length ? endLine : line0(next), contextLine: line0(at) };
  }
  if (/block sequence may not be used as an implicit map key/.test(msg)) {
    // libyaml opens a sequence where the enclosing mapping expects its next key.
    return { scanner: false, problem: 'did not find expected key', line: line0(at) };
  }
  if (err.code === 'BLOCK_AS_IMPLICIT_KEY' || /Nested mappings are not allowed/.test(msg)) {
    // libyaml reads on through the plain scalar and stops at the ':' that cannot start a value.
    return { scanner: true, problem: 'mapping values are not allowed in this context', line: line0(valueIndicatorAfter(src, at)) };
  }
  if (err.code === 'BAD_DQ_ESCAPE') {
    return { scanner: true, problem: 'found unknown escape character', line: line0(at) };
  }
  if (err.code === 'BAD_SCALAR_START') {
    return { scanner: true, problem: 'found character that cannot start any token', line: line0(at) };
  }
  if (err.code === 'TAB_AS_INDENT') {
    return { scanner: true, problem: 'found character that cannot start any token', line: line0(at) };
  }
  if (err.code === 'BAD_ALIAS') {
    return { scanner: true, problem: 'did not find expected alphabetic or numeric character', line: line0(at) };
  }
  if (/block-seq-ind on same line/.test(msg)) {
    return { scanner: true, problem: 'block sequence entries are not allowed in this context', line: line0(at) };
  }
  if (err.code === 'MISSING_CHAR' && /quote/.test(msg)) {
    return { scanner: true, problem: 'found unexpected end of stream', line: line0(src.length), contextLine: line0(at) };
  }
  const flow = /Flow (sequence|map|mapping) in block collection/.exec(msg);
  if (flow) {
    // An unterminated flow collection runs into the stream end: after `[` or `,` a node was
    // due, after an entry the separator or the closing bracket.
    const last = src.trimEnd().slice(-1);
    const problem = last === ',' || last === '[' || last === '{' ? 'did not find expected node content'
      : flow[1] === 'sequence' ? "did not find expected ',' or ']'" : "did not find expected ',' or '}'";
    return { scanner: false, problem, line: endLine };
  }
  if (err.code === 'BAD_INDENT' || err.code === 'UNEXPECTED_TOKEN') {
    return { scanner: false, problem: 'did not find expected key', line: line0(at) };
  }
  return { scanner: true, problem: msg, line: line0(at) };
}

/** The first `:` at or after `from` that is followed by a blank or the end of a line. */
function valueIndicatorAfter(src: string, from: number): number {
  const re = /:(?=[ \t\r\n]|$)/g;
  re.lastIndex = from;
  return re.exec(src)?.index ?? from;
}

function nextTokenOffset(src: string, from: number): number {
  let i = from;
  while (i < src.length) {
    const c = src[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') { i++; continue; }
    if (c === '#') { while (i < src.length && src[i] !== '\n') i++; continue; }
    break;
  }
  return i;
}
