import { createPublicKey } from 'node:crypto';

const PEM_PUBLIC_KEY = /^-----BEGIN PUBLIC KEY-----\r?\n([A-Za-z0-9+/=]{1,76}\r?\n)+-----END PUBLIC KEY-----\r?\n?$/;

/** A real PEM public key (as `cosign generate-key-pair` writes cosign.pub): the armour, and a key that parses. */
export function isPublicKeyPem(text: string): boolean {
  if (!PEM_PUBLIC_KEY.test(text)) return false;
  try {
    createPublicKey(text);
    return true;
  } catch {
    return false;
  }
}
