// The YAML store (sops-format.md §9.1): parsed with the `yaml` package (it keeps key order, source
// text and comments, which js-yaml drops), typed like Go's yaml.v3, emitted block style, indent 4.
import { Document, LineCounter, Pair, Scalar, YAMLMap, YAMLSeq, isAlias, isMap, isPair, isScalar, isSeq, parseAllDocuments } from 'yaml';
import type { Node as YamlNode } from 'yaml';
import { UserError } from '../../primitives/errors.js';
import type { CommentItem, Doc, ListNode, MapNode, TreeNode } from '../tree.js';
import { resolvePlain } from '../values.js';
import type { ParsedFile, Store } from './store.js';
import { splitMetadata } from './store.js';

const YAML_11_SPECIALS = /^(y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$/;

function commentLines(text: string | null | undefined): CommentItem[] {
  if (!text) return [];
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => ({ kind: 'comment', text: l }));
}

interface Ctx {
  name: string;
  doc: Document.Parsed;
}

function scalarToTree(n: Scalar, ctx: Ctx, at: string): TreeNode {
  const tag = n.tag;
  const v = n.value;
  if (tag === 'tag:yaml.org,2002:str') return { kind: 'scalar', type: 'str', text: String(v) };
  if (n.type === 'PLAIN' && (!tag || tag.startsWith('tag:yaml.org,2002:'))) {
    const src = typeof v === 'string' ? v : (n.source ?? String(v));
    const r = resolvePlain(src);
    if (r === null) return { kind: 'null' };
    if (tag && tag !== 'tag:yaml.org,2002:' + ({ str: 'str', int: 'int', float: 'float', bool: 'bool', time: 'timestamp' } as const)[r.type]) {
      throw new UserError(`${ctx.name}: ${at}: value does not match its explicit tag ${tag}`);
    }
    return { kind: 'scalar', type: r.type, text: r.text };
  }
  if (v === null) return { kind: 'null' };
  if (typeof v === 'string') return { kind: 'scalar', type: 'str', text: v };
  if (tag && !tag.startsWith('tag:yaml.org,2002:')) {
    throw new UserError(`${ctx.name}: ${at}: custom YAML tag ${tag} is not supported`);
  }
  return { kind: 'scalar', type: 'str', text: String(v) };
}

function nodeToTree(n: unknown, ctx: Ctx, at: string, depth = 0): TreeNode {
  if (depth > 1000) throw new UserError(`${ctx.name}: ${at}: nesting too deep (recursive alias?)`);
  if (n === null || n === undefined) return { kind: 'null' };
  if (isAlias(n)) return nodeToTree(n.resolve(ctx.doc), ctx, at, depth + 1);
  if (isScalar(n)) return scalarToTree(n, ctx, at);
  if (isMap(n)) {
    const out: MapNode = { kind: 'map', items: [...commentLines(n.commentBefore)] };
    for (const p of n.items) {
      if (!isPair(p)) continue;
      const k = p.key;
      const keyIsString =
        isScalar(k) && typeof k.value === 'string' && (k.type !== 'PLAIN' || k.tag === 'tag:yaml.org,2002:str' || resolvePlain(k.value)?.type === 'str');
      if (!keyIsString) {
        const shown = isScalar(k) ? String(k.source ?? k.value) : 'a collection';
        throw new UserError(`${ctx.name}: ${at}: map key ${shown} is not a string (sops needs string keys; quote it)`);
      }
      const key = String(k.value);
      out.items.push(...commentLines(k.commentBefore));
      const v = p.value as YamlNode | null;
      if (isScalar(v) || isAlias(v)) out.items.push(...commentLines(v.commentBefore));
      const childAt = at ? `${at}.${key}` : key;
      out.items.push({ kind: 'entry', key, value: nodeToTree(v, ctx, childAt, depth + 1) });
      if (isScalar(v) || isAlias(v)) out.items.push(...commentLines(v.comment));
      if (k.comment) out.items.push(...commentLines(k.comment));
    }
    out.items.push(...commentLines(n.comment));
    return out;
  }
  if (isSeq(n)) {
    const out: ListNode = { kind: 'list', items: [...commentLines(n.commentBefore)] };
    n.items.forEach((item, i) => {
      const it = item as YamlNode | null;
      if (isScalar(it) || isAlias(it)) out.items.push(...commentLines(it.commentBefore));
      out.items.push(nodeToTree(it, ctx, `${at}[${i}]`, depth + 1));
      if (isScalar(it) || isAlias(it)) out.items.push(...commentLines(it.comment));
    });
    out.items.push(...commentLines(n.comment));
    return out;
  }
  throw new UserError(`${ctx.name}: ${at}: unsupported YAML node`);
}

