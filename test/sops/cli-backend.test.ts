// Backend selection, and the CLI backend against a stand-in `sops`: a script that takes sops'
// command line (flags, stdin, SOPS_AGE_KEY, --config, in-place files) and does the work with this
// project's built-in SOPS implementation (which test/sops/vectors checks against the real sops).
// So each test checks a real round trip — what comes back decrypts, re-keys or refuses as sops
// would — and what we hand to sops (arguments, stdin, environment), never just an echo.
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import yaml from 'js-yaml';
import { UserError } from '../../primitives/errors.js';
import { CliSopsBackend } from '../../sops/cli-backend.js';
import { resolveSopsBinary, selectBackend } from '../../sops/index.js';
import { BuiltinSopsBackend } from '../../sops/builtin.js';
import { REPO_ROOT } from '../helpers/fleet.js';
import { tempDir } from '../helpers/tmp.js';
import { type KeyPair, newKeyPair } from './keys.js';

const builtin = new BuiltinSopsBackend();
let k1: KeyPair;
let k2: KeyPair;
// A sops v3 file encrypted to k1 by the built-in backend.
let ENCRYPTED: string;

// The built-in backend, bundled where its imports resolve (the repository's node_modules).
const BUNDLE_DIR = join(REPO_ROOT, 'build', `.test-sops-fake-${process.pid}`);
const BUNDLE = join(BUNDLE_DIR, 'builtin.mjs');
beforeAll(async () => {
  await build({
    entryPoints: [join(REPO_ROOT, 'sops/builtin.ts')], outfile: BUNDLE, bundle: true, platform: 'node',
    target: 'node20', format: 'esm', packages: 'external', logLevel: 'warning',
  });
  k1 = await newKeyPair();
  k2 = await newKeyPair();
  ENCRYPTED = await builtin.encrypt('key: hunter2\n', { format: 'yaml', recipients: [k1.recipient] });
});
afterAll(() => rmSync(BUNDLE_DIR, { recursive: true, force: true }));

// Records argv, stdin, SOPS_AGE_KEY and the cwd; then does what sops does with that command
// line, through the built-in backend. FAKE_SOPS_EXIT makes it fail as sops does.
const FAKE_SOPS = (bundle: string) => `#!/usr/bin/env node
import fs from 'node:fs';
import path from 'node:path';
import { BuiltinSopsBackend } from ${JSON.stringify(pathToFileURL(bundle).href)};
const sops = new BuiltinSopsBackend();
const args = process.argv.slice(2);
let stdin = Buffer.alloc(0);
try { stdin = fs.readFileSync(0); } catch {}
fs.writeFileSync(path.join(process.env.FAKE_SOPS_LOG, 'call.json'), JSON.stringify({
  args, stdin: stdin.toString('utf8'), ageKey: process.env.SOPS_AGE_KEY ?? null, cwd: process.cwd(),
}));
if (process.env.FAKE_SOPS_EXIT) { process.stderr.write('[SOPS] something\\nError: MAC mismatch. File has 1234, computed 5678\\n'); process.exit(Number(process.env.FAKE_SOPS_EXIT)); }
const flag = (name) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const identities = (process.env.SOPS_AGE_KEY ?? '').split('\\n').filter(Boolean);
const format = flag('--input-type') ?? 'yaml';
const file = args[args.length - 1];
const input = file === '/dev/stdin' ? stdin : fs.readFileSync(file);
try {
  if (args.includes('--encrypt')) {
    const rules = {};
    for (const k of ['encrypted_regex', 'unencrypted_regex', 'encrypted_suffix', 'unencrypted_suffix']) {
      const v = flag('--' + k.replace(/_/g, '-'));
      if (v !== undefined) rules[k] = v;
    }
    if (args.includes('--mac-only-encrypted')) rules.mac_only_encrypted = true;
    process.stdout.write(await sops.encrypt(input, { format, recipients: flag('--age').split(','), rules }));
  } else if (args.includes('--decrypt')) {
    process.stdout.write((await sops.decrypt(input, { format, identities })).bytes);
  } else if (args[0] === '--config' && args[2] === 'updatekeys') {
    const recipients = /age: "([^"]*)"/.exec(fs.readFileSync(args[1], 'utf8'))[1].split(',');
    fs.writeFileSync(file, await sops.updateKeys(input, { format, identities, recipients }));
  } else if (args[0] === 'rotate' && args[1] === '-i') {
    const current = (await sops.decrypt(input, { format, identities })).metadata.recipients;
    const add = (flag('--add-age') ?? '').split(',').filter(Boolean), rm = (flag('--rm-age') ?? '').split(',').filter(Boolean);
    const recipients = [...current.filter((r) => !rm.includes(r)), ...add];
    fs.writeFileSync(file, await sops.rotate(input, { format, identities, recipients }));
  } else {
    throw new Error('fake sops: unexpected command line ' + args.join(' '));
  }
} catch (e) {
  process.stderr.write('Error: ' + e.message.split('\\n')[0] + '\\n');
  process.exit(128);
}
`;

let dir: string;
let bin: string;
let log: string;

beforeEach(() => {
  dir = tempDir('sops-fake-');
  mkdirSync(join(dir, 'bin'));
  bin = join(dir, 'bin', 'sops');
  writeFileSync(bin, FAKE_SOPS(BUNDLE));
  chmodSync(bin, 0o755);
  log = join(dir, 'log');
  mkdirSync(log);
});

const call = () => JSON.parse(readFileSync(join(log, 'call.json'), 'utf8'));
const backend = (extra: NodeJS.ProcessEnv = {}) => new CliSopsBackend(bin, { PATH: process.env.PATH, FAKE_SOPS_LOG: log, ...extra });
const open = async (text: string, k: KeyPair) => (await builtin.decrypt(text, { format: 'yaml', identities: [k.identity] })).plaintext;

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

