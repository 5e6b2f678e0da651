// The built-in backend: the SOPS v3 format for age recipients, in-process (no sops binary needed).
import { randomBytes } from 'node:crypto';
import { UserError } from '../primitives/errors.js';
import { checkRecipients, splitRecipients, unwrapDataKey, wrapDataKey } from './age.js';
import { decryptValue, encryptValue, parseEnc } from './cipher.js';
import {
  type AgeKeyEntry,
  type Metadata,
  type SopsFileMetadata,
  WRITTEN_SOPS_VERSION,
  formatLastModified,
  macAad,
  metadataToPlain,
  parseMetadata,
  summarize,
} from './metadata.js';
import { type SopsRules, effectiveRules, encryptionPredicate } from './rules.js';
import { dotenvStore, isDotenvSopsKey } from './stores/dotenv.js';
import { binaryStore, jsonStore } from './stores/json.js';
import { type ParsedFile, type SopsFormat, type Store, refuseEncrypted } from './stores/store.js';
import { yamlStore } from './stores/yaml.js';
import { type Doc, fromPlain } from './tree.js';
import type { DecryptOptions, DecryptResult, EncryptOptions, RotateOptions, SopsBackend, UpdateKeysOptions } from './types.js';
import { decryptDocs, encryptDocs } from './walk.js';

const STORES: Record<SopsFormat, Store> = { yaml: yamlStore, json: jsonStore, dotenv: dotenvStore, binary: binaryStore };

export function storeFor(format: SopsFormat): Store {
  const s = STORES[format];
  if (!s) throw new UserError(`unknown sops format ${JSON.stringify(format)} (valid: ${Object.keys(STORES).join(', ')})`);
  return s;
}

const toBuffer = (x: string | Uint8Array) => (typeof x === 'string' ? Buffer.from(x, 'utf8') : Buffer.from(x));

function parseEncryptedFile(input: string | Uint8Array, format: SopsFormat, name: string): { parsed: ParsedFile; meta: Metadata } {
  const parsed = storeFor(format).parseEncrypted(toBuffer(input), name);
  if (parsed.metadata === undefined) {
    throw new UserError(`${name}: not a sops-encrypted ${format} file (it has no sops metadata)`);
  }
  return { parsed, meta: parseMetadata(parsed.metadata, name) };
}

/** Reads the metadata of an encrypted file without any key (for audits and no-churn checks). */
export function readMetadata(input: string | Uint8Array, format: SopsFormat, name = '<input>'): SopsFileMetadata {
  return summarize(parseEncryptedFile(input, format, name).meta);
}

/** True when the file parses in `format` and carries sops metadata. */
export function isSopsEncrypted(input: string | Uint8Array, format: SopsFormat): boolean {
  try {
    return storeFor(format).parseEncrypted(toBuffer(input), '<input>').metadata !== undefined;
  } catch {
    return false;
  }
}

/**
 * Whether two plaintexts of `format` hold the same content for sops: the same keys in the same
 * order, the same typed values and the same comments, whatever the layout (indentation, quoting,
 * `1.0` vs `1.00`). No-churn logic compares a decrypted file with a new plaintext with it, so that a
 * file whose content did not change is not re-encrypted (which would change every IV).
 */
export function samePlaintext(a: string | Uint8Array, b: string | Uint8Array, format: SopsFormat): boolean {
  const store = storeFor(format);
  // int and float with the same text hash to the same MAC bytes; JSON writes a float 7 as `7`.
  const canon = (x: string | Uint8Array) =>
    JSON.stringify(store.parsePlain(toBuffer(x), '<plaintext>'), (k, v) =>
      k === 'type' && (v === 'int' || v === 'float') ? 'number' : v && v.type === 'Buffer' && Array.isArray(v.data) ? Buffer.from(v.data).toString('base64') : v,
    );
  return canon(a) === canon(b);
}

