// Sprig's string functions (strings.go, plus the goutils and xstrings helpers it maps in).
// Arguments arrive with Go's conversions applied (signatures below), so a function only sees
// the Go types its Go counterpart declares.
import { formatValue } from '../template/fmt.js';
import { quote as goQuote } from '../template/strconv.js';
import { goFunc } from '../template/func.js';
import { intArg, strval, toStrings } from './conversion.js';
import {
  byteLength, compareGoStrings, goSplit, goSplitN, goToLower, goToUpper, isLetter, isLower, isNumber,
  isPunct, isSpace, isDigit, isTitle, isUpper, mapRunes, repeat, replaceAll, sliceBytes, toLowerRune,
  toTitleRune, toUpperRune, trimCutset, trimSpace,
} from './gostrings.js';
import { randomInt } from './random.js';

// --- goutils (Apache Commons Lang ports) ---

function abbreviateFull(str: string, offset: number, maxWidth: number): string {
  if (str === '') return '';
  if (maxWidth < 4) throw new Error('stringutils illegal argument: Minimum abbreviation width is 4');
  const len = byteLength(str);
  if (len <= maxWidth) return str;
  let off = Math.min(offset, len);
  if (len - off < maxWidth - 3) off = len - (maxWidth - 3);
  if (off <= 4) return sliceBytes(str, 0, maxWidth - 3) + '...';
  if (maxWidth < 7) throw new Error('stringutils illegal argument: Minimum abbreviation width with offset is 7');
  if (off + maxWidth - 3 < len) return '...' + abbreviateFull(sliceBytes(str, off, undefined), 0, maxWidth - 3);
  return '...' + sliceBytes(str, len - (maxWidth - 3), undefined);
}

function abbrev(width: number, s: string): string {
  if (width < 4) return s;
  try { return abbreviateFull(s, 0, width); } catch { return ''; }
}

function abbrevboth(left: number, right: number, s: string): string {
  if (right < 4 || (left > 0 && right < 7)) return s;
  try { return abbreviateFull(s, left, right); } catch { return ''; }
}

/** goutils.WrapCustom: wraps at spaces (byte columns); long words are split only when asked. */
function wrapCustom(str: string, wrapLength: number, newLineStr: string, wrapLongWords: boolean): string {
  if (str === '') return '';
  const nl = newLineStr === '' ? '\n' : newLineStr;
  const width = wrapLength < 1 ? 1 : wrapLength;
  // Work on bytes so that columns are Go's.
  const b = Buffer.from(str, 'utf8');
  const text = (lo: number, hi?: number) => b.subarray(lo, hi).toString('utf8');
  const inputLineLength = b.length;
  let offset = 0;
  let out = '';
  const lastSpace = (lo: number, hi: number) => b.subarray(lo, Math.min(hi, b.length)).lastIndexOf(0x20);
  while (inputLineLength - offset > width) {
    if (b[offset] === 0x20) {
      offset++;
      continue;
    }
    const end = width + offset + 1;
    let spaceToWrapAt = lastSpace(offset, end) + offset;
    if (spaceToWrapAt >= offset) {
      out += text(offset, spaceToWrapAt) + nl;
      offset = spaceToWrapAt + 1;
    } else if (wrapLongWords) {
      out += text(offset, width + offset) + nl;
      offset += width;
    } else {
      const e = width + offset;
      const index = b.subarray(e).indexOf(0x20);
      if (index === -1) {
        out += text(offset);
        offset = inputLineLength;
      } else {
        spaceToWrapAt = index + e;
        out += text(offset, spaceToWrapAt) + nl;
        offset = spaceToWrapAt + 1;
      }
    }
  }
  return out + text(offset);
}

/**
 * goutils reads some strings byte by byte and writes each byte back as a rune: ASCII is kept,
 * while a multi-byte character comes out as one Latin-1 character per UTF-8 byte, as in Go.
 */
function byteRunes(s: string): string[] {
  return Array.from(Buffer.from(s, 'utf8'), (b) => String.fromCharCode(b));
}

function initials(s: string): string {
  let out = '';
  let lastWasGap = true;
  for (const ch of byteRunes(s)) {
    if (isSpace(ch)) {
      lastWasGap = true;
    } else if (lastWasGap) {
      out += ch;
      lastWasGap = false;
    }
  }
  return out;
}

function uncapitalize(s: string): string {
  let next = true;
  return mapRunes(s, (ch) => {
    if (isSpace(ch)) {
      next = true;
      return ch;
    }
    if (next) {
      next = false;
      return toLowerRune(ch);
    }
    return ch;
  });
}

