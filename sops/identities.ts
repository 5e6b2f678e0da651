// Where age identities come from, as the sops CLI looks for them (sops-format.md §7.3):
// SOPS_AGE_KEY, SOPS_AGE_KEY_FILE, then <user config dir>/sops/age/keys.txt.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../primitives/errors.js';
import { parseIdentities } from './age.js';

/** sops' default key file on Linux: $XDG_CONFIG_HOME/sops/age/keys.txt, else ~/.config/sops/age/keys.txt. */
export function defaultAgeKeyFile(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config');
  return join(base, 'sops', 'age', 'keys.txt');
}

export function readIdentityFile(path: string, source = path): string[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UserError(`${source}: cannot read age key file ${path} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return parseIdentities(text, source);
}

/** All identities sops would load from the environment (deduplicated, in lookup order). */
export function loadAgeIdentities(env: NodeJS.ProcessEnv = process.env): string[] {
  const out: string[] = [];
  if (env.SOPS_AGE_KEY) out.push(...parseIdentities(env.SOPS_AGE_KEY, 'SOPS_AGE_KEY'));
  if (env.SOPS_AGE_KEY_FILE) out.push(...readIdentityFile(env.SOPS_AGE_KEY_FILE, `SOPS_AGE_KEY_FILE=${env.SOPS_AGE_KEY_FILE}`));
  const fallback = defaultAgeKeyFile(env);
  if (existsSync(fallback)) out.push(...readIdentityFile(fallback));
  return [...new Set(out)];
}
