import { formatPatch, OMIT_HEADERS, structuredPatch } from 'diff';
import yaml from 'js-yaml';
import { objectRef } from '../primitives/manifests.js';
import { fieldChanges } from './fields.js';
import type { ChangeKind, ClusterDiff, ComponentDiff, Deletion, DiffReport, MovedObject, ObjectDiff, RecipientChange, TreeSource } from './model.js';
import { prodClusters } from './prod.js';
import { compareStacks } from './stacks.js';
import { redactObject } from './redact.js';
import { ROOT_COMPONENT, isManagementTree, type LoadedTree, type TreeObject } from './tree.js';

/** The folder a cluster admin applies once (README: Bootstrapping a cluster); Argo CD does not manage it. */
export const BOOTSTRAP_FOLDER = 'bootstrap';

/** Lines of unchanged YAML around each change in a patch. */
const CONTEXT_LINES = 3;

/**
 * Compares two loaded trees object by object. Objects are matched by identity (cluster,
 * apiVersion, kind, namespace, name) and compared on their key-sorted form, so a moved file,
 * reordered keys or another YAML style are not changes.
 */
export function compareTrees(base: LoadedTree, head: LoadedTree, sources: { base: TreeSource; head: TreeSource }): DiffReport {
  const diffs: Array<{ cluster: string; component: string; diff: ObjectDiff }> = [];
  const moved: MovedObject[] = [];

  const fate = deletionFate(base, head);
  for (const [key, b] of base.objects) {
    const h = head.objects.get(key);
    if (!h) {
      diffs.push({ cluster: b.cluster, component: b.component, diff: { ...objectDiff('removed', b, undefined), deletion: fate(b) } });
    } else if (b.canonical !== h.canonical) {
      diffs.push({ cluster: h.cluster, component: h.component, diff: objectDiff('changed', b, h) });
    } else if (b.file !== h.file) {
      moved.push({ cluster: h.cluster, apiVersion: h.apiVersion, ref: objectRef(h.object), from: b.file, to: h.file });
    }
  }
  for (const [key, h] of head.objects) {
    if (!base.objects.has(key)) diffs.push({ cluster: h.cluster, component: h.component, diff: objectDiff('added', undefined, h) });
  }

  const allClusters = new Set([...base.clusters, ...head.clusters]);
  const prod = prodClusters([...base.objects.values(), ...head.objects.values()], allClusters);

  const byCluster = new Map<string, Map<string, ObjectDiff[]>>();
  for (const d of diffs) {
    let comps = byCluster.get(d.cluster);
    if (!comps) byCluster.set(d.cluster, (comps = new Map()));
    let list = comps.get(d.component);
    if (!list) comps.set(d.component, (list = []));
    list.push(d.diff);
  }

  const clusters: ClusterDiff[] = [...byCluster].map(([name, comps]) => {
    const components: ComponentDiff[] = [...comps]
      .sort(([a], [b]) => compareStrings(a, b))
      .map(([cname, objects]) => ({ name: cname, ...counts(objects), objects: objects.sort(compareObjects) }));
    const status = !base.clusters.has(name) ? 'added' : !head.clusters.has(name) ? 'removed' : 'changed';
    return { name, prod: prod.has(name), status, ...counts(components.flatMap((c) => c.objects)), components };
  });
  clusters.sort((a, b) => Number(b.prod) - Number(a.prod) || compareStrings(a.name, b.name));

  const total = counts(diffs.map((d) => d.diff));
  const recipients = recipientChanges(base, head, allClusters);
  const stacks = compareStacks(base.stacks ?? new Map(), head.stacks ?? new Map());
  moved.sort((a, b) => compareStrings(a.cluster, b.cluster) || compareStrings(a.ref, b.ref) || compareStrings(a.apiVersion, b.apiVersion));
  return {
    schemaVersion: 1,
    base: sources.base,
    head: sources.head,
    summary: {
      hasChanges: diffs.length > 0 || recipients.length > 0 || stacks.length > 0,
      clusters: allClusters.size,
      changedClusters: clusters.length,
      ...total,
      moved: moved.length,
    },
    clusters,
    unchangedClusters: [...allClusters].filter((c) => !byCluster.has(c)).sort(compareStrings),
    moved,
    recipients,
    ...(stacks.length ? { stacks } : {}),
  };
}

