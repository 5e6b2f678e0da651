// Go's fmt package over the value model (value.ts): Sprint, Sprintln, Sprintf and `%v`.
//
// Charts print through fmt everywhere: every `{{ x }}` is fmt.Fprint, `printf`/`print` are
// Sprintf/Sprint, Sprig's `toString`/`quote`/`cat` use `%v`. The layout follows Go's
// fmt/print.go and fmt/format.go so that flags, widths, bad verbs (`%!d(string=x)`), missing
// and extra arguments come out byte for byte as Go prints them.

import { formatFloat, quote, quoteToASCII, quoteRune, canBackquote, utf8Bytes } from './strconv.js';
import { GoComplex, GoInt, GoMapType, GoStruct, isMap, sortedKeys, typeName } from './value.js';

const LDIGITS = '0123456789abcdefx';
const UDIGITS = '0123456789ABCDEFX';

/** Go's %T, extended with complex128 (which value.ts does not model). */
function goTypeName(v: unknown): string {
  if (v instanceof GoComplex) return 'complex128';
  return typeName(v);
}

/** Methods a value exposes to fmt (error and fmt.Stringer), from GoStruct.goMethods. */
function stringerOf(v: unknown): (() => string) | undefined {
  if (!(v instanceof GoStruct)) return undefined;
  const methods = (v.constructor as typeof GoStruct).goMethods;
  const rec = v as unknown as Record<string, unknown>;
  if (methods.includes('Error') && typeof rec.Error === 'function') return () => String((rec.Error as () => unknown).call(v));
  if (methods.includes('String') && typeof rec.String === 'function') return () => String((rec.String as () => unknown).call(v));
  return undefined;
}

/** Own data fields of a Go struct, in declaration order (goTypeName is metadata, not a field). */
export function structFields(v: GoStruct): string[] {
  return Object.keys(v).filter((k) => k !== 'goTypeName');
}

function runeCount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) i++;
    n++;
  }
  return n;
}

class Printer {
  buf = '';
  widPresent = false;
  precPresent = false;
  minus = false;
  plus = false;
  sharp = false;
  space = false;
  zero = false;
  plusV = false;
  sharpV = false;
  wid = 0;
  prec = 0;
  erroring = false;
  reordered = false;
  goodArgNum = true;

  clearflags(): void {
    this.widPresent = this.precPresent = this.minus = this.plus = this.sharp = false;
    this.space = this.zero = this.plusV = this.sharpV = false;
    this.wid = 0;
    this.prec = 0;
  }

  // ---- format.go ----

  writePadding(n: number): void {
    if (n <= 0) return;
    this.buf += (this.zero && !this.minus ? '0' : ' ').repeat(n);
  }

  pad(s: string): void {
    if (!this.widPresent || this.wid === 0) {
      this.buf += s;
      return;
    }
    const width = this.wid - runeCount(s);
    if (!this.minus) {
      this.writePadding(width);
      this.buf += s;
    } else {
      this.buf += s;
      this.writePadding(width);
    }
  }

  fmtBoolean(v: boolean): void {
    this.pad(v ? 'true' : 'false');
  }

  fmtUnicode(u: bigint): void {
    let prec = 4;
    if (this.precPresent && this.prec > 4) prec = this.prec;
    let hex = u.toString(16).toUpperCase();
    while (hex.length < prec) hex = '0' + hex;
    let s = 'U+' + hex;
    if (this.sharp && u <= 0x10ffffn) {
      const r = Number(u);
      if (isPrintRune(r)) s += " '" + String.fromCodePoint(r) + "'";
    }
    const oldZero = this.zero;
    this.zero = false;
    this.pad(s);
    this.zero = oldZero;
  }

