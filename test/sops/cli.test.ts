// `infra-synth secrets encrypt|decrypt` as users run it: the real CLI entry, bundled as
// `npm run build` does, with the built-in backend (INFRA_SYNTH_SOPS=builtin).
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { parseDocument } from 'yaml';
import { BuiltinSopsBackend } from '../../sops/builtin.js';
import { VECTORS, VECTORS_DIR } from './helpers.js';
import { bundledCli } from '../helpers/cli.js';
import { describeWithReferenceData } from '../helpers/reference-data.js';
import { type KeyPair, newKeyPair } from './keys.js';

const CLI = bundledCli('secrets');

let work: string;
let alice: KeyPair;
let bob: KeyPair;

beforeAll(async () => {
  alice = await newKeyPair();
  bob = await newKeyPair();
});
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'secrets-cli-'));
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

const cli = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  execa('node', [CLI, 'secrets', ...args], {
    cwd: work,
    reject: false,
    encoding: 'buffer',
    stripFinalNewline: false,
    // A clean identity environment: HOME points at the temp folder so no real keys.txt is read.
    env: { PATH: process.env.PATH, HOME: work, INFRA_SYNTH_SOPS: 'builtin', ...env },
    extendEnv: false,
  });
const text = (b: unknown) => Buffer.from(b as Uint8Array).toString('utf8');
const put = (rel: string, content: string | Buffer) => {
  const p = join(work, rel);
  mkdirSync(resolve(p, '..'), { recursive: true });
  writeFileSync(p, content);
  return p;
};
const keyFile = (k: KeyPair) => put(`keys-${k.recipient.slice(-6)}.txt`, `# public key: ${k.recipient}\n${k.identity}\n`);

/** A fixture made through the API, to keep CLI runs (about 0.3 s each) for the behaviour under test. */
const encryptedFile = async (rel: string, recipient: string) =>
  put(rel, await new BuiltinSopsBackend().encrypt(SECRET, { format: 'yaml', recipients: [recipient] }));

const SECRET = 'apiVersion: v1\nkind: Secret\nmetadata:\n    name: db\nstringData:\n    password: hunter2\n';

test('encrypt --age prints the encrypted file and decrypt prints the plaintext back', async () => {
  const plain = put('secret.yaml', SECRET);
  const enc = await cli(['encrypt', '--age', alice.recipient, '--encrypted-regex', '^stringData$', plain]);
  expect(enc.exitCode).toBe(0);
  expect(text(enc.stdout)).toContain('encrypted_regex: ^stringData$');
  expect(text(enc.stdout)).not.toContain('hunter2');
  const file = put('secret.enc.yaml', text(enc.stdout));
  const dec = await cli(['decrypt', file], { SOPS_AGE_KEY_FILE: keyFile(alice) });
  expect(dec.exitCode).toBe(0);
  expect(text(dec.stdout)).toBe(SECRET);
});

test('encrypt takes recipients and rules from the nearest .sops.yaml above the file', async () => {
  put('.sops.yaml', `creation_rules:\n  - path_regex: clusters/prod/.*\\.yaml$\n    encrypted_regex: ^stringData$\n    age: ${alice.recipient},${bob.recipient}\n`);
  const plain = put('clusters/prod/db.yaml', SECRET);
  const r = await cli(['encrypt', plain]);
  expect(r.exitCode).toBe(0);
  const sops = parseDocument(text(r.stdout)).toJS().sops;
  expect(sops.age.map((a: { recipient: string }) => a.recipient)).toEqual([alice.recipient, bob.recipient]);
  expect(sops.encrypted_regex).toBe('^stringData$');
});

test('a .sops.yaml whose rules match nothing exits 2 with one line naming the file', async () => {
  put('.sops.yaml', `creation_rules:\n  - path_regex: clusters/prod/\n    age: ${alice.recipient}\n`);
  const plain = put('clusters/dev/db.yaml', SECRET);
  const r = await cli(['encrypt', plain]);
  expect(r.exitCode).toBe(2);
  expect(text(r.stdout)).toBe('');
  expect(text(r.stderr)).toMatch(/^error: .*\.sops\.yaml: no creation rule matches clusters\/dev\/db\.yaml \(path_regex tried: clusters\/prod\/\)[^\n]*\n$/);
});

test('decrypt reads SOPS_AGE_KEY and the default keys.txt as sops does', async () => {
  const file = await encryptedFile('s.enc.yaml', alice.recipient);
  expect(text((await cli(['decrypt', file], { SOPS_AGE_KEY: alice.identity })).stdout)).toBe(SECRET);
  put('.config/sops/age/keys.txt', `${alice.identity}\n`);
  expect(text((await cli(['decrypt', file])).stdout)).toBe(SECRET);
});

