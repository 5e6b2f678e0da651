// Backend selection, and the CLI backend's plumbing (arguments, stdin/stdout, environment, temp
// files) against a FAKE `sops` script. The real sops is not installed here: these tests check only
// what we hand to sops and what we do with its answer, not sops' behaviour.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../../lib/errors.js';
import { CliSopsBackend } from '../../sops/cli-backend.js';
import { resolveSopsBinary, selectBackend } from '../../sops/index.js';
import { BuiltinSopsBackend } from '../../sops/builtin.js';

const R1 = 'age1l44xcng8dqj32nlv6d930qvvrny05hglzcv9qpc7kxjc6902ma4qufys29';
const R2 = 'age1henwn645drkd3fa34t27t2w2x0nsgw3w4h62gmg5x5xflyjpy38s5cncph';
// A sops v3 file encrypted to R1 (by the built-in backend, which the vectors check against the
// real sops), so that the metadata the CLI backend reads itself is genuine; made here so that
// the suite needs nothing outside the clone.
let ENCRYPTED: string;
beforeAll(async () => {
  ENCRYPTED = await new BuiltinSopsBackend().encrypt('key: value\n', { format: 'yaml', recipients: [R1] });
});

// Records argv, stdin, SOPS_AGE_KEY, the cwd's .sops.yaml and the file it is given; answers from
// FAKE_SOPS_STDOUT / FAKE_SOPS_EXIT; appends a line to the file for in-place subcommands.
const FAKE_SOPS = `#!/usr/bin/env node
const fs = require('node:fs');
const path = require('node:path');
const log = process.env.FAKE_SOPS_LOG;
const args = process.argv.slice(2);
let stdin = Buffer.alloc(0);
try { stdin = fs.readFileSync(0); } catch {}
const last = args[args.length - 1];
const inPlace = args.includes('updatekeys') || args.includes('rotate');
const record = {
  args, stdin: stdin.toString('utf8'), ageKey: process.env.SOPS_AGE_KEY ?? null, cwd: process.cwd(),
  config: fs.existsSync('.sops.yaml') ? fs.readFileSync('.sops.yaml', 'utf8') : null,
  file: inPlace ? fs.readFileSync(last, 'utf8') : null,
};
fs.writeFileSync(path.join(log, 'call.json'), JSON.stringify(record));
if (process.env.FAKE_SOPS_EXIT) { process.stderr.write('[SOPS] something\\nError: MAC mismatch. File has 1234, computed 5678\\n'); process.exit(Number(process.env.FAKE_SOPS_EXIT)); }
if (inPlace) fs.appendFileSync(last, '# rewritten by fake sops\\n');
process.stdout.write(process.env.FAKE_SOPS_STDOUT ?? '');
`;

let dir: string;
let bin: string;
let log: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sops-fake-'));
  mkdirSync(join(dir, 'bin'));
  bin = join(dir, 'bin', 'sops');
  writeFileSync(bin, FAKE_SOPS);
  chmodSync(bin, 0o755);
  log = join(dir, 'log');
  mkdirSync(log);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const call = () => JSON.parse(readFileSync(join(log, 'call.json'), 'utf8'));
const backend = (extra: NodeJS.ProcessEnv = {}) => new CliSopsBackend(bin, { PATH: process.env.PATH, FAKE_SOPS_LOG: log, ...extra });

describe('backend selection', () => {
  test('sops on PATH selects the CLI backend', () => {
    expect(resolveSopsBinary({ env: { PATH: `/nonexistent:${join(dir, 'bin')}` } })).toBe(bin);
    expect(selectBackend({ env: { PATH: join(dir, 'bin') } }).kind).toBe('cli');
  });

  test('no sops on PATH selects the built-in backend', () => {
    expect(selectBackend({ env: { PATH: join(dir, 'log') } }).kind).toBe('builtin');
  });

  test('INFRA_SYNTH_SOPS names the binary, even off PATH', () => {
    expect(resolveSopsBinary({ env: { PATH: '', INFRA_SYNTH_SOPS: bin } })).toBe(bin);
  });

  test('INFRA_SYNTH_SOPS=builtin forces the built-in backend although sops is on PATH', () => {
    expect(selectBackend({ env: { PATH: join(dir, 'bin'), INFRA_SYNTH_SOPS: 'builtin' } }).kind).toBe('builtin');
  });

  test('the sops option wins over the environment', () => {
    expect(selectBackend({ sops: 'builtin', env: { PATH: join(dir, 'bin') } }).kind).toBe('builtin');
  });

  test('a configured path that is not an executable file is a UserError', () => {
    const notExec = join(dir, 'log', 'plain');
    writeFileSync(notExec, '');
    expect(() => resolveSopsBinary({ env: { INFRA_SYNTH_SOPS: notExec } })).toThrow(UserError);
    expect(() => resolveSopsBinary({ env: { INFRA_SYNTH_SOPS: join(dir, 'missing') } })).toThrow(/INFRA_SYNTH_SOPS=.*missing: not an executable file/);
  });
});