  fmtInteger(v: bigint, base: number, isSigned: boolean, verb: string, digits: string): void {
    const negative = isSigned && v < 0n;
    let u = negative ? -v : v;
    let prec = 0;
    if (this.precPresent) {
      prec = this.prec;
      if (prec === 0 && u === 0n) {
        const oldZero = this.zero;
        this.zero = false;
        this.writePadding(this.wid);
        this.zero = oldZero;
        return;
      }
    } else if (this.zero && !this.minus && this.widPresent) {
      prec = this.wid;
      if (negative || this.plus || this.space) prec--;
    }
    let s = u.toString(base);
    if (digits === UDIGITS) s = s.toUpperCase();
    if (s.length < prec) s = '0'.repeat(prec - s.length) + s;
    if (this.sharp) {
      if (base === 2) s = '0b' + s;
      else if (base === 8) { if (s[0] !== '0') s = '0' + s; }
      else if (base === 16) s = '0' + digits[16] + s;
    }
    if (verb === 'O') s = '0o' + s;
    if (negative) s = '-' + s;
    else if (this.plus) s = '+' + s;
    else if (this.space) s = ' ' + s;
    u = 0n;
    const oldZero = this.zero;
    this.zero = false;
    this.pad(s);
    this.zero = oldZero;
  }

  truncateString(s: string): string {
    if (this.precPresent) {
      let n = this.prec;
      for (let i = 0; i < s.length; i++) {
        n--;
        if (n < 0) return s.slice(0, i);
        const c = s.charCodeAt(i);
        if (c >= 0xd800 && c <= 0xdbff) i++;
      }
    }
    return s;
  }

  fmtS(s: string): void {
    this.pad(this.truncateString(s));
  }

  fmtSbx(b: Uint8Array, digits: string): void {
    let length = b.length;
    if (this.precPresent && this.prec < length) length = this.prec;
    let width = 2 * length;
    if (width > 0) {
      if (this.space) {
        if (this.sharp) width *= 2;
        width += length - 1;
      } else if (this.sharp) {
        width += 2;
      }
    } else {
      if (this.widPresent) this.writePadding(this.wid);
      return;
    }
    if (this.widPresent && this.wid > width && !this.minus) this.writePadding(this.wid - width);
    let out = '';
    if (this.sharp) out += '0' + digits[16];
    for (let i = 0; i < length; i++) {
      if (this.space && i > 0) {
        out += ' ';
        if (this.sharp) out += '0' + digits[16];
      }
      const c = b[i];
      out += digits[c >> 4] + digits[c & 15];
    }
    this.buf += out;
    if (this.widPresent && this.wid > width && this.minus) this.writePadding(this.wid - width);
  }

  fmtQ(s: string): void {
    s = this.truncateString(s);
    if (this.sharp && canBackquote(s)) {
      this.pad('`' + s + '`');
      return;
    }
    this.pad(this.plus ? quoteToASCII(s) : quote(s));
  }

  fmtC(c: bigint): void {
    let r = c > 0x10ffffn ? 0xfffd : Number(c);
    if (r >= 0xd800 && r <= 0xdfff) r = 0xfffd;
    this.pad(String.fromCodePoint(r));
  }

  fmtQc(c: bigint): void {
    const r = c > 0x10ffffn ? 0xfffd : Number(c);
    this.pad(quoteRune(r, this.plus));
  }

  fmtFloatRaw(v: number, verb: string, prec: number): void {
    if (this.precPresent) prec = this.prec;
    let num = formatFloat(v, verb, prec);
    if (num[0] !== '-' && num[0] !== '+') num = '+' + num;
    if (this.space && num[0] === '+' && !this.plus) num = ' ' + num.slice(1);
    if (num[1] === 'I' || num[1] === 'N') {
      const oldZero = this.zero;
      this.zero = false;
      if (num[1] === 'N' && !this.space && !this.plus) num = num.slice(1);
      this.pad(num);
      this.zero = oldZero;
      return;
    }
    if (this.sharp && verb !== 'b') {
      let digits = 0;
      if (verb === 'v' || verb === 'g' || verb === 'G' || verb === 'x') {
        digits = prec;
        if (digits === -1) digits = 6;
      }
      let tail = '';
      let hasDecimalPoint = false;
      let sawNonzeroDigit = false;
      for (let i = 1; i < num.length; i++) {
        const ch = num[i];
        if (ch === '.') { hasDecimalPoint = true; continue; }
        if (ch === 'p' || ch === 'P' || ((ch === 'e' || ch === 'E') && verb !== 'x' && verb !== 'X')) {
          tail = num.slice(i);
          num = num.slice(0, i);
          break;
        }
        if (ch !== '0') sawNonzeroDigit = true;
        if (sawNonzeroDigit) digits--;
      }
      if (!hasDecimalPoint) {
        if (num.length === 2 && num[1] === '0') digits--;
        num += '.';
      }
      while (digits > 0) { num += '0'; digits--; }
      num += tail;
    }
    if (this.plus || num[0] !== '+') {
      if (this.zero && !this.minus && this.widPresent && this.wid > num.length) {
        this.buf += num[0];
        this.writePadding(this.wid - num.length);
        this.buf += num.slice(1);
        return;
      }
      this.pad(num);
      return;
    }
    this.pad(num.slice(1));
  }