describe('the CLI backend, through a sops that does the work', () => {
  test('encrypt hands sops the recipients, types and rule flags, and the plaintext on stdin only; the result opens for each recipient', async () => {
    const out = await backend().encrypt('data:\n  a: b\nkeep: c\n', {
      format: 'yaml', recipients: [`${k1.recipient}, ${k2.recipient}`], rules: { encrypted_regex: '^data$', mac_only_encrypted: true },
    });
    const c = call();
    expect(c.args).toEqual([
      '--config', '/dev/null', '--encrypt', '--age', `${k1.recipient},${k2.recipient}`, '--input-type', 'yaml', '--output-type', 'yaml',
      '--encrypted-regex', '^data$', '--mac-only-encrypted', '/dev/stdin',
    ]);
    expect(c.stdin).toBe('data:\n  a: b\nkeep: c\n');
    expect(out).not.toContain('a: b');
    expect((yaml.load(out) as any).keep).toBe('c');
    for (const k of [k1, k2]) expect(yaml.load(await open(out, k))).toEqual({ data: { a: 'b' }, keep: 'c' });
  });

  test('encrypt checks recipients before running sops', async () => {
    await expect(backend().encrypt('a: b\n', { format: 'yaml', recipients: ['nope'] })).rejects.toThrow(/"nope" is not an age public key/);
    expect(existsSync(join(log, 'call.json'))).toBe(false);
  });

  test('decrypt feeds the file on stdin and the identities through SOPS_AGE_KEY, and returns the plaintext with the metadata', async () => {
    const res = await backend().decrypt(ENCRYPTED, { format: 'yaml', identities: [k2.identity, k1.identity] });
    expect([res.plaintext, res.metadata.recipients]).toEqual(['key: hunter2\n', [k1.recipient]]);
    const c = call();
    expect(c.args).toEqual(['--decrypt', '--input-type', 'yaml', '--output-type', 'yaml', '/dev/stdin']);
    expect(c.stdin).toBe(ENCRYPTED);
    expect(c.ageKey).toBe(`${k2.identity}\n${k1.identity}`);
  });

  test('a sops failure becomes a one-line UserError with the exit code and sops\' error line', async () => {
    await expect(backend({ FAKE_SOPS_EXIT: '51' }).decrypt(ENCRYPTED, { format: 'yaml', identities: [], name: 'x.enc.yaml' })).rejects.toThrow(
      'x.enc.yaml: sops --decrypt failed (exit 51): Error: MAC mismatch. File has 1234, computed 5678',
    );
  });

  test('a tampered file is refused by sops, and no plaintext comes back', async () => {
    const tampered = ENCRYPTED.replace(/key: ENC\[AES256_GCM,data:[^,]+/, 'key: ENC[AES256_GCM,data:AAAA');
    const err = await backend().decrypt(tampered, { format: 'yaml', identities: [k1.identity], name: 'x.enc.yaml' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toMatch(/^x\.enc\.yaml: sops --decrypt failed \(exit 128\): Error: /);
    expect((err as Error).message).not.toContain('hunter2');
  });

  test('updatekeys runs `sops --config <tmp>/.sops.yaml updatekeys -y <tmp>/file.yaml`: same data key and values, the new recipient can open it', async () => {
    const out = await backend().updateKeys(ENCRYPTED, { format: 'yaml', identities: [k1.identity], recipients: [k1.recipient, k2.recipient] });
    const c = call();
    expect(c.args).toEqual(['--config', join(c.cwd, '.sops.yaml'), 'updatekeys', '-y', join(c.cwd, 'file.yaml')]);
    expect(c.ageKey).toBe(k1.identity);
    expect((yaml.load(out) as any).key).toBe((yaml.load(ENCRYPTED) as any).key);
    expect(await open(out, k2)).toBe('key: hunter2\n');
    expect(existsSync(c.cwd)).toBe(false);
  });

  test('rotate runs `sops rotate -i` with --add-age/--rm-age for the recipient difference: a new data key the removed recipient cannot open', async () => {
    const out = await backend().rotate(ENCRYPTED, { format: 'yaml', identities: [k1.identity], recipients: [k2.recipient] });
    const c = call();
    expect(c.args).toEqual(['rotate', '-i', '--add-age', k2.recipient, '--rm-age', k1.recipient, join(c.cwd, 'file.yaml')]);
    expect(await open(out, k2)).toBe('key: hunter2\n');
    await expect(open(out, k1)).rejects.toThrow(UserError);
    expect((yaml.load(out) as any).key).not.toBe((yaml.load(ENCRYPTED) as any).key);
  });

  test('rotate without new recipients passes no key flags and keeps the recipients', async () => {
    const out = await backend().rotate(ENCRYPTED, { format: 'yaml', identities: [k1.identity] });
    expect(call().args).toEqual(['rotate', '-i', join(call().cwd, 'file.yaml')]);
    expect(await open(out, k1)).toBe('key: hunter2\n');
  });

  test('no temp files remain after a failing in-place run', async () => {
    const before = readdirSync(tmpdir()).filter((f) => f.startsWith('infra-synth-sops-')).sort();
    await expect(backend({ FAKE_SOPS_EXIT: '128' }).rotate(ENCRYPTED, { format: 'yaml', identities: [] })).rejects.toThrow(/sops rotate failed \(exit 128\)/);
    expect(existsSync(call().cwd)).toBe(false);
    expect(readdirSync(tmpdir()).filter((f) => f.startsWith('infra-synth-sops-')).sort()).toEqual(before);
  });
});
