import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { UserError } from '../../lib/errors.js';
import {
  type SopsFormat,
  type SopsRules,
  findCreationRule,
  findSopsConfig,
  formatFromPath,
  loadAgeIdentities,
  parseFormat,
  selectBackend,
  splitRecipients,
} from '../../sops/index.js';
import { effectiveRules } from '../../sops/rules.js';

function readInput(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (e) {
    throw new UserError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

function formatOf(file: string, inputType?: string): SopsFormat {
  return inputType ? parseFormat(inputType, '--input-type') : formatFromPath(file);
}

interface EncryptFlags {
  age?: string;
  inputType?: string;
  config?: string;
  encryptedRegex?: string;
  unencryptedRegex?: string;
  encryptedSuffix?: string;
  unencryptedSuffix?: string;
  macOnlyEncrypted?: boolean;
}

/**
 * Recipients and rules for encrypting `file`, as sops combines them: --age (or SOPS_AGE_RECIPIENTS)
 * replaces the rule's keys; each rule setting comes from its flag when given, else from the
 * matching creation rule of the nearest .sops.yaml (searched upwards from the file's folder).
 */
export function encryptSettings(file: string, o: EncryptFlags, env: NodeJS.ProcessEnv = process.env): { recipients: string[]; rules: SopsRules } {
  const config = o.config ?? env.SOPS_CONFIG ?? findSopsConfig(dirname(resolve(file)));
  const rule = config ? findCreationRule(config, resolve(file)) : undefined;
  const flagRules: SopsRules = {
    encrypted_regex: o.encryptedRegex,
    unencrypted_regex: o.unencryptedRegex,
    encrypted_suffix: o.encryptedSuffix,
    unencrypted_suffix: o.unencryptedSuffix,
  };
  const rules: SopsRules = { ...(rule?.rules ?? {}) };
  for (const [k, v] of Object.entries(flagRules)) if (v !== undefined) (rules as Record<string, unknown>)[k] = v;
  if (o.macOnlyEncrypted) rules.mac_only_encrypted = true;
  effectiveRules(rules, rule ? `${file} (with ${rule.source} creation_rules[${rule.index}])` : file);
  const fromFlags = o.age ?? env.SOPS_AGE_RECIPIENTS;
  const recipients = fromFlags !== undefined ? splitRecipients(fromFlags) : (rule?.age ?? []);
  if (recipients.length === 0) {
    if (rule && rule.otherKeys.length) {
      throw new UserError(`${rule.source}: creation_rules[${rule.index}] names only ${rule.otherKeys.join(', ')} keys; infra-synth encrypts to age recipients (add age: to the rule or pass --age)`);
    }
    throw new UserError(`${file}: no age recipients: pass --age age1...[,age1...] or add a creation rule with age: to a .sops.yaml above the file`);
  }
  return { recipients, rules };
}

export function register(program: Command): void {
  const secrets = program
    .command('secrets')
    .summary('encrypt and decrypt SOPS (age) files')
    .description(
      'SOPS files encrypted to age recipients, shaped like the sops CLI. Uses the real sops binary ' +
        'when INFRA_SYNTH_SOPS names one or sops is on PATH, and the built-in implementation of the ' +
        'SOPS v3 format otherwise (INFRA_SYNTH_SOPS=builtin forces it). Files from either read with the other.',
    );

  secrets
    .command('decrypt')
    .summary('print the plaintext of a SOPS file')
    .description(
      'Decrypts FILE, verifies its MAC (a tampered file is refused) and prints the plaintext in the ' +
        "file's own format. The store comes from the extension (.yaml/.yml, .json, .env, anything " +
        'else is binary) unless --input-type says otherwise. age identities are read as sops reads ' +
        'them: SOPS_AGE_KEY, SOPS_AGE_KEY_FILE, then $XDG_CONFIG_HOME/sops/age/keys.txt (default ~/.config/sops/age/keys.txt).',
    )
    .argument('<file>', 'the encrypted file')
    .option('--input-type <type>', 'yaml, json, dotenv or binary (default: from the extension)')
    .addHelpText(
      'after',
      `
Examples:
  $ SOPS_AGE_KEY_FILE=~/keys/prod.txt infra-synth secrets decrypt secrets/prod-1/db.enc.yaml
  $ infra-synth secrets decrypt --input-type dotenv app.txt

Exit codes: 0 decrypted, 2 no usable key, malformed or tampered file (one line on stderr).
`,
    )
    .action(async (file: string, o: { inputType?: string }) => {
      const format = formatOf(file, o.inputType);
      const input = readInput(file);
      const backend = selectBackend();
      const res = await backend.decrypt(input, { format, identities: loadAgeIdentities(), name: file });
      process.stdout.write(res.bytes);
    });

  secrets
    .command('encrypt')
    .summary('print FILE encrypted with SOPS to age recipients')
    .description(
      'Encrypts FILE and prints the SOPS file. Recipients come from --age (or SOPS_AGE_RECIPIENTS), ' +
        'else from the first creation rule of the nearest .sops.yaml (searched from the folder of ' +
        'FILE upwards) whose path_regex matches FILE; a .sops.yaml whose rules match nothing is an ' +
        'error, as in sops. Rule settings (encrypted_regex, ...) come from their flags, else from that ' +
        'rule, else sops\' default (unencrypted_suffix: _unencrypted). Nothing is written to disk.',
    )
    .argument('<file>', 'the plaintext file')
    .option('--age <recipients>', 'comma-separated age public keys (age1...)')
    .option('--input-type <type>', 'yaml, json, dotenv or binary (default: from the extension)')
    .option('--config <path>', 'the .sops.yaml to use instead of searching for one')
    .option('--encrypted-regex <re>', 'encrypt only values under a key matching this regex')
    .option('--unencrypted-regex <re>', 'leave values under a key matching this regex in clear')
    .option('--encrypted-suffix <s>', 'encrypt only values under a key ending with this suffix')
    .option('--unencrypted-suffix <s>', 'leave values under a key ending with this suffix in clear')
    .option('--mac-only-encrypted', 'compute the MAC over encrypted values only')
    .addHelpText(
      'after',
      `
Examples:
  $ infra-synth secrets encrypt --age age1abc...,age1def... --encrypted-regex '^(data|stringData)$' secret.yaml > secret.enc.yaml
  $ infra-synth secrets encrypt secrets/prod-1/db.yaml > secrets/prod-1/db.enc.yaml   # recipients from .sops.yaml

Exit codes: 0 encrypted, 2 bad input (no recipients, not an age public key, no matching creation
rule, already encrypted, malformed file).
`,
    )
    .action(async (file: string, o: EncryptFlags) => {
      const format = formatOf(file, o.inputType);
      const input = readInput(file);
      const { recipients, rules } = encryptSettings(file, o);
      const backend = selectBackend();
      const out = await backend.encrypt(input, { format, recipients, rules, name: file });
      process.stdout.write(out);
    });
}
