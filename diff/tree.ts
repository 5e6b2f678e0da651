import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ChartLock } from '../helm/repo/lock.js';
import { UserError } from '../primitives/errors.js';
import { listYamlFiles, objectRef, parseManifests } from '../primitives/manifests.js';
import { SOPS_CONFIG } from '../secret-store/sops-config.js';
import { findCreationRule } from '../sops/config.js';

/** One object of a rendered tree, keyed by its identity rather than by its file. */
export interface TreeObject {
  readonly cluster: string;
  readonly component: string;
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  readonly file: string;
  readonly object: Record<string, any>;
  /** Key-sorted JSON of the object: equal strings mean semantically equal objects. */
  readonly canonical: string;
}

export interface LoadedTree {
  /**
   * Cluster folders under `clusters/` (including ones that hold no object yet), and the management
   * trees under `management/`, named `management/<mgmt>` (what a management cluster's Argo CD syncs).
   */
  readonly clusters: ReadonlySet<string>;
  /** By identity key (see identityKey). */
  readonly objects: ReadonlyMap<string, TreeObject>;
  /**
   * Each cluster's age recipients (public keys), from the creation rule of the tree's root
   * `.sops.yaml` that matches `clusters/<cluster>/secrets/`; absent when no rule matches.
   */
  readonly recipients?: ReadonlyMap<string, readonly string[]>;
  /** The chart lock the tree was rendered with: known for a git base (its commit's `charts.lock.json`). */
  readonly chartLock?: ChartLock;
  /** The OpenTofu stacks (`infra/<cluster>/`), by cluster; none without an `infra/` folder. */
  readonly stacks?: ReadonlyMap<string, StackFiles>;
}

/** The folder of the stacks in a rendered tree; `infra/<cluster>/` is one stack. */
export const STACKS_FOLDER = 'infra';

/** A stack's files: path inside `infra/<cluster>/` → text. */
export type StackFiles = ReadonlyMap<string, string>;

/** The stacks of a tree by cluster; empty when it has no `infra/` folder. */
export function loadStacks(root: string): Map<string, StackFiles> {
  const dir = join(root, STACKS_FOLDER);
  const out = new Map<string, StackFiles>();
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return out;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (!e.isDirectory() || e.name.startsWith('.')) continue;
    const files = new Map<string, string>();
    for (const f of readdirSync(join(dir, e.name), { recursive: true, withFileTypes: true })) {
      if (!f.isFile()) continue;
      const path = join(f.parentPath, f.name).slice(join(dir, e.name).length + 1);
      // The working files of `tofu init` and a local state are not the stack.
      if (path.startsWith('.terraform') || path.endsWith('.tfstate') || path.endsWith('.tfstate.backup')) continue;
      files.set(path, readFileSync(join(f.parentPath, f.name), 'utf8'));
    }
    out.set(e.name, files);
  }
  return out;
}

/** The recipients `.sops.yaml` at the tree's root gives each cluster's secrets (none without it). */
function treeRecipients(root: string, clusters: Iterable<string>, label: string): Map<string, readonly string[]> {
  const out = new Map<string, readonly string[]>();
  const config = join(root, SOPS_CONFIG);
  if (!existsSync(config)) return out;
  for (const c of clusters) {
    let rule;
    try {
      const secrets = isManagementTree(c) ? join(root, c, 'bootstrap', 'secrets') : join(root, 'clusters', c, 'secrets');
      rule = findCreationRule(config, join(secrets, 'x.enc.yaml'));
    } catch (e) {
      if (!(e instanceof UserError)) throw e;
      // No rule for this cluster (sops would refuse its files): it has no recipients.
      if (/no creation rule matches/.test(e.message)) continue;
      throw new UserError(e.problems.map((p) => `${label}: ${p}`));
    }
    if (rule?.age.length) out.set(c, [...rule.age].sort());
  }
  return out;
}

/**
 * Parsed files by tree-relative path. Loading the second tree through the first one's cache
 * parses only the files that differ: in a pull request that is nearly all of the time saved.
 */
export type ParseCache = Map<string, { readonly text: string; readonly objects: readonly TreeObject[] }>;

/** Component name for files that sit directly in `clusters/<cluster>/`. */
export const ROOT_COMPONENT = '(root)';

/** The folder of the management trees; each `management/<mgmt>/` is compared like a cluster of that name. */
export const MANAGEMENT_FOLDER = 'management';

/** Whether a tree "cluster" is a management tree (`management/<mgmt>`). */
export function isManagementTree(cluster: string): boolean {
  return cluster.startsWith(`${MANAGEMENT_FOLDER}/`);
}

/**
 * Cluster and component of a tree-relative file: `clusters/<cluster>/<component>/x.yaml`, or
 * `management/<mgmt>/<folder…>/x.yaml` (cluster `management/<mgmt>`, component the folders
 * below it, e.g. `clusters/yc-prod/iam`). Undefined for a file that belongs to no cluster.
 */
function placeOf(file: string): { cluster: string; component: string } | undefined {
  const parts = file.split('/');
  if (parts.length < 3) return undefined;
  if (parts[0] === MANAGEMENT_FOLDER) {
    return { cluster: `${parts[0]}/${parts[1]}`, component: parts.length > 3 ? parts.slice(2, -1).join('/') : ROOT_COMPONENT };
  }
  return { cluster: parts[1], component: parts.length > 3 ? parts[2] : ROOT_COMPONENT };
}

