// Fresh age key pairs for tests (X25519, pinned: generateIdentity may switch to post-quantum).
import { generateX25519Identity, identityToRecipient } from 'age-encryption';

export interface KeyPair {
  identity: string;
  recipient: string;
}

export async function newKeyPair(): Promise<KeyPair> {
  const identity = await generateX25519Identity();
  return { identity, recipient: await identityToRecipient(identity) };
}
