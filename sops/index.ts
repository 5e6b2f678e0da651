// The sops module: one interface (SopsBackend), two backends — the real `sops` CLI when it is
// available, the built-in implementation of the format otherwise — plus key-free helpers.
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { UserError } from '../primitives/errors.js';
import { BuiltinSopsBackend } from './builtin.js';
import { CliSopsBackend } from './cli-backend.js';
import type { SopsBackend } from './types.js';

export { BuiltinSopsBackend, isSopsEncrypted, readMetadata, samePlaintext } from './builtin.js';
export { CliSopsBackend } from './cli-backend.js';
export { type CreationRule, findCreationRule, findSopsConfig, parseCreationRules } from './config.js';
export { defaultAgeKeyFile, loadAgeIdentities, readIdentityFile } from './identities.js';
export { checkRecipients, parseIdentities, splitRecipients } from './age.js';
export { WRITTEN_SOPS_VERSION } from './metadata.js';
export { formatFromPath, parseFormat } from './stores/store.js';
export type * from './types.js';

/** Env var naming the sops binary to use, or `builtin` to force the built-in backend. */
export const SOPS_ENV = 'INFRA_SYNTH_SOPS';

function isExecutableFile(p: string): boolean {
  try {
    accessSync(p, constants.X_OK);
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

export interface SelectOptions {
  /** Path of the sops binary, or `builtin`; overrides INFRA_SYNTH_SOPS and PATH. */
  sops?: string;
  env?: NodeJS.ProcessEnv;
}

/** The sops binary to drive, or undefined for the built-in backend. */
export function resolveSopsBinary(opts: SelectOptions = {}): string | undefined {
  const env = opts.env ?? process.env;
  const configured = opts.sops ?? env[SOPS_ENV];
  if (configured === 'builtin') return undefined;
  if (configured) {
    if (!isExecutableFile(configured)) {
      throw new UserError(`${SOPS_ENV}=${configured}: not an executable file (give the path of the sops binary, or "builtin")`);
    }
    return configured;
  }
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, 'sops');
    if (isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

/** The real sops when it is configured or on PATH, else the built-in backend. */
export function selectBackend(opts: SelectOptions = {}): SopsBackend {
  const bin = resolveSopsBinary(opts);
  return bin ? new CliSopsBackend(bin, opts.env ?? process.env) : new BuiltinSopsBackend();
}