function rulesFor(format: SopsFormat, rules: SopsRules, name: string): SopsRules {
  // The binary store encrypts its single value regardless of rules and (since 3.11) stores none.
  return format === 'binary' ? {} : effectiveRules(rules, name);
}

function predicateFor(format: SopsFormat, rules: SopsRules, name: string) {
  return encryptionPredicate(format === 'binary' ? {} : rules, name);
}

/** The verified, decrypted content of an encrypted file. */
export interface OpenedFile {
  docs: Doc[];
  meta: Metadata;
  dataKey: Uint8Array;
  /** The MAC recomputed over the decrypted values (upper-case hex). */
  mac: string;
}

/**
 * Decrypts with a known data key and verifies the MAC. Exported for tests that check the value
 * layer against vectors whose data key is wrapped by PGP (which this module does not do).
 */
export function openWithDataKey(input: string | Uint8Array, format: SopsFormat, dataKey: Uint8Array, name = '<input>'): OpenedFile {
  const { parsed, meta } = parseEncryptedFile(input, format, name);
  return openParsed(parsed, meta, format, dataKey, name);
}

function openParsed(parsed: ParsedFile, meta: Metadata, format: SopsFormat, dataKey: Uint8Array, name: string): OpenedFile {
  const { docs, mac } = decryptDocs(parsed.docs, {
    key: dataKey,
    shouldEncrypt: predicateFor(format, meta.rules, name),
    macOnlyEncrypted: !!meta.rules.mac_only_encrypted,
    name,
    binary: format === 'binary',
  });
  verifyMac(meta, dataKey, mac, name);
  return { docs, meta, dataKey, mac };
}

function verifyMac(meta: Metadata, key: Uint8Array, computed: string, name: string): void {
  if (meta.mac === undefined) {
    throw new UserError(`${name}: MAC mismatch: the file has no MAC, so its values cannot be verified (refusing it)`);
  }
  const enc = parseEnc(meta.mac);
  if (!enc) throw new UserError(`${name}: sops.mac is not in sops' ENC[AES256_GCM,...] form`);
  let stored: string;
  try {
    stored = decryptValue(enc, key, macAad(meta, name)).toString('utf8');
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError(`${name}: cannot decrypt the MAC: sops.lastmodified or sops.mac was changed (refusing the file)`);
  }
  if (stored.toUpperCase() !== computed) {
    throw new UserError(`${name}: MAC mismatch: values were added, removed, reordered or edited outside sops (refusing the file)`);
  }
}

function checkSingleGroup(meta: Metadata, name: string): void {
  if ((meta.keyGroups ?? 1) > 1) {
    throw new UserError(`${name}: the file uses ${meta.keyGroups} key groups (Shamir secret sharing), which only the sops CLI handles`);
  }
}

/** Encrypts documents under `dataKey` and returns the file bytes with the metadata appended to every document. */
function seal(
  docs: Doc[],
  format: SopsFormat,
  dataKey: Uint8Array,
  rules: SopsRules,
  age: AgeKeyEntry[],
  other: Record<string, unknown>,
  now: Date,
  name: string,
): string {
  const { docs: encrypted, mac } = encryptDocs(docs, {
    key: dataKey,
    shouldEncrypt: predicateFor(format, rules, name),
    macOnlyEncrypted: !!rules.mac_only_encrypted,
    name,
    binary: format === 'binary',
  });
  const lastmodified = formatLastModified(now);
  const meta: Metadata = {
    age,
    lastmodified,
    mac: encryptValue(Buffer.from(mac, 'utf8'), dataKey, lastmodified, 'str'),
    version: WRITTEN_SOPS_VERSION,
    rules,
    other,
  };
  return emitWithMetadata(encrypted, format, meta);
}

