// The OpenTofu stacks of a rendered tree (`infra/<cluster>/`), base against head. They are not
// synced by Argo CD but applied with `tofu apply`, so a change there is what a reviewer must see
// before anyone applies it: a resource a stack no longer declares is destroyed by the next apply.
import { canonicalJson, type StackFiles } from './tree.js';

/** One resource a stack declares otherwise, or no longer, or newly. */
export interface StackResourceChange {
  /** `<type>.<name>`, as `tofu plan` names it. */
  readonly address: string;
  readonly change: 'added' | 'changed' | 'removed';
  /** The stack's file that declares it (head side, else base). */
  readonly file: string;
  /** `changed`: the top-level arguments that differ, sorted. */
  readonly fields?: readonly string[];
  /**
   * `removed`: what the next `tofu apply` does: destroys it, or refuses because the base declared
   * `lifecycle.prevent_destroy` (an operator must remove it from the state by hand). Absent when
   * the whole stack is removed.
   */
  readonly onApply?: 'destroyed' | 'refused (prevent_destroy)';
}

/** One cluster's stack. */
export interface StackDiff {
  readonly cluster: string;
  /** `removed`: the folder is gone, but nothing is destroyed until someone runs `tofu destroy` on its state. */
  readonly status: 'added' | 'removed' | 'changed';
  /** By address. */
  readonly resources: readonly StackResourceChange[];
  /** Files that differ besides resource blocks (outputs, variables, providers, README), by path. */
  readonly files: readonly { readonly path: string; readonly change: 'added' | 'changed' | 'removed' }[];
}

interface Resource { readonly file: string; readonly body: Record<string, unknown> }

/** The resource blocks of a stack's `*.tf.json` files, by address; files that are not JSON declare none. */
function resourcesOf(files: StackFiles): Map<string, Resource> {
  const out = new Map<string, Resource>();
  for (const [file, text] of files) {
    if (!file.endsWith('.tf.json')) continue;
    let doc: any;
    try {
      doc = JSON.parse(text);
    } catch {
      continue; // `tofu validate` reports it; the file still shows as changed.
    }
    for (const [type, byName] of Object.entries(doc?.resource ?? {})) {
      for (const [name, body] of Object.entries((byName ?? {}) as Record<string, unknown>)) {
        out.set(`${type}.${name}`, { file, body: (Array.isArray(body) ? Object.assign({}, ...body) : body ?? {}) as Record<string, unknown> });
      }
    }
  }
  return out;
}

/** The text of a `.tf.json` file without its resource blocks, which are compared one by one. */
function withoutResources(file: string, text: string | undefined): string | undefined {
  if (text === undefined || !file.endsWith('.tf.json')) return text;
  try {
    const { resource: _resources, ...rest } = JSON.parse(text);
    return canonicalJson(rest);
  } catch {
    return text;
  }
}

const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The stacks that differ between the trees, by cluster. */
export function compareStacks(base: ReadonlyMap<string, StackFiles>, head: ReadonlyMap<string, StackFiles>): StackDiff[] {
  const out: StackDiff[] = [];
  for (const cluster of [...new Set([...base.keys(), ...head.keys()])].sort(byString)) {
    const b = base.get(cluster) ?? new Map<string, string>();
    const h = head.get(cluster) ?? new Map<string, string>();
    const before = resourcesOf(b);
    const after = resourcesOf(h);
    const resources: StackResourceChange[] = [];
    for (const address of [...new Set([...before.keys(), ...after.keys()])].sort(byString)) {
      const was = before.get(address);
      const is = after.get(address);
      if (!was) resources.push({ address, change: 'added', file: is!.file });
      else if (!is) {
        const lifecycle = was.body.lifecycle as Record<string, unknown> | undefined;
        // A stack removed whole is applied no more: its resources go only with a `tofu destroy`.
        const onApply = !head.has(cluster) ? undefined : lifecycle?.prevent_destroy === true ? 'refused (prevent_destroy)' as const : 'destroyed' as const;
        resources.push({ address, change: 'removed', file: was.file, ...(onApply ? { onApply } : {}) });
      } else {
        const fields = [...new Set([...Object.keys(was.body), ...Object.keys(is.body)])]
          .filter((k) => canonicalJson(was.body[k]) !== canonicalJson(is.body[k])).sort(byString);
        if (fields.length) resources.push({ address, change: 'changed', file: is.file, fields });
      }
    }
    const files: StackDiff['files'][number][] = [];
    for (const path of [...new Set([...b.keys(), ...h.keys()])].sort(byString)) {
      if (!b.has(path)) files.push({ path, change: 'added' });
      else if (!h.has(path)) files.push({ path, change: 'removed' });
      else if (withoutResources(path, b.get(path)) !== withoutResources(path, h.get(path))) files.push({ path, change: 'changed' });
    }
    if (!resources.length && !files.length) continue;
    out.push({ cluster, status: !base.has(cluster) ? 'added' : !head.has(cluster) ? 'removed' : 'changed', resources, files });
  }
  return out;
}

/** One line per change of a stack, for the markdown and the terminal. */
export function stackLines(s: StackDiff): string[] {
  const lines: string[] = [];
  if (s.status === 'removed') lines.push(`stack removed from the tree: its resources stay until someone runs \`tofu destroy\` on its state`);
  for (const r of s.resources) {
    if (r.change === 'removed') {
      const apply = r.onApply === 'destroyed' ? 'the next `tofu apply` DESTROYS it' : r.onApply ? 'the next `tofu apply` fails: the base declared lifecycle.prevent_destroy' : 'with the stack';
      lines.push(`- ${r.address} (${r.file}): removed: ${apply}`);
    }
    else if (r.change === 'added') lines.push(`+ ${r.address} (${r.file}): added`);
    else lines.push(`~ ${r.address} (${r.file}): ${r.fields!.join(', ')}`);
  }
  for (const f of s.files) lines.push(`${f.change === 'added' ? '+' : f.change === 'removed' ? '-' : '~'} file ${f.path}: ${f.change}`);
  return lines;
}
