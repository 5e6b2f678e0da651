// Sprig's numeric.go: integer math on int64 (operands through cast.ToInt64, so "3" is 3 and
// 2.9 is 2), float math through shopspring/decimal (exact decimal sums of the floats' shortest
// texts, division to 16 places), and the ranges until/untilStep/seq.
import { goFunc } from '../template/func.js';
import { int, int64 } from '../template/value.js';
import { castFloat64, castInt64, intArg } from './conversion.js';
import { randomInt } from './random.js';

const wrap64 = (n: bigint) => BigInt.asIntN(64, n);

function divide(a: bigint, b: bigint): bigint {
  if (b === 0n) throw new Error('runtime error: integer divide by zero');
  return wrap64(a / b);
}

function modulo(a: bigint, b: bigint): bigint {
  if (b === 0n) throw new Error('runtime error: integer divide by zero');
  return wrap64(a % b);
}

/** A shopspring/decimal value: coef × 10^exp. */
interface Decimal { coef: bigint; exp: number }

/** decimal.NewFromFloat: the shortest decimal that round-trips the float. */
function decimalFromFloat(f: number): Decimal {
  if (Number.isNaN(f)) throw new Error('Cannot create a Decimal from NaN');
  if (!Number.isFinite(f)) throw new Error(`Cannot create a Decimal from ${f > 0 ? '+Inf' : '-Inf'}`);
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(f))!;
  const frac = m[3] ?? '';
  const coef = BigInt(m[1]! + m[2]! + frac);
  return { coef, exp: Number(m[4] ?? 0) - frac.length };
}

function align(a: Decimal, b: Decimal): [bigint, bigint, number] {
  const exp = Math.min(a.exp, b.exp);
  return [a.coef * 10n ** BigInt(a.exp - exp), b.coef * 10n ** BigInt(b.exp - exp), exp];
}

const DIVISION_PRECISION = 16;

const decimalOps = {
  add(a: Decimal, b: Decimal): Decimal {
    const [x, y, exp] = align(a, b);
    return { coef: x + y, exp };
  },
  sub(a: Decimal, b: Decimal): Decimal {
    const [x, y, exp] = align(a, b);
    return { coef: x - y, exp };
  },
  mul(a: Decimal, b: Decimal): Decimal {
    return { coef: a.coef * b.coef, exp: a.exp + b.exp };
  },
  /** Decimal.Div: DivRound to 16 places, half away from zero. */
  div(a: Decimal, b: Decimal): Decimal {
    if (b.coef === 0n) throw new Error('decimal division by 0');
    // a/b scaled to 10^-(precision+1), then rounded to 10^-precision.
    const shift = a.exp - b.exp + DIVISION_PRECISION + 1;
    let num = a.coef;
    let den = b.coef;
    if (shift >= 0) num *= 10n ** BigInt(shift);
    else den *= 10n ** BigInt(-shift);
    const q = num / den;
    const neg = q < 0n;
    const abs = neg ? -q : q;
    const rounded = (abs + 5n) / 10n;
    return { coef: neg ? -rounded : rounded, exp: -DIVISION_PRECISION };
  },
};

function decimalToFloat(d: Decimal): number {
  return Number(`${d.coef}e${d.exp}`);
}

function execDecimalOp(a: unknown, b: unknown[], op: (x: Decimal, y: Decimal) => Decimal): number {
  let prt = decimalFromFloat(castFloat64(a));
  for (const x of b) prt = op(prt, decimalFromFloat(castFloat64(x)));
  return decimalToFloat(prt);
}

export function untilStep(start: number, stop: number, step: number): number[] {
  const v: number[] = [];
  if (stop < start) {
    if (step >= 0) return v;
    for (let i = start; i > stop; i += step) v.push(i);
    return v;
  }
  if (step <= 0) return v;
  for (let i = start; i < stop; i += step) v.push(i);
  return v;
}

function seq(...params: number[]): string {
  let increment = 1;
  let values: number[];
  switch (params.length) {
    case 1: {
      const end = params[0]!;
      if (end < 1) increment = -1;
      values = untilStep(1, end + increment, increment);
      break;
    }
    case 2: {
      const [start, end] = params as [number, number];
      const step = end < start ? -1 : 1;
      values = untilStep(start, end + step, step);
      break;
    }
    case 3: {
      const [start, step, end] = params as [number, number, number];
      if (end < start) {
        increment = -1;
        if (step > 0) return '';
      }
      values = untilStep(start, end + increment, step);
      break;
    }
    default:
      return '';
  }
  return values.join(' ');
}

