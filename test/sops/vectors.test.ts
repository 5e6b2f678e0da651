// Interop with files written by the real sops (3.3–3.13): every `ok` vector decrypts to its
// expected documents with the MAC verified; every negative vector is refused.
import { BuiltinSopsBackend, openWithDataKey } from '../../sops/builtin.js';
import { readIdentityFile } from '../../sops/identities.js';
import { type Doc, type TreeNode, toPlain } from '../../sops/tree.js';
import { parseAllDocuments } from 'yaml';
import { UserError } from '../../primitives/errors.js';
import { VECTORS, expectedOf, identityFileOf, readVector, vectors } from './helpers.js';
import { describeWithReferenceData } from '../helpers/reference-data.js';

const backend = new BuiltinSopsBackend();
const okAge = vectors.filter((v) => v.expect === 'ok' && v.wrapping !== 'pgp');
const okAll = vectors.filter((v) => v.expect === 'ok');
const negatives = vectors.filter((v) => v.expect !== 'ok');

/** Reads our decrypted output back with parsers other than ours. */
function independentlyParsed(bytes: Buffer, format: string): unknown[] {
  switch (format) {
    case 'yaml':
      return parseAllDocuments(bytes.toString('utf8')).map((d) => d.toJS());
    case 'json':
      return [JSON.parse(bytes.toString('utf8'))];
    case 'dotenv':
      return [Object.fromEntries(bytes.toString('utf8').split('\n').filter((l) => l && !l.startsWith('#')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1).replace(/\\n/g, '\n')]))];
    default:
      return [{ data: { base64: bytes.toString('base64') } }];
  }
}

function commentsOf(docs: Doc[]): string[] {
  const out: string[] = [];
  const walk = (n: TreeNode | Doc) => {
    if (n.kind === 'map') n.items.forEach((i) => (i.kind === 'comment' ? out.push(i.text) : walk(i.value)));
    if (n.kind === 'list') n.items.forEach((i) => (i.kind === 'comment' ? out.push(i.text) : walk(i)));
  };
  docs.forEach(walk);
  return out;
}

function plainDocs(docs: ReturnType<typeof openWithDataKey>['docs'], format: string) {
  return docs.map((d) => {
    const o = toPlain(d) as Record<string, unknown>;
    if (format === 'binary') return { data: { base64: (o.data as Buffer).toString('base64') } };
    return o;
  });
}

describeWithReferenceData('sops vectors made by the real sops', VECTORS, () => {
  test.each(okAge.map((v) => [v.id, v]))('%s decrypts with its age identity, MAC verified', async (_id, v) => {
    const res = await backend.decrypt(readVector(v), { format: v.format, identities: readIdentityFile(identityFileOf(v)), name: v.id });
    expect(independentlyParsed(res.bytes, v.format)).toEqual(expectedOf(v).documents);
  });

  test.each(okAll.map((v) => [v.id, v]))('%s value layer: data key gives the expected documents and MAC', (_id, v) => {
    const opened = openWithDataKey(readVector(v), v.format, Buffer.from(v.data_key_hex, 'hex'), v.id);
    const expected = expectedOf(v);
    expect(plainDocs(opened.docs, v.format)).toEqual(expected.documents);
    expect(opened.mac).toBe(expected.mac_plaintext);
    expect(commentsOf(opened.docs)).toEqual(expected.comments.map((c: { plaintext: string }) => c.plaintext));
  });

  test.each(negatives.map((v) => [v.id, v]))('%s is refused with a UserError', async (_id, v) => {
    const attempt = v.age_identity_file
      ? backend.decrypt(readVector(v), { format: v.format, identities: readIdentityFile(identityFileOf(v)), name: v.id })
      : Promise.resolve().then(() => openWithDataKey(readVector(v), v.format, Buffer.from(v.data_key_hex, 'hex'), v.id));
    await expect(attempt).rejects.toThrow(UserError);
    const kind = { 'fail-gcm': /authentication failed/, 'fail-mac': /MAC/, 'fail-no-mac': /no MAC/ }[v.expect as 'fail-gcm'];
    await expect(attempt).rejects.toThrow(kind);
  });
});
