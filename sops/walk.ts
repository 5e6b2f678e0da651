// The tree walk of sops.go: encrypt or decrypt every leaf in an encrypted position, with the map
// keys of its path as AAD, and hash the plaintext of the leaves in document order for the MAC.
import { UserError } from '../primitives/errors.js';
import { MacHasher, decryptValue, encryptValue, parseEnc } from './cipher.js';
import type { EncryptionPredicate } from './rules.js';
import type { CommentItem, Doc, ListNode, MapNode, ScalarNode, TreeNode } from './tree.js';
import { canonicalFromType } from './values.js';

export interface WalkContext {
  key: Uint8Array;
  shouldEncrypt: EncryptionPredicate;
  macOnlyEncrypted: boolean;
  /** The file, for error messages. */
  name: string;
  /** The binary store keeps its payload as bytes. */
  binary?: boolean;
}

const aadOf = (keys: readonly string[]) => keys.join(':') + ':';
const plainBytes = (s: ScalarNode) => s.raw ?? Buffer.from(s.text, 'utf8');

function where(display: readonly string[], docIndex: number, docCount: number): string {
  const p = display.join('').replace(/^\./, '') || '(top level)';
  return docCount > 1 ? `document ${docIndex + 1}, ${p}` : p;
}

type Visit = {
  scalar(s: ScalarNode, keys: string[], display: string[], encrypted: boolean): ScalarNode;
  comment(c: CommentItem, keys: string[], display: string[], encrypted: boolean): CommentItem;
};

function walkNode(n: TreeNode, keys: string[], display: string[], v: Visit, pred: EncryptionPredicate): TreeNode {
  switch (n.kind) {
    case 'null':
      return n;
    case 'scalar':
      return v.scalar(n, keys, display, pred(keys));
    case 'map':
      return walkMap(n, keys, display, v, pred);
    case 'list':
      return walkList(n, keys, display, v, pred);
  }
}

function walkMap(m: MapNode, keys: string[], display: string[], v: Visit, pred: EncryptionPredicate): MapNode {
  return {
    kind: 'map',
    items: m.items.map((i) =>
      i.kind === 'comment'
        ? v.comment(i, keys, display, pred(keys))
        : { kind: 'entry', key: i.key, value: walkNode(i.value, [...keys, i.key], [...display, '.' + i.key], v, pred) },
    ),
  };
}

function walkList(l: ListNode, keys: string[], display: string[], v: Visit, pred: EncryptionPredicate): ListNode {
  let index = 0;
  return {
    kind: 'list',
    items: l.items.map((i) =>
      i.kind === 'comment' ? v.comment(i, keys, display, pred(keys)) : walkNode(i, keys, [...display, `[${index++}]`], v, pred),
    ),
  };
}

/** Encrypts the documents in place of a copy; returns them and the MAC (hex) over their plaintext. */
export function encryptDocs(docs: Doc[], ctx: WalkContext): { docs: Doc[]; mac: string } {
  const mac = new MacHasher(ctx.macOnlyEncrypted);
  const shouldEncrypt: EncryptionPredicate = ctx.binary ? () => true : ctx.shouldEncrypt;
  const visit: Visit = {
    scalar(s, keys, _display, encrypted) {
      const bytes = plainBytes(s);
      if (!ctx.macOnlyEncrypted || encrypted) mac.add(bytes);
      if (!encrypted || (s.type === 'str' && bytes.length === 0)) return s;
      // The binary store labels its payload `str`, as sops does.
      const type = s.type === 'bytes' ? 'str' : s.type;
      return { kind: 'scalar', type: 'str', text: encryptValue(bytes, ctx.key, aadOf(keys), type) };
    },
    comment(c, keys, _display, encrypted) {
      if (!encrypted || c.text === '') return c;
      return { kind: 'comment', text: encryptValue(Buffer.from(c.text, 'utf8'), ctx.key, aadOf(keys), 'comment') };
    },
  };
  const out = docs.map((d) => walkMap(d, [], [], visit, shouldEncrypt));
  return { docs: out, mac: mac.hex() };
}

/**
 * Decrypts the documents and recomputes the MAC. Any value that fails authentication, or that sits
 * in an encrypted position without being an `ENC[...]` string, refuses the whole file.
 */
export function decryptDocs(docs: Doc[], ctx: WalkContext): { docs: Doc[]; mac: string } {
  const mac = new MacHasher(ctx.macOnlyEncrypted);
  const shouldEncrypt: EncryptionPredicate = ctx.binary ? () => true : ctx.shouldEncrypt;
  let docIndex = 0;
  const visit: Visit = {
    scalar(s, keys, display, encrypted) {
      let out = s;
      if (encrypted && !(s.type === 'str' && s.text === '')) {
        const at = `${ctx.name}: ${where(display, docIndex, docs.length)}`;
        const enc = s.type === 'str' ? parseEnc(s.text) : undefined;
        if (!enc) {
          throw new UserError(`${at}: value should be encrypted under this file's rules but is not in sops' ENC[AES256_GCM,...] form (was the file edited by hand?)`);
        }
        let plain: Buffer;
        try {
          plain = decryptValue(enc, ctx.key, aadOf(keys));
        } catch {
          throw new UserError(`${at}: cannot decrypt value: authentication failed (the value or its key path was changed, or the data key is wrong)`);
        }
        if (ctx.binary) {
          out = { kind: 'scalar', type: 'str', text: '', raw: plain };
        } else {
          const canonical = canonicalFromType(enc.type, plain.toString('utf8'));
          if (canonical === undefined || enc.type === 'comment') {
            throw new UserError(`${at}: decrypted value has unknown or invalid type ${JSON.stringify(enc.type)}`);
          }
          out = { kind: 'scalar', type: enc.type === 'bytes' ? 'str' : (enc.type as ScalarNode['type']), text: canonical };
        }
      }
      if (!ctx.macOnlyEncrypted || encrypted) mac.add(plainBytes(out));
      return out;
    },
    comment(c, keys, _display, encrypted) {
      if (!encrypted) return c;
      const enc = parseEnc(c.text);
      if (!enc) return c;
      try {
        return { kind: 'comment', text: decryptValue(enc, ctx.key, aadOf(keys)).toString('utf8') };
      } catch {
        // sops keeps a comment it cannot decrypt as it is (hand-edited files have clear ones).
        return c;
      }
    },
  };
  const out: Doc[] = [];
  for (const d of docs) {
    out.push(walkMap(d, [], [], visit, shouldEncrypt));
    docIndex++;
  }
  return { docs: out, mac: mac.hex() };
}