/** Sprig's round: `roundOn` decides when the fraction rounds up (default .5). */
function round(a: unknown, p: number, ...rOpt: number[]): number {
  const roundOn = rOpt.length > 0 ? rOpt[0]! : 0.5;
  const val = castFloat64(a);
  const pow = Math.pow(10, p);
  const digit = pow * val;
  const frac = digit - Math.trunc(digit);
  const r = frac >= roundOn ? Math.ceil(digit) : Math.floor(digit);
  return r / pow;
}

const ints = (xs: number[]) => xs.map((x) => int(x));
const A = 'interface{}' as const;

export const numericFuncs = {
  add1: goFunc({ params: [A] }, (i: unknown) => int64(wrap64(castInt64(i) + 1n))),
  add: (...i: unknown[]) => int64(i.reduce<bigint>((acc, b) => wrap64(acc + castInt64(b)), 0n)),
  sub: goFunc({ params: [A, A] }, (a: unknown, b: unknown) => int64(wrap64(castInt64(a) - castInt64(b)))),
  div: goFunc({ params: [A, A] }, (a: unknown, b: unknown) => int64(divide(castInt64(a), castInt64(b)))),
  mod: goFunc({ params: [A, A] }, (a: unknown, b: unknown) => int64(modulo(castInt64(a), castInt64(b)))),
  mul: goFunc({ params: [A], variadic: A }, (a: unknown, ...v: unknown[]) =>
    int64(v.reduce<bigint>((acc, b) => wrap64(acc * castInt64(b)), castInt64(a)))),
  randInt: goFunc({ params: ['int', 'int'] }, (min: unknown, max: unknown) => {
    const lo = intArg(min);
    const n = intArg(max) - lo;
    if (n <= 0) throw new Error('invalid argument to Intn');
    return int(randomInt(n) + lo);
  }),
  add1f: goFunc({ params: [A] }, (i: unknown) => execDecimalOp(i, [1], decimalOps.add)),
  addf: (...i: unknown[]) => execDecimalOp(0, i, decimalOps.add),
  subf: goFunc({ params: [A], variadic: A }, (a: unknown, ...v: unknown[]) => execDecimalOp(a, v, decimalOps.sub)),
  divf: goFunc({ params: [A], variadic: A }, (a: unknown, ...v: unknown[]) => execDecimalOp(a, v, decimalOps.div)),
  mulf: goFunc({ params: [A], variadic: A }, (a: unknown, ...v: unknown[]) => execDecimalOp(a, v, decimalOps.mul)),
  biggest: goFunc({ params: [A], variadic: A }, (a: unknown, ...i: unknown[]) =>
    int64(i.reduce<bigint>((m, b) => { const x = castInt64(b); return x > m ? x : m; }, castInt64(a)))),
  max: goFunc({ params: [A], variadic: A }, (a: unknown, ...i: unknown[]) =>
    int64(i.reduce<bigint>((m, b) => { const x = castInt64(b); return x > m ? x : m; }, castInt64(a)))),
  min: goFunc({ params: [A], variadic: A }, (a: unknown, ...i: unknown[]) =>
    int64(i.reduce<bigint>((m, b) => { const x = castInt64(b); return x < m ? x : m; }, castInt64(a)))),
  maxf: goFunc({ params: [A], variadic: A }, (a: unknown, ...i: unknown[]) =>
    i.reduce<number>((m, b) => Math.max(m, castFloat64(b)), castFloat64(a))),
  minf: goFunc({ params: [A], variadic: A }, (a: unknown, ...i: unknown[]) =>
    i.reduce<number>((m, b) => Math.min(m, castFloat64(b)), castFloat64(a))),
  ceil: goFunc({ params: [A] }, (a: unknown) => Math.ceil(castFloat64(a))),
  floor: goFunc({ params: [A] }, (a: unknown) => Math.floor(castFloat64(a))),
  round: goFunc({ params: [A, 'int'], variadic: 'float64' }, (a: unknown, p: unknown, ...r: number[]) => round(a, intArg(p), ...r)),
  until: goFunc({ params: ['int'] }, (count: unknown) => {
    const c = intArg(count);
    return ints(untilStep(0, c, c < 0 ? -1 : 1));
  }),
  untilStep: goFunc({ params: ['int', 'int', 'int'] }, (a: unknown, b: unknown, c: unknown) =>
    ints(untilStep(intArg(a), intArg(b), intArg(c)))),
  seq: goFunc({ params: [], variadic: 'int' }, (...params: unknown[]) => seq(...params.map(intArg))),
};
