// Sprig's regex.go over Go's RE2 syntax. Patterns are translated to JS (inline flags, \A \z,
// (?P<name>), POSIX classes); matching is leftmost-first in both. FindAll and Split follow
// Go's rule that an empty match right after a previous match is skipped, and replacement
// templates expand $1, ${1}, $name as Go's Regexp.Expand does ("$1W" names group "1W").
import { goFunc } from '../template/func.js';
import { intArg } from './conversion.js';

const POSIX_CLASSES: Record<string, string> = {
  alnum: '0-9A-Za-z', alpha: 'A-Za-z', ascii: '\\x00-\\x7F', blank: '\\t ', cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9', graph: '!-~', lower: 'a-z', print: ' -~', punct: '!-/:-@[-`{-~', space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z', word: '0-9A-Za-z_', xdigit: '0-9A-Fa-f',
};

const GO_SPACE = '\\t\\n\\f\\r ';

/** Go's inline flags in effect: case-insensitive, . matches \n, ^ and $ at line ends. */
interface Flags { i: boolean; s: boolean; m: boolean }

const INLINE_FLAGS = /^\(\?([imsU]*)(?:-([imsU]*))?([:)])/;

function withFlags(f: Flags, on: string, off: string): Flags {
  const next = { ...f };
  for (const k of ['i', 's', 'm'] as const) {
    if (on.includes(k)) next[k] = true;
    if (off.includes(k)) next[k] = false;
  }
  return next;
}

const otherCase = (ch: string) => (ch === ch.toLowerCase() ? ch.toUpperCase() : ch.toLowerCase());
const isAsciiLetter = (ch: string | undefined) => ch !== undefined && /^[A-Za-z]$/.test(ch);

/**
 * RE2 syntax that JS reads differently, rewritten token by token (escapes and classes
 * respected). Inline flags that JS (before ES2025 modifiers) cannot scope are spelled out:
 * i as both cases of each letter, s as [\s\S], m as lookarounds for ^ and $.
 */
function translate(src: string, initial: Flags = { i: false, s: false, m: false }): string {
  let out = '';
  let inClass = false;
  let flags = initial;
  const saved: Flags[] = [];
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === '\\') {
      const next = src[i + 1] ?? '';
      i++;
      if (next === 'Q') {
        const end = src.indexOf('\\E', i + 1);
        const literal = end < 0 ? src.slice(i + 1) : src.slice(i + 1, end);
        out += literal.replace(/[\\^$.*+?()[\]{}|/-]/g, (ch) => '\\' + ch);
        i = end < 0 ? src.length : end + 1;
      } else if (next === 'x' && src[i + 1] === '{') {
        // \x{10FFFF}: JS (without the u flag) spells a code point as UTF-16 escapes.
        const end = src.indexOf('}', i + 1);
        const cp = parseInt(src.slice(i + 2, end), 16);
        const units = String.fromCodePoint(cp);
        out += Array.from({ length: units.length }, (_, k) => '\\u' + units.charCodeAt(k).toString(16).padStart(4, '0')).join('');
        i = end;
      } else if (next === 's') {
        out += inClass ? GO_SPACE : `[${GO_SPACE}]`;
      } else if (next === 'S' && !inClass) {
        out += `[^${GO_SPACE}]`;
      } else if (next === 'A' && !inClass) {
        out += '^';
      } else if (next === 'z' && !inClass) {
        out += '$(?![\\s\\S])';
      } else {
        out += c + next;
      }
      continue;
    }
    if (inClass) {
      if (c === '[' && src[i + 1] === ':') {
        const m = /^\[:(\^?)([a-z]+):\]/.exec(src.slice(i));
        const cls = m ? POSIX_CLASSES[m[2]!] : undefined;
        if (m && cls !== undefined && m[1] === '') {
          out += cls;
          i += m[0].length - 1;
          continue;
        }
      }
      if (c === '[') {
        out += '\\[';
        continue;
      }
      if (c === ']') inClass = false;
      if (flags.i && isAsciiLetter(c)) {
        const hi = src[i + 2];
        if (src[i + 1] === '-' && isAsciiLetter(hi) && (c === c.toLowerCase()) === (hi === hi!.toLowerCase())) {
          out += `${c}-${hi}${otherCase(c)}-${otherCase(hi!)}`;
          i += 2;
        } else {
          out += c + otherCase(c);
        }
        continue;
      }
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += '[';
      if (src[i + 1] === '^') {
        out += '^';
        i++;
      }
      // A ']' first in a class is a literal in RE2.
      if (src[i + 1] === ']') {
        out += '\\]';
        i++;
      }
      continue;
    }
    if (c === '(') {
      const inline = INLINE_FLAGS.exec(src.slice(i));
      if (inline && (inline[1] !== '' || (inline[2] ?? '') !== '')) {
        const next = withFlags(flags, inline[1]!, inline[2] ?? '');
        if (inline[3] === ')') {
          // (?i) applies to the rest of the enclosing group.
          flags = next;
        } else {
          saved.push(flags);
          flags = next;
          out += '(?:';
        }
        i += inline[0].length - 1;
        continue;
      }
      saved.push(flags);
      if (src.startsWith('(?P<', i)) {
        out += '(?<';
        i += 3;
        continue;
      }
      out += c;
      continue;
    }
    if (c === ')') {
      flags = saved.pop() ?? flags;
      out += c;
      continue;
    }
    if (flags.i && isAsciiLetter(c)) {
      out += `[${c}${otherCase(c)}]`;
      continue;
    }
    if (flags.s && c === '.') {
      out += '[\\s\\S]';
      continue;
    }
    if (flags.m && c === '^') {
      out += '(?<![^\\n])';
      continue;
    }
    if (flags.m && c === '$') {
      out += '(?![^\\n])';
      continue;
    }
    out += c;
  }
  return out;
}

// Charts match the same few patterns over and over (often in loops); compiled ones are kept.
const compiled = new Map<string, RegExp>();
const MAX_COMPILED = 1000;

/** Go's RE2 pattern as a JS RegExp (global, for iteration). Throws Go-style compile errors. */
export function compileGoRegexp(expr: string): RegExp {
  let re = compiled.get(expr);
  if (re === undefined) {
    re = compileUncached(expr);
    if (compiled.size >= MAX_COMPILED) compiled.clear();
    compiled.set(expr, re);
  }
  return re;
}

function hasInlineFlags(src: string): boolean {
  return [...src.matchAll(/\(\?([imsU]*)(?:-([imsU]*))?[:)]/g)].some((m) => (m[1]! + (m[2] ?? '')) !== '');
}

function compileUncached(expr: string): RegExp {
  checkRE2Syntax(expr);
  let src = expr;
  let flags = 'g';
  // Flags set once at the start map onto JS's own; scoped or later ones are spelled out.
  const lead = /^\(\?([imsU]+)\)/.exec(src);
  if (lead && !hasInlineFlags(src.slice(lead[0].length))) {
    src = src.slice(lead[0].length);
    if (lead[1]!.includes('i')) flags += 'i';
    if (lead[1]!.includes('m')) flags += 'm';
    if (lead[1]!.includes('s')) flags += 's';
  }
  src = translate(src);
  if (/\\[pP]/.test(src)) flags += 'u';
  try {
    return new RegExp(src, flags);
  } catch (e) {
    throw new Error(`error parsing regexp: ${goCompileError(expr, (e as Error).message)}`);
  }
}

/** RE2's error for a pattern JS rejected: code and the offending text, as regexp/syntax words them. */
function goCompileError(expr: string, jsMessage: string): string {
  const reason = jsMessage.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '');
  if (/Unterminated group/.test(reason)) return `missing closing ): \`${expr}\``;
  if (/Unmatched '\)'/.test(reason)) return `unexpected ): \`${expr}\``;
  if (/Unterminated character class/.test(reason)) return `missing closing ]: \`${expr.slice(expr.lastIndexOf('['))}\``;
  if (/out of order/.test(reason)) return `invalid repeat count: \`${/\{\d*,?\d*\}/.exec(expr)?.[0] ?? expr}\``;
  if (/Nothing to repeat/.test(reason)) {
    const nested = /[*+?}][*+]|[*+]\?[*+?]/.exec(expr);
    if (nested) return `invalid nested repetition operator: \`${nested[0]}\``;
    return `missing argument to repetition operator: \`${/[*+?{]/.exec(expr)?.[0] ?? expr}\``;
  }
  return `${reason.toLowerCase()}: \`${expr}\``;
}

