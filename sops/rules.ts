// Which values sops encrypts (sops-format.md §4): exactly one of six rule keys, applied to every
// map key on a value's path (list indices skipped); `_unencrypted` suffix when none is set.
import { UserError } from '../primitives/errors.js';

/** The rule settings, named as in the `sops` metadata block and in `.sops.yaml`. */
export interface SopsRules {
  encrypted_regex?: string;
  unencrypted_regex?: string;
  encrypted_suffix?: string;
  unencrypted_suffix?: string;
  encrypted_comment_regex?: string;
  unencrypted_comment_regex?: string;
  mac_only_encrypted?: boolean;
}

export const RULE_KEYS = [
  'encrypted_regex',
  'unencrypted_regex',
  'encrypted_suffix',
  'unencrypted_suffix',
  'encrypted_comment_regex',
  'unencrypted_comment_regex',
] as const;
export type RuleKey = (typeof RULE_KEYS)[number];

export const DEFAULT_UNENCRYPTED_SUFFIX = '_unencrypted';

/** The rule keys set in `rules` (those with a non-empty string value). */
export function ruleKeysOf(rules: SopsRules): RuleKey[] {
  return RULE_KEYS.filter((k) => typeof rules[k] === 'string' && rules[k] !== '');
}

/**
 * The rules with the sops default filled in, after checking that at most one rule key is set.
 * `where` names the file or config in errors.
 */
export function effectiveRules(rules: SopsRules, where: string): SopsRules {
  const keys = ruleKeysOf(rules);
  if (keys.length > 1) {
    throw new UserError(`${where}: only one of ${RULE_KEYS.join(', ')} may be set, found ${keys.join(' and ')}`);
  }
  const out: SopsRules = keys.length ? { [keys[0]]: rules[keys[0]] } : { unencrypted_suffix: DEFAULT_UNENCRYPTED_SUFFIX };
  if (rules.mac_only_encrypted) out.mac_only_encrypted = true;
  return out;
}

/** Go RE2 → JS RegExp for the patterns people write; a leading `(?i)` becomes the `i` flag. */
export function compileGoRegex(pattern: string, where: string): RegExp {
  let p = pattern;
  let flags = '';
  const m = /^\(\?([ims]+)\)/.exec(p);
  if (m) {
    flags = [...new Set(m[1])].join('');
    p = p.slice(m[0].length);
  }
  try {
    return new RegExp(p, flags);
  } catch (e) {
    throw new UserError(`${where}: ${JSON.stringify(pattern)} is not a valid regular expression (${(e as Error).message})`);
  }
}

/** Decides, from the map keys of a path, whether the value there is encrypted. */
export type EncryptionPredicate = (keys: readonly string[]) => boolean;

export function encryptionPredicate(rules: SopsRules, where: string): EncryptionPredicate {
  const r = effectiveRules(rules, where);
  if (r.encrypted_comment_regex !== undefined || r.unencrypted_comment_regex !== undefined) {
    throw new UserError(
      `${where}: encrypted_comment_regex/unencrypted_comment_regex are not supported by the built-in sops backend; install sops (https://github.com/getsops/sops) or use encrypted_regex`,
    );
  }
  if (r.encrypted_regex !== undefined) {
    const re = compileGoRegex(r.encrypted_regex, `${where}: encrypted_regex`);
    return (keys) => keys.some((k) => re.test(k));
  }
  if (r.unencrypted_regex !== undefined) {
    const re = compileGoRegex(r.unencrypted_regex, `${where}: unencrypted_regex`);
    return (keys) => !keys.some((k) => re.test(k));
  }
  if (r.encrypted_suffix !== undefined) {
    const s = r.encrypted_suffix;
    return (keys) => keys.some((k) => k.endsWith(s));
  }
  const s = r.unencrypted_suffix ?? DEFAULT_UNENCRYPTED_SUFFIX;
  return (keys) => !keys.some((k) => k.endsWith(s));
}