  // ---- print.go ----

  badVerb(verb: string, v: unknown, hasValue: boolean): void {
    this.erroring = true;
    this.buf += '%!' + verb + '(';
    if (hasValue && v !== null && v !== undefined) {
      this.buf += goTypeName(v) + '=';
      this.printArg(v, 'v');
    } else {
      this.buf += '<nil>';
    }
    this.buf += ')';
    this.erroring = false;
  }

  fmtBool(v: boolean, verb: string): void {
    if (verb === 't' || verb === 'v') this.fmtBoolean(v);
    else this.badVerb(verb, v, true);
  }

  fmt0x64(v: bigint, leading0x: boolean): void {
    const sharp = this.sharp;
    this.sharp = leading0x;
    this.fmtInteger(v, 16, false, 'v', LDIGITS);
    this.sharp = sharp;
  }

  fmtIntegerVerb(v: bigint, isSigned: boolean, verb: string, orig: unknown): void {
    switch (verb) {
      case 'v':
        if (this.sharpV && !isSigned) this.fmt0x64(v, true);
        else this.fmtInteger(v, 10, isSigned, verb, LDIGITS);
        return;
      case 'd': this.fmtInteger(v, 10, isSigned, verb, LDIGITS); return;
      case 'b': this.fmtInteger(v, 2, isSigned, verb, LDIGITS); return;
      case 'o': case 'O': this.fmtInteger(v, 8, isSigned, verb, LDIGITS); return;
      case 'x': this.fmtInteger(v, 16, isSigned, verb, LDIGITS); return;
      case 'X': this.fmtInteger(v, 16, isSigned, verb, UDIGITS); return;
      case 'c': this.fmtC(v); return;
      case 'q': this.fmtQc(v); return;
      case 'U': this.fmtUnicode(v); return;
      default: this.badVerb(verb, orig, true);
    }
  }

  fmtFloat(v: number, verb: string): void {
    switch (verb) {
      case 'v': this.fmtFloatRaw(v, 'g', -1); return;
      case 'b': case 'g': case 'G': case 'x': case 'X': this.fmtFloatRaw(v, verb, -1); return;
      case 'f': case 'e': case 'E': this.fmtFloatRaw(v, verb, 6); return;
      case 'F': this.fmtFloatRaw(v, 'f', 6); return;
      default: this.badVerb(verb, v, true);
    }
  }

  fmtComplex(v: GoComplex, verb: string): void {
    if ('vbgGxXfFeE'.includes(verb)) {
      const oldPlus = this.plus;
      this.buf += '(';
      this.fmtFloat(v.re, verb);
      this.plus = true;
      this.fmtFloat(v.im, verb);
      this.buf += 'i)';
      this.plus = oldPlus;
    } else {
      this.badVerb(verb, v, true);
    }
  }

  fmtString(v: string, verb: string): void {
    switch (verb) {
      case 'v': if (this.sharpV) this.fmtQ(v); else this.fmtS(v); return;
      case 's': this.fmtS(v); return;
      case 'x': this.fmtSbx(utf8Bytes(v), LDIGITS); return;
      case 'X': this.fmtSbx(utf8Bytes(v), UDIGITS); return;
      case 'q': this.fmtQ(v); return;
      default: this.badVerb(verb, v, true);
    }
  }

