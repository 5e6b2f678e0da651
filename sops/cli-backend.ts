// The CLI backend: the real `sops` binary driven through execa. Plaintext only ever travels over
// stdin/stdout; updatekeys and rotate work on a temporary copy of the *encrypted* file because
// sops rewrites them in place. Identities reach sops through SOPS_AGE_KEY, never a file.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { UserError } from '../primitives/errors.js';
import { checkRecipients, splitRecipients } from './age.js';
import { readMetadata } from './builtin.js';
import { RULE_KEYS, type SopsRules } from './rules.js';
import type { SopsFormat } from './stores/store.js';
import type { DecryptOptions, DecryptResult, EncryptOptions, RotateOptions, SopsBackend, UpdateKeysOptions } from './types.js';

const EXTENSION: Record<SopsFormat, string> = { yaml: '.yaml', json: '.json', dotenv: '.env', binary: '.bin' };

/** `encrypted_regex` → `--encrypted-regex VALUE`; `mac_only_encrypted` → `--mac-only-encrypted`. */
export function ruleFlags(rules: SopsRules = {}): string[] {
  const out: string[] = [];
  for (const k of RULE_KEYS) {
    const v = rules[k];
    if (typeof v === 'string' && v !== '') out.push(`--${k.replace(/_/g, '-')}`, v);
  }
  if (rules.mac_only_encrypted) out.push('--mac-only-encrypted');
  return out;
}

function typeFlags(format: SopsFormat): string[] {
  return ['--input-type', format, '--output-type', format];
}

function firstErrorLine(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  return lines.find((l) => /error|fail|mismatch|could not|cannot/i.test(l)) ?? lines[0] ?? 'no error output';
}

export class CliSopsBackend implements SopsBackend {
  readonly kind = 'cli' as const;

  constructor(
    readonly sopsPath: string,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  private async run(op: string, name: string, args: string[], opts: { input?: Buffer; identities?: readonly string[]; cwd?: string } = {}) {
    const env: NodeJS.ProcessEnv = { ...this.env };
    if (opts.identities && opts.identities.length) env.SOPS_AGE_KEY = opts.identities.join('\n');
    const r = await execa(this.sopsPath, args, {
      // Without input, stdin must be closed: sops (and any prompt) must never wait on our terminal.
      ...(opts.input ? { input: opts.input } : { stdin: 'ignore' as const }),
      env,
      extendEnv: false,
      cwd: opts.cwd,
      encoding: 'buffer',
      reject: false,
      stripFinalNewline: false,
    });
    if (r.failed || r.exitCode !== 0) {
      const why = r.exitCode === undefined ? (r.shortMessage ?? 'could not start') : firstErrorLine(Buffer.from(r.stderr ?? []).toString('utf8'));
      throw new UserError(`${name}: sops ${op} failed${r.exitCode !== undefined ? ` (exit ${r.exitCode})` : ''}: ${why}`);
    }
    return Buffer.from(r.stdout ?? []);
  }

  async encrypt(plaintext: string | Uint8Array, opts: EncryptOptions): Promise<string> {
    const name = opts.name ?? '<input>';
    const recipients = splitRecipients(opts.recipients);
    checkRecipients(recipients, name);
    // --config /dev/null: the caller already resolved .sops.yaml; sops must not apply another one.
    const args = ['--config', '/dev/null', '--encrypt', '--age', recipients.join(','), ...typeFlags(opts.format), ...ruleFlags(opts.rules), '/dev/stdin'];
    const out = await this.run('--encrypt', name, args, { input: Buffer.from(plaintext) });
    return out.toString('utf8');
  }

  async decrypt(encrypted: string | Uint8Array, opts: DecryptOptions): Promise<DecryptResult> {
    const name = opts.name ?? '<input>';
    const metadata = readMetadata(encrypted, opts.format, name);
    const args = ['--decrypt', ...typeFlags(opts.format), '/dev/stdin'];
    const bytes = await this.run('--decrypt', name, args, { input: Buffer.from(encrypted), identities: opts.identities });
    return { plaintext: bytes.toString('utf8'), bytes, metadata };
  }

  /** Runs a sops subcommand that rewrites a file in place, on a temporary copy of the ciphertext. */
  private async inPlace(op: string, encrypted: string | Uint8Array, format: SopsFormat, name: string, args: (file: string, dir: string) => string[], identities: readonly string[], config?: string) {
    const dir = mkdtempSync(join(tmpdir(), 'infra-synth-sops-'));
    try {
      const file = join(dir, `file${EXTENSION[format]}`);
      writeFileSync(file, encrypted);
      if (config !== undefined) writeFileSync(join(dir, '.sops.yaml'), config);
      await this.run(op, name, args(file, dir), { identities, cwd: dir });
      return readFileSync(file, 'utf8');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  async updateKeys(encrypted: string | Uint8Array, opts: UpdateKeysOptions): Promise<string> {
    const name = opts.name ?? '<input>';
    readMetadata(encrypted, opts.format, name);
    const recipients = splitRecipients(opts.recipients);
    checkRecipients(recipients, name);
    // updatekeys takes the new key set from a creation rule, so give it one that names exactly these.
    const config = `creation_rules:\n  - age: ${JSON.stringify(recipients.join(','))}\n`;
    return this.inPlace(
      'updatekeys',
      encrypted,
      opts.format,
      name,
      (file, dir) => ['--config', join(dir, '.sops.yaml'), 'updatekeys', '-y', file],
      opts.identities,
      config,
    );
  }

  async rotate(encrypted: string | Uint8Array, opts: RotateOptions): Promise<string> {
    const name = opts.name ?? '<input>';
    const current = readMetadata(encrypted, opts.format, name).recipients;
    const flags: string[] = [];
    if (opts.recipients) {
      const wanted = splitRecipients(opts.recipients);
      checkRecipients(wanted, name);
      const add = wanted.filter((r) => !current.includes(r));
      const rm = current.filter((r) => !wanted.includes(r));
      if (add.length) flags.push('--add-age', add.join(','));
      if (rm.length) flags.push('--rm-age', rm.join(','));
    }
    return this.inPlace('rotate', encrypted, opts.format, name, (file) => ['rotate', '-i', ...flags, file], opts.identities);
  }
}
