// js-yaml's block-style dump of plain data, written ~3.5× faster and byte for byte the same.
//
// js-yaml spends most of a dump deciding, for every node, which of its types the value is and,
// for every string, character by character, which scalar style it takes. Synth's objects repeat
// the same few thousand strings (keys, labels, images) across every object and cluster, and plain
// data (objects, arrays, strings, numbers, booleans, null) needs none of the type detection. So
// the structure is written here, exactly as js-yaml's writeBlockMapping and writeBlockSequence
// write it for `{ noRefs: true, lineWidth: -1, quotingType: '"' }`, and each distinct string's
// scalar is js-yaml's own, asked once and remembered. Anything else (a Date, a Buffer, a class
// instance, a key over 1,024 characters that js-yaml would make explicit) returns undefined and
// the caller dumps with js-yaml.
import yaml from 'js-yaml';

/** The options synth writes every object with; toYaml (yaml-text.ts) passes the same. */
export const DUMP_OPTIONS = { noRefs: true, lineWidth: -1, quotingType: '"' } as const;

/** Thrown inside the walk when a value is not plain data; never escapes this module. */
const NOT_PLAIN = Symbol('not plain data');

/**
 * Strings up to this length have their scalar remembered. Long ones repeat too: a fleet's 10,826
 * strings over 256 characters in 37,000 objects were 62 distinct ones (dashboards, CEL, scripts).
 */
const MEMO_MAX_LENGTH = 64 * 1024;
/** Characters (strings and scalars) the memo holds before it starts again: a bound on its memory. */
const MEMO_MAX_CHARS = 4 * 1024 * 1024;
const scalars = new Map<string, string>();
let memoChars = 0;

/**
 * `yaml.dump(o, DUMP_OPTIONS)`, the same text, when `o` is plain data (objects with Object's or a
 * null prototype, arrays, strings, numbers, booleans, null; undefined where js-yaml skips or nulls
 * it); undefined when it is not and the caller must dump it with js-yaml.
 */
export function blockYaml(o: unknown): string | undefined {
  try {
    return node(o, 0, true) + '\n';
  } catch (e) {
    if (e === NOT_PLAIN) return undefined;
    throw e;
  }
}

/** js-yaml's writeNode in block context, for plain data; `compact`: the first line is not broken. */
function node(v: unknown, level: number, compact: boolean): string {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'string': return scalar(v, level);
    case 'number': return number(v);
    case 'boolean': return v ? 'true' : 'false';
    case 'object': break;
    default: throw NOT_PLAIN;
  }
  if (Array.isArray(v)) return sequence(v, level, compact);
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) throw NOT_PLAIN;
  return mapping(v as Record<string, unknown>, level, compact);
}

/** writeBlockSequence: `- item` lines; undefined items are written as null; empty is `[]`. */
function sequence(items: readonly unknown[], level: number, compact: boolean): string {
  if (items.length === 0) return '[]';
  let out = '';
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    const text = item === undefined ? 'null' : node(item, level + 1, true);
    if (!compact || out !== '') out += lineBreak(level);
    out += text.charCodeAt(0) === LINE_FEED ? '-' : '- ';
    out += text;
  }
  return out;
}

/** writeBlockMapping: `key: value` lines in key order; undefined values are left out; empty is `{}`. */
function mapping(o: Record<string, unknown>, level: number, compact: boolean): string {
  const keys = Object.keys(o);
  let out = '';
  for (let i = 0; i < keys.length; i++) {
    const value = o[keys[i]];
    if (value === undefined) continue;
    const key = scalar(keys[i], level + 1);
    // js-yaml writes such a key as an explicit `? key` pair; a key with a line break is
    // double-quoted as a key but a block scalar as a value.
    if (key.length > 1024 || key.charCodeAt(0) === VERTICAL_LINE) throw NOT_PLAIN;
    const text = node(value, level + 1, false);
    if (!compact || out !== '') out += lineBreak(level);
    out += key;
    out += text.charCodeAt(0) === LINE_FEED ? ':' : ': ';
    out += text;
  }
  return out || '{}';
}

/**
 * js-yaml's scalar for a string at this depth. A string's style does not depend on where it
 * stands in block context, only a literal block's indentation does (2 spaces per level, at least
 * 2), so the scalar is js-yaml's dump of the string alone, re-indented when it is a `|` block.
 */
function scalar(s: string, level: number): string {
  let text = scalars.get(s);
  if (text === undefined) {
    text = yaml.dump(s, DUMP_OPTIONS).slice(0, -1);
    if (s.length <= MEMO_MAX_LENGTH) {
      memoChars += s.length + text.length;
      if (memoChars > MEMO_MAX_CHARS) {
        scalars.clear();
        memoChars = s.length + text.length;
      }
      scalars.set(s, text);
    }
  }
  if (level <= 1 || text.charCodeAt(0) !== VERTICAL_LINE) return text;
  // The dump alone indents every non-empty line of the block by 2; here it is 2 × level.
  const pad = ' '.repeat(2 * level - 2);
  const lines = text.split('\n');
  for (let i = 1; i < lines.length; i++) if (lines[i] !== '') lines[i] = pad + lines[i];
  return lines.join('\n');
}

/** js-yaml's int and float representers (lowercase style). */
function number(n: number): string {
  if (Number.isNaN(n)) return '.nan';
  if (n === Infinity) return '.inf';
  if (n === -Infinity) return '-.inf';
  if (Object.is(n, -0)) return '-0.0';
  const text = n.toString(10);
  if (n % 1 === 0) return text;
  // YAML needs a dot in a float's scientific form: 5e-100 is written 5.e-100.
  return SCIENTIFIC_WITHOUT_DOT.test(text) ? text.replace('e', '.e') : text;
}

const SCIENTIFIC_WITHOUT_DOT = /^[-+]?[0-9]+e/;
const LINE_FEED = 10;
const VERTICAL_LINE = 124;
const LINE_BREAKS = Array.from({ length: 32 }, (_, level) => '\n' + ' '.repeat(2 * level));
const lineBreak = (level: number) => LINE_BREAKS[level] ?? '\n' + ' '.repeat(2 * level);
