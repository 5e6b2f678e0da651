import { createPublicKey, X509Certificate } from 'node:crypto';

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

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----\r?\n[A-Za-z0-9+/=\r\n]+?-----END CERTIFICATE-----/g;

/**
 * A bundle of CA certificates in PEM (what a TLS client trusts): only CERTIFICATE blocks, at
 * least one, each a parsable X.509 certificate with the CA flag. A private key or a leaf
 * certificate pasted by mistake is refused.
 */
export function isCaBundlePem(text: string): boolean {
  const blocks = text.match(PEM_CERTIFICATE) ?? [];
  if (blocks.length === 0 || text.replace(PEM_CERTIFICATE, '').trim() !== '') return false;
  try {
    return blocks.every((b) => new X509Certificate(b).ca);
  } catch {
    return false;
  }
}
