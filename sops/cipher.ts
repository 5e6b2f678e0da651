// The value cipher of sops (aes/cipher.go): AES-256-GCM with a 32-byte IV, the path as AAD, and
// the `ENC[AES256_GCM,data:…,iv:…,tag:…,type:…]` text form (sops-format.md §2).
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

export const ENC_PREFIX = 'ENC[AES256_GCM,';
const ENC_RE = /^ENC\[AES256_GCM,data:(.+),iv:(.+),tag:(.+),type:(.+)\]/;
const B64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export interface EncValue {
  data: Buffer;
  iv: Buffer;
  tag: Buffer;
  type: string;
}

export function isEncString(s: string): boolean {
  return ENC_RE.test(s);
}

/** Parses the `ENC[...]` form; undefined when it is not one (callers word the error). */
export function parseEnc(s: string): EncValue | undefined {
  const m = ENC_RE.exec(s);
  if (!m) return undefined;
  const [, data, iv, tag, type] = m;
  if (![data, iv, tag].every((b) => B64_RE.test(b))) return undefined;
  return { data: Buffer.from(data, 'base64'), iv: Buffer.from(iv, 'base64'), tag: Buffer.from(tag, 'base64'), type };
}

export function encryptValue(plaintext: Uint8Array, key: Uint8Array, aad: string, type: string): string {
  const iv = randomBytes(32);
  const c = createCipheriv('aes-256-gcm', key, iv);
  c.setAAD(Buffer.from(aad, 'utf8'));
  const data = Buffer.concat([c.update(plaintext), c.final()]);
  const tag = c.getAuthTag();
  return `ENC[AES256_GCM,data:${data.toString('base64')},iv:${iv.toString('base64')},tag:${tag.toString('base64')},type:${type}]`;
}

/** Decrypts one value; throws a plain Error on authentication failure (callers add the location). */
export function decryptValue(enc: EncValue, key: Uint8Array, aad: string): Buffer {
  if (enc.tag.length !== 16) throw new Error('tag is not 16 bytes');
  const d = createDecipheriv('aes-256-gcm', key, enc.iv);
  d.setAAD(Buffer.from(aad, 'utf8'));
  d.setAuthTag(enc.tag);
  return Buffer.concat([d.update(enc.data), d.final()]);
}

/** SHA-256("sops"): the prefix that keeps mac_only_encrypted MACs apart from full ones. */
const MAC_ONLY_ENCRYPTED_PREFIX = createHash('sha256').update('sops').digest();

/** Accumulates the MAC: SHA-512 over the plaintext bytes of the hashed leaves, upper-case hex. */
export class MacHasher {
  private readonly hash = createHash('sha512');
  constructor(macOnlyEncrypted: boolean) {
    if (macOnlyEncrypted) this.hash.update(MAC_ONLY_ENCRYPTED_PREFIX);
  }
  add(bytes: Uint8Array): void {
    this.hash.update(bytes);
  }
  hex(): string {
    return this.hash.digest('hex').toUpperCase();
  }
}
