// The store-independent document model: what each store (YAML, JSON, dotenv, binary) parses into
// and emits from. Maps keep their entries in file order (a JS object would move integer-like
// keys to the front and break the MAC), and comments are items in the collection that holds them.
import type { ScalarType } from './values.js';

export interface ScalarNode {
  kind: 'scalar';
  type: ScalarType;
  /** Canonical plaintext (what sops hashes and encrypts), or the `ENC[...]` text when encrypted. */
  text: string;
  /** Raw bytes for the binary store, whose payload need not be UTF-8. */
  raw?: Buffer;
}
export interface NullNode {
  kind: 'null';
}
export interface CommentItem {
  kind: 'comment';
  text: string;
}
export interface MapEntry {
  kind: 'entry';
  key: string;
  value: TreeNode;
}
export interface MapNode {
  kind: 'map';
  items: (MapEntry | CommentItem)[];
}
export interface ListNode {
  kind: 'list';
  items: (TreeNode | CommentItem)[];
}
export type TreeNode = ScalarNode | NullNode | MapNode | ListNode;

/** One document of a file: always a map at the top, as sops requires. */
export type Doc = MapNode;

export const str = (text: string): ScalarNode => ({ kind: 'scalar', type: 'str', text });

export function getEntry(map: MapNode, key: string): MapEntry | undefined {
  return map.items.find((i): i is MapEntry => i.kind === 'entry' && i.key === key);
}

/** Plain JS value → tree (metadata only: strings, booleans, numbers, lists, objects). */
export function fromPlain(v: unknown): TreeNode {
  if (v === null || v === undefined) return { kind: 'null' };
  if (Array.isArray(v)) return { kind: 'list', items: v.map(fromPlain) };
  if (typeof v === 'object') {
    return { kind: 'map', items: Object.entries(v as object).map(([key, value]) => ({ kind: 'entry', key, value: fromPlain(value) })) };
  }
  if (typeof v === 'boolean') return { kind: 'scalar', type: 'bool', text: v ? 'True' : 'False' };
  if (typeof v === 'number') return { kind: 'scalar', type: Number.isInteger(v) ? 'int' : 'float', text: String(v) };
  return str(String(v));
}

/** Tree → plain JS value (metadata, and documents for callers that want objects). */
export function toPlain(n: TreeNode): unknown {
  switch (n.kind) {
    case 'null':
      return null;
    case 'list':
      return n.items.filter((i) => i.kind !== 'comment').map((i) => toPlain(i as TreeNode));
    case 'map': {
      const o: Record<string, unknown> = {};
      for (const i of n.items) if (i.kind === 'entry') o[i.key] = toPlain(i.value);
      return o;
    }
    case 'scalar':
      switch (n.type) {
        case 'bool':
          return n.text === 'True';
        case 'int':
          return Number(n.text);
        case 'float':
          return n.text === '+Inf' ? Infinity : n.text === '-Inf' ? -Infinity : Number(n.text);
        default:
          return n.raw ? n.raw : n.text;
      }
  }
}