  fmtBytes(v: Uint8Array, verb: string, typeString: string): void {
    switch (verb) {
      case 'v': case 'd':
        if (this.sharpV) {
          this.buf += typeString + '{';
          for (let i = 0; i < v.length; i++) {
            if (i > 0) this.buf += ', ';
            this.fmt0x64(BigInt(v[i]), true);
          }
          this.buf += '}';
        } else {
          this.buf += '[';
          for (let i = 0; i < v.length; i++) {
            if (i > 0) this.buf += ' ';
            this.fmtInteger(BigInt(v[i]), 10, false, verb, LDIGITS);
          }
          this.buf += ']';
        }
        return;
      case 's': {
        let b = v;
        if (this.precPresent) b = utf8Bytes(this.truncateString(new TextDecoder().decode(v)));
        this.pad(new TextDecoder().decode(b));
        return;
      }
      case 'x': this.fmtSbx(v, LDIGITS); return;
      case 'X': this.fmtSbx(v, UDIGITS); return;
      case 'q': this.fmtQ(new TextDecoder().decode(v)); return;
      default:
        this.buf += '[';
        for (let i = 0; i < v.length; i++) {
          if (i > 0) this.buf += ' ';
          this.fmtIntegerVerb(BigInt(v[i]), false, verb, new GoInt(BigInt(v[i]), 'uint8'));
        }
        this.buf += ']';
    }
  }

  handleMethods(v: unknown, verb: string): boolean {
    if (this.erroring || this.sharpV) return false;
    if (verb !== 'v' && verb !== 's' && verb !== 'x' && verb !== 'X' && verb !== 'q') return false;
    const str = stringerOf(v);
    if (!str) return false;
    this.fmtString(str(), verb);
    return true;
  }

  printArg(arg: unknown, verb: string): void {
    if (arg === null || arg === undefined) {
      if (verb === 'T' || verb === 'v') this.pad('<nil>');
      else this.badVerb(verb, arg, false);
      return;
    }
    if (verb === 'T') {
      this.fmtS(goTypeName(arg));
      return;
    }
    if (verb === 'p') {
      this.badVerb(verb, arg, true);
      return;
    }
    switch (typeof arg) {
      case 'string': this.fmtString(arg, verb); return;
      case 'boolean': this.fmtBool(arg, verb); return;
      case 'number': this.fmtFloat(arg, verb); return;
    }
    if (arg instanceof GoInt) {
      this.fmtIntegerVerb(arg.value, !arg.unsigned, verb, arg);
      return;
    }
    if (arg instanceof Uint8Array) {
      this.fmtBytes(arg, verb, '[]byte');
      return;
    }
    if (arg instanceof GoComplex) {
      this.fmtComplex(arg, verb);
      return;
    }
    if (!this.handleMethods(arg, verb)) this.printValue(arg, verb, 0);
  }

  printValue(v: unknown, verb: string, depth: number): void {
    if (depth > 0 && v instanceof GoStruct && this.handleMethods(v, verb)) return;
    if (v === null || v === undefined) {
      // A nil inside a container is a nil interface: printed as <nil> whatever the verb.
      this.buf += this.sharpV ? 'interface {}(nil)' : '<nil>';
      return;
    }
    switch (typeof v) {
      case 'string': this.fmtString(v, verb); return;
      case 'boolean': this.fmtBool(v, verb); return;
      case 'number': this.fmtFloat(v, verb); return;
      case 'function':
        this.badVerb(verb, v, true);
        return;
    }
    if (v instanceof GoInt) { this.fmtIntegerVerb(v.value, !v.unsigned, verb, v); return; }
    if (v instanceof GoComplex) { this.fmtComplex(v, verb); return; }
    if (v instanceof Uint8Array) {
      this.fmtBytes(v, verb, '[]uint8');
      return;
    }
    if (Array.isArray(v)) {
      if (this.sharpV) {
        this.buf += '[]interface {}{';
        for (let i = 0; i < v.length; i++) {
          if (i > 0) this.buf += ', ';
          this.printValue(v[i], verb, depth + 1);
        }
        this.buf += '}';
      } else {
        this.buf += '[';
        for (let i = 0; i < v.length; i++) {
          if (i > 0) this.buf += ' ';
          this.printValue(v[i], verb, depth + 1);
        }
        this.buf += ']';
      }
      return;
    }
    if (v instanceof GoStruct && !(v instanceof GoMapType)) {
      const ptr = v.goTypeName.startsWith('*');
      if (ptr && depth === 0) this.buf += '&';
      if (this.sharpV) this.buf += ptr ? v.goTypeName.slice(1) : v.goTypeName;
      this.buf += '{';
      const fields = structFields(v);
      const rec = v as unknown as Record<string, unknown>;
      for (let i = 0; i < fields.length; i++) {
        if (i > 0) this.buf += this.sharpV ? ', ' : ' ';
        if (this.plusV || this.sharpV) this.buf += fields[i] + ':';
        this.printValue(rec[fields[i]], verb, depth + 1);
      }
      this.buf += '}';
      return;
    }
    if (isMap(v)) {
      this.buf += this.sharpV ? 'map[string]interface {}{' : 'map[';
      const keys = sortedKeys(v);
      for (let i = 0; i < keys.length; i++) {
        if (i > 0) this.buf += this.sharpV ? ', ' : ' ';
        this.printValue(keys[i], verb, depth + 1);
        this.buf += ':';
        this.printValue(v[keys[i]], verb, depth + 1);
      }
      this.buf += this.sharpV ? '}' : ']';
      return;
    }
    this.buf += '?' + goTypeName(v) + '?';
  }

