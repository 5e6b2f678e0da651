/**
 * What counts as a secret value, and how it is hidden. A diff is posted to a pull request where
 * anyone with read access sees it, so the rule errs on hiding: a value is secret when
 *  - it sits under `data` or `stringData` of a `Secret` (plain or SOPS-encrypted manifest),
 *  - it sits under `spec` of a `SopsSecret` (its whole payload: templates, names, data),
 *  - it sits under a top-level `sops` block (SOPS metadata: wrapped data keys, MAC), but for
 *    the age recipients (`sops.age[].recipient`): public keys, shown so that a reviewer sees
 *    who gains the right to decrypt,
 *  - it is a SOPS-encrypted string (`ENC[AES256_GCM,data:...]`) anywhere, on either side,
 *  - it looks like a private key (an age identity, a PEM private key: primitives/redact.ts), anywhere.
 * Keys are never secret (SOPS leaves them in clear), so a diff can say which keys changed.
 */

import { looksLikeSecretKey } from '../primitives/redact.js';

export type PathSegment = string | number;

/** Replaces a secret value that is the same on both sides. */
export const HIDDEN = '<secret: hidden>';
/** Replaces a secret value that differs, on the base side and on the head side. */
export const OLD_HIDDEN = '<secret: old value hidden>';
export const NEW_HIDDEN = '<secret: new value hidden>';

const ENCRYPTED = /^ENC\[[A-Z0-9_]+,/;

/** True when everything under `path` of the object `root` is secret (a prefix rule: see above). */
export function isSecretPath(root: Record<string, any>, path: readonly PathSegment[]): boolean {
  if (path.length === 0) return false;
  const top = path[0];
  if (top === 'sops') return !isRecipientPath(path);
  if (root?.kind === 'Secret' && (top === 'data' || top === 'stringData')) return true;
  if (root?.kind === 'SopsSecret' && top === 'spec') return true;
  return false;
}

/** `sops.age[i].recipient` or `sops.key_groups[g].age[i].recipient`: an age public key. */
function isRecipientPath(path: readonly PathSegment[]): boolean {
  const p = path.map((x) => (typeof x === 'number' ? '#' : x)).join('.');
  return p === 'sops.age.#.recipient' || p === 'sops.key_groups.#.age.#.recipient';
}

const isKeyLike = (v: unknown) => typeof v === 'string' && looksLikeSecretKey(v);

/** True for a SOPS-encrypted scalar. */
export function isEncryptedValue(v: unknown): boolean {
  return typeof v === 'string' && ENCRYPTED.test(v);
}

/** True when `v` or anything inside it is hidden wherever it is: a SOPS-encrypted scalar, or one that looks like a private key. */
export function containsHiddenValue(v: unknown): boolean {
  if (isEncryptedValue(v) || isKeyLike(v)) return true;
  if (v === null || typeof v !== 'object') return false;
  return Object.values(v as object).some(containsHiddenValue);
}

/**
 * A copy of `obj` with every secret scalar replaced by a placeholder. `other` is the same object
 * on the other side (or undefined): a value that differs from it gets OLD_HIDDEN on the base side
 * and NEW_HIDDEN on the head side, so a line diff of the two copies still shows which keys
 * changed, and nothing of what they hold.
 */
export function redactObject(obj: Record<string, any>, other: Record<string, any> | undefined, side: 'base' | 'head'): Record<string, any> {
  const walk = (v: unknown, o: unknown, path: PathSegment[], secret: boolean): unknown => {
    // A recipient under a secret `sops` block is public: the prefix rule stops there.
    const inSecret = (secret || isSecretPath(obj, path) || (other !== undefined && isSecretPath(other, path))) && !isRecipientPath(path);
    if (Array.isArray(v)) {
      const oa = Array.isArray(o) ? o : undefined;
      return v.map((x, i) => walk(x, oa?.[i], [...path, i], inSecret));
    }
    if (v !== null && typeof v === 'object' && !(v instanceof Date) && !(v instanceof Uint8Array)) {
      const oo = o !== null && typeof o === 'object' && !Array.isArray(o) ? (o as Record<string, unknown>) : undefined;
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k] = walk(x, oo?.[k], [...path, k], inSecret);
      return out;
    }
    if (!inSecret && !isEncryptedValue(v) && !isEncryptedValue(o) && !isKeyLike(v) && !isKeyLike(o)) return v;
    // An added or removed key already shows as a +/- line of its own.
    if (o === undefined || sameScalar(v, o)) return HIDDEN;
    return side === 'base' ? OLD_HIDDEN : NEW_HIDDEN;
  };
  return walk(obj, other, [], false) as Record<string, any>;
}

function sameScalar(a: unknown, b: unknown): boolean {
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (a instanceof Uint8Array && b instanceof Uint8Array) return Buffer.from(a).equals(Buffer.from(b));
  return a === b;
}
