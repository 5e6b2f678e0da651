// @marcbachmann/cel-js accepts has() only on a field chain rooted at a variable (`has(a.b.c)`),
// while CEL allows any operand: Gateway API's rules test `has(self.matches[0].path)`. Such calls
// are rewritten, before compiling, to the equivalent optional-field test
// `(self.matches[0]).?path.hasValue()` (optional types are enabled in our environment).

const IDENT_CHAIN = /^\s*[A-Za-z_]\w*(\s*\.\s*[A-Za-z_]\w*)*\s*$/;
const LAST_SELECT = /^([\s\S]*)\.\s*([A-Za-z_]\w*)\s*$/;

/** Index just past the string literal that starts at `i` (with an optional r/b prefix before it). */
function skipString(src: string, i: number, raw: boolean): number {
  const q = src[i]!;
  const triple = src.startsWith(q.repeat(3), i);
  const close = triple ? q.repeat(3) : q;
  let j = i + close.length;
  while (j < src.length) {
    if (!raw && src[j] === '\\') j += 2;
    else if (src.startsWith(close, j)) return j + close.length;
    else j++;
  }
  return j;
}

/** Index of the `)` closing the `(` at `open`, skipping strings and nested brackets; -1 if none. */
function closingParen(src: string, open: number): number {
  let depth = 0;
  for (let i = open; i < src.length; i++) {
    const c = src[i]!;
    if (c === '"' || c === "'") {
      i = skipString(src, i, /[rR]/.test(src[i - 1] ?? '')) - 1;
    } else if (c === '(' || c === '[' || c === '{') {
      depth++;
    } else if (c === ')' || c === ']' || c === '}') {
      depth--;
      if (depth === 0) return c === ')' ? i : -1;
    }
  }
  return -1;
}

/** `source` with every has() whose operand is not a plain field chain spelled as an optional test. */
export function rewriteHasMacros(source: string): string {
  let out = '';
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    if (c === '"' || c === "'") {
      const end = skipString(source, i, /[rR]/.test(source[i - 1] ?? ''));
      out += source.slice(i, end);
      i = end;
      continue;
    }
    const m = /^has\s*\(/.exec(source.slice(i, i + 8));
    if (m && !/[\w.]/.test(source[i - 1] ?? '')) {
      const open = i + m[0].length - 1;
      const close = closingParen(source, open);
      if (close > 0) {
        const arg = rewriteHasMacros(source.slice(open + 1, close));
        const sel = LAST_SELECT.exec(arg);
        out += sel && !IDENT_CHAIN.test(arg) ? `(${sel[1]}).?${sel[2]}.hasValue()` : `has(${arg})`;
        i = close + 1;
        continue;
      }
    }
    out += c;
    i++;
  }
  return out;
}