  doPrintf(format: string, a: readonly unknown[]): void {
    const end = format.length;
    let argNum = 0;
    let afterIndex = false;
    this.reordered = false;
    formatLoop: for (let i = 0; i < end;) {
      this.goodArgNum = true;
      const lasti = i;
      while (i < end && format.charCodeAt(i) !== 37) i++;
      if (i > lasti) this.buf += format.slice(lasti, i);
      if (i >= end) break;
      i++;
      this.clearflags();
      simpleFormat: for (; i < end; i++) {
        const c = format[i];
        switch (c) {
          case '#': this.sharp = true; break;
          case '0': this.zero = true; break;
          case '+': this.plus = true; break;
          case '-': this.minus = true; break;
          case ' ': this.space = true; break;
          default:
            if (c >= 'a' && c <= 'z' && argNum < a.length) {
              if (c === 'v' || c === 'w') {
                this.sharpV = this.sharp;
                this.sharp = false;
                this.plusV = this.plus;
                this.plus = false;
              }
              this.printArg(a[argNum], c === 'w' ? 'w' : c);
              argNum++;
              i++;
              continue formatLoop;
            }
            break simpleFormat;
        }
      }
      [argNum, i, afterIndex] = this.argNumber(argNum, format, i, a.length);
      if (i < end && format[i] === '*') {
        i++;
        [this.wid, this.widPresent, argNum] = intFromArg(a, argNum);
        if (!this.widPresent) this.buf += '%!(BADWIDTH)';
        if (this.wid < 0) {
          this.wid = -this.wid;
          this.minus = true;
          this.zero = false;
        }
        afterIndex = false;
      } else {
        [this.wid, this.widPresent, i] = parsenum(format, i, end);
        if (afterIndex && this.widPresent) this.goodArgNum = false;
      }
      if (i + 1 < end && format[i] === '.') {
        i++;
        if (afterIndex) this.goodArgNum = false;
        [argNum, i, afterIndex] = this.argNumber(argNum, format, i, a.length);
        if (i < end && format[i] === '*') {
          i++;
          [this.prec, this.precPresent, argNum] = intFromArg(a, argNum);
          if (this.prec < 0) {
            this.prec = 0;
            this.precPresent = false;
          }
          if (!this.precPresent) this.buf += '%!(BADPREC)';
          afterIndex = false;
        } else {
          [this.prec, this.precPresent, i] = parsenum(format, i, end);
          if (!this.precPresent) {
            this.prec = 0;
            this.precPresent = true;
          }
        }
      }
      if (!afterIndex) [argNum, i, afterIndex] = this.argNumber(argNum, format, i, a.length);
      if (i >= end) {
        this.buf += '%!(NOVERB)';
        break;
      }
      const cp = format.codePointAt(i)!;
      const verb = String.fromCodePoint(cp);
      i += verb.length;
      if (verb === '%') {
        this.buf += '%';
      } else if (!this.goodArgNum) {
        this.buf += '%!' + verb + '(BADINDEX)';
      } else if (argNum >= a.length) {
        this.buf += '%!' + verb + '(MISSING)';
      } else {
        if (verb === 'v' || verb === 'w') {
          this.sharpV = this.sharp;
          this.sharp = false;
          this.plusV = this.plus;
          this.plus = false;
        }
        this.printArg(a[argNum], verb);
        argNum++;
      }
    }
    if (!this.reordered && argNum < a.length) {
      this.clearflags();
      this.buf += '%!(EXTRA ';
      for (let k = argNum; k < a.length; k++) {
        if (k > argNum) this.buf += ', ';
        const arg = a[k];
        if (arg === null || arg === undefined) this.buf += '<nil>';
        else {
          this.buf += goTypeName(arg) + '=';
          this.printArg(arg, 'v');
        }
      }
      this.buf += ')';
    }
  }

