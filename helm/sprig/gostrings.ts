// Go's strings and unicode behaviour that Sprig's string functions inherit. Go strings are
// UTF-8 bytes: length and slicing count bytes, so these helpers convert where text is not ASCII.

import { byteLength } from '../template/strconv.js';

const ASCII = /^[\x00-\x7f]*$/;

export { byteLength };

/**
 * Go's s[lo:hi] on bytes; throws Go's runtime panic text when out of range (the executor
 * reports it as `error calling NAME: runtime error: ...`).
 */
export function sliceBytes(s: string, lo: number | undefined, hi: number | undefined): string {
  const len = byteLength(s);
  const l = lo ?? 0;
  const h = hi ?? len;
  if (hi !== undefined && h < 0) throw new Error(`runtime error: slice bounds out of range [:${h}]`);
  if (hi !== undefined && h > len) {
    throw new Error(`runtime error: slice bounds out of range [:${h}] with length ${len}`);
  }
  if (l < 0 || l > h) {
    throw new Error(`runtime error: slice bounds out of range [${l}:${h}]`);
  }
  if (ASCII.test(s)) return s.slice(l, h);
  return Buffer.from(s, 'utf8').subarray(l, h).toString('utf8');
}

/** unicode.IsSpace. */
export function isSpace(ch: string): boolean {
  switch (ch) {
    case '\t': case '\n': case '\v': case '\f': case '\r': case ' ': case '\u0085': case '\u00a0':
      return true;
  }
  const c = ch.codePointAt(0)!;
  if (c < 0x100) return false;
  return c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 ||
    c === 0x202f || c === 0x205f || c === 0x3000;
}

export const isLetter = (ch: string) => /^\p{L}$/u.test(ch);
export const isDigit = (ch: string) => /^\p{Nd}$/u.test(ch);
export const isNumber = (ch: string) => /^\p{N}$/u.test(ch);
export const isUpper = (ch: string) => /^\p{Lu}$/u.test(ch);
export const isLower = (ch: string) => /^\p{Ll}$/u.test(ch);
export const isTitle = (ch: string) => /^\p{Lt}$/u.test(ch);
export const isPunct = (ch: string) => /^\p{P}$/u.test(ch);

/** unicode.ToUpper: simple (one-to-one) case mapping; JS's multi-character mappings are not Go's. */
export function toUpperRune(ch: string): string {
  const u = ch.toUpperCase();
  return [...u].length === 1 ? u : ch;
}

export function toLowerRune(ch: string): string {
  const l = ch.toLowerCase();
  return [...l].length === 1 ? l : ch;
}

/** unicode.ToTitle: the title case of the few digraphs that have one, else upper case. */
export function toTitleRune(ch: string): string {
  const titles: Record<string, string> = {
    'Ǆ': 'ǅ', 'ǅ': 'ǅ', 'ǆ': 'ǅ', 'Ǉ': 'ǈ', 'ǈ': 'ǈ', 'ǉ': 'ǈ', 'Ǌ': 'ǋ', 'ǋ': 'ǋ', 'ǌ': 'ǋ',
    'Ǳ': 'ǲ', 'ǲ': 'ǲ', 'ǳ': 'ǲ',
  };
  return titles[ch] ?? toUpperRune(ch);
}

export function mapRunes(s: string, f: (ch: string) => string): string {
  if (ASCII.test(s)) {
    let out = '';
    for (let i = 0; i < s.length; i++) out += f(s[i]!);
    return out;
  }
  return Array.from(s, f).join('');
}

export const goToUpper = (s: string) => mapRunes(s, toUpperRune);
export const goToLower = (s: string) => mapRunes(s, toLowerRune);

/** strings.TrimSpace. */
export function trimSpace(s: string): string {
  const runes = Array.from(s);
  let i = 0;
  let j = runes.length;
  while (i < j && isSpace(runes[i]!)) i++;
  while (j > i && isSpace(runes[j - 1]!)) j--;
  return runes.slice(i, j).join('');
}

/** strings.Trim(s, cutset). */
export function trimCutset(s: string, cutset: string): string {
  if (s === '' || cutset === '') return s;
  const cut = new Set(Array.from(cutset));
  const runes = Array.from(s);
  let i = 0;
  let j = runes.length;
  while (i < j && cut.has(runes[i]!)) i++;
  while (j > i && cut.has(runes[j - 1]!)) j--;
  return runes.slice(i, j).join('');
}

/** strings.Split: "" as separator splits into UTF-8 sequences (runes). */
export function goSplit(s: string, sep: string): string[] {
  if (sep === '') return Array.from(s);
  return s.split(sep);
}

/** strings.SplitN. */
export function goSplitN(s: string, sep: string, n: number): string[] {
  if (n === 0) return [];
  if (n < 0) return goSplit(s, sep);
  if (sep === '') {
    const runes = Array.from(s);
    if (runes.length <= n) return runes;
    return [...runes.slice(0, n - 1), runes.slice(n - 1).join('')];
  }
  const out: string[] = [];
  let rest = s;
  while (out.length < n - 1) {
    const i = rest.indexOf(sep);
    if (i < 0) break;
    out.push(rest.slice(0, i));
    rest = rest.slice(i + sep.length);
  }
  out.push(rest);
  return out;
}

/** strings.Replace(s, old, new, -1): an empty `old` inserts `new` around every rune. */
export function replaceAll(s: string, old: string, repl: string): string {
  if (old === '') {
    const runes = Array.from(s);
    return repl + runes.map((r) => r + repl).join('');
  }
  return s.split(old).join(repl);
}

/** Go's strings.Repeat (panics on a negative count). */
export function repeat(s: string, count: number): string {
  if (count < 0) throw new Error('strings: negative Repeat count');
  return s.repeat(count);
}

/** sort.Strings order: bytewise UTF-8, which for JS strings differs from code units only around surrogates. */
export function compareGoStrings(a: string, b: string): number {
  if (a === b) return 0;
  if (ASCII.test(a) && ASCII.test(b)) return a < b ? -1 : 1;
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
