// .helmignore as Helm's pkg/ignore evaluates it, including its quirks: rules are tried in order
// and the first decision wins; a negated rule (`!x`) that does NOT match a path ignores it;
// a pattern without a slash is matched against the base name only; `**` is refused; patterns
// are Go filepath.Match globs.

import { base } from '../sprig/paths.js';

export const HELM_IGNORE = '.helmignore';

/** Go's filepath.ErrBadPattern. */
export class BadPatternError extends Error {
  constructor() {
    super('syntax error in pattern');
  }
}

/** The chunk of a pattern up to the next unbracketed `*`, and whether stars preceded it. */
function scanChunk(pattern: string[]): { star: boolean; chunk: string[]; rest: string[] } {
  let i = 0;
  let star = false;
  while (i < pattern.length && pattern[i] === '*') {
    i++;
    star = true;
  }
  const start = i;
  let inRange = false;
  for (; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      if (i + 1 < pattern.length) i++;
    } else if (c === '[') inRange = true;
    else if (c === ']') inRange = false;
    else if (c === '*' && !inRange) break;
  }
  return { star, chunk: pattern.slice(start, i), rest: pattern.slice(i) };
}

function getEsc(chunk: string[]): { r: string; rest: string[] } {
  if (chunk.length === 0 || chunk[0] === '-' || chunk[0] === ']') throw new BadPatternError();
  let c = chunk;
  if (c[0] === '\\') {
    c = c.slice(1);
    if (c.length === 0) throw new BadPatternError();
  }
  const rest = c.slice(1);
  if (rest.length === 0) throw new BadPatternError();
  return { r: c[0]!, rest };
}

function codePoint(s: string): number {
  return s.codePointAt(0)!;
}

/** Match one chunk at the start of `s`; the rest of `s`, or null. Throws on a malformed chunk. */
function matchChunk(chunkIn: string[], sIn: string[]): string[] | null {
  let chunk = chunkIn;
  let s = sIn;
  let failed = false;
  while (chunk.length > 0) {
    if (!failed && s.length === 0) failed = true;
    const c = chunk[0];
    if (c === '[') {
      let r = -1;
      if (!failed) {
        r = codePoint(s[0]!);
        s = s.slice(1);
      }
      chunk = chunk.slice(1);
      let negated = false;
      if (chunk.length > 0 && chunk[0] === '^') {
        negated = true;
        chunk = chunk.slice(1);
      }
      let match = false;
      let ranges = 0;
      while (true) {
        if (chunk.length > 0 && chunk[0] === ']' && ranges > 0) {
          chunk = chunk.slice(1);
          break;
        }
        const lo = getEsc(chunk);
        chunk = lo.rest;
        let hi = lo.r;
        if (chunk[0] === '-') {
          const h = getEsc(chunk.slice(1));
          hi = h.r;
          chunk = h.rest;
        }
        if (codePoint(lo.r) <= r && r <= codePoint(hi)) match = true;
        ranges++;
      }
      if (match === negated) failed = true;
    } else if (c === '?') {
      if (!failed) {
        if (s[0] === '/') failed = true;
        s = s.slice(1);
      }
      chunk = chunk.slice(1);
    } else {
      if (c === '\\') {
        chunk = chunk.slice(1);
        if (chunk.length === 0) throw new BadPatternError();
      }
      if (!failed) {
        if (chunk[0] !== s[0]) failed = true;
        s = s.slice(1);
      }
      chunk = chunk.slice(1);
    }
  }
  return failed ? null : s;
}

/** Go's path/filepath.Match on slash paths (Unix): `*` and `?` never match `/`. */
export function filepathMatch(patternText: string, nameText: string): boolean {
  let pattern = Array.from(patternText);
  let name = Array.from(nameText);
  outer: while (pattern.length > 0) {
    const scanned = scanChunk(pattern);
    pattern = scanned.rest;
    const { star, chunk } = scanned;
    if (star && chunk.length === 0) return !name.includes('/');
    const t = matchChunk(chunk, name);
    if (t !== null && (t.length === 0 || pattern.length > 0)) {
      name = t;
      continue;
    }
    if (star) {
      for (let i = 0; i < name.length && name[i] !== '/'; i++) {
        const t2 = matchChunk(chunk, name.slice(i + 1));
        if (t2 !== null) {
          if (pattern.length === 0 && t2.length > 0) continue;
          name = t2;
          continue outer;
        }
      }
    }
    // Go still reports a malformed remainder of the pattern.
    while (pattern.length > 0) {
      const next = scanChunk(pattern);
      pattern = next.rest;
      matchChunk(next.chunk, []);
    }
    return false;
  }
  return name.length === 0;
}

interface Pattern {
  readonly raw: string;
  readonly negate: boolean;
  readonly mustDir: boolean;
  readonly match: (path: string) => boolean;
}

export class IgnoreRules {
  private readonly patterns: Pattern[] = [];

  /** Rules from .helmignore text; throws on `**` or a malformed glob, as Helm does. */
  static parse(text: string): IgnoreRules {
    const rules = new IgnoreRules();
    const lines = text.replace(/^\uFEFF/, '').split('\n');
    // bufio.Scanner drops one \r before each \n and yields no empty final token.
    if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
    for (const line of lines) rules.parseRule(line.endsWith('\r') ? line.slice(0, -1) : line);
    return rules;
  }

  static empty(): IgnoreRules {
    return new IgnoreRules();
  }

  /** Helm always ignores dotfiles directly in templates/. */
  addDefaults(): void {
    this.parseRule('templates/.?*');
  }

  /** Whether `path` (slash-separated, relative to the chart root) is ignored. */
  ignore(path: string, isDir: boolean): boolean {
    if (path === '' || path === '.' || path === './') return false;
    for (const p of this.patterns) {
      if (p.negate) {
        if (p.mustDir && !isDir) return true;
        if (!p.match(path)) return true;
        continue;
      }
      if (p.mustDir && !isDir) continue;
      if (p.match(path)) return true;
    }
    return false;
  }

  private parseRule(ruleIn: string): void {
    let rule = ruleIn.trim();
    if (rule === '' || rule.startsWith('#')) return;
    if (rule.includes('**')) throw new Error('double-star (**) syntax is not supported');
    filepathMatch(rule, 'abc');
    const raw = rule;
    let negate = false;
    let mustDir = false;
    if (rule.startsWith('!')) {
      negate = true;
      rule = rule.slice(1);
    }
    if (rule.endsWith('/')) {
      mustDir = true;
      rule = rule.slice(0, -1);
    }
    const glob = rule;
    let match: (path: string) => boolean;
    const safe = (pattern: string, name: string) => {
      try {
        return filepathMatch(pattern, name);
      } catch {
        return false;
      }
    };
    if (glob.startsWith('/')) {
      const anchored = glob.replace(/^\//, '');
      match = (path) => safe(anchored, path);
    } else if (glob.includes('/')) {
      match = (path) => safe(glob, path);
    } else {
      match = (path) => safe(glob, base(path));
    }
    this.patterns.push({ raw, negate, mustDir, match });
  }
}
