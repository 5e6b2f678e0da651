// The JSON and binary stores (sops-format.md §9.2, §9.4). JSON is validated with JSON.parse, then
// read through the `yaml` parser (JSON is YAML 1.2) to keep key order and number source text,
// which JSON.parse loses (integer-like keys move, 7 and 7.0 become the same).
import { isMap, isPair, isScalar, isSeq, parseDocument } from 'yaml';
import { UserError } from '../../primitives/errors.js';
import type { Doc, ListNode, MapNode, TreeNode } from '../tree.js';
import { formatGoFloat, parseGoInt } from '../values.js';
import type { ParsedFile, Store } from './store.js';
import { splitMetadata } from './store.js';

function toTree(n: unknown, name: string): TreeNode {
  if (n === null || n === undefined) return { kind: 'null' };
  if (isMap(n)) {
    const out: MapNode = { kind: 'map', items: [] };
    for (const p of n.items) {
      if (!isPair(p) || !isScalar(p.key)) continue;
      out.items.push({ kind: 'entry', key: String(p.key.value), value: toTree(p.value, name) });
    }
    return out;
  }
  if (isSeq(n)) {
    const out: ListNode = { kind: 'list', items: n.items.map((i) => toTree(i, name)) };
    return out;
  }
  if (isScalar(n)) {
    const v = n.value;
    if (v === null) return { kind: 'null' };
    if (typeof v === 'boolean') return { kind: 'scalar', type: 'bool', text: v ? 'True' : 'False' };
    if (typeof v === 'string') return { kind: 'scalar', type: 'str', text: v };
    const src = n.source ?? String(v);
    // sops >= 3.13.2 types integers that fit int64 as int; everything else is a float64.
    const int = parseGoInt(src);
    if (int !== undefined) return { kind: 'scalar', type: 'int', text: int };
    return { kind: 'scalar', type: 'float', text: formatGoFloat(Number(src)) };
  }
  throw new UserError(`${name}: unsupported JSON value`);
}

export function parseJsonDoc(text: string, name: string): Doc {
  try {
    JSON.parse(text);
  } catch (e) {
    // Node's message can quote a piece of the input, which may be a secret: give only the place.
    const pos = /position (\d+)/.exec((e as Error).message);
    const at = pos ? ` (line ${text.slice(0, Number(pos[1])).split('\n').length})` : '';
    throw new UserError(`${name}: not valid JSON${at}`);
  }
  const doc = parseDocument(text, { uniqueKeys: true, strict: false });
  if (doc.errors.length) throw new UserError(`${name}: not valid JSON: ${doc.errors[0].message.split('\n')[0]}`);
  const tree = toTree(doc.contents, name);
  if (tree.kind !== 'map') throw new UserError(`${name}: the top level of a JSON file must be an object for sops`);
  return tree;
}

/** Go's encoding/json string escaping (it also escapes <, > and &). */
function goJsonString(s: string): string {
  return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

function emitNode(n: TreeNode, level: number): string {
  const pad = '\t'.repeat(level + 1);
  const end = '\t'.repeat(level);
  switch (n.kind) {
    case 'null':
      return 'null';
    case 'map': {
      const entries = n.items.filter((i) => i.kind === 'entry');
      if (!entries.length) return '{}';
      return `{\n${entries.map((e) => `${pad}${goJsonString(e.key)}: ${emitNode(e.value, level + 1)}`).join(',\n')}\n${end}}`;
    }
    case 'list': {
      const items = n.items.filter((i) => i.kind !== 'comment') as TreeNode[];
      if (!items.length) return '[]';
      return `[\n${items.map((i) => pad + emitNode(i, level + 1)).join(',\n')}\n${end}]`;
    }
    case 'scalar':
      switch (n.type) {
        case 'int':
          return n.text;
        case 'float':
          if (!/^-?\d/.test(n.text)) throw new UserError(`${n.text} cannot be written as a JSON number`);
          return n.text;
        case 'bool':
          return n.text === 'True' ? 'true' : 'false';
        default:
          return goJsonString(n.raw ? n.raw.toString('utf8') : n.text);
      }
  }
}

export function emitJsonDoc(d: Doc): string {
  return emitNode(d, 0);
}

export const jsonStore: Store = {
  format: 'json',
  parsePlain(input, name) {
    return [parseJsonDoc(input.toString('utf8'), name)];
  },
  parseEncrypted(input, name): ParsedFile {
    return splitMetadata([parseJsonDoc(input.toString('utf8'), name)], name);
  },
  emit(docs) {
    return Buffer.from(emitJsonDoc(docs[0]) + '\n', 'utf8');
  },
};

/** The whole file is one value under `data`; the encrypted form is JSON. */
export const binaryStore: Store = {
  format: 'binary',
  parsePlain(input) {
    return [{ kind: 'map', items: [{ kind: 'entry', key: 'data', value: { kind: 'scalar', type: 'str', text: '', raw: Buffer.from(input) } }] }];
  },
  parseEncrypted(input, name): ParsedFile {
    const parsed = splitMetadata([parseJsonDoc(input.toString('utf8'), name)], name);
    const data = parsed.docs[0].items.find((i) => i.kind === 'entry' && i.key === 'data');
    if (!data && parsed.metadata !== undefined) throw new UserError(`${name}: binary sops file has no "data" entry`);
    return parsed;
  },
  emit(docs) {
    const d = docs[0];
    const hasSops = d.items.some((i) => i.kind === 'entry' && i.key === 'sops');
    if (hasSops) return Buffer.from(emitJsonDoc(d), 'utf8');
    const data = d.items.find((i) => i.kind === 'entry' && i.key === 'data');
    if (!data || data.kind !== 'entry' || data.value.kind !== 'scalar') return Buffer.alloc(0);
    return data.value.raw ?? Buffer.from(data.value.text, 'utf8');
  },
};
