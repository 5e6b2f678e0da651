// The `sops` metadata block (sops-format.md §8): read leniently from any sops 3.x layout, written
// in the 3.13 layout (maps sorted by key, empty lists omitted).
import { UserError } from '../primitives/errors.js';
import { RULE_KEYS, type SopsRules, effectiveRules } from './rules.js';
import { parseRfc3339 } from './values.js';

/** The sops version whose metadata layout and value typing this module writes. */
export const WRITTEN_SOPS_VERSION = '3.13.2';

export interface AgeKeyEntry {
  recipient: string;
  /** The armoured age file that wraps the data key for this recipient. */
  enc: string;
}

/** The metadata block as this module keeps it (internal; see SopsFileMetadata for callers). */
export interface Metadata {
  age: AgeKeyEntry[];
  lastmodified: string;
  mac?: string;
  version?: string;
  /** Rule keys as stored in the file (none stored means the `_unencrypted` default). */
  rules: SopsRules;
  /** Non-age master keys (pgp, kms, ...) kept verbatim so that rewriting a file preserves them. */
  other: Record<string, unknown>;
  /** Number of key groups when the file uses `key_groups` (Shamir) instead of flat lists. */
  keyGroups?: number;
}

/** What callers (audit, no-churn logic) learn about an encrypted file without any key. */
export interface SopsFileMetadata {
  /** age recipients, in file order. */
  recipients: string[];
  /** As written in the file (`2024-11-12T13:33:42Z`). */
  lastmodified: string;
  /** Parsed `lastmodified`; undefined when it is not RFC 3339. */
  lastmodifiedDate?: Date;
  version?: string;
  /** The rule keys stored in the file (an empty object means sops' `_unencrypted` default). */
  rules: SopsRules;
  /** Master-key kinds other than age present in the file (e.g. `pgp`). */
  otherKeyTypes: string[];
  hasMac: boolean;
}

const KEY_TYPES = ['kms', 'gcp_kms', 'azure_kv', 'hc_vault', 'pgp', 'hckms'];

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function parseMetadata(raw: unknown, name: string): Metadata {
  if (!isObject(raw)) throw new UserError(`${name}: the sops metadata block is not a mapping`);
  const ageEntries = (list: unknown, at: string): AgeKeyEntry[] => {
    if (list === null || list === undefined) return [];
    if (!Array.isArray(list)) throw new UserError(`${name}: sops.${at} is not a list`);
    return list.map((e, i) => {
      if (!isObject(e) || typeof e.recipient !== 'string' || typeof e.enc !== 'string') {
        throw new UserError(`${name}: sops.${at}[${i}] needs string fields recipient and enc`);
      }
      return { recipient: e.recipient, enc: e.enc };
    });
  };
  let age = ageEntries(raw.age, 'age');
  let keyGroups: number | undefined;
  const other: Record<string, unknown> = {};
  if (Array.isArray(raw.key_groups) && raw.key_groups.length > 0) {
    keyGroups = raw.key_groups.length;
    age = raw.key_groups.flatMap((g, i) => (isObject(g) ? ageEntries(g.age, `key_groups[${i}].age`) : []));
    other.key_groups = raw.key_groups;
    if (raw.shamir_threshold !== undefined) other.shamir_threshold = raw.shamir_threshold;
  }
  for (const k of KEY_TYPES) {
    if (Array.isArray(raw[k]) && (raw[k] as unknown[]).length > 0) other[k] = raw[k];
  }
  const lastmodified = raw.lastmodified;
  if (typeof lastmodified !== 'string' || lastmodified === '') {
    throw new UserError(`${name}: sops.lastmodified is missing (not a complete sops file)`);
  }
  const rules: SopsRules = {};
  for (const k of RULE_KEYS) {
    if (typeof raw[k] === 'string' && raw[k] !== '') rules[k] = raw[k] as string;
  }
  if (raw.mac_only_encrypted === true || raw.mac_only_encrypted === 'true') rules.mac_only_encrypted = true;
  effectiveRules(rules, `${name}: sops metadata`);
  return {
    age,
    lastmodified,
    mac: typeof raw.mac === 'string' && raw.mac !== '' ? raw.mac : undefined,
    version: typeof raw.version === 'string' ? raw.version : raw.version === undefined ? undefined : String(raw.version),
    rules,
    other,
    keyGroups,
  };
}

/** The metadata as a plain object in the 3.13 layout (keys sorted; age entries enc, recipient). */
export function metadataToPlain(m: Metadata): Record<string, unknown> {
  const o: Record<string, unknown> = { ...m.other };
  if (m.age.length && m.keyGroups === undefined) o.age = m.age.map((a) => ({ enc: a.enc, recipient: a.recipient }));
  for (const k of RULE_KEYS) if (m.rules[k] !== undefined) o[k] = m.rules[k];
  o.lastmodified = m.lastmodified;
  if (m.mac !== undefined) o.mac = m.mac;
  if (m.rules.mac_only_encrypted) o.mac_only_encrypted = true;
  if (m.version !== undefined) o.version = m.version;
  return Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));
}

export function summarize(m: Metadata): SopsFileMetadata {
  const canonical = parseRfc3339(m.lastmodified);
  return {
    recipients: m.age.map((a) => a.recipient),
    lastmodified: m.lastmodified,
    lastmodifiedDate: canonical ? new Date(canonical) : undefined,
    version: m.version,
    rules: { ...m.rules },
    otherKeyTypes: Object.keys(m.other).filter((k) => KEY_TYPES.includes(k) || k === 'key_groups'),
    hasMac: m.mac !== undefined,
  };
}

/** `lastmodified` as sops re-renders it for the MAC's AAD: second precision, `Z` for UTC. */
export function macAad(m: Metadata, name: string): string {
  const t = parseRfc3339(m.lastmodified, true);
  if (!t) throw new UserError(`${name}: sops.lastmodified ${JSON.stringify(m.lastmodified)} is not an RFC 3339 timestamp`);
  return t;
}

/** Now, in the form sops writes `lastmodified`. */
export function formatLastModified(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
