// The built-in backend on its own files: round trips per format, the encryption rules as sops
// applies them, updatekeys/rotate, and refusal of bad input.
import { Decrypter, armor } from 'age-encryption';
import { parseAllDocuments } from 'yaml';
import { UserError } from '../../primitives/errors.js';
import { BuiltinSopsBackend, readMetadata, samePlaintext } from '../../sops/builtin.js';
import type { SopsFormat, SopsRules } from '../../sops/types.js';
import { type KeyPair, newKeyPair } from './keys.js';

const backend = new BuiltinSopsBackend();
let alice: KeyPair;
let bob: KeyPair;

beforeAll(async () => {
  alice = await newKeyPair();
  bob = await newKeyPair();
});

const encrypt = (text: string | Buffer, format: SopsFormat, rules?: SopsRules, recipients = [alice.recipient]) =>
  backend.encrypt(text, { format, recipients, rules, name: `test.${format}` });
const decrypt = (text: string, format: SopsFormat, identities = [alice.identity]) =>
  backend.decrypt(text, { format, identities, name: `test.${format}` });

/** The documents of an encrypted YAML file, sops block removed. */
function yamlDocs(text: string): any[] {
  return parseAllDocuments(text).map((d) => {
    const o = d.toJS();
    delete o.sops;
    return o;
  });
}
const isEnc = (v: unknown) => typeof v === 'string' && v.startsWith('ENC[AES256_GCM,');
const typeOf = (v: string) => /type:(\w+)\]$/.exec(v)?.[1];

async function dataKeyOf(text: string, identity: string): Promise<string> {
  const enc = (parseAllDocuments(text)[0].toJS() as any).sops.age[0].enc as string;
  const d = new Decrypter();
  d.addIdentity(identity);
  return Buffer.from(await d.decrypt(armor.decode(enc))).toString('hex');
}

const SECRET = `apiVersion: v1
kind: Secret
metadata:
  name: db
  namespace: apps
type: Opaque
stringData:
  username: admin
  password: "s3cr3t: with colon"
  port: "5432"
`;

