// The dotenv store (sops-format.md §9.3, §8.3): line based, no trimming, no quotes, `\n` escapes;
// the metadata is flattened into `sops_`-prefixed keys (`sops_age__list_0__map_enc`).
import { UserError } from '../../primitives/errors.js';
import type { Doc, MapNode, TreeNode } from '../tree.js';
import { toPlain } from '../tree.js';
import type { ParsedFile, Store } from './store.js';

const unescape = (v: string) => v.replace(/\\n/g, '\n');
const escape = (v: string) => v.replace(/\n/g, '\\n');

export function parseDotenv(text: string, name: string): Doc {
  const doc: MapNode = { kind: 'map', items: [] };
  text.split('\n').forEach((line, i) => {
    if (line === '') return;
    if (line.startsWith('#')) {
      doc.items.push({ kind: 'comment', text: line.slice(1) });
      return;
    }
    const eq = line.indexOf('=');
    if (eq < 0) throw new UserError(`${name}: line ${i + 1}: not a KEY=VALUE line or a # comment`);
    doc.items.push({ kind: 'entry', key: line.slice(0, eq), value: { kind: 'scalar', type: 'str', text: unescape(line.slice(eq + 1)) } });
  });
  return doc;
}

/** `age__list_0__map_enc` → ['age', 0, 'enc']. */
function flatPath(flat: string): (string | number)[] {
  const parts = flat.split(/(__list_\d+|__map_)/);
  const path: (string | number)[] = [parts[0]];
  for (let i = 1; i < parts.length; i += 2) {
    const sep = parts[i];
    const rest = parts[i + 1] ?? '';
    if (sep === '__map_') path.push(rest);
    else {
      path.push(Number(sep.slice('__list_'.length)));
      if (rest) path.push(rest); // cannot happen in sops output; kept for robustness
    }
  }
  return path;
}

function unflatten(pairs: [string, string][]): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [flat, value] of pairs) {
    const path = flatPath(flat);
    let cur: any = root;
    path.forEach((seg, i) => {
      const last = i === path.length - 1;
      if (last) {
        cur[seg] = value;
        return;
      }
      if (cur[seg] === undefined) cur[seg] = typeof path[i + 1] === 'number' ? [] : {};
      cur = cur[seg];
    });
  }
  const fixed: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(root)) fixed[k] = Array.isArray(v) ? v.filter((x) => x !== undefined) : v;
  if (fixed.mac_only_encrypted !== undefined) fixed.mac_only_encrypted = fixed.mac_only_encrypted === 'true';
  if (typeof fixed.shamir_threshold === 'string') fixed.shamir_threshold = Number(fixed.shamir_threshold);
  return fixed;
}

function flatten(v: unknown, prefix: string, out: [string, string][]): void {
  if (Array.isArray(v)) v.forEach((x, i) => flatten(x, `${prefix}__list_${i}`, out));
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) flatten(x, `${prefix}__map_${k}`, out);
  else out.push([prefix, String(v)]);
}

function emitDotenv(docs: Doc[]): string {
  const lines: string[] = [];
  for (const i of docs[0].items) {
    if (i.kind === 'comment') {
      lines.push('#' + i.text);
      continue;
    }
    if (i.key === 'sops') {
      const flat: [string, string][] = [];
      for (const [k, v] of Object.entries(toPlain(i.value) as Record<string, unknown>)) flatten(v, 'sops_' + k, flat);
      flat.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      for (const [k, v] of flat) lines.push(`${k}=${escape(v)}`);
      continue;
    }
    lines.push(`${i.key}=${escape(scalarText(i.value, i.key))}`);
  }
  return lines.map((l) => l + '\n').join('');
}

function scalarText(n: TreeNode, key: string): string {
  if (n.kind !== 'scalar') throw new UserError(`dotenv cannot hold the nested value of ${key}`);
  return n.raw ? n.raw.toString('utf8') : n.text;
}

export const dotenvStore: Store = {
  format: 'dotenv',
  parsePlain(input, name) {
    return [parseDotenv(input.toString('utf8'), name)];
  },
  parseEncrypted(input, name): ParsedFile {
    const doc = parseDotenv(input.toString('utf8'), name);
    const meta: [string, string][] = [];
    const items = doc.items.filter((i) => {
      if (i.kind === 'entry' && i.key.startsWith('sops_')) {
        meta.push([i.key.slice('sops_'.length), (i.value as { text: string }).text]);
        return false;
      }
      return true;
    });
    return { docs: [{ kind: 'map', items }], metadata: meta.length ? unflatten(meta) : undefined };
  },
  emit(docs) {
    return Buffer.from(emitDotenv(docs), 'utf8');
  },
};

/** Used by the builtin backend to refuse a plaintext that already carries sops keys. */
export const isDotenvSopsKey = (k: string) => k.startsWith('sops_');
