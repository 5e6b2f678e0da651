// The one place Sprig's nondeterminism comes from: random bytes (randAlphaNum, uuidv4, shuffle,
// randInt, bcrypt salts, key and certificate generation, encryptAES IVs) and the clock (now,
// date defaults, certificate validity). By default they are node:crypto and Date.now; a render
// that must be reproducible (synth writes byte-identical output) installs a seeded source for its
// duration with `withEntropy`.
import { createHash, randomBytes as cryptoRandomBytes } from 'node:crypto';

export interface EntropySource {
  /** `n` random bytes. */
  bytes(n: number): Uint8Array;
  /** Milliseconds since the epoch, as Go's time.Now(). */
  nowMs(): number;
  /** True for a reproducible source: generators must not use other randomness (native keygen). */
  readonly deterministic: boolean;
}

const systemSource: EntropySource = {
  bytes: (n) => new Uint8Array(cryptoRandomBytes(n)),
  nowMs: () => Date.now(),
  deterministic: false,
};

let current: EntropySource = systemSource;

export function entropy(): EntropySource {
  return current;
}

/**
 * Runs `fn` with the current source and reports whether anything read it (the clock, random
 * bytes, a key generated natively): a template that did renders other bytes the next time.
 */
export function tracingEntropy<T>(fn: () => T): { result: T; read: boolean } {
  const traced = current;
  let read = false;
  const source: EntropySource = {
    bytes: (n) => { read = true; return traced.bytes(n); },
    nowMs: () => { read = true; return traced.nowMs(); },
    get deterministic() { read = true; return traced.deterministic; },
  };
  return { result: withEntropy(source, fn), read };
}

/** Runs `fn` with `source` installed; the previous source is restored afterwards. */
export function withEntropy<T>(source: EntropySource, fn: () => T): T {
  const previous = current;
  current = source;
  try {
    return fn();
  } finally {
    current = previous;
  }
}

/**
 * A reproducible source: SHA-256 in counter mode over `seed`, and a fixed clock. Two renders with
 * the same seed and clock produce the same bytes.
 */
export function seededEntropy(seed: string | Uint8Array, fixedNowMs: number): EntropySource {
  let counter = 0n;
  let pool = new Uint8Array(0);
  return {
    deterministic: true,
    nowMs: () => fixedNowMs,
    bytes(n: number): Uint8Array {
      const out = new Uint8Array(n);
      let filled = 0;
      while (filled < n) {
        if (pool.length === 0) {
          const block = createHash('sha256').update(seed).update(counter.toString()).digest();
          counter++;
          pool = new Uint8Array(block);
        }
        const take = Math.min(pool.length, n - filled);
        out.set(pool.subarray(0, take), filled);
        pool = pool.subarray(take);
        filled += take;
      }
      return out;
    },
  };
}

export function randomBytes(n: number): Uint8Array {
  return current.bytes(n);
}

/** A uniform integer in [0, max) (rejection sampling, as crypto/rand.Int does). */
export function randomInt(max: number): number {
  if (!(max > 0)) throw new Error('crypto/rand: argument to Int is <= 0');
  if (max === 1) return 0;
  const bits = Math.ceil(Math.log2(max));
  const nBytes = Math.ceil(bits / 8);
  const mask = bits % 8 === 0 ? 0xff : (1 << (bits % 8)) - 1;
  for (;;) {
    const b = randomBytes(nBytes);
    b[0]! &= mask;
    let v = 0;
    for (const x of b) v = v * 256 + x;
    if (v < max) return v;
  }
}

/** A uniform bigint in [0, 2^bits). */
export function randomBigBits(bits: number): bigint {
  const b = randomBytes(Math.ceil(bits / 8));
  let v = 0n;
  for (const x of b) v = (v << 8n) | BigInt(x);
  return v & ((1n << BigInt(bits)) - 1n);
}

export function nowMs(): number {
  return current.nowMs();
}
