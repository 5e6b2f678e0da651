// Files our encryptor writes, read by independent implementations: the real `age` CLI opens the
// data-key stanza, sops-decoder (Go-faithful value layer and MAC check; KMS only, so the data key
// is injected through a stand-in for the AWS KMS client it requires) verifies values and MAC,
// sops-age decrypts the values.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import { execa } from 'execa';
import { decryptSops } from 'sops-age';
import { parseDocument } from 'yaml';
import { BuiltinSopsBackend } from '../../sops/builtin.js';
import type { SopsFormat, SopsRules } from '../../sops/types.js';
import { tempDir } from '../helpers/tmp.js';
import type { KeyPair } from './keys.js';

// sops-decoder asks AWS KMS for the data key: this stand-in answers with the key the test sets,
// so no AWS SDK (not a dependency of this project) and no network are involved.
let kmsDataKey: Uint8Array = new Uint8Array();
jest.mock('@aws-sdk/client-kms', () => ({
  KMSClient: class { send() { return Promise.resolve({ Plaintext: kmsDataKey }); } },
  DecryptCommand: class { constructor(readonly input: unknown) {} },
}), { virtual: true });
const { decrypt: sopsDecoderDecrypt } = await import('sops-decoder');

const backend = new BuiltinSopsBackend();
let dir: string;
let keyFile: string;
let key: KeyPair;

beforeAll(async () => {
  dir = tempDir('sops-interop-');
  keyFile = join(dir, 'key.txt');
  // The identity comes from the real age-keygen, so the whole age layer is checked against Go age.
  await execa('age-keygen', ['-o', keyFile]);
  const { stdout } = await execa('age-keygen', ['-y', keyFile]);
  const identity = readFileSync(keyFile, 'utf8').split('\n').find((l) => l.startsWith('AGE-SECRET-KEY-'))!;
  key = { identity, recipient: stdout.trim() };
});

const SECRET = `apiVersion: v1
kind: Secret
metadata:
  name: db
  labels:
    app: api
stringData:
  username: admin
  password: hunter2
  nested:
    token: abc123
  list:
    - one
    - two
  enabled: true
  replicas: 3
  ratio: 0.25
`;

/** Runs the real `age -d -i KEYFILE` on an armoured stanza and returns the unwrapped bytes. */
async function ageCliOpen(armoured: string, identityFile: string): Promise<Buffer> {
  // stripFinalNewline off: a data key ending in 0x0a must come back whole.
  const r = await execa('age', ['-d', '-i', identityFile], { input: armoured, encoding: 'buffer', stripFinalNewline: false });
  return Buffer.from(r.stdout);
}

/** sops-decoder with its KMS call answered with `dataKey`. */
async function sopsDecoderOpen(tree: Record<string, any>, dataKey: Buffer): Promise<unknown> {
  kmsDataKey = new Uint8Array(dataKey);
  tree.sops.kms = [{ arn: 'arn:aws:kms:us-east-1:123456789012:key/stub', enc: 'c3R1Yg==', created_at: '2024-01-01T00:00:00Z' }];
  return sopsDecoderDecrypt(tree);
}

async function encryptAndUnwrap(text: string, format: SopsFormat, rules?: SopsRules) {
  const enc = await backend.encrypt(text, { format, recipients: [key.recipient], rules });
  const tree = format === 'yaml' ? parseDocument(enc).toJS() : JSON.parse(enc);
  const dataKey = await ageCliOpen(tree.sops.age[0].enc, keyFile);
  return { enc, tree, dataKey };
}

test('the real age CLI opens the data-key stanza of a file we wrote, giving a 32-byte key', async () => {
  const { dataKey } = await encryptAndUnwrap(SECRET, 'yaml');
  expect(dataKey).toHaveLength(32);
});

test('every recipient gets its own complete age file that the age CLI opens to the same key', async () => {
  const other = tempDir('sops-interop-2-');
  const second = join(other, 'key.txt');
  await execa('age-keygen', ['-o', second]);
  const recipient2 = (await execa('age-keygen', ['-y', second])).stdout.trim();
  const enc = await backend.encrypt(SECRET, { format: 'yaml', recipients: [key.recipient, recipient2] });
  const [a, b] = parseDocument(enc).toJS().sops.age;
  expect((await ageCliOpen(a.enc, keyFile)).equals(await ageCliOpen(b.enc, second))).toBe(true);
  await expect(ageCliOpen(a.enc, second)).rejects.toThrow();
});

test.each([
  ['default rules', undefined],
  ['encrypted_regex', { encrypted_regex: '^(data|stringData)$' }],
  ['unencrypted_regex', { unencrypted_regex: '^(apiVersion|kind|metadata)$' }],
  ['encrypted_suffix', { encrypted_suffix: 'Data' }],
  ['mac_only_encrypted', { encrypted_regex: '^stringData$', mac_only_encrypted: true }],
] as [string, SopsRules | undefined][])('sops-decoder verifies values and MAC of our YAML with %s', async (_n, rules) => {
  const { tree, dataKey } = await encryptAndUnwrap(SECRET, 'yaml', rules);
  const out = (await sopsDecoderOpen(tree, dataKey)) as Record<string, unknown>;
  delete out.sops;
  expect(out).toEqual(parseDocument(SECRET).toJS());
});

test('sops-decoder verifies values and MAC of our JSON', async () => {
  const json = '{"user": "admin", "password": "hunter2", "port": 5432, "ratio": 0.5, "on": false, "list": ["a", "b"]}';
  const { tree, dataKey } = await encryptAndUnwrap(json, 'json');
  const out = (await sopsDecoderOpen(tree, dataKey)) as Record<string, unknown>;
  delete out.sops;
  expect(out).toEqual(JSON.parse(json));
});

test('sops-decoder refuses our file after a clear value is edited (its MAC check is real)', async () => {
  const { tree, dataKey } = await encryptAndUnwrap(SECRET, 'yaml', { encrypted_regex: '^stringData$' });
  tree.metadata.name = 'other';
  await expect(sopsDecoderOpen(tree, dataKey)).rejects.toThrow(/Hash mismatch/);
});

test.each([
  ['yaml', SECRET, (s: string) => parseDocument(s).toJS()],
  ['json', '{"user": "admin", "password": "hunter2", "nested": {"n": 1}}', (s: string) => JSON.parse(s)],
  ['dotenv', 'USER=admin\nPASSWORD=hunter2\n', () => ({ USER: 'admin', PASSWORD: 'hunter2' })],
] as ['yaml' | 'json' | 'dotenv', string, (s: string) => unknown][])('sops-age decrypts the values of our %s file', async (format, text, expected) => {
  const enc = await backend.encrypt(text, { format, recipients: [key.recipient] });
  const out = await decryptSops(enc, { secretKey: key.identity, fileType: format === 'dotenv' ? 'env' : format });
  expect(out).toEqual(expected(text));
});
