import type { FieldChange } from './model.js';
import { containsHiddenValue, isEncryptedValue, isSecretPath, type PathSegment } from './redact.js';
import { canonicalJson } from './tree.js';

/**
 * Every field that differs between two versions of one object, as readable paths. Lists of
 * objects that all carry a unique `name` (containers, env, ports, volumes) are matched by name,
 * so inserting a container reports that container, not every one after it.
 * The whole `sops` metadata block counts as one field: it changes on every re-encryption and
 * its sub-fields mean nothing to a reviewer.
 */
export function fieldChanges(base: Record<string, any>, head: Record<string, any>): FieldChange[] {
  const out: FieldChange[] = [];
  const secretAt = (segs: PathSegment[], a: unknown, b: unknown) =>
    isSecretPath(base, segs) || isSecretPath(head, segs) || containsHiddenValue(a) || containsHiddenValue(b);

  const walk = (a: unknown, b: unknown, segs: PathSegment[], path: string): void => {
    if (a === undefined) return void out.push({ path, change: 'added', secret: secretAt(segs, a, b) });
    if (b === undefined) return void out.push({ path, change: 'removed', secret: secretAt(segs, a, b) });
    if (segs.length === 1 && segs[0] === 'sops') {
      if (canonicalJson(a) !== canonicalJson(b)) out.push({ path, change: 'changed', secret: true });
      return;
    }
    if (isMap(a) && isMap(b)) {
      const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
      for (const k of keys) walk(a[k], b[k], [...segs, k], path + keySegment(k, path === ''));
      return;
    }
    if (Array.isArray(a) && Array.isArray(b)) {
      // A path names an item by its `name` value, so never inside a secret: that value may be one.
      const byName = !secretAt(segs, undefined, undefined) && namedItems(a) && namedItems(b);
      if (byName) {
        const am = new Map(a.map((x) => [x.name as string, x]));
        const bm = new Map(b.map((x) => [x.name as string, x]));
        const names = [...new Set([...am.keys(), ...bm.keys()])];
        for (const n of names) walk(am.get(n), bm.get(n), [...segs, n], `${path}[name=${n}]`);
        // Same items in another order: the order itself is the change.
        if (names.every((n) => am.has(n) && bm.has(n)) && a.some((x, i) => x.name !== b[i].name)) {
          out.push({ path: `${path} (order)`, change: 'changed', secret: secretAt(segs, a, b) });
        }
        return;
      }
      const n = Math.max(a.length, b.length);
      for (let i = 0; i < n; i++) walk(a[i], b[i], [...segs, i], `${path}[${i}]`);
      return;
    }
    if (canonicalJson(a) !== canonicalJson(b)) out.push({ path, change: 'changed', secret: secretAt(segs, a, b) });
  };
  walk(base, head, [], '');
  return out;
}

function isMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date) && !(v instanceof Uint8Array);
}

function namedItems(a: unknown[]): a is Array<{ name: string }> {
  if (a.length === 0) return false;
  const names = new Set<string>();
  for (const x of a) {
    if (!isMap(x) || typeof x.name !== 'string' || isEncryptedValue(x.name) || names.has(x.name)) return false;
    names.add(x.name);
  }
  return true;
}

/** `.key`, or `["app.kubernetes.io/name"]` when the key is not a plain identifier. */
function keySegment(k: string, first: boolean): string {
  if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(k)) return first ? k : `.${k}`;
  return `[${JSON.stringify(k)}]`;
}
