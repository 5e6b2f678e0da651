// One place that decides what a message may not repeat: a value that looks like a secret key is
// replaced by what it looks like, wherever a received value is echoed (overlay errors, secrets
// and sops errors, audit findings). A pasted private key must never reach a terminal or CI log.

/** The age secret-key prefix, written without its "1" so no source line looks like a key. */
const AGE_SECRET_PREFIX = 'AGE-SECRET-KEY-';

/** What an age private key is called instead of being shown. */
export const LOOKS_LIKE_AGE_PRIVATE_KEY = `looks like an age private key (${AGE_SECRET_PREFIX}…)`;

/** What to say of an age private key in an overlay, where an age recipient (public key) is expected. */
export const AGE_PRIVATE_KEY_HINT = `${LOOKS_LIKE_AGE_PRIVATE_KEY}; never put a private key in an overlay — use its public key age1…`;

const SECRET_PATTERNS: readonly { re: RegExp; say: string }[] = [
  // An age identity, whole or cut short (a message may truncate it), in any case (bech32 allows lower).
  { re: new RegExp(`${AGE_SECRET_PREFIX}(?:PQ-)?1[0-9A-Z]*`, 'gi'), say: `[redacted: ${LOOKS_LIKE_AGE_PRIVATE_KEY}]` },
  // A PEM private key (RSA, EC, PKCS#8, OpenSSH) up to its end line, raw or JSON-escaped.
  { re: /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z0-9 ]*PRIVATE KEY-----/g, say: '[redacted: looks like a PEM private key]' },
  // One cut short (a message may truncate it): up to the closing quote or the end of the line.
  { re: /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----(?:\\.|[^"'\n])*/g, say: '[redacted: looks like a PEM private key]' },
];

/** True when `s` contains something that looks like a secret key. */
export function looksLikeSecretKey(s: string): boolean {
  return SECRET_PATTERNS.some(({ re }) => new RegExp(re.source, re.flags.replace('g', '')).test(s));
}

/** True when `s` (trimmed) is an age identity rather than a recipient. */
export function isAgePrivateKey(s: string): boolean {
  return s.trim().toUpperCase().startsWith(AGE_SECRET_PREFIX);
}

/** `text` with every part that looks like a secret key replaced by a note of what it looked like. */
export function redactSecrets(text: string): string {
  return SECRET_PATTERNS.reduce((t, { re, say }) => t.replace(re, say), text);
}
