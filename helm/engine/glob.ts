// gobwas/glob as Helm's `.Files.Glob` compiles it (separator '/'): `*` and `?` stop at '/',
// `**` crosses it, `[abc]`/`[a-z]`/`[!a-z]` classes, `{a,b}` alternatives, `\` escapes.

/** A compiled pattern; `null` when gobwas would refuse it (Helm then falls back to `**`). */
export function compileGlob(pattern: string): RegExp | null {
  try {
    const p = new GlobParser(pattern);
    const body = p.parseSequence(false);
    if (!p.atEnd()) return null;
    return new RegExp(`^(?:${body})$`, 'su');
  } catch {
    return null;
  }
}

const escapeRegExp = (c: string): string => c.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
const escapeClassChar = (c: string): string => c.replace(/[\\\]\[^-]/g, '\\$&');

class GlobParser {
  private i = 0;
  private readonly chars: string[];

  constructor(pattern: string) {
    this.chars = [...pattern];
  }

  atEnd(): boolean {
    return this.i >= this.chars.length;
  }

  /** A run of terms; inside `{...}` it stops at `,` or `}`. */
  parseSequence(inAlternatives: boolean): string {
    let out = '';
    while (!this.atEnd()) {
      const c = this.chars[this.i]!;
      if (inAlternatives && (c === ',' || c === '}')) break;
      this.i++;
      if (c === '*') {
        if (this.chars[this.i] === '*') {
          while (this.chars[this.i] === '*') this.i++;
          out += '.*';
        } else {
          out += '[^/]*';
        }
      } else if (c === '?') {
        out += '[^/]';
      } else if (c === '[') {
        out += this.parseClass();
      } else if (c === '{') {
        out += this.parseAlternatives();
      } else if (c === '\\') {
        if (this.atEnd()) throw new Error('unexpected end of pattern after escape');
        out += escapeRegExp(this.chars[this.i++]!);
      } else if (c === ']' || c === '}') {
        throw new Error(`unexpected ${c}`);
      } else {
        out += escapeRegExp(c);
      }
    }
    return out;
  }

  private parseClass(): string {
    let negated = false;
    if (this.chars[this.i] === '!') {
      negated = true;
      this.i++;
    }
    let items = '';
    let count = 0;
    while (!this.atEnd() && this.chars[this.i] !== ']') {
      let lo = this.chars[this.i++]!;
      if (lo === '\\' && !this.atEnd()) lo = this.chars[this.i++]!;
      if (this.chars[this.i] === '-' && this.chars[this.i + 1] !== undefined && this.chars[this.i + 1] !== ']') {
        this.i++;
        let hi = this.chars[this.i++]!;
        if (hi === '\\' && !this.atEnd()) hi = this.chars[this.i++]!;
        if (hi.codePointAt(0)! < lo.codePointAt(0)!) throw new Error('invalid range');
        items += `${escapeClassChar(lo)}-${escapeClassChar(hi)}`;
      } else {
        items += escapeClassChar(lo);
      }
      count++;
    }
    if (this.atEnd() || count === 0) throw new Error('unclosed or empty character class');
    this.i++;
    return negated ? `[^${items}]` : `[${items}]`;
  }

  private parseAlternatives(): string {
    const alts: string[] = [];
    for (;;) {
      alts.push(this.parseSequence(true));
      if (this.atEnd()) throw new Error('unclosed alternatives');
      const c = this.chars[this.i++];
      if (c === '}') break;
    }
    return `(?:${alts.join('|')})`;
  }
}
