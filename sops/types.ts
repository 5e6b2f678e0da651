// The one interface both backends (built-in and the sops CLI) implement.
import type { SopsFileMetadata } from './metadata.js';
import type { SopsRules } from './rules.js';
import type { SopsFormat } from './stores/store.js';

export type { SopsFileMetadata, SopsFormat, SopsRules };

export interface CommonOptions {
  format: SopsFormat;
  /** The file's name, used in error messages (and by the CLI backend for nothing else). */
  name?: string;
}

export interface EncryptOptions extends CommonOptions {
  /** age public keys (`age1...`); comma-separated entries are split. */
  recipients: readonly string[];
  /** Which values to encrypt; sops' default (`unencrypted_suffix: _unencrypted`) when empty. */
  rules?: SopsRules;
}

export interface DecryptOptions extends CommonOptions {
  /** age identities (`AGE-SECRET-KEY-...`), e.g. from loadAgeIdentities(). */
  identities: readonly string[];
}

export interface DecryptResult {
  /** The plaintext file in its own format (UTF-8 text; use `bytes` for binary files). */
  plaintext: string;
  bytes: Buffer;
  /** The file's metadata (recipients, lastmodified, rules) as read from the encrypted file. */
  metadata: SopsFileMetadata;
}

export interface UpdateKeysOptions extends DecryptOptions {
  /** The complete new recipient set. */
  recipients: readonly string[];
}

export interface RotateOptions extends DecryptOptions {
  /** The new recipient set; the file's current recipients when omitted. */
  recipients?: readonly string[];
}

export interface SopsBackend {
  readonly kind: 'builtin' | 'cli';
  /** Encrypts a plaintext file; returns the encrypted file text. */
  encrypt(plaintext: string | Uint8Array, opts: EncryptOptions): Promise<string>;
  /** Decrypts and verifies the MAC; a tampered file is refused with a UserError. */
  decrypt(encrypted: string | Uint8Array, opts: DecryptOptions): Promise<DecryptResult>;
  /** Same data key, values and MAC; the data key re-wrapped for exactly `recipients`. Unchanged text when the set is the same. */
  updateKeys(encrypted: string | Uint8Array, opts: UpdateKeysOptions): Promise<string>;
  /** New data key, every value re-encrypted, new lastmodified and MAC. */
  rotate(encrypted: string | Uint8Array, opts: RotateOptions): Promise<string>;
}