/** Per cluster, the age public keys gained and lost between the trees' `.sops.yaml`. */
function recipientChanges(base: LoadedTree, head: LoadedTree, clusters: Iterable<string>): RecipientChange[] {
  const out: RecipientChange[] = [];
  for (const c of [...clusters].sort(compareStrings)) {
    const b = base.recipients?.get(c) ?? [];
    const h = head.recipients?.get(c) ?? [];
    const added = h.filter((r) => !b.includes(r));
    const removed = b.filter((r) => !h.includes(r));
    if (added.length || removed.length) out.push({ cluster: c, added, removed });
  }
  return out;
}

/**
 * Where an object's folder is in the tree: `clusters/<cluster>/<component>` (or the cluster
 * folder), or `management/<mgmt>/<folders>` in a management tree.
 */
function folderOf(o: TreeObject): string {
  const top = isManagementTree(o.cluster) ? o.cluster : `clusters/${o.cluster}`;
  return o.component === ROOT_COMPONENT ? top : `${top}/${o.component}`;
}

/** Whether Argo CD is told never to prune the object (`argocd.argoproj.io/sync-options: Prune=false`). */
function neverPruned(o: TreeObject): boolean {
  const options = o.object.metadata?.annotations?.['argocd.argoproj.io/sync-options'];
  return typeof options === 'string' && options.split(',').some((x) => x.trim() === 'Prune=false');
}

/**
 * What Argo CD does with a removed object, read from the Applications in the trees: the one whose
 * source path is the object's folder decides (head first: it is what syncs after the merge).
 * `bootstrap/` is applied by an admin and never managed by Argo CD; a removed cluster's folder
 * is gone, so its Argo CD has nothing to sync and prunes nothing.
 */
function deletionFate(base: LoadedTree, head: LoadedTree): (o: TreeObject) => Deletion {
  const syncing = (t: LoadedTree) => {
    const byPath = new Map<string, { spec: Record<string, any>; recurse: boolean }>();
    for (const o of t.objects.values()) {
      if (o.kind !== 'Application' || !o.apiVersion.startsWith('argoproj.io/')) continue;
      const spec = o.object.spec ?? {};
      const sources: unknown[] = [spec.source, ...(Array.isArray(spec.sources) ? spec.sources : [])];
      for (const src of sources) {
        const s = src as { path?: unknown; directory?: { recurse?: unknown } } | undefined;
        if (typeof s?.path === 'string') byPath.set(`${o.cluster}\0${s.path.replace(/^\.\/|\/+$/g, '')}`, { spec, recurse: s.directory?.recurse === true });
      }
    }
    return byPath;
  };
  const inHead = syncing(head), inBase = syncing(base);
  // The Application syncing a folder: the one whose path is the folder, else one whose path is a
  // folder above it with directory.recurse (a management tree's per-cluster Application).
  const appOf = (cluster: string, folder: string) => {
    const exact = inHead.get(`${cluster}\0${folder}`) ?? inBase.get(`${cluster}\0${folder}`);
    if (exact) return exact.spec;
    for (let f = folder; f.includes('/'); ) {
      f = f.slice(0, f.lastIndexOf('/'));
      const up = inHead.get(`${cluster}\0${f}`) ?? inBase.get(`${cluster}\0${f}`);
      if (up?.recurse) return up.spec;
    }
    return undefined;
  };
  return (o) => {
    // A cluster's bootstrap/ is applied by an admin; a management tree's is synced by its root Application.
    if ((o.component === BOOTSTRAP_FOLDER && !isManagementTree(o.cluster)) || !head.clusters.has(o.cluster) || neverPruned(o)) return 'by-hand';
    const spec = appOf(o.cluster, folderOf(o));
    if (!spec) return 'by-hand';
    return spec.syncPolicy?.automated?.prune === true ? 'pruned' : 'operator-prune';
  };
}