export function parseYamlDocs(text: string, name: string): Doc[] {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { uniqueKeys: true, prettyErrors: false, strict: true, lineCounter });
  const list = Array.isArray(docs) ? docs : [];
  const out: Doc[] = [];
  list.forEach((doc, i) => {
    const err = doc.errors[0];
    if (err) {
      const line = lineCounter.linePos(err.pos[0]);
      throw new UserError(`${name}: not valid YAML${line ? ` (line ${line.line}, column ${line.col})` : ''}: ${err.message.split('\n')[0]}`);
    }
    const ctx: Ctx = { name, doc };
    const c = doc.contents;
    const head = commentLines(doc.commentBefore);
    const tail = commentLines(doc.comment);
    if (c === null || (isScalar(c) && c.value === null && c.type === 'PLAIN' && !c.source)) {
      out.push({ kind: 'map', items: [...head, ...tail] });
      return;
    }
    const tree = nodeToTree(c, ctx, '');
    if (tree.kind !== 'map') {
      throw new UserError(`${name}: document ${i + 1} is not a mapping at the top level (sops needs key: value pairs at the root)`);
    }
    out.push({ kind: 'map', items: [...head, ...tree.items, ...tail] });
  });
  if (out.length === 0) out.push({ kind: 'map', items: [] });
  return out;
}

/** Whether a string would read back as something else (in Go's yaml.v3 or a YAML 1.1 reader) unless quoted. */
function needsQuotes(s: string): boolean {
  const r = resolvePlain(s);
  return r === null || r.type !== 'str' || YAML_11_SPECIALS.test(s);
}

function stringScalar(s: string): Scalar {
  const n = new Scalar(s);
  if (needsQuotes(s)) n.type = 'QUOTE_DOUBLE';
  return n;
}

function treeToNode(n: TreeNode): YamlNode {
  switch (n.kind) {
    case 'null':
      return new Scalar(null);
    case 'scalar':
      switch (n.type) {
        case 'int':
          return new Scalar(BigInt(n.text));
        case 'float': {
          const f = new Scalar(n.text === '+Inf' ? Infinity : n.text === '-Inf' ? -Infinity : Number(n.text));
          // `1.0`, not Go's `1`: otherwise a decrypted float reads back as an int and changes type.
          f.minFractionDigits = 1;
          return f;
        }
        case 'bool':
          return new Scalar(n.text === 'True');
        case 'time':
          return new Scalar(n.text);
        default:
          return stringScalar(n.raw ? n.raw.toString('utf8') : n.text);
      }
    case 'map': {
      const m = new YAMLMap();
      let pending: string[] = [];
      for (const i of n.items) {
        if (i.kind === 'comment') {
          pending.push(i.text);
          continue;
        }
        const key = stringScalar(i.key);
        if (pending.length) key.commentBefore = pending.join('\n');
        pending = [];
        m.items.push(new Pair(key, treeToNode(i.value)));
      }
      if (pending.length) m.comment = pending.join('\n');
      return m;
    }
    case 'list': {
      const s = new YAMLSeq();
      let pending: string[] = [];
      for (const i of n.items) {
        if (i.kind === 'comment') {
          pending.push(i.text);
          continue;
        }
        const node = treeToNode(i);
        if (pending.length) node.commentBefore = pending.join('\n');
        pending = [];
        s.items.push(node);
      }
      if (pending.length) s.comment = pending.join('\n');
      return s;
    }
  }
}

export function emitYamlDocs(docs: Doc[]): string {
  return docs
    .map((d) => {
      const doc = new Document();
      const contents = treeToNode(d) as YAMLMap;
      // A document whose first item is a comment: the comment goes before the first key, as sops writes it.
      doc.contents = contents;
      if (contents.items.length === 0) {
        const comments = d.items.filter((i): i is CommentItem => i.kind === 'comment').map((c) => c.text);
        doc.contents = null;
        if (comments.length) doc.comment = comments.join('\n');
        return comments.length ? doc.toString({ indent: 4 }) : '{}\n';
      }
      return doc.toString({ indent: 4, indentSeq: true, lineWidth: 0, minContentWidth: 0 });
    })
    .join('---\n');
}

export const yamlStore: Store = {
  format: 'yaml',
  parsePlain(input, name) {
    const docs = parseYamlDocs(input.toString('utf8'), name);
    return docs;
  },
  parseEncrypted(input, name): ParsedFile {
    return splitMetadata(parseYamlDocs(input.toString('utf8'), name), name);
  },
  emit(docs) {
    return Buffer.from(emitYamlDocs(docs), 'utf8');
  },
};