describe('round trips', () => {
  test('a Kubernetes Secret in YAML decrypts to the same documents', async () => {
    const enc = await encrypt(SECRET, 'yaml', { encrypted_regex: '^(data|stringData)$' });
    expect(enc).not.toContain('s3cr3t');
    const dec = await decrypt(enc, 'yaml');
    expect(yamlDocs(dec.plaintext)).toEqual(yamlDocs(SECRET));
  });

  test('typed YAML values keep their types and come back canonical, as sops writes them', async () => {
    const src = 'i: 42\nhex: 0x1F\nf: 1.5\nwhole: 1.0\nb: true\nt: 2024-01-02T03:04:05+01:00\nd: 2024-01-01\ns: "42"\nyes_string: yes\n';
    const enc = await encrypt(src, 'yaml');
    const types = Object.fromEntries(Object.entries(yamlDocs(enc)[0]).map(([k, v]) => [k, typeOf(v as string)]));
    expect(types).toEqual({ i: 'int', hex: 'int', f: 'float', whole: 'float', b: 'bool', t: 'time', d: 'time', s: 'str', yes_string: 'str' });
    const dec = await decrypt(enc, 'yaml');
    expect(dec.plaintext).toBe(
      'i: 42\nhex: 31\nf: 1.5\nwhole: 1.0\nb: true\nt: 2024-01-02T03:04:05+01:00\nd: 2024-01-01T00:00:00Z\ns: "42"\nyes_string: "yes"\n',
    );
  });

  test('empty strings stay empty and nulls stay null in the encrypted file', async () => {
    const enc = await encrypt('empty: ""\nnothing: null\nlist:\n  - ""\n  - ~\n', 'yaml');
    expect(yamlDocs(enc)[0]).toEqual({ empty: '', nothing: null, list: ['', null] });
    expect(yamlDocs((await decrypt(enc, 'yaml')).plaintext)[0]).toEqual({ empty: '', nothing: null, list: ['', null] });
  });

  test('YAML comments are encrypted under the default rule and restored on decrypt', async () => {
    const src = '# top secret note\nkey: value\nnested:\n    # inner note\n    a: b\n';
    const enc = await encrypt(src, 'yaml');
    expect(enc).not.toContain('secret note');
    expect(enc).not.toContain('inner note');
    expect(enc).toMatch(/^#ENC\[AES256_GCM,.*type:comment\]$/m);
    expect((await decrypt(enc, 'yaml')).plaintext).toBe(src);
  });

  test('with encrypted_regex, top-level comments stay in clear (their path matches no key)', async () => {
    const enc = await encrypt('# visible\nstringData:\n    # hidden\n    a: b\n', 'yaml', { encrypted_regex: '^stringData$' });
    expect(enc).toContain('# visible');
    expect(enc).not.toContain('hidden');
  });

  test('multi-document YAML carries the metadata in every document and decrypts all of them', async () => {
    const src = 'a: one\n---\nb: two\n---\nc: three\n';
    const enc = await encrypt(src, 'yaml');
    const docs = parseAllDocuments(enc).map((d) => d.toJS());
    expect(docs).toHaveLength(3);
    expect(docs.every((d) => d.sops?.mac === docs[0].sops.mac)).toBe(true);
    expect((await decrypt(enc, 'yaml')).plaintext).toBe(src);
  });

  test('the MAC spans documents: swapping two encrypted documents is refused', async () => {
    const enc = await encrypt('a: one\n---\na: two\n', 'yaml');
    const [first, second] = enc.split(/^---\n/m);
    await expect(decrypt(`${second}---\n${first}`, 'yaml')).rejects.toThrow(/MAC mismatch/);
  });

  test('JSON keeps key order (integer-like keys too), ints, floats and nesting', async () => {
    const src = '{\n\t"b": 1,\n\t"10": 2.5,\n\t"a": {\n\t\t"x": [\n\t\t\ttrue,\n\t\t\tnull,\n\t\t\t"<html>"\n\t\t]\n\t}\n}\n';
    const enc = await encrypt(src, 'json');
    const parsed = JSON.parse(enc);
    expect([...enc.matchAll(/^\t"([^"]+)":/gm)].map((m) => m[1])).toEqual(['b', '10', 'a', 'sops']);
    expect(typeOf(parsed.b)).toBe('int');
    expect(typeOf(parsed['10'])).toBe('float');
    expect((await decrypt(enc, 'json')).plaintext).toBe(src.replace('<html>', '\\u003chtml\\u003e'));
  });

  test('dotenv keeps comments, spaces, `=` in values and multi-line values', async () => {
    const src = '# db settings\nDB_URL=postgres://u:p@h/db?a=b\nkey with space = value \nMULTI=line1\\nline2\n';
    const enc = await encrypt(src, 'dotenv');
    expect(enc).not.toContain('postgres');
    expect(enc).not.toContain('db settings');
    expect(enc).toMatch(/^sops_version=/m);
    const dec = await decrypt(enc, 'dotenv');
    expect(dec.plaintext).toBe(src);
  });

  test('binary files round-trip byte for byte, including bytes that are not UTF-8', async () => {
    const bytes = Buffer.from([0, 255, 254, 10, 13, 0xc3, 0x28, 65]);
    const enc = await encrypt(bytes, 'binary');
    expect(Object.keys(JSON.parse(enc))).toEqual(['data', 'sops']);
    const dec = await decrypt(enc, 'binary');
    expect(dec.bytes.equals(bytes)).toBe(true);
  });

  test('decrypt returns the metadata: recipients, lastmodified, version and stored rules', async () => {
    const enc = await encrypt(SECRET, 'yaml', { encrypted_regex: '^stringData$' }, [alice.recipient, bob.recipient]);
    const { metadata } = await decrypt(enc, 'yaml', [bob.identity]);
    expect(metadata.recipients).toEqual([alice.recipient, bob.recipient]);
    expect(metadata.rules).toEqual({ encrypted_regex: '^stringData$' });
    expect(metadata.lastmodified).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(metadata.version).toBe('3.13.2');
    expect(readMetadata(enc, 'yaml')).toEqual(metadata);
  });

  test('encryption is deterministic except for the random parts (IVs, data key, age stanzas)', async () => {
    const fixed = new BuiltinSopsBackend({ now: () => new Date('2025-01-02T03:04:05.678Z') });
    const strip = (t: string) => t.replace(/ENC\[[^\]]*\]/g, 'ENC').replace(/-----BEGIN AGE[\s\S]*?-----END AGE ENCRYPTED FILE-----\n?/g, 'AGE');
    const a = await fixed.encrypt(SECRET, { format: 'yaml', recipients: [alice.recipient] });
    const b = await fixed.encrypt(SECRET, { format: 'yaml', recipients: [alice.recipient] });
    expect(a).not.toBe(b);
    expect(strip(a)).toBe(strip(b));
    expect(a).toContain('lastmodified: "2025-01-02T03:04:05Z"');
  });
});

describe('encryption rules, as sops applies them to every key on the path', () => {
  const DOC = 'metadata:\n  name: x\nstringData:\n  a: "1"\n  nested:\n    deep: "2"\npublic_key: pk\npublicity: p\ndb_secret: s\nsecret_group:\n  item: i\nuser_unencrypted: u\nuser_unencrypted_not: n\n';

  async function encryptedKeys(rules?: SopsRules): Promise<string[]> {
    const doc = yamlDocs(await encrypt(DOC, 'yaml', rules))[0];
    const out: string[] = [];
    const walk = (v: any, path: string[]) => {
      if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, [...path, k]);
      else if (isEnc(v)) out.push(path.join('.'));
    };
    walk(doc, []);
    return out;
  }

  test('encrypted_regex encrypts everything below a matching key, at any depth', async () => {
    expect(await encryptedKeys({ encrypted_regex: '^(data|stringData)$' })).toEqual(['stringData.a', 'stringData.nested.deep']);
  });

  test('unencrypted_regex is searched anywhere in each key, not anchored', async () => {
    expect(await encryptedKeys({ unencrypted_regex: 'public|meta' })).toEqual([
      'stringData.a',
      'stringData.nested.deep',
      'db_secret',
      'secret_group.item',
      'user_unencrypted',
      'user_unencrypted_not',
    ]);
  });

  test('encrypted_suffix matches the end of any key on the path', async () => {
    expect(await encryptedKeys({ encrypted_suffix: '_secret' })).toEqual(['db_secret']);
    expect(await encryptedKeys({ encrypted_suffix: '_group' })).toEqual(['secret_group.item']);
  });

  test('the default unencrypted_suffix _unencrypted is an ends-with test and is written into the file', async () => {
    const keys = await encryptedKeys();
    expect(keys).toContain('user_unencrypted_not');
    expect(keys).not.toContain('user_unencrypted');
    expect(readMetadata(await encrypt(DOC, 'yaml'), 'yaml').rules).toEqual({ unencrypted_suffix: '_unencrypted' });
  });

  test('mac_only_encrypted lets clear values change without breaking the MAC', async () => {
    const withFlag = await encrypt(DOC, 'yaml', { encrypted_regex: '^stringData$', mac_only_encrypted: true });
    expect(withFlag).toContain('mac_only_encrypted: true');
    const edited = withFlag.replace('name: x', 'name: y');
    expect(yamlDocs((await decrypt(edited, 'yaml')).plaintext)[0].metadata.name).toBe('y');
  });

  test('without mac_only_encrypted, editing a clear value is a MAC mismatch', async () => {
    const enc = await encrypt(DOC, 'yaml', { encrypted_regex: '^stringData$' });
    await expect(decrypt(enc.replace('name: x', 'name: y'), 'yaml')).rejects.toThrow(/MAC mismatch/);
  });

  test('a file whose MAC was removed is refused, not decrypted unverified', async () => {
    const enc = await encrypt(DOC, 'yaml', { encrypted_regex: '^stringData$' });
    const noMac = enc.replace(/^ {4}mac: .*\n/m, '');
    expect(noMac).not.toMatch(/^ {4}mac:/m);
    await expect(decrypt(noMac, 'yaml')).rejects.toThrow('test.yaml: MAC mismatch: the file has no MAC, so its values cannot be verified (refusing it)');
  });

  test('two rule keys at once are refused', async () => {
    await expect(encrypt(DOC, 'yaml', { encrypted_regex: 'a', unencrypted_suffix: '_u' })).rejects.toThrow(/only one of .* found encrypted_regex and unencrypted_suffix/);
  });

  test('an invalid regex is refused with the rule name', async () => {
    await expect(encrypt(DOC, 'yaml', { encrypted_regex: '(' })).rejects.toThrow(/encrypted_regex: "\(" is not a valid regular expression/);
  });
});