describe('CLI backend plumbing (fake sops)', () => {
  test('encrypt passes recipients, types and rule flags, and the plaintext on stdin only', async () => {
    const out = await backend({ FAKE_SOPS_STDOUT: 'ciphertext\n' }).encrypt('a: b\n', {
      format: 'yaml',
      recipients: [`${R1}, ${R2}`],
      rules: { encrypted_regex: '^(data|stringData)$', mac_only_encrypted: true },
    });
    expect(out).toBe('ciphertext\n');
    const c = call();
    expect(c.args).toEqual([
      '--config', '/dev/null', '--encrypt', '--age', `${R1},${R2}`, '--input-type', 'yaml', '--output-type', 'yaml',
      '--encrypted-regex', '^(data|stringData)$', '--mac-only-encrypted', '/dev/stdin',
    ]);
    expect(c.stdin).toBe('a: b\n');
  });

  test('encrypt checks recipients before running sops', async () => {
    await expect(backend().encrypt('a: b\n', { format: 'yaml', recipients: ['nope'] })).rejects.toThrow(/"nope" is not an age public key/);
    expect(existsSync(join(log, 'call.json'))).toBe(false);
  });

  test('decrypt feeds the file on stdin, identities through SOPS_AGE_KEY, and returns stdout with the metadata', async () => {
    const res = await backend({ FAKE_SOPS_STDOUT: 'key: value\n' }).decrypt(ENCRYPTED, { format: 'yaml', identities: ['AGE-SECRET-KEY-1AAA', 'AGE-SECRET-KEY-1BBB'] });
    expect(res.plaintext).toBe('key: value\n');
    expect(res.metadata.recipients).toEqual([R1]);
    const c = call();
    expect(c.args).toEqual(['--decrypt', '--input-type', 'yaml', '--output-type', 'yaml', '/dev/stdin']);
    expect(c.stdin).toBe(ENCRYPTED);
    expect(c.ageKey).toBe('AGE-SECRET-KEY-1AAA\nAGE-SECRET-KEY-1BBB');
  });

  test('a sops failure becomes a one-line UserError with the exit code and sops\' error line', async () => {
    await expect(backend({ FAKE_SOPS_EXIT: '51' }).decrypt(ENCRYPTED, { format: 'yaml', identities: [], name: 'x.enc.yaml' })).rejects.toThrow(
      'x.enc.yaml: sops --decrypt failed (exit 51): Error: MAC mismatch. File has 1234, computed 5678',
    );
  });

  test('updatekeys runs `sops --config <tmp>/.sops.yaml updatekeys -y <tmp>/file.yaml` on a temp copy of the ciphertext, then removes it', async () => {
    const out = await backend().updateKeys(ENCRYPTED, { format: 'yaml', identities: ['AGE-SECRET-KEY-1AAA'], recipients: [R1, R2] });
    const c = call();
    expect(c.args).toEqual(['--config', join(c.cwd, '.sops.yaml'), 'updatekeys', '-y', join(c.cwd, 'file.yaml')]);
    expect(c.config).toBe(`creation_rules:\n  - age: "${R1},${R2}"\n`);
    expect(c.file).toBe(ENCRYPTED);
    expect(c.ageKey).toBe('AGE-SECRET-KEY-1AAA');
    expect(out).toBe(`${ENCRYPTED}# rewritten by fake sops\n`);
    expect(existsSync(c.cwd)).toBe(false);
  });

  test('rotate runs `sops rotate -i` with --add-age/--rm-age for the recipient difference', async () => {
    await backend().rotate(ENCRYPTED, { format: 'yaml', identities: [], recipients: [R2] });
    const c = call();
    expect(c.args).toEqual(['rotate', '-i', '--add-age', R2, '--rm-age', R1, join(c.cwd, 'file.yaml')]);
  });

  test('rotate without new recipients passes no key flags', async () => {
    await backend().rotate(ENCRYPTED, { format: 'yaml', identities: [] });
    expect(call().args).toEqual(['rotate', '-i', join(call().cwd, 'file.yaml')]);
  });

  test('no temp files remain after a failing in-place run', async () => {
    const before = readdirSync(tmpdir()).filter((f) => f.startsWith('infra-synth-sops-')).length;
    await expect(backend({ FAKE_SOPS_EXIT: '128' }).rotate(ENCRYPTED, { format: 'yaml', identities: [] })).rejects.toThrow(/sops rotate failed \(exit 128\)/);
    expect(existsSync(call().cwd)).toBe(false);
    expect(readdirSync(tmpdir()).filter((f) => f.startsWith('infra-synth-sops-')).length).toBeLessThanOrEqual(before);
  });
});
