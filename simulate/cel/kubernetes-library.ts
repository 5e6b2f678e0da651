// The CEL functions Kubernetes adds to cel-go for CRD validation rules and ValidatingAdmissionPolicy
// (k8s.io/apiserver/pkg/cel/library, cel-go's ext.Strings v2, ext.Sets and ext.Lists) that
// @marcbachmann/cel-js does not have. simulate/README.md lists which are supported. Semantics
// follow the upstream sources; errors are thrown, which the library reports as evaluation errors.
import { Optional, type Environment } from '@marcbachmann/cel-js';
import { compileGoRegexp } from '../../helm/sprig/regex.js';
import { FORMATS, NamedFormat } from './formats.js';
import { CIDR, IPAddress } from './ip.js';
import { Quantity } from './quantity.js';
import { Semver } from './semver.js';
import { KubernetesURL } from './url.js';

type Comparable = bigint | number | string | boolean | Date;

const isNumber = (x: unknown): x is bigint | number => typeof x === 'bigint' || typeof x === 'number';

/** CEL ordering: numbers across int/uint/double, otherwise values of one type only. */
function compare(a: Comparable, b: Comparable): number {
  if (a instanceof Date && b instanceof Date) return a.getTime() - b.getTime();
  if ((isNumber(a) && isNumber(b)) || (typeof a === typeof b && typeof a !== 'object')) return a < b ? -1 : a > b ? 1 : 0;
  throw new Error(`no such overload: cannot compare ${typeof a} and ${typeof b}`);
}

function extreme(name: string, list: readonly Comparable[], sign: 1 | -1): Comparable {
  if (!list.length) throw new Error(`${name} called on empty list`);
  return list.reduce((best, v) => (compare(v, best) * sign > 0 ? v : best));
}

function equal(a: unknown, b: unknown): boolean {
  if (isNumber(a) || isNumber(b)) return isNumber(a) && isNumber(b) && Number(a) === Number(b);
  if (Array.isArray(a) || Array.isArray(b)) return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => equal(x, b[i]));
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && equal((a as any)[k], (b as any)[k]));
  }
  return a === b;
}

/** A Go-regexp as a fresh JS RegExp: the cached one is global and keeps lastIndex between calls. */
const regexp = (re: string) => new RegExp(compileGoRegexp(re));

/** CEL's text for a value, as `%s` of string.format writes it. */
function formatValue(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return `[${v.map(formatValue).join(', ')}]`;
  if (v instanceof Date) return v.toISOString().replace('.000Z', 'Z');
  if (typeof v === 'object') {
    const entries = v instanceof Map ? [...v.entries()] : Object.entries(v);
    return `{${entries.map(([k, x]) => `${formatValue(k)}: ${formatValue(x)}`).join(', ')}}`;
  }
  return String(v);
}

/** cel-go's ext.Strings format(): %s %d %f %e %x %X %o %b and %%, with an optional precision. */
function format(template: string, args: readonly unknown[]): string {
  let i = 0;
  return template.replace(/%(\.\d+)?([sdfeExXob%])/g, (whole, precision: string | undefined, verb: string) => {
    if (verb === '%') return '%';
    if (i >= args.length) throw new Error(`index ${i} out of range`);
    const v = args[i++];
    const digits = precision ? Number(precision.slice(1)) : 6;
    switch (verb) {
      case 's': return formatValue(v);
      case 'd':
        if (typeof v !== 'bigint' && typeof v !== 'number') throw new Error(`error during formatting: decimal clause can only be used on integers, was given ${typeof v}`);
        return String(v);
      case 'f': return Number(v).toFixed(digits);
      case 'e': case 'E': {
        const s = Number(v).toExponential(digits).replace(/e([+-])(\d)$/, 'e$10$2');
        return verb === 'E' ? s.toUpperCase() : s;
      }
      case 'x': case 'X': {
        const s = typeof v === 'string' ? Buffer.from(v).toString('hex') : BigInt(v as bigint).toString(16);
        return verb === 'X' ? s.toUpperCase() : s;
      }
      case 'o': return BigInt(v as bigint).toString(8);
      case 'b': return typeof v === 'boolean' ? String(v) : BigInt(v as bigint).toString(2);
      default: return whole;
    }
  });
}