describe('updatekeys and rotate', () => {
  test('updateKeys re-wraps the same data key for the new recipients and keeps values, MAC and lastmodified', async () => {
    const enc = await encrypt(SECRET, 'yaml', { encrypted_regex: '^stringData$' });
    const updated = await backend.updateKeys(enc, { format: 'yaml', identities: [alice.identity], recipients: [bob.recipient] });
    expect(readMetadata(updated, 'yaml').recipients).toEqual([bob.recipient]);
    const body = (t: string) => t.slice(0, t.indexOf('sops:'));
    expect(body(updated)).toBe(body(enc));
    const mac = (t: string) => /mac: (.*)/.exec(t)![1];
    expect(mac(updated)).toBe(mac(enc));
    expect(readMetadata(updated, 'yaml').lastmodified).toBe(readMetadata(enc, 'yaml').lastmodified);
    expect(await dataKeyOf(updated, bob.identity)).toBe(await dataKeyOf(enc, alice.identity));
    await expect(decrypt(updated, 'yaml', [alice.identity])).rejects.toThrow(/none of the 1 age identity/);
    expect(yamlDocs((await decrypt(updated, 'yaml', [bob.identity])).plaintext)).toEqual(yamlDocs(SECRET));
  });

  test('updateKeys with the same recipient set returns the file unchanged', async () => {
    const enc = await encrypt(SECRET, 'yaml', undefined, [alice.recipient, bob.recipient]);
    expect(await backend.updateKeys(enc, { format: 'yaml', identities: [], recipients: [bob.recipient, alice.recipient] })).toBe(enc);
  });

  test('rotate makes a new data key, keeps the values and rules, and can change recipients', async () => {
    const later = new BuiltinSopsBackend({ now: () => new Date('2031-01-01T00:00:00Z') });
    const enc = await encrypt(SECRET, 'yaml', { encrypted_regex: '^stringData$' });
    const rotated = await later.rotate(enc, { format: 'yaml', identities: [alice.identity], recipients: [alice.recipient, bob.recipient] });
    expect(await dataKeyOf(rotated, alice.identity)).not.toBe(await dataKeyOf(enc, alice.identity));
    const meta = readMetadata(rotated, 'yaml');
    expect(meta.recipients).toEqual([alice.recipient, bob.recipient]);
    expect(meta.rules).toEqual({ encrypted_regex: '^stringData$' });
    expect(meta.lastmodified).toBe('2031-01-01T00:00:00Z');
    expect(yamlDocs((await decrypt(rotated, 'yaml', [bob.identity])).plaintext)).toEqual(yamlDocs(SECRET));
  });

  test.each([
    ['yaml', 'a: one\n---\nb: two\n'],
    ['json', '{\n\t"a": "one",\n\t"n": 2\n}\n'],
    ['dotenv', '#note\nA=one\n'],
    ['binary', 'raw bytes\n'],
  ] as [SopsFormat, string][])('updateKeys then rotate keep a %s file decryptable to the same plaintext', async (format, src) => {
    const enc = await encrypt(src, format);
    const updated = await backend.updateKeys(enc, { format, identities: [alice.identity], recipients: [bob.recipient] });
    expect(readMetadata(updated, format).recipients).toEqual([bob.recipient]);
    const rotated = await backend.rotate(updated, { format, identities: [bob.identity], recipients: [alice.recipient] });
    expect(readMetadata(rotated, format).recipients).toEqual([alice.recipient]);
    expect((await decrypt(rotated, format)).plaintext).toBe(src);
  });

  test('rotate refuses a tampered file', async () => {
    const enc = await encrypt(SECRET, 'yaml', { encrypted_regex: '^stringData$' });
    await expect(backend.rotate(enc.replace('name: db', 'name: dc'), { format: 'yaml', identities: [alice.identity] })).rejects.toThrow(/MAC mismatch/);
  });
});