function swapCase(s: string): string {
  let whitespace = true;
  return mapRunes(s, (ch) => {
    if (isUpper(ch) || isTitle(ch)) {
      whitespace = false;
      return toLowerRune(ch);
    }
    if (isLower(ch)) {
      if (whitespace) {
        whitespace = false;
        return toTitleRune(ch);
      }
      return toUpperRune(ch);
    }
    whitespace = isSpace(ch);
    return ch;
  });
}

function deleteWhiteSpace(s: string): string {
  const chars = byteRunes(s);
  const kept = chars.filter((ch) => !isSpace(ch));
  return kept.length === chars.length ? s : kept.join('');
}

/** strings.Title: the first letter of each word (after a separator) in title case. */
function title(s: string): string {
  const isSeparator = (r: string) => {
    if (r.charCodeAt(0) <= 0x7f) return !/[0-9a-zA-Z_]/.test(r);
    if (isLetter(r) || isDigit(r)) return false;
    return isSpace(r);
  };
  let prev = ' ';
  return mapRunes(s, (r) => {
    const out = isSeparator(prev) ? toTitleRune(r) : r;
    prev = r;
    return out;
  });
}

// --- xstrings v1.5 ---

const isConnector = (r: string) => r === '-' || r === '_' || isSpace(r);
const isAlphabet = (r: string) => isLetter(r);

/** xstrings.ToPascalCase (Sprig's camelcase): connectors dropped, the rune after one upper-cased. */
function toPascalCase(str: string): string {
  const runes = Array.from(str);
  let out = '';
  let i = 0;
  let r0 = '';
  while (i < runes.length) {
    r0 = runes[i++]!;
    if (!isConnector(r0)) {
      r0 = toUpperRune(r0);
      break;
    }
    out += r0;
  }
  // As xstrings does, the last rune read is written again when nothing follows it.
  if (i >= runes.length) return runes.length > 0 ? out + r0 : out;
  for (; i < runes.length; i++) {
    const r1 = r0;
    r0 = runes[i]!;
    if (isConnector(r0) && isConnector(r1)) {
      out += r1;
      continue;
    }
    if (isConnector(r1)) r0 = toUpperRune(r0);
    else out += r1;
  }
  return out + r0;
}

type WordType = 'invalid' | 'number' | 'upper' | 'alphabet' | 'connector' | 'punct' | 'other';

/** xstrings nextWord: the next run of one kind; an upper-case run keeps its last letter for the next word. */
function nextWord(runes: string[], start: number): [WordType, number] {
  const n = runes.length;
  if (start >= n) return ['invalid', start];
  const r = runes[start]!;
  let i = start + 1;
  if (isConnector(r)) {
    while (i < n && isConnector(runes[i]!)) i++;
    return ['connector', i];
  }
  if (isPunct(r)) {
    while (i < n && isPunct(runes[i]!)) i++;
    return ['punct', i];
  }
  if (isUpper(r)) {
    if (i >= n) return ['upper', i];
    const r1 = runes[i]!;
    if (isUpper(r1)) {
      i++;
      while (i < n && isUpper(runes[i]!)) i++;
      if (i < n && isAlphabet(runes[i]!)) i--;
    } else if (isAlphabet(r1)) {
      i++;
      while (i < n && isAlphabet(runes[i]!) && !isUpper(runes[i]!)) i++;
    }
    return ['upper', i];
  }
  if (isAlphabet(r)) {
    while (i < n && isAlphabet(runes[i]!) && !isUpper(runes[i]!)) i++;
    return ['alphabet', i];
  }
  if (isNumber(r)) {
    while (i < n && isNumber(runes[i]!)) i++;
    return ['number', i];
  }
  while (i < n && !isConnector(runes[i]!) && !isAlphabet(runes[i]!) && !isNumber(runes[i]!) && !isPunct(runes[i]!)) i++;
  return ['other', i];
}