/** One object's diff: its changed fields and its redacted YAML patch (either side may be absent). */
export function objectDiff(change: ChangeKind, b: TreeObject | undefined, h: TreeObject | undefined): ObjectDiff {
  const t = (h ?? b)!;
  const baseText = b ? toYaml(redactObject(b.object, h?.object, 'base')) : '';
  const headText = h ? toYaml(redactObject(h.object, b?.object, 'head')) : '';
  const patch = wholeFilePatch(baseText, headText) ?? formatPatch(
    structuredPatch(b?.file ?? '/dev/null', h?.file ?? '/dev/null', baseText, headText, undefined, undefined, { context: CONTEXT_LINES }),
    OMIT_HEADERS,
  );
  return {
    change,
    apiVersion: t.apiVersion,
    kind: t.kind,
    ...(t.namespace !== undefined ? { namespace: t.namespace } : {}),
    name: t.name,
    ref: objectRef(t.object),
    files: { ...(b ? { base: b.file } : {}), ...(h ? { head: h.file } : {}) },
    fields: change === 'changed' ? fieldChanges(b!.object, h!.object) : [],
    patch,
  };
}

/**
 * The patch of an object that exists on one side only, written directly: the same text as
 * `formatPatch(structuredPatch(...))`, without an edit-distance search against nothing, which is
 * most of a diff's time when a whole cluster or chart is new. Undefined when both sides have text,
 * or the one text does not end in a newline (the `\ No newline` marker is left to the library).
 */
export function wholeFilePatch(baseText: string, headText: string): string | undefined {
  if ((baseText === '') === (headText === '')) return undefined;
  const text = baseText || headText;
  if (!text.endsWith('\n')) return undefined;
  const lines = text.slice(0, -1).split('\n');
  const sign = baseText ? '-' : '+';
  const range = baseText ? `-1,${lines.length} +0,0` : `-0,0 +1,${lines.length}`;
  return `@@ ${range} @@\n${sign}${lines.join(`\n${sign}`)}\n`;
}

/**
 * Keys in one fixed order on both sides, so that only real changes become diff lines: the
 * Kubernetes head fields and `name` (of containers, ports, env) first, where a reader looks for
 * them, then alphabetical.
 */
const KEY_PRIORITY: Record<string, number> = { apiVersion: 1, kind: 2, metadata: 3, name: 4, namespace: 5 };

function compareKeys(a: string, b: string): number {
  return (KEY_PRIORITY[a] ?? 9) - (KEY_PRIORITY[b] ?? 9) || compareStrings(a, b);
}

function toYaml(o: Record<string, any>): string {
  return yaml.dump(o, { sortKeys: compareKeys, lineWidth: -1, noRefs: true });
}

export function counts(objects: readonly { change: ChangeKind }[] | readonly ComponentDiff[]): { added: number; changed: number; removed: number } {
  const c = { added: 0, changed: 0, removed: 0 };
  for (const o of objects) {
    if ('change' in o) c[o.change]++;
    else { c.added += o.added; c.changed += o.changed; c.removed += o.removed; }
  }
  return c;
}

const CHANGE_ORDER: Record<ChangeKind, number> = { removed: 0, changed: 1, added: 2 };

/** Removed, changed, added; then by kind, namespace, name, apiVersion. */
export function compareObjects(a: ObjectDiff, b: ObjectDiff): number {
  return CHANGE_ORDER[a.change] - CHANGE_ORDER[b.change] ||
    compareStrings(a.kind, b.kind) ||
    compareStrings(a.namespace ?? '', b.namespace ?? '') ||
    compareStrings(a.name, b.name) ||
    compareStrings(a.apiVersion, b.apiVersion);
}

/** Code-unit order: the same on every machine, unlike localeCompare. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
