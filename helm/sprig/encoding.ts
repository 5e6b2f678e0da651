// Sprig's base64/base32 functions over Go's StdEncoding: padding required, CR/LF ignored,
// and a decoding failure returned as the decoded text ("illegal base64 data at input byte N").
import { goFunc } from '../template/func.js';
import { bytesToString } from './conversion.js';

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

class CorruptInputError extends Error {}

/**
 * Go's encoding/base64 and base32 decoding with padding: quanta of `quantum` characters,
 * newlines skipped, the offset of the first bad byte reported as Go reports it.
 */
function decodePadded(src: string, alphabet: string, quantum: number, bitsPerChar: number, kind: string): Uint8Array {
  const map = new Map<string, number>([...alphabet].map((c, i) => [c, i]));
  const out: number[] = [];
  const fail = (offset: number): never => {
    throw new CorruptInputError(`illegal ${kind} data at input byte ${offset}`);
  };
  let si = 0;
  let end = false;
  // Valid lengths of the data part of a final, padded quantum.
  const validTail = kind === 'base64' ? new Set([2, 3]) : new Set([2, 4, 5, 7]);
  while (si < src.length && !end) {
    const vals: number[] = [];
    let j = 0;
    while (j < quantum) {
      if (si === src.length) {
        if (j === 0) return Uint8Array.from(out);
        fail(si - j);
      }
      const ch = src[si]!;
      si++;
      const v = map.get(ch);
      if (v !== undefined) {
        vals.push(v);
        j++;
        continue;
      }
      if (ch === '\n' || ch === '\r') continue;
      if (ch !== '=') fail(si - 1);
      // Padding: the rest of the quantum must be '=' (newlines allowed), then the input ends.
      if (!validTail.has(j)) fail(si - 1);
      let padNeeded = quantum - j - 1;
      while (padNeeded > 0) {
        while (si < src.length && (src[si] === '\n' || src[si] === '\r')) si++;
        if (si === src.length) fail(src.length);
        if (src[si] !== '=') fail(si - 1);
        si++;
        padNeeded--;
      }
      while (si < src.length && (src[si] === '\n' || src[si] === '\r')) si++;
      if (si < src.length) fail(si);
      end = true;
      break;
    }
    let acc = 0n;
    for (const v of vals) acc = (acc << BigInt(bitsPerChar)) | BigInt(v);
    const nBytes = Math.floor((vals.length * bitsPerChar) / 8);
    acc >>= BigInt(vals.length * bitsPerChar - nBytes * 8);
    for (let k = nBytes - 1; k >= 0; k--) out.push(Number((acc >> BigInt(k * 8)) & 0xffn));
  }
  return Uint8Array.from(out);
}

/** base64.StdEncoding.DecodeString; throws Go's CorruptInputError text. */
export function decodeBase64Std(s: string): Uint8Array {
  return decodePadded(s, B64, 4, 6, 'base64');
}

function base32Encode(b: Uint8Array): string {
  let out = '';
  for (let i = 0; i < b.length; i += 5) {
    const chunk = b.subarray(i, i + 5);
    let acc = 0n;
    for (const x of chunk) acc = (acc << 8n) | BigInt(x);
    const bits = chunk.length * 8;
    const chars = Math.ceil(bits / 5);
    acc <<= BigInt(chars * 5 - bits);
    for (let k = chars - 1; k >= 0; k--) out += B32[Number((acc >> BigInt(k * 5)) & 31n)];
    out += '='.repeat(8 - chars);
  }
  return out;
}

function decodeOrMessage(f: () => Uint8Array): string {
  try {
    return bytesToString(f());
  } catch (e) {
    return (e as Error).message;
  }
}

const S = 'string' as const;

export const encodingFuncs = {
  b64enc: goFunc({ params: [S] }, (v: string) => Buffer.from(v, 'utf8').toString('base64')),
  b64dec: goFunc({ params: [S] }, (v: string) => decodeOrMessage(() => decodeBase64Std(v))),
  b32enc: goFunc({ params: [S] }, (v: string) => base32Encode(new Uint8Array(Buffer.from(v, 'utf8')))),
  b32dec: goFunc({ params: [S] }, (v: string) => decodeOrMessage(() => decodePadded(v, B32, 8, 5, 'base32'))),
};