/** RE2 rejects what JS would accept: unknown escapes, lookaround, backreferences, counts over 1000. */
function checkRE2Syntax(expr: string): void {
  for (let i = 0; i < expr.length; i++) {
    const c = expr[i]!;
    if (c === '\\') {
      const next = expr[i + 1] ?? '';
      if (/[0-9A-Za-z]/.test(next) && !/[aftnrvdDsSwWbBAzpPQEx0-7]/.test(next)) {
        throw new Error(`error parsing regexp: invalid escape sequence: \`\\${next}\``);
      }
      // A lone \1-\7 is a backreference, which RE2 lacks; followed by an octal digit it is octal.
      if (/[1-7]/.test(next) && !/[0-7]/.test(expr[i + 2] ?? '')) {
        throw new Error(`error parsing regexp: invalid escape sequence: \`\\${next}\``);
      }
      i++;
      continue;
    }
    const look = /^\(\?(<=|<!|=|!)/.exec(expr.slice(i));
    if (look) throw new Error(`error parsing regexp: invalid or unsupported Perl syntax: \`${look[0]}\``);
  }
  for (const m of expr.matchAll(/\{(\d+)(?:,(\d*))?\}/g)) {
    if (Number(m[1]) > 1000 || (m[2] !== undefined && m[2] !== '' && Number(m[2]) > 1000)) {
      throw new Error(`error parsing regexp: invalid repeat count: \`${m[0]}\``);
    }
  }
}

/** regexp.MustCompile's panic text. */
function mustCompile(expr: string): RegExp {
  try {
    return compileGoRegexp(expr);
  } catch (e) {
    throw new Error(`regexp: Compile(${JSON.stringify(expr)}): ${(e as Error).message}`);
  }
}

interface Match { start: number; end: number; groups: (string | undefined)[]; named: Record<string, string | undefined> }

/** Go's allMatches: up to n (n < 0: all) non-overlapping matches. */
function findAll(re: RegExp, s: string, n: number): Match[] {
  const out: Match[] = [];
  if (n === 0) return out;
  let pos = 0;
  let prevMatchEnd = -1;
  while ((n < 0 || out.length < n) && pos <= s.length) {
    re.lastIndex = pos;
    const m = re.exec(s);
    if (m === null) break;
    const start = m.index;
    const end = start + m[0].length;
    let accept = true;
    if (end === pos) {
      // An empty match right after the previous match is not a match.
      if (start === prevMatchEnd) accept = false;
      const cp = s.codePointAt(pos);
      pos += cp !== undefined && cp > 0xffff ? 2 : 1;
    } else {
      pos = end;
    }
    prevMatchEnd = end;
    if (accept) out.push({ start, end, groups: [...m], named: { ...(m.groups ?? {}) } });
  }
  return out;
}

function findString(re: RegExp, s: string): string {
  re.lastIndex = 0;
  const m = re.exec(s);
  return m === null ? '' : m[0];
}

/** Regexp.Expand of a replacement template against one match. */
function expand(template: string, m: Match): string {
  let out = '';
  let i = 0;
  while (i < template.length) {
    const dollar = template.indexOf('$', i);
    if (dollar < 0) {
      out += template.slice(i);
      break;
    }
    out += template.slice(i, dollar);
    const rest = template.slice(dollar + 1);
    if (rest.startsWith('$')) {
      out += '$';
      i = dollar + 2;
      continue;
    }
    const braced = /^\{([A-Za-z0-9_]+)\}/.exec(rest);
    const bare = /^[A-Za-z0-9_]+/.exec(rest);
    const name = braced ? braced[1]! : bare ? bare[0] : undefined;
    if (name === undefined) {
      out += '$';
      i = dollar + 1;
      continue;
    }
    i = dollar + 1 + (braced ? braced[0].length : name.length);
    if (/^[0-9]+$/.test(name)) {
      const idx = Number(name);
      if (idx < m.groups.length) out += m.groups[idx] ?? '';
    } else {
      out += m.named[name] ?? '';
    }
  }
  return out;
}

function replaceAll(re: RegExp, s: string, repl: (m: Match) => string): string {
  let out = '';
  let last = 0;
  for (const m of findAll(re, s, -1)) {
    out += s.slice(last, m.start) + repl(m);
    last = m.end;
  }
  return out + s.slice(last);
}

function split(re: RegExp, expr: string, s: string, n: number): string[] {
  if (n === 0) return [];
  if (expr.length > 0 && s.length === 0) return [''];
  const strings: string[] = [];
  let beg = 0;
  let end = 0;
  for (const m of findAll(re, s, n)) {
    if (n > 0 && strings.length === n - 1) break;
    end = m.start;
    if (m.end !== 0) strings.push(s.slice(beg, end));
    beg = m.end;
  }
  if (end !== s.length) strings.push(s.slice(beg));
  return strings;
}

/** regexp.QuoteMeta. */
function quoteMeta(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, (c) => '\\' + c);
}