describe('bad input is a UserError with a clear reason', () => {
  test('wrong key', async () => {
    const enc = await encrypt(SECRET, 'yaml');
    const err = await decrypt(enc, 'yaml', [bob.identity]).catch((e) => e);
    expect(err).toBeInstanceOf(UserError);
    expect(err.message).toBe(`test.yaml: none of the 1 age identity can decrypt the data key (the file is encrypted to ${alice.recipient})`);
  });

  test('missing key', async () => {
    const enc = await encrypt(SECRET, 'yaml');
    await expect(decrypt(enc, 'yaml', [])).rejects.toThrow(/no age identity available: set SOPS_AGE_KEY_FILE or SOPS_AGE_KEY/);
  });

  test('malformed YAML names the line', async () => {
    await expect(decrypt('a: [1, 2\nb: c\n', 'yaml')).rejects.toThrow(/test.yaml: not valid YAML \(line \d+/);
  });

  test('a plaintext file given to decrypt', async () => {
    await expect(decrypt(SECRET, 'yaml')).rejects.toThrow('test.yaml: not a sops-encrypted yaml file (it has no sops metadata)');
  });

  test('a tampered MAC', async () => {
    const enc = await encrypt(SECRET, 'yaml');
    const tampered = enc.replace(/mac: ENC\[AES256_GCM,data:(.)/, (_m, c) => `mac: ENC[AES256_GCM,data:${c === 'A' ? 'B' : 'A'}`);
    await expect(decrypt(tampered, 'yaml')).rejects.toThrow(/cannot decrypt the MAC/);
  });

  test('a value moved to another key fails authentication and names the path', async () => {
    const enc = await encrypt('a:\n  x: one\n  y: two\n', 'yaml');
    const swapped = enc.replace(/^(\s+)x: /m, '$1z: ');
    await expect(decrypt(swapped, 'yaml')).rejects.toThrow(/test.yaml: a.z: cannot decrypt value: authentication failed/);
  });

  test('a clear string where the rules say encrypted', async () => {
    const enc = await encrypt('a: one\n', 'yaml');
    await expect(decrypt(enc.replace(/^a: .*$/m, 'a: plain'), 'yaml')).rejects.toThrow(/a: value should be encrypted under this file's rules/);
  });

  test('a recipient that is not an age public key', async () => {
    await expect(encrypt(SECRET, 'yaml', undefined, ['age1notakey'])).rejects.toThrow(/"age1notakey" is not a valid age public key/);
    await expect(encrypt(SECRET, 'yaml', undefined, ['ssh-ed25519 AAAA'])).rejects.toThrow(/is not an age public key \(expected age1...\)/);
  });

  test('a private key passed as recipient is refused without echoing it', async () => {
    const err = await encrypt(SECRET, 'yaml', undefined, [alice.identity]).catch((e) => e);
    expect(err.message).toBe('test.yaml: a recipient looks like an age private key (AGE-SECRET-KEY-…); pass its public key age1… (age-keygen -y prints it) and keep the private key out of commands and files');
  });

  test('no recipients', async () => {
    await expect(encrypt(SECRET, 'yaml', undefined, [])).rejects.toThrow(/no age recipients given/);
  });

  test('a file that is already encrypted', async () => {
    const enc = await encrypt(SECRET, 'yaml');
    await expect(encrypt(enc, 'yaml')).rejects.toThrow(/already encrypted/);
  });

  test('a YAML document that is not a mapping, and a non-string key', async () => {
    await expect(encrypt('- a\n- b\n', 'yaml')).rejects.toThrow(/document 1 is not a mapping/);
    await expect(encrypt('1: a\n', 'yaml')).rejects.toThrow(/map key 1 is not a string/);
  });

  test('a parse error never quotes the input (it may be a secret)', async () => {
    const err = await encrypt('{"password": hunter2}', 'json').catch((e) => e);
    expect(err).toBeInstanceOf(UserError);
    expect(err.message).not.toContain('hunter2');
  });

  test('malformed JSON and dotenv', async () => {
    await expect(encrypt('{"a": ', 'json')).rejects.toThrow(/test.json: not valid JSON/);
    await expect(encrypt('JUST_A_NAME\n', 'dotenv')).rejects.toThrow(/test.dotenv: line 1: not a KEY=VALUE line/);
  });
});

describe('samePlaintext (for no-churn checks)', () => {
  test('layout differences do not count: indentation, quoting, 1.0 vs 1.00', () => {
    expect(samePlaintext('a:\n  b: "x"\n  n: 1.0\n', 'a:\n    b: x\n    n: 1.00\n', 'yaml')).toBe(true);
  });

  test.each([
    ['yaml', `${SECRET}ratio: 1.0\nwhen: 2024-01-01\n# note\n`],
    ['json', '{"n": 7, "f": 1.0, "s": "x"}'],
    ['dotenv', '#c\nA=b\n'],
  ] as [SopsFormat, string][])('a decrypted %s file compares equal to the plaintext it was made from', async (format, src) => {
    const dec = await decrypt(await encrypt(src, format), format);
    expect(samePlaintext(dec.plaintext, src, format)).toBe(true);
  });

  test('an int and a float with the same text are the same content (same MAC bytes)', () => {
    expect(samePlaintext('{"n": 7}', '{"n": 7.0}', 'json')).toBe(true);
  });

  test('a changed value, key order, type or comment counts', () => {
    expect(samePlaintext('a: x\n', 'a: y\n', 'yaml')).toBe(false);
    expect(samePlaintext('a: x\nb: y\n', 'b: y\na: x\n', 'yaml')).toBe(false);
    expect(samePlaintext('a: 1\n', 'a: "1"\n', 'yaml')).toBe(false);
    expect(samePlaintext('a: true\n', 'a: "true"\n', 'yaml')).toBe(false);
    expect(samePlaintext('a: x\n', '# note\na: x\n', 'yaml')).toBe(false);
  });

  test('binary content is compared byte for byte', () => {
    expect(samePlaintext(Buffer.from([1, 2]), Buffer.from([1, 2]), 'binary')).toBe(true);
    expect(samePlaintext(Buffer.from([1, 2]), Buffer.from([1, 3]), 'binary')).toBe(false);
  });
});