  argNumber(argNum: number, format: string, i: number, numArgs: number): [number, number, boolean] {
    if (format.length <= i || format[i] !== '[') return [argNum, i, false];
    this.reordered = true;
    const [index, wid, ok] = parseArgNumber(format.slice(i));
    if (ok && index >= 0 && index < numArgs) return [index, i + wid, true];
    this.goodArgNum = false;
    return [argNum, i + wid, ok];
  }
}

function isPrintRune(r: number): boolean {
  if (r < 0x20 || r === 0x7f) return false;
  if (r < 0x7f) return true;
  return /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u.test(String.fromCodePoint(r));
}

function tooLarge(x: number): boolean {
  return x > 1e6 || x < -1e6;
}

function parsenum(s: string, start: number, end: number): [number, boolean, number] {
  if (start >= end) return [0, false, end];
  let num = 0;
  let isnum = false;
  let newi = start;
  for (; newi < end && s[newi] >= '0' && s[newi] <= '9'; newi++) {
    if (tooLarge(num)) return [0, false, end];
    num = num * 10 + (s.charCodeAt(newi) - 48);
    isnum = true;
  }
  return [num, isnum, newi];
}

function parseArgNumber(format: string): [number, number, boolean] {
  if (format.length < 3) return [0, 1, false];
  for (let i = 1; i < format.length; i++) {
    if (format[i] === ']') {
      const [width, ok, newi] = parsenum(format, 1, i);
      if (!ok || newi !== i) return [0, i + 1, false];
      return [width - 1, i + 1, true];
    }
  }
  return [0, 1, false];
}

function intFromArg(a: readonly unknown[], argNum: number): [number, boolean, number] {
  let num = 0;
  let isInt = false;
  let newArgNum = argNum;
  if (argNum < a.length) {
    const v = a[argNum];
    if (v instanceof GoInt && v.value >= -(1n << 63n) && v.value < 1n << 63n) {
      num = Number(v.value);
      isInt = true;
    }
    newArgNum = argNum + 1;
    if (tooLarge(num)) {
      num = 0;
      isInt = false;
    }
  }
  return [num, isInt, newArgNum];
}

/** fmt.Sprintf */
export function sprintf(format: string, args: readonly unknown[]): string {
  const p = new Printer();
  p.doPrintf(format, args);
  return p.buf;
}

/** fmt.Sprint: spaces between operands when neither side is a string. */
export function sprint(args: readonly unknown[]): string {
  if (args.length === 1 && typeof args[0] === 'string') return args[0];
  const p = new Printer();
  let prevString = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const isString = typeof arg === 'string';
    if (i > 0 && !isString && !prevString) p.buf += ' ';
    p.printArg(arg, 'v');
    prevString = isString;
  }
  return p.buf;
}

/** fmt.Sprintln: spaces between all operands, newline at the end. */
export function sprintln(args: readonly unknown[]): string {
  const p = new Printer();
  for (let i = 0; i < args.length; i++) {
    if (i > 0) p.buf += ' ';
    p.printArg(args[i], 'v');
  }
  p.buf += '\n';
  return p.buf;
}

/** `%v` of one value (fmt.Sprint(v)). */
export function formatValue(v: unknown): string {
  switch (typeof v) {
    case 'string': return v;
    case 'boolean': return v ? 'true' : 'false';
    case 'number': return formatFloat(v, 'g', -1);
  }
  if (v instanceof GoInt) return v.value.toString();
  const p = new Printer();
  p.printArg(v, 'v');
  return p.buf;
}