function emitWithMetadata(docs: Doc[], format: SopsFormat, meta: Metadata): string {
  const sops = fromPlain(metadataToPlain(meta));
  const withMeta = docs.map((d): Doc => ({ kind: 'map', items: [...d.items, { kind: 'entry', key: 'sops', value: sops }] }));
  return storeFor(format).emit(withMeta).toString('utf8');
}

export interface BuiltinOptions {
  /** Clock for `lastmodified` (tests). */
  now?: () => Date;
}

export class BuiltinSopsBackend implements SopsBackend {
  readonly kind = 'builtin' as const;
  private readonly now: () => Date;

  constructor(opts: BuiltinOptions = {}) {
    this.now = opts.now ?? (() => new Date());
  }

  async encrypt(plaintext: string | Uint8Array, opts: EncryptOptions): Promise<string> {
    const name = opts.name ?? '<input>';
    const store = storeFor(opts.format);
    const docs = store.parsePlain(toBuffer(plaintext), name);
    refuseEncrypted(docs, name, opts.format === 'dotenv' ? isDotenvSopsKey : undefined);
    const recipients = splitRecipients(opts.recipients);
    checkRecipients(recipients, name);
    const rules = rulesFor(opts.format, opts.rules ?? {}, name);
    predicateFor(opts.format, rules, name);
    const dataKey = randomBytes(32);
    const age = await wrapDataKey(dataKey, recipients);
    return seal(docs, opts.format, dataKey, rules, age, {}, this.now(), name);
  }

  async decrypt(encrypted: string | Uint8Array, opts: DecryptOptions): Promise<DecryptResult> {
    const name = opts.name ?? '<input>';
    const { parsed, meta } = parseEncryptedFile(encrypted, opts.format, name);
    checkSingleGroup(meta, name);
    const dataKey = await unwrapDataKey(meta.age, opts.identities, name);
    const opened = openParsed(parsed, meta, opts.format, dataKey, name);
    const bytes = storeFor(opts.format).emit(opened.docs);
    return { plaintext: bytes.toString('utf8'), bytes, metadata: summarize(meta) };
  }

  async updateKeys(encrypted: string | Uint8Array, opts: UpdateKeysOptions): Promise<string> {
    const name = opts.name ?? '<input>';
    const { parsed, meta } = parseEncryptedFile(encrypted, opts.format, name);
    checkSingleGroup(meta, name);
    const recipients = splitRecipients(opts.recipients);
    checkRecipients(recipients, name);
    const current = new Set(meta.age.map((a) => a.recipient));
    if (current.size === recipients.length && recipients.every((r) => current.has(r))) {
      return typeof encrypted === 'string' ? encrypted : Buffer.from(encrypted).toString('utf8');
    }
    const dataKey = await unwrapDataKey(meta.age, opts.identities, name);
    const age = await wrapDataKey(dataKey, recipients);
    return emitWithMetadata(parsed.docs, opts.format, { ...meta, age });
  }

  async rotate(encrypted: string | Uint8Array, opts: RotateOptions): Promise<string> {
    const name = opts.name ?? '<input>';
    const { parsed, meta } = parseEncryptedFile(encrypted, opts.format, name);
    checkSingleGroup(meta, name);
    const foreign = Object.keys(meta.other);
    if (foreign.length) {
      throw new UserError(`${name}: the file also has ${foreign.join(', ')} master keys, which the built-in backend cannot re-wrap; rotate it with the sops CLI`);
    }
    const recipients = opts.recipients ? splitRecipients(opts.recipients) : meta.age.map((a) => a.recipient);
    checkRecipients(recipients, name);
    const oldKey = await unwrapDataKey(meta.age, opts.identities, name);
    const opened = openParsed(parsed, meta, opts.format, oldKey, name);
    const dataKey = randomBytes(32);
    const age = await wrapDataKey(dataKey, recipients);
    const rules = rulesFor(opts.format, meta.rules, name);
    return seal(opened.docs, opts.format, dataKey, rules, age, {}, this.now(), name);
  }
}