function camelCaseToLowerCase(str: string, connector: string): string {
  const runes = Array.from(str);
  if (runes.length === 0) return '';
  let out = '';
  const toLower = (wt: WordType, word: string[]) => {
    if (wt !== 'upper' && wt !== 'connector') {
      out += word.join('');
      return;
    }
    for (const r of word) out += isConnector(r) ? connector : isUpper(r) ? toLowerRune(r) : r;
  };
  let pos = 0;
  const next = (): [WordType, string[]] => {
    const [wt, end] = nextWord(runes, pos);
    const word = runes.slice(pos, end);
    pos = end;
    return [wt, word];
  };
  let [wt, word] = next();
  while (pos < runes.length) {
    if (wt !== 'connector') toLower(wt, word);
    const prev = wt;
    const last = word;
    [wt, word] = next();
    if (prev === 'number') {
      while (wt === 'alphabet' || wt === 'number') {
        toLower(wt, word);
        [wt, word] = next();
      }
      if (wt !== 'invalid' && wt !== 'punct' && wt !== 'connector') out += connector;
    } else if (prev === 'connector') {
      toLower(prev, last);
    } else if (prev === 'punct') {
      // nothing between punctuation and the next word
    } else {
      if (wt !== 'number') {
        if (wt !== 'connector' && wt !== 'punct') out += connector;
        continue;
      }
      if (pos >= runes.length) continue;
      const lastNum = word;
      [wt, word] = next();
      if (wt !== 'alphabet') {
        toLower('number', lastNum);
        if (wt !== 'connector' && wt !== 'punct') out += connector;
        continue;
      }
      out += connector;
      toLower('number', lastNum);
      while (wt === 'alphabet' || wt === 'number') {
        toLower(wt, word);
        [wt, word] = next();
      }
      if (wt !== 'invalid' && wt !== 'connector' && wt !== 'punct') out += connector;
    }
  }
  toLower(wt, word);
  return out;
}

/** xstrings.Shuffle (Fisher-Yates over runes), drawing from the render's entropy source. */
function shuffle(s: string): string {
  if (s === '') return s;
  const runes = Array.from(s);
  for (let i = runes.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    if (i !== j) [runes[i], runes[j]] = [runes[j]!, runes[i]!];
  }
  return runes.join('');
}

// --- goutils CryptoRandom ---

/** goutils.CryptoRandom over ASCII ' '..'z' filtered to letters and/or digits, or 32..126. */
function cryptoRandom(count: number, start: number, end: number, letters: boolean, numbers: boolean): string {
  if (count === 0) return '';
  if (count < 0) {
    throw new Error(`randomstringutils illegal argument: Requested random string length ${count} is less than 0.`);
  }
  let s = start;
  let e = end;
  if (s === 0 && e === 0) {
    e = 'z'.charCodeAt(0) + 1;
    s = ' '.charCodeAt(0);
  }
  const out: string[] = [];
  while (out.length < count) {
    const ch = String.fromCharCode(randomInt(e - s) + s);
    if ((letters && isLetter(ch)) || (numbers && isDigit(ch)) || (!letters && !numbers)) out.push(ch);
  }
  return out.join('');
}

function randString(count: number, letters: boolean, numbers: boolean, ascii = false): string {
  try {
    return ascii ? cryptoRandom(count, 32, 127, false, false) : cryptoRandom(count, 0, 0, letters, numbers);
  } catch {
    return '';
  }
}

// --- strings.go ---

function quote(...str: unknown[]): string {
  return str.filter((s) => s !== null && s !== undefined).map((s) => goQuote(strval(s))).join(' ');
}

function squote(...str: unknown[]): string {
  return str.filter((s) => s !== null && s !== undefined).map((s) => `'${formatValue(s)}'`).join(' ');
}

function cat(...v: unknown[]): string {
  return v.filter((s) => s !== null && s !== undefined).map((s) => formatValue(s)).join(' ');
}

function indent(spaces: number, v: string): string {
  const pad = repeat(' ', spaces);
  return pad + v.split('\n').join('\n' + pad);
}

function trunc(c: number, s: string): string {
  const len = byteLength(s);
  if (c < 0 && len + c > 0) return sliceBytes(s, len + c, undefined);
  if (c >= 0 && len > c) return sliceBytes(s, 0, c);
  return s;
}

/** start < 0: s[:end]; end < 0 or past the end: s[start:]; else s[start:end] (Go panics out of range). */
function substring(start: number, end: number, s: string): string {
  if (start < 0) return sliceBytes(s, undefined, end);
  if (end < 0 || end > byteLength(s)) return sliceBytes(s, start, undefined);
  return sliceBytes(s, start, end);
}

/** split "/" "a/b" is map[_0:a _1:b]. */
function splitToMap(parts: string[]): Record<string, unknown> {
  const res: Record<string, unknown> = {};
  parts.forEach((p, i) => { res[`_${i}`] = p; });
  return res;
}

function sortAlpha(list: unknown): string[] {
  if (Array.isArray(list) || list instanceof Uint8Array) return toStrings(list).sort(compareGoStrings);
  return [strval(list)];
}

const S = 'string' as const;
const I = 'int' as const;

