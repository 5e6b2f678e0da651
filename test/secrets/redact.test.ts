// A value that looks like a secret key is never repeated by a message, whoever builds it.
import { UserError } from '../../primitives/errors.js';
import { AGE_PRIVATE_KEY_HINT, redactSecrets } from '../../primitives/redact.js';
import { resolveFleet } from '../../spec/load.js';
import { type KeyPair, newKeyPair } from './helpers.js';

let key: KeyPair;
beforeAll(async () => {
  key = await newKeyPair();
});

const PEM = ['-----BEGIN', 'PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END', 'PRIVATE KEY-----'].join(' ');
const AGE_REDACTED = '[redacted: looks like an age private key (AGE-SECRET-KEY-…)]';

test('an age private key in an overlay\'s ageRecipients is reported by what it looks like, never echoed', () => {
  const overlay = { cloud: 'vk', environment: 'prod', domain: 'prod.company.ru', secrets: { ageRecipients: [key.identity] } };
  const problems = (() => {
    try { resolveFleet([{ name: 'c1', file: 'overlays/c1.ts', overlay }]); } catch (e) { return (e as UserError).problems; }
    return [];
  })();
  expect(problems).toEqual([`overlays/c1.ts: secrets.ageRecipients[0]: received "${AGE_REDACTED}"; ${AGE_PRIVATE_KEY_HINT}`]);
  expect(AGE_PRIVATE_KEY_HINT).toBe('looks like an age private key (AGE-SECRET-KEY-…); never put a private key in an overlay — use its public key age1…');
});

test('every UserError redacts what it quotes: whole, cut short, or lower-case age keys, and PEM private keys', () => {
  const lower = key.identity.toLowerCase();
  const e = new UserError([`a: ${JSON.stringify(key.identity)}`, `b: "${key.identity.slice(0, 30)}..."`, `c: ${lower} d`, `e: ${JSON.stringify(PEM)}; f`, `g: ${PEM}`]);
  expect(e.problems).toEqual([
    `a: "${AGE_REDACTED}"`, `b: "${AGE_REDACTED}..."`, `c: ${AGE_REDACTED} d`,
    'e: "[redacted: looks like a PEM private key]"; f', 'g: [redacted: looks like a PEM private key]',
  ]);
  expect(e.message).toBe(e.problems.join('\n'));
});

test('text without secret keys is unchanged, age public keys included', () => {
  const text = `recipients ${key.recipient}; "AGE-SECRET" is only a word; -----BEGIN CERTIFICATE-----`;
  expect(redactSecrets(text)).toBe(text);
});