const S = 'string' as const;

export const regexFuncs = {
  regexMatch: goFunc({ params: [S, S] }, (expr: string, s: string) => {
    try {
      const re = compileGoRegexp(expr);
      re.lastIndex = 0;
      return re.test(s);
    } catch {
      return false;
    }
  }),
  mustRegexMatch: goFunc({ params: [S, S], results: 2 }, (expr: string, s: string) => {
    const re = compileGoRegexp(expr);
    re.lastIndex = 0;
    return re.test(s);
  }),
  regexFindAll: goFunc({ params: [S, S, 'int'] }, (expr: string, s: string, n: unknown) =>
    findAll(mustCompile(expr), s, intArg(n)).map((m) => m.groups[0]!)),
  mustRegexFindAll: goFunc({ params: [S, S, 'int'], results: 2 }, (expr: string, s: string, n: unknown) =>
    findAll(compileGoRegexp(expr), s, intArg(n)).map((m) => m.groups[0]!)),
  regexFind: goFunc({ params: [S, S] }, (expr: string, s: string) => findString(mustCompile(expr), s)),
  mustRegexFind: goFunc({ params: [S, S], results: 2 }, (expr: string, s: string) => findString(compileGoRegexp(expr), s)),
  regexReplaceAll: goFunc({ params: [S, S, S] }, (expr: string, s: string, repl: string) =>
    replaceAll(mustCompile(expr), s, (m) => expand(repl, m))),
  mustRegexReplaceAll: goFunc({ params: [S, S, S], results: 2 }, (expr: string, s: string, repl: string) =>
    replaceAll(compileGoRegexp(expr), s, (m) => expand(repl, m))),
  regexReplaceAllLiteral: goFunc({ params: [S, S, S] }, (expr: string, s: string, repl: string) =>
    replaceAll(mustCompile(expr), s, () => repl)),
  mustRegexReplaceAllLiteral: goFunc({ params: [S, S, S], results: 2 }, (expr: string, s: string, repl: string) =>
    replaceAll(compileGoRegexp(expr), s, () => repl)),
  regexSplit: goFunc({ params: [S, S, 'int'] }, (expr: string, s: string, n: unknown) =>
    split(mustCompile(expr), expr, s, intArg(n))),
  mustRegexSplit: goFunc({ params: [S, S, 'int'], results: 2 }, (expr: string, s: string, n: unknown) =>
    split(compileGoRegexp(expr), expr, s, intArg(n))),
  regexQuoteMeta: goFunc({ params: [S] }, (s: string) => quoteMeta(s)),
};