export const stringFuncs = {
  abbrev: goFunc({ params: [I, S] }, (w: unknown, s: string) => abbrev(intArg(w), s)),
  abbrevboth: goFunc({ params: [I, I, S] }, (l: unknown, r: unknown, s: string) => abbrevboth(intArg(l), intArg(r), s)),
  trunc: goFunc({ params: [I, S] }, (c: unknown, s: string) => trunc(intArg(c), s)),
  trim: goFunc({ params: [S] }, (s: string) => trimSpace(s)),
  upper: goFunc({ params: [S] }, (s: string) => goToUpper(s)),
  lower: goFunc({ params: [S] }, (s: string) => goToLower(s)),
  title: goFunc({ params: [S] }, (s: string) => title(s)),
  untitle: goFunc({ params: [S] }, (s: string) => uncapitalize(s)),
  substr: goFunc({ params: [I, I, S] }, (a: unknown, b: unknown, s: string) => substring(intArg(a), intArg(b), s)),
  repeat: goFunc({ params: [I, S] }, (count: unknown, s: string) => repeat(s, intArg(count))),
  trimall: goFunc({ params: [S, S] }, (a: string, b: string) => trimCutset(b, a)),
  trimAll: goFunc({ params: [S, S] }, (a: string, b: string) => trimCutset(b, a)),
  trimSuffix: goFunc({ params: [S, S] }, (a: string, b: string) => (a !== '' && b.endsWith(a) ? b.slice(0, b.length - a.length) : b)),
  trimPrefix: goFunc({ params: [S, S] }, (a: string, b: string) => (b.startsWith(a) ? b.slice(a.length) : b)),
  nospace: goFunc({ params: [S] }, (s: string) => deleteWhiteSpace(s)),
  initials: goFunc({ params: [S] }, (s: string) => initials(s)),
  randAlphaNum: goFunc({ params: [I] }, (n: unknown) => randString(intArg(n), true, true)),
  randAlpha: goFunc({ params: [I] }, (n: unknown) => randString(intArg(n), true, false)),
  randAscii: goFunc({ params: [I] }, (n: unknown) => randString(intArg(n), false, false, true)),
  randNumeric: goFunc({ params: [I] }, (n: unknown) => randString(intArg(n), false, true)),
  swapcase: goFunc({ params: [S] }, (s: string) => swapCase(s)),
  shuffle: goFunc({ params: [S] }, (s: string) => shuffle(s)),
  snakecase: goFunc({ params: [S] }, (s: string) => camelCaseToLowerCase(s, '_')),
  camelcase: goFunc({ params: [S] }, (s: string) => toPascalCase(s)),
  kebabcase: goFunc({ params: [S] }, (s: string) => camelCaseToLowerCase(s, '-')),
  wrap: goFunc({ params: [I, S] }, (l: unknown, s: string) => wrapCustom(s, intArg(l), '', false)),
  wrapWith: goFunc({ params: [I, S, S] }, (l: unknown, sep: string, s: string) => wrapCustom(s, intArg(l), sep, true)),
  contains: goFunc({ params: [S, S] }, (sub: string, s: string) => s.includes(sub)),
  hasPrefix: goFunc({ params: [S, S] }, (sub: string, s: string) => s.startsWith(sub)),
  hasSuffix: goFunc({ params: [S, S] }, (sub: string, s: string) => s.endsWith(sub)),
  quote,
  squote,
  cat,
  indent: goFunc({ params: [I, S] }, (n: unknown, v: string) => indent(intArg(n), v)),
  nindent: goFunc({ params: [I, S] }, (n: unknown, v: string) => '\n' + indent(intArg(n), v)),
  replace: goFunc({ params: [S, S, S] }, (old: string, repl: string, src: string) => replaceAll(src, old, repl)),
  plural: goFunc({ params: [S, S, I] }, (one: string, many: string, count: unknown) => (intArg(count) === 1 ? one : many)),
  split: goFunc({ params: [S, S] }, (sep: string, orig: string) => splitToMap(goSplit(orig, sep))),
  splitList: goFunc({ params: [S, S] }, (sep: string, orig: string) => goSplit(orig, sep)),
  splitn: goFunc({ params: [S, I, S] }, (sep: string, n: unknown, orig: string) => splitToMap(goSplitN(orig, sep, intArg(n)))),
  join: goFunc({ params: [S, 'interface{}'] }, (sep: string, v: unknown) => toStrings(v).join(sep)),
  sortAlpha: goFunc({ params: ['interface{}'] }, (list: unknown) => sortAlpha(list)),
};
