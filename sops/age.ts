// The age master key (sops age/keysource.go, sops-format.md §7): one complete armoured age file per
// recipient, whose payload is the raw 32-byte data key. Built on age-encryption (typage).
import { Decrypter, Encrypter, armor } from 'age-encryption';
import { UserError } from '../primitives/errors.js';
import { LOOKS_LIKE_AGE_PRIVATE_KEY, isAgePrivateKey } from '../primitives/redact.js';
import type { AgeKeyEntry } from './metadata.js';

export { splitRecipients } from './recipients.js';

/** Throws a UserError naming every recipient that is not an age public key. */
export function checkRecipients(recipients: readonly string[], where: string): void {
  if (recipients.length === 0) throw new UserError(`${where}: no age recipients given (expected one or more age1... public keys)`);
  const bad: string[] = [];
  for (const r of recipients) {
    if (isAgePrivateKey(r)) {
      // Never echo it: it is a private key.
      bad.push(`${where}: a recipient ${LOOKS_LIKE_AGE_PRIVATE_KEY}; pass its public key age1… (age-keygen -y prints it) and keep the private key out of commands and files`);
      continue;
    }
    if (!r.startsWith('age1')) {
      bad.push(`${where}: ${JSON.stringify(r)} is not an age public key (expected age1...)`);
      continue;
    }
    try {
      new Encrypter().addRecipient(r);
    } catch (e) {
      bad.push(`${where}: ${JSON.stringify(r)} is not a valid age public key (${(e as Error).message})`);
    }
  }
  if (bad.length) throw new UserError(bad);
}

export async function wrapDataKey(dataKey: Uint8Array, recipients: readonly string[]): Promise<AgeKeyEntry[]> {
  const out: AgeKeyEntry[] = [];
  for (const recipient of recipients) {
    const e = new Encrypter();
    e.addRecipient(recipient);
    out.push({ recipient, enc: armor.encode(await e.encrypt(dataKey)) });
  }
  return out;
}

/**
 * Parses age identities from key-file text or SOPS_AGE_KEY (whitespace-separated, `#` lines
 * ignored). Messages never echo the key material.
 */
export function parseIdentities(text: string, source: string): string[] {
  const keys = text
    .split('\n')
    .filter((l) => !l.trim().startsWith('#'))
    .flatMap((l) => l.trim().split(/\s+/))
    .filter(Boolean);
  keys.forEach((k, i) => {
    if (!/^AGE-SECRET-KEY-(PQ-)?1/.test(k)) {
      throw new UserError(`${source}: entry ${i + 1} is not an age identity (expected an age secret key, AGE-SECRET-KEY-...; SSH and plugin identities need the sops CLI)`);
    }
    try {
      new Decrypter().addIdentity(k);
    } catch {
      throw new UserError(`${source}: entry ${i + 1} is not a valid age identity (bad checksum or length)`);
    }
  });
  return keys;
}

/** Recovers the data key from the first age entry any identity opens. */
export async function unwrapDataKey(entries: readonly AgeKeyEntry[], identities: readonly string[], name: string): Promise<Uint8Array> {
  if (entries.length === 0) {
    throw new UserError(`${name}: the file has no age recipients, so the built-in backend cannot decrypt it (other master keys need the sops CLI)`);
  }
  if (identities.length === 0) {
    throw new UserError(
      `${name}: no age identity available: set SOPS_AGE_KEY_FILE or SOPS_AGE_KEY (the file is encrypted to ${entries.map((e) => e.recipient).join(', ')})`,
    );
  }
  const d = new Decrypter();
  for (const id of identities) d.addIdentity(id);
  for (const entry of entries) {
    let file: Uint8Array;
    try {
      file = armor.decode(entry.enc);
    } catch {
      continue;
    }
    try {
      const key = await d.decrypt(file);
      if (key.length !== 32) throw new UserError(`${name}: the age entry for ${entry.recipient} does not hold a 32-byte data key`);
      return key;
    } catch (e) {
      if (e instanceof UserError) throw e;
    }
  }
  throw new UserError(
    `${name}: none of the ${identities.length} age identit${identities.length === 1 ? 'y' : 'ies'} can decrypt the data key (the file is encrypted to ${entries.map((e) => e.recipient).join(', ')})`,
  );
}
