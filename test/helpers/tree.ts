import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Every file under a folder as { relative path: content }, for whole-tree assertions. */
export function readTree(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => readdirSync(d, { withFileTypes: true }).forEach((e) => {
    const p = join(d, e.name);
    if (e.isDirectory()) walk(p); else out[relative(root, p)] = readFileSync(p, 'utf8');
  });
  walk(root);
  return out;
}