/**
 * (cluster, apiVersion, kind, namespace, name): what makes an object the same object on both
 * sides, wherever its file is. NUL cannot occur in any of the parts, so the key is unambiguous.
 */
export function identityKey(o: { cluster: string; apiVersion: string; kind: string; namespace?: string; name: string }): string {
  return `${o.cluster}\0${o.apiVersion}\0${o.kind}\0${o.namespace ?? ''}\0${o.name}`;
}

/**
 * Reads the objects of a rendered tree (`<root>/clusters/<cluster>/<component>/*.yaml`, and the
 * management trees `<root>/management/<mgmt>/**.yaml`). Only those folders are read: an
 * infra-gitops checkout may hold other files (README, CI) that are not synced to any cluster. `label` names the tree in errors (e.g. `base origin/main`).
 */
export function loadTree(root: string, label: string, cache?: ParseCache): LoadedTree {
  if (!existsSync(root)) throw new UserError(`${label}: ${root} does not exist`);
  if (!statSync(root).isDirectory()) throw new UserError(`${label}: ${root} is not a directory`);
  const clustersDir = join(root, 'clusters');
  if (!existsSync(clustersDir) || !statSync(clustersDir).isDirectory()) {
    throw new UserError(
      `${label}: ${root} is not a rendered tree: it has no clusters/ folder ` +
        `(expected ${join(root, 'clusters', '<cluster>', '<component>', '*.yaml')})`,
    );
  }

  const clusters = new Set<string>();
  for (const e of readdirSync(clustersDir, { withFileTypes: true })) {
    if (e.isDirectory() && !e.name.startsWith('.')) clusters.add(e.name);
  }

  const objects = new Map<string, TreeObject>();
  const problems: string[] = [];
  const add = (t: TreeObject) => {
    const key = identityKey(t);
    const seen = objects.get(key);
    if (seen) {
      problems.push(
        `${label}: ${objectRef(t.object)} (${t.apiVersion}) of cluster ${t.cluster} is defined twice, ` +
          `in ${seen.file} and ${t.file}: an object must appear once per cluster`,
      );
      return;
    }
    objects.set(key, t);
    clusters.add(t.cluster);
  };
  const managementDir = join(root, MANAGEMENT_FOLDER);
  const hasManagement = existsSync(managementDir) && statSync(managementDir).isDirectory();
  if (hasManagement) {
    for (const e of readdirSync(managementDir, { withFileTypes: true })) {
      if (e.isDirectory() && !e.name.startsWith('.')) clusters.add(`${MANAGEMENT_FOLDER}/${e.name}`);
    }
  }
  const files = [
    ...listYamlFiles(clustersDir).map((rel) => `clusters/${rel}`),
    ...(hasManagement ? listYamlFiles(managementDir).map((rel) => `${MANAGEMENT_FOLDER}/${rel}`) : []),
  ];
  for (const file of files) {
    // Files directly under clusters/ (or management/) belong to no cluster, and Argo CD syncs none of them.
    const place = placeOf(file);
    if (!place) continue;
    const { cluster, component } = place;
    const text = readFileSync(join(root, file), 'utf8');
    const cached = cache?.get(file);
    if (cached && cached.text === text) {
      for (const t of cached.objects) add(t);
      continue;
    }
    const parsed: TreeObject[] = [];
    let manifests;
    try {
      manifests = parseManifests(file, text);
    } catch (e) {
      if (e instanceof UserError) {
        // parseManifests names the tree-relative file; say which tree and where it is on disk.
        const where = `${label}: ${join(root, file)}`;
        problems.push(...e.problems.map((p) => (p.startsWith(file) ? where + p.slice(file.length) : `${where}: ${p}`)));
        continue;
      }
      throw e;
    }
    for (const m of manifests) {
      const o = m.object;
      const missing = [
        typeof o.apiVersion === 'string' && o.apiVersion ? null : 'apiVersion',
        typeof o.kind === 'string' && o.kind ? null : 'kind',
        typeof o.metadata?.name === 'string' && o.metadata.name ? null : 'metadata.name',
      ].filter(Boolean);
      if (missing.length > 0) {
        problems.push(
          `${label}: ${join(root, file)}: document ${m.index} has no ${missing.join(', ')} ` +
            `(every object needs apiVersion, kind and metadata.name to be compared)`,
        );
        continue;
      }
      const namespace = typeof o.metadata.namespace === 'string' && o.metadata.namespace ? o.metadata.namespace : undefined;
      const t: TreeObject = {
        cluster, component, apiVersion: o.apiVersion, kind: o.kind, namespace, name: o.metadata.name,
        file, object: o, canonical: canonicalJson(o),
      };
      parsed.push(t);
      add(t);
    }
    cache?.set(file, { text, objects: parsed });
  }
  if (problems.length > 0) throw new UserError(problems);
  return { clusters, objects, recipients: treeRecipients(root, clusters, label), stacks: loadStacks(root) };
}

/** JSON with keys sorted at every level, so that key order and YAML style do not count. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

/** A deep copy with object keys in sorted order, and YAML timestamps/binaries as strings. */
export function sortKeys(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value).sort()) out[k] = sortKeys((value as Record<string, unknown>)[k]);
  return out;
}
