// Kubernetes resource quantities (k8s.io/apimachinery/pkg/api/resource) as exact rationals, for
// the CEL `quantity` library: `quantity('1.5Gi').isGreaterThan(quantity('1G'))` must compare what
// the API server compares, so no floating point is involved until asApproximateFloat().

const BINARY: Record<string, bigint> = { Ki: 2n ** 10n, Mi: 2n ** 20n, Gi: 2n ** 30n, Ti: 2n ** 40n, Pi: 2n ** 50n, Ei: 2n ** 60n };
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
// The grammar of resource.ParseQuantity: sign, digits with at most one point, then a suffix.
const QUANTITY = /^([+-]?)(\d+\.?\d*|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;

function gcd(a: bigint, b: bigint): bigint {
  a = a < 0n ? -a : a;
  while (b) [a, b] = [b, a % b];
  return a;
}

/** A parsed quantity: its value is `num / den` (den > 0), and the text it was written as. */
export class Quantity {
  private constructor(readonly num: bigint, readonly den: bigint, readonly text: string) {}

  /** Parses as the API server does; throws with the upstream wording on anything else. */
  static parse(text: string): Quantity {
    const m = QUANTITY.exec(text);
    if (!m) throw new Error(`quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`);
    const [, sign, digits, suffix = ''] = m;
    const [int, frac = ''] = digits!.split('.');
    let num = BigInt((int || '0') + frac) * (sign === '-' ? -1n : 1n);
    let den = 10n ** BigInt(frac.length);
    if (suffix in BINARY) num *= BINARY[suffix]!;
    else {
      const exp = suffix in DECIMAL ? DECIMAL[suffix]! : Number(suffix.slice(1));
      if (exp >= 0) num *= 10n ** BigInt(exp);
      else den *= 10n ** BigInt(-exp);
    }
    return Quantity.of(num, den, text);
  }

  private static of(num: bigint, den: bigint, text?: string): Quantity {
    const g = gcd(num, den) || 1n;
    num /= g;
    den /= g;
    return new Quantity(num, den, text ?? (den === 1n ? String(num) : `${Number(num) / Number(den)}`));
  }

  compareTo(o: Quantity): -1 | 0 | 1 {
    const l = this.num * o.den;
    const r = o.num * this.den;
    return l < r ? -1 : l > r ? 1 : 0;
  }

  sign(): bigint {
    return this.num < 0n ? -1n : this.num > 0n ? 1n : 0n;
  }

  isInteger(): boolean {
    return this.den === 1n && this.num >= -(2n ** 63n) && this.num < 2n ** 63n;
  }

  asInteger(): bigint {
    if (!this.isInteger()) throw new Error('cannot convert value to integer');
    return this.num;
  }

  asApproximateFloat(): number {
    return Number(this.num) / Number(this.den);
  }

  add(o: Quantity): Quantity {
    return Quantity.of(this.num * o.den + o.num * this.den, this.den * o.den);
  }

  sub(o: Quantity): Quantity {
    return Quantity.of(this.num * o.den - o.num * this.den, this.den * o.den);
  }

  static fromInt(n: bigint): Quantity {
    return Quantity.of(n, 1n);
  }

  toString(): string {
    return this.text;
  }
}