test('decrypt with the wrong key, or none, exits 2 with one line and prints nothing', async () => {
  const file = await encryptedFile('s.enc.yaml', alice.recipient);
  const wrong = await cli(['decrypt', file], { SOPS_AGE_KEY: bob.identity });
  expect(wrong.exitCode).toBe(2);
  expect(text(wrong.stdout)).toBe('');
  expect(text(wrong.stderr)).toBe(`error: ${file}: none of the 1 age identity can decrypt the data key (the file is encrypted to ${alice.recipient})\n`);
  const none = await cli(['decrypt', file]);
  expect(none.exitCode).toBe(2);
  expect(text(none.stderr)).toMatch(/^error: .*no age identity available: set SOPS_AGE_KEY_FILE or SOPS_AGE_KEY/);
});

const TWO_VALUES = 'apiVersion: v1\nkind: Secret\nmetadata:\n    name: db\nstringData:\n    password: hunter2\n    user: admin\n';

test('a file with an encrypted value removed exits 2 (MAC mismatch) and prints no plaintext', async () => {
  const sealed = await new BuiltinSopsBackend().encrypt(TWO_VALUES, { format: 'yaml', recipients: [alice.recipient] });
  const tampered = sealed.split('\n').filter((l) => !/^\s+user: ENC\[/.test(l)).join('\n');
  expect(tampered).not.toBe(sealed);
  const r = await cli(['decrypt', put('t.enc.yaml', tampered)], { SOPS_AGE_KEY: alice.identity });
  expect(r.exitCode).toBe(2);
  expect(text(r.stdout)).toBe('');
  expect(text(r.stderr)).toMatch(/MAC mismatch/);
  expect(text(r.stderr).split('\n').filter(Boolean)).toHaveLength(1);
});

test('a file whose MAC was removed is refused, not decrypted without integrity', async () => {
  const sealed = await new BuiltinSopsBackend().encrypt(TWO_VALUES, { format: 'yaml', recipients: [alice.recipient] });
  const noMac = sealed.split('\n').filter((l) => !/^\s+mac: /.test(l)).join('\n');
  expect(noMac).not.toBe(sealed);
  const r = await cli(['decrypt', put('n.enc.yaml', noMac)], { SOPS_AGE_KEY: alice.identity });
  expect(r.exitCode).toBe(2);
  expect(text(r.stdout)).toBe('');
  expect(text(r.stderr)).toMatch(/no MAC/);
});

describeWithReferenceData('the CLI on files made by the real sops', VECTORS, () => {
  test('decrypt of a real sops vector picks the store from the extension, or --input-type', async () => {
    const env = { SOPS_AGE_KEY_FILE: join(VECTORS_DIR, 'keys/key-kc-age.txt') };
    const env1 = await cli(['decrypt', join(VECTORS_DIR, 'vectors/kc-envs-env.env')], env);
    expect(text(env1.stdout)).toBe('key=value\n');
    const txt = await cli(['decrypt', '--input-type', 'dotenv', join(VECTORS_DIR, 'vectors/kc-old-year2.txt')], env);
    expect(txt.exitCode).toBe(0);
    expect(text(txt.stdout)).toMatch(/^\w+=.+\n$/);
    const bin = await cli(['decrypt', join(VECTORS_DIR, 'vectors/kc-files-file.txt')], env);
    expect(text(bin.stdout)).toBe('value');
  });
});

test('encrypt with a recipient that is not an age key, or without any, exits 2 and writes nothing', async () => {
  const plain = put('s.yaml', SECRET);
  const before = readdirSync(work).sort();
  const bad = await cli(['encrypt', '--age', 'age1nope', plain]);
  expect(bad.exitCode).toBe(2);
  expect(text(bad.stdout)).toBe('');
  expect(text(bad.stderr)).toMatch(/"age1nope" is not a valid age public key/);
  const none = await cli(['encrypt', plain]);
  expect(none.exitCode).toBe(2);
  expect(text(none.stderr)).toMatch(/no age recipients: pass --age/);
  expect(readdirSync(work).sort()).toEqual(before);
  expect(readFileSync(plain, 'utf8')).toBe(SECRET);
});

test('a missing file exits 2 naming it', async () => {
  const r = await cli(['decrypt', 'nope.enc.yaml']);
  expect(r.exitCode).toBe(2);
  expect(text(r.stderr)).toBe('error: nope.enc.yaml: cannot read (ENOENT)\n');
});

test('--help shows examples', async () => {
  const r = await cli(['encrypt', '--help']);
  expect(r.exitCode).toBe(0);
  expect(text(r.stdout)).toContain('Examples:');
  expect(text(r.stdout)).toContain('--encrypted-regex');
});