// Namespaced functions (`sets.contains`, `ip.isCanonical`, `format.named`, ...) are methods of a
// constant of a namespace type, as cel-js itself declares `optional.of`.
class SetsNamespace {}
class IPNamespace {}
class FormatNamespace {}
class ListsNamespace {}
class StringsNamespace {}

/** isURL, isQuantity, isIP, isCIDR, isSemver: whether the conversion would succeed. */
function parses(convert: () => unknown): boolean {
  try {
    convert();
    return true;
  } catch {
    return false;
  }
}

const QUOTE_ESCAPES: Readonly<Record<string, string>> = { '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v', '\\': '\\\\', '"': '\\"' };

/** strings.quote: a double-quoted CEL string literal of `s`. */
const quote = (s: string) => `"${s.replace(/[\x07\b\f\n\r\t\v\\"]/g, (c) => QUOTE_ESCAPES[c]!)}"`;

/** Adds the Kubernetes CEL library to an environment (before it is cloned or used). */
export function registerKubernetesLibrary(env: Environment): Environment {
  env
    // library.Lists
    .registerFunction('list<A>.isSorted(): bool', (l: Comparable[]) => l.every((v, i) => i === 0 || compare(l[i - 1]!, v) <= 0))
    .registerFunction('list<A>.sum(): A', (l: (bigint | number)[]) => (l.length ? l.reduce((a, b) => (a as any) + (b as any)) : 0n))
    .registerFunction('list<A>.min(): A', (l: Comparable[]) => extreme('min', l, -1))
    .registerFunction('list<A>.max(): A', (l: Comparable[]) => extreme('max', l, 1))
    .registerFunction('list<A>.indexOf(A): int', (l: unknown[], x: unknown) => BigInt(l.findIndex((v) => equal(v, x))))
    .registerFunction('list<A>.lastIndexOf(A): int', (l: unknown[], x: unknown) => BigInt(l.findLastIndex((v) => equal(v, x))))
    // library.Lists v1 (Kubernetes 1.37): a list holds the value, or any other value equals it
    .registerFunction('dyn.includes(dyn): bool', (l: unknown, x: unknown) => (Array.isArray(l) ? l.some((v) => equal(v, x)) : equal(l, x)))
    // ext.Lists v3 (Kubernetes 1.34+), all but the sortBy macro
    .registerType('ListsNamespace', { ctor: ListsNamespace })
    .registerConstant('lists', 'ListsNamespace', new ListsNamespace())
    .registerFunction('ListsNamespace.range(int): list<int>', (_: ListsNamespace, n: bigint) => Array.from({ length: Math.max(0, Number(n)) }, (_x, i) => BigInt(i)))
    .registerFunction('list<A>.slice(int, int): list<A>', (l: unknown[], start: bigint, end: bigint) => {
      if (start < 0n || end > BigInt(l.length) || start > end) throw new Error(`cannot slice(${start}, ${end}) a list of size ${l.length}`);
      return l.slice(Number(start), Number(end));
    })
    .registerFunction('list.flatten(): list', (l: unknown[]) => l.flatMap((v) => (Array.isArray(v) ? v : [v])))
    .registerFunction('list.flatten(int): list', (l: unknown[], depth: bigint) => {
      if (depth < 0n) throw new Error('level must be non-negative');
      return l.flat(Number(depth));
    })
    .registerFunction('list<A>.distinct(): list<A>', (l: unknown[]) => l.filter((v, i) => l.findIndex((w) => equal(v, w)) === i))
    .registerFunction('list<A>.reverse(): list<A>', (l: unknown[]) => [...l].reverse())
    .registerFunction('list<A>.sort(): list<A>', (l: Comparable[]) => [...l].sort(compare))
    .registerFunction('list<A>.first(): optional<A>', (l: unknown[]) => (l.length ? Optional.of(l[0]) : Optional.none()))
    .registerFunction('list<A>.last(): optional<A>', (l: unknown[]) => (l.length ? Optional.of(l[l.length - 1]) : Optional.none()))
    // ext.Strings v2 (the rest of it is built into cel-js)
    .registerType('StringsNamespace', { ctor: StringsNamespace })
    .registerConstant('strings', 'StringsNamespace', new StringsNamespace())
    .registerFunction('StringsNamespace.quote(string): string', (_: StringsNamespace, s: string) => quote(s))
    .registerFunction('string.charAt(int): string', (s: string, i: bigint) => {
      const chars = [...s];
      if (i < 0n || i > BigInt(chars.length)) throw new Error(`index out of range: ${i}`);
      return chars[Number(i)] ?? '';
    })
    .registerFunction('string.replace(string, string): string', (s: string, from: string, to: string) => s.split(from).join(to))
    .registerFunction('string.replace(string, string, int): string', (s: string, from: string, to: string, n: bigint) => {
      if (n < 0n) return s.split(from).join(to);
      const parts = s.split(from);
      const k = Math.min(Number(n), parts.length - 1);
      return parts.slice(0, k + 1).join(to) + (k < parts.length - 1 ? from + parts.slice(k + 1).join(from) : '');
    })
    .registerFunction('string.reverse(): string', (s: string) => [...s].reverse().join(''))
    .registerFunction('string.format(list): string', (s: string, args: unknown[]) => format(s, args))
    // library.Regex
    .registerFunction('string.find(string): string', (s: string, re: string) => regexp(re).exec(s)?.[0] ?? '')
    .registerFunction('string.findAll(string): list<string>', (s: string, re: string) => [...s.matchAll(regexp(re))].map((m) => m[0]))
    .registerFunction('string.findAll(string, int): list<string>', (s: string, re: string, n: bigint) => {
      const all = [...s.matchAll(regexp(re))].map((m) => m[0]);
      return n < 0n ? all : all.slice(0, Number(n));
    })
    // ext.Sets: `sets` is a constant of a namespace type whose methods are the functions
    .registerType('SetsNamespace', { ctor: SetsNamespace })
    .registerConstant('sets', 'SetsNamespace', new SetsNamespace())
    .registerFunction('SetsNamespace.contains(list, list): bool', (_: SetsNamespace, a: unknown[], b: unknown[]) => b.every((x) => a.some((y) => equal(x, y))))
    .registerFunction('SetsNamespace.equivalent(list, list): bool', (_: SetsNamespace, a: unknown[], b: unknown[]) => b.every((x) => a.some((y) => equal(x, y))) && a.every((x) => b.some((y) => equal(x, y))))
    .registerFunction('SetsNamespace.intersects(list, list): bool', (_: SetsNamespace, a: unknown[], b: unknown[]) => a.some((x) => b.some((y) => equal(x, y))))
    // library.URLs
    .registerType('kubernetes.URL', { ctor: KubernetesURL })
    .registerFunction('url(string): kubernetes.URL', (s: string) => KubernetesURL.parse(s))
    .registerFunction('isURL(string): bool', (s: string) => parses(() => KubernetesURL.parse(s)))
    .registerFunction('kubernetes.URL.getScheme(): string', (u: KubernetesURL) => u.scheme)
    .registerFunction('kubernetes.URL.getHost(): string', (u: KubernetesURL) => u.host)
    .registerFunction('kubernetes.URL.getHostname(): string', (u: KubernetesURL) => u.getHostname())
    .registerFunction('kubernetes.URL.getPort(): string', (u: KubernetesURL) => u.getPort())
    .registerFunction('kubernetes.URL.getEscapedPath(): string', (u: KubernetesURL) => u.getEscapedPath())
    .registerFunction('kubernetes.URL.getQuery(): map<string, list<string>>', (u: KubernetesURL) => u.getQuery())
    // library.Quantity
    .registerType('kubernetes.Quantity', { ctor: Quantity })
    .registerFunction('quantity(string): kubernetes.Quantity', (s: string) => Quantity.parse(s))
    .registerFunction('isQuantity(string): bool', (s: string) => parses(() => Quantity.parse(s)))
    .registerFunction('kubernetes.Quantity.sign(): int', (q: Quantity) => q.sign())
    .registerFunction('kubernetes.Quantity.isInteger(): bool', (q: Quantity) => q.isInteger())
    .registerFunction('kubernetes.Quantity.asInteger(): int', (q: Quantity) => q.asInteger())
    .registerFunction('kubernetes.Quantity.asApproximateFloat(): double', (q: Quantity) => q.asApproximateFloat())
    .registerFunction('kubernetes.Quantity.add(kubernetes.Quantity): kubernetes.Quantity', (a: Quantity, b: Quantity) => a.add(b))
    .registerFunction('kubernetes.Quantity.add(int): kubernetes.Quantity', (a: Quantity, b: bigint) => a.add(Quantity.fromInt(b)))
    .registerFunction('kubernetes.Quantity.sub(kubernetes.Quantity): kubernetes.Quantity', (a: Quantity, b: Quantity) => a.sub(b))
    .registerFunction('kubernetes.Quantity.sub(int): kubernetes.Quantity', (a: Quantity, b: bigint) => a.sub(Quantity.fromInt(b)))
    .registerFunction('kubernetes.Quantity.isGreaterThan(kubernetes.Quantity): bool', (a: Quantity, b: Quantity) => a.compareTo(b) > 0)
    .registerFunction('kubernetes.Quantity.isLessThan(kubernetes.Quantity): bool', (a: Quantity, b: Quantity) => a.compareTo(b) < 0)
    .registerFunction('kubernetes.Quantity.compareTo(kubernetes.Quantity): int', (a: Quantity, b: Quantity) => BigInt(a.compareTo(b)))
    // Equality by value, as the upstream types' Equal: 200M == 0.2G.
    .registerOperator('kubernetes.Quantity == kubernetes.Quantity', (a: Quantity, b: Quantity) => a.compareTo(b) === 0)
    // library.IP and library.CIDR (`ip.isCanonical` through a namespace constant, as `sets`)
    .registerType('net.IP', { ctor: IPAddress })
    .registerType('net.CIDR', { ctor: CIDR })
    .registerType('IPNamespace', { ctor: IPNamespace })
    .registerConstant('ip', 'IPNamespace', new IPNamespace())
    .registerFunction('ip(string): net.IP', (s: string) => IPAddress.parse(s))
    .registerFunction('isIP(string): bool', (s: string) => parses(() => IPAddress.parse(s)))
    .registerFunction('IPNamespace.isCanonical(string): bool', (_: IPNamespace, s: string) => IPAddress.parse(s).toString() === s)
    .registerFunction('string(net.IP): string', (ip: IPAddress) => ip.toString())
    .registerFunction('net.IP.family(): int', (ip: IPAddress) => BigInt(ip.family))
    .registerFunction('net.IP.isUnspecified(): bool', (ip: IPAddress) => ip.isUnspecified())
    .registerFunction('net.IP.isLoopback(): bool', (ip: IPAddress) => ip.isLoopback())
    .registerFunction('net.IP.isLinkLocalMulticast(): bool', (ip: IPAddress) => ip.isLinkLocalMulticast())
    .registerFunction('net.IP.isLinkLocalUnicast(): bool', (ip: IPAddress) => ip.isLinkLocalUnicast())
    .registerFunction('net.IP.isGlobalUnicast(): bool', (ip: IPAddress) => ip.isGlobalUnicast())
    .registerFunction('cidr(string): net.CIDR', (s: string) => CIDR.parse(s))
    .registerFunction('isCIDR(string): bool', (s: string) => parses(() => CIDR.parse(s)))
    .registerFunction('string(net.CIDR): string', (c: CIDR) => c.toString())
    .registerFunction('net.CIDR.containsIP(net.IP): bool', (c: CIDR, ip: IPAddress) => c.containsIP(ip))
    .registerFunction('net.CIDR.containsIP(string): bool', (c: CIDR, ip: string) => c.containsIP(IPAddress.parse(ip)))
    .registerFunction('net.CIDR.containsCIDR(net.CIDR): bool', (c: CIDR, o: CIDR) => c.containsCIDR(o))
    .registerFunction('net.CIDR.containsCIDR(string): bool', (c: CIDR, o: string) => c.containsCIDR(CIDR.parse(o)))
    .registerFunction('net.CIDR.ip(): net.IP', (c: CIDR) => c.address)
    .registerFunction('net.CIDR.masked(): net.CIDR', (c: CIDR) => c.masked())
    .registerFunction('net.CIDR.prefixLength(): int', (c: CIDR) => BigInt(c.prefixLength))
    .registerOperator('net.IP == net.IP', (a: IPAddress, b: IPAddress) => a.family === b.family && a.value === b.value)
    .registerOperator('net.CIDR == net.CIDR', (a: CIDR, b: CIDR) => a.toString() === b.toString())
    .registerOperator('kubernetes.URL == kubernetes.URL', (a: KubernetesURL, b: KubernetesURL) => a.text === b.text)
    // library.Semver (Kubernetes 1.33+)
    .registerType('kubernetes.Semver', { ctor: Semver })
    .registerFunction('semver(string): kubernetes.Semver', (s: string) => Semver.parse(s))
    .registerFunction('semver(string, bool): kubernetes.Semver', (s: string, n: boolean) => Semver.parse(s, n))
    .registerFunction('isSemver(string): bool', (s: string) => parses(() => Semver.parse(s)))
    .registerFunction('isSemver(string, bool): bool', (s: string, n: boolean) => parses(() => Semver.parse(s, n)))
    .registerFunction('kubernetes.Semver.major(): int', (v: Semver) => v.major)
    .registerFunction('kubernetes.Semver.minor(): int', (v: Semver) => v.minor)
    .registerFunction('kubernetes.Semver.patch(): int', (v: Semver) => v.patch)
    .registerFunction('kubernetes.Semver.isGreaterThan(kubernetes.Semver): bool', (a: Semver, b: Semver) => a.compareTo(b) > 0)
    .registerFunction('kubernetes.Semver.isLessThan(kubernetes.Semver): bool', (a: Semver, b: Semver) => a.compareTo(b) < 0)
    .registerFunction('kubernetes.Semver.compareTo(kubernetes.Semver): int', (a: Semver, b: Semver) => BigInt(a.compareTo(b)))
    .registerOperator('kubernetes.Semver == kubernetes.Semver', (a: Semver, b: Semver) => a.compareTo(b) === 0)
    // library.Format (Kubernetes 1.31+): format.<name>() and format.named(name), then validate(s)
    .registerType('kubernetes.NamedFormat', { ctor: NamedFormat })
    .registerType('FormatNamespace', { ctor: FormatNamespace })
    .registerConstant('format', 'FormatNamespace', new FormatNamespace())
    .registerFunction('FormatNamespace.named(string): optional<kubernetes.NamedFormat>', (_: FormatNamespace, name: string) => {
      const f = FORMATS.get(name);
      return f ? Optional.of(f) : Optional.none();
    })
    .registerFunction('kubernetes.NamedFormat.validate(string): optional<list<string>>', (f: NamedFormat, s: string) => {
      const errors = f.validate(s);
      return errors.length ? Optional.of(errors) : Optional.none();
    });
  for (const name of FORMATS.keys()) {
    env.registerFunction(`FormatNamespace.${name}(): kubernetes.NamedFormat`, () => FORMATS.get(name)!);
  }
  return env;
}
