// What every store provides: plaintext → documents, encrypted file → documents + metadata, and
// documents (with or without a `sops` entry) → bytes.
import { UserError } from '../../primitives/errors.js';
import { type Doc, type MapEntry, toPlain } from '../tree.js';

export type SopsFormat = 'yaml' | 'json' | 'dotenv' | 'binary';
export const FORMATS: readonly SopsFormat[] = ['yaml', 'json', 'dotenv', 'binary'];

export interface ParsedFile {
  docs: Doc[];
  /** The raw `sops` block of the first document, undefined when the file has none. */
  metadata: unknown;
}

export interface Store {
  format: SopsFormat;
  /** Parses a plaintext file for encryption. */
  parsePlain(input: Buffer, name: string): Doc[];
  parseEncrypted(input: Buffer, name: string): ParsedFile;
  /** Writes documents; for an encrypted file the `sops` entry is already the last top-level key. */
  emit(docs: Doc[]): Buffer;
}

/** Takes the `sops` entry off every document (sops reads it from the first one). */
export function splitMetadata(docs: Doc[], _name: string): ParsedFile {
  let metadata: unknown;
  const out = docs.map((d, i) => {
    const entry = d.items.find((it): it is MapEntry => it.kind === 'entry' && it.key === 'sops');
    if (entry && metadata === undefined && i === 0) metadata = toPlain(entry.value);
    return entry ? { kind: 'map' as const, items: d.items.filter((it) => it !== entry) } : d;
  });
  return { docs: out, metadata };
}

export function refuseEncrypted(docs: Doc[], name: string, isSopsKey: (k: string) => boolean = (k) => k === 'sops'): void {
  for (const d of docs) {
    if (d.items.some((i) => i.kind === 'entry' && isSopsKey(i.key))) {
      throw new UserError(`${name}: already encrypted (it has a top-level sops entry); decrypt it first or use updatekeys/rotate`);
    }
  }
}

/** The store sops would pick from a file name (`--input-type` overrides it). */
export function formatFromPath(path: string): SopsFormat {
  if (/\.ya?ml$/i.test(path)) return 'yaml';
  if (/\.json$/i.test(path)) return 'json';
  if (/\.env$/i.test(path)) return 'dotenv';
  return 'binary';
}

export function parseFormat(s: string, where: string): SopsFormat {
  if (s === 'yml') return 'yaml';
  if ((FORMATS as readonly string[]).includes(s)) return s as SopsFormat;
  throw new UserError(`${where}: unknown format ${JSON.stringify(s)} (valid: ${FORMATS.join(', ')})`);
}
