import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import yaml from 'js-yaml';
import { UserError } from './errors.js';

/** One Kubernetes object as it stands in a rendered tree. */
export interface Manifest {
  /** The cluster folder it belongs to (`clusters/<cluster>/...`), or undefined outside one. */
  readonly cluster?: string;
  /** Path of its file, relative to the tree root, with `/` separators. */
  readonly file: string;
  /** Position of the document in its file, from 0. */
  readonly index: number;
  readonly object: Record<string, any>;
}

/** `Kind/namespace/name` (or `Kind/name` when cluster-scoped): how errors name an object. */
export function objectRef(o: Record<string, any>): string {
  const m = o?.metadata ?? {};
  return [o?.kind ?? '<no kind>', m.namespace, m.name ?? '<no name>'].filter(Boolean).join('/');
}

/** The cluster a tree-relative path belongs to (`clusters/<cluster>/...`). */
export function clusterOf(file: string): string | undefined {
  const parts = file.split('/');
  return parts[0] === 'clusters' && parts.length > 2 ? parts[1] : undefined;
}

/** Parses the YAML documents of one file into manifests; empty documents are skipped. */
export function parseManifests(file: string, text: string): Manifest[] {
  let docs: unknown[];
  try {
    docs = yaml.loadAll(text);
  } catch (e) {
    throw new UserError(`${file}: not valid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  const out: Manifest[] = [];
  docs.forEach((d, index) => {
    if (d === null || d === undefined) return;
    if (typeof d !== 'object' || Array.isArray(d)) {
      throw new UserError(`${file}: document ${index} is not a Kubernetes object (expected a mapping with apiVersion and kind)`);
    }
    out.push({ cluster: clusterOf(file), file, index, object: d as Record<string, any> });
  });
  return out;
}

/** Every `*.yaml`/`*.yml` file under `root` (sorted, tree-relative, `/`-separated), dot-folders skipped. */
export function listYamlFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.ya?ml$/.test(entry.name)) out.push(relative(root, full).split(sep).join('/'));
    }
  };
  walk(root);
  return out.sort();
}

/** Reads every manifest of a rendered tree (see listYamlFiles). */
export function readManifestTree(root: string): Manifest[] {
  return listYamlFiles(root).flatMap((f) => parseManifests(f, readFileSync(join(root, f), 'utf8')));
}
