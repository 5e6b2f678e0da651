// `.sops.yaml` creation rules (sops config/config.go, sops-format.md §10): first rule whose
// path_regex matches the file's path relative to the config's folder wins; a config that has
// creation rules but none matching is an error, as in sops.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve, sep } from 'node:path';
import { parseDocument } from 'yaml';
import { UserError } from '../primitives/errors.js';
import { splitRecipients } from './recipients.js';
import { RULE_KEYS, type SopsRules, compileGoRegex, ruleKeysOf } from './rules.js';

export const SOPS_CONFIG_NAME = '.sops.yaml';

export interface CreationRule {
  /** Position in `creation_rules`, from 0. */
  index: number;
  pathRegex?: string;
  /** age recipients of the rule (flat `age`, or the single key group's). */
  age: string[];
  /** The rule settings (encrypted_regex, ..., mac_only_encrypted) the rule sets, if any. */
  rules: SopsRules;
  /** Other master-key kinds the rule names (pgp, kms, ...): only the sops CLI can use them. */
  otherKeys: string[];
  /** The config file (or `<text>`) the rule comes from. */
  source: string;
}

/** The nearest `.sops.yaml` in `startDir` or its parents (at most 100 levels, like sops). */
export function findSopsConfig(startDir: string): string | undefined {
  let dir = resolve(startDir);
  for (let i = 0; i <= 100; i++) {
    const candidate = join(dir, SOPS_CONFIG_NAME);
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
  return undefined;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const OTHER_KEYS = ['pgp', 'kms', 'gcp_kms', 'azure_keyvault', 'hc_vault_transit_uri', 'hckms'];

function listOf(v: unknown, where: string): string[] {
  if (v === undefined || v === null) return [];
  if (typeof v === 'string') return splitRecipients(v);
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return splitRecipients(v as string[]);
  throw new UserError(`${where}: expected a comma-separated string or a list of strings`);
}

function groupAge(group: unknown, where: string, depth = 0): string[] {
  if (!isObject(group)) throw new UserError(`${where}: a key group must be a mapping`);
  if (depth > 20) throw new UserError(`${where}: key group merges nest too deep`);
  const merged = Array.isArray(group.merge) ? group.merge.flatMap((g, i) => groupAge(g, `${where}.merge[${i}]`, depth + 1)) : [];
  return [...new Set([...merged, ...listOf(group.age, `${where}.age`)])];
}

function parseRule(raw: unknown, index: number, source: string): CreationRule {
  const where = `${source}: creation_rules[${index}]`;
  if (!isObject(raw)) throw new UserError(`${where}: must be a mapping (path_regex, age, encrypted_regex, ...)`);
  if (raw.path_regex !== undefined && typeof raw.path_regex !== 'string') throw new UserError(`${where}.path_regex: must be a string`);
  const rules: SopsRules = {};
  for (const k of RULE_KEYS) {
    const v = raw[k];
    if (v === undefined || v === null || v === '') continue;
    if (typeof v !== 'string') throw new UserError(`${where}.${k}: must be a string`);
    rules[k] = v;
  }
  const set = ruleKeysOf(rules);
  if (set.length > 1) throw new UserError(`${where}: only one of ${RULE_KEYS.join(', ')} may be set, found ${set.join(' and ')}`);
  if (raw.mac_only_encrypted === true) rules.mac_only_encrypted = true;
  let age: string[];
  let otherKeys: string[];
  if (Array.isArray(raw.key_groups) && raw.key_groups.length > 0) {
    if (raw.key_groups.length > 1) {
      throw new UserError(`${where}: ${raw.key_groups.length} key groups (Shamir secret sharing) need the sops CLI; the built-in backend supports one group`);
    }
    age = groupAge(raw.key_groups[0], `${where}.key_groups[0]`);
    otherKeys = Object.keys(raw.key_groups[0] as object).filter((k) => k !== 'age' && k !== 'merge');
  } else {
    age = listOf(raw.age, `${where}.age`);
    otherKeys = OTHER_KEYS.filter((k) => raw[k] !== undefined && raw[k] !== null && raw[k] !== '');
  }
  return { index, pathRegex: raw.path_regex as string | undefined, age, rules, otherKeys, source };
}

/** Parses the creation rules of a `.sops.yaml` (empty list when it has none). */
export function parseCreationRules(text: string, source: string): CreationRule[] {
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length) throw new UserError(`${source}: not valid YAML: ${doc.errors[0].message.split('\n')[0]}`);
  const root = doc.toJS() as unknown;
  if (root === null || root === undefined) return [];
  if (!isObject(root)) throw new UserError(`${source}: must be a mapping with creation_rules`);
  const rules = root.creation_rules;
  if (rules === undefined || rules === null) return [];
  if (!Array.isArray(rules)) throw new UserError(`${source}: creation_rules must be a list`);
  return rules.map((r, i) => parseRule(r, i, source));
}

/**
 * The creation rule that applies to `filePath`. `sopsYaml` is the path of a `.sops.yaml` or its
 * text (then paths are relative to `configDir`, default the working directory). Returns undefined
 * when the config has no creation rules; throws a UserError when it has some and none matches.
 */
export function findCreationRule(sopsYaml: string, filePath: string, opts: { configDir?: string } = {}): CreationRule | undefined {
  const isPath = !sopsYaml.includes('\n') && existsSync(sopsYaml) && statSync(sopsYaml).isFile();
  const source = isPath ? sopsYaml : '<.sops.yaml text>';
  const text = isPath ? readFileSync(sopsYaml, 'utf8') : sopsYaml;
  const configDir = resolve(isPath ? dirname(sopsYaml) : (opts.configDir ?? process.cwd()));
  const rules = parseCreationRules(text, source);
  if (rules.length === 0) return undefined;
  const abs = isAbsolute(filePath) ? filePath : resolve(filePath);
  const rel = abs.startsWith(configDir + sep) ? abs.slice(configDir.length + 1) : abs;
  for (const rule of rules) {
    if (rule.pathRegex === undefined || compileGoRegex(rule.pathRegex, `${source}: creation_rules[${rule.index}].path_regex`).test(rel)) {
      return rule;
    }
  }
  const tried = rules.map((r) => r.pathRegex ?? '(any)').join(', ');
  throw new UserError(`${source}: no creation rule matches ${rel} (path_regex tried: ${tried}); add a creation rule whose path_regex matches it`);
}
