import type { StackDiff } from './stacks.js';

/**
 * The result of `infra-synth diff`, and the exact shape of `--format json` (see README.md here).
 * Everything is sorted deterministically, so two runs over the same trees give the same bytes.
 * No secret value ever appears in it: see redact.ts for what counts as one.
 */
export interface DiffReport {
  /** Bumped when a field changes meaning or goes away; new fields may appear without a bump. */
  readonly schemaVersion: 1;
  readonly base: TreeSource;
  readonly head: TreeSource;
  readonly summary: DiffSummary;
  /**
   * Clusters with at least one added, changed or removed object: prod clusters first (see
   * prod.ts for the rule), then by name.
   */
  readonly clusters: readonly ClusterDiff[];
  /** Clusters present in both trees whose objects are all semantically equal, by name. */
  readonly unchangedClusters: readonly string[];
  /** Objects that only moved to another file: reported for information, not a change. */
  readonly moved: readonly MovedObject[];
  /**
   * Clusters whose age recipients (public keys, from the tree's `.sops.yaml`) differ: who gains
   * or loses the right to decrypt the cluster's secrets. By cluster name. Public keys are shown.
   */
  readonly recipients: readonly RecipientChange[];
  /**
   * What the Applications' Helm charts render, compared between base and head (see charts.ts).
   * Absent when neither tree has an Application with a Helm source, or with `--no-charts`.
   */
  readonly charts?: ChartsDiff;
  /**
   * The OpenTofu stacks (`infra/<cluster>/`) that differ, by cluster (see stacks.ts): what the
   * next `tofu apply` adds, changes and destroys. Absent when none differs.
   */
  readonly stacks?: readonly StackDiff[];
}

/**
 * The rendered output of the Applications' Helm sources, base against head. Only sources that
 * differ between the sides are rendered (an unchanged source renders unchanged objects).
 * Objects are matched by (cluster, Application, API group, kind, namespace, name), so a new
 * apiVersion of the same kind is a change, not a removal and an addition.
 */
export interface ChartsDiff {
  readonly summary: ChartsSummary;
  /** Clusters with chart objects added, changed or removed: prod first, then by name. */
  readonly clusters: readonly ChartClusterDiff[];
  /** Sources whose objects could not all be compared (a chart not in the cache, a failing render, missing subcharts), by cluster, Application, side. */
  readonly notCompared: readonly ChartNotCompared[];
}

export interface ChartsSummary {
  /** Helm sources (Application × chart) in either tree. */
  readonly sources: number;
  /** Sources that differ between base and head, rendered and compared. */
  readonly compared: number;
  /** Entries of `notCompared`. */
  readonly notCompared: number;
  /** Chart objects, over all clusters. */
  readonly added: number;
  readonly changed: number;
  readonly removed: number;
}

export interface ChartClusterDiff {
  readonly name: string;
  readonly prod: boolean;
  readonly added: number;
  readonly changed: number;
  readonly removed: number;
  /** One per Application whose chart output changes, by name. */
  readonly components: readonly ChartComponentDiff[];
}

/**
 * One Application's chart output. `name` is the Application's name; `objects` are the chart's
 * objects (`files` is empty: they are in no file of the tree), a removed one with what Argo CD
 * does with it (its Application's sync policy; when the Application itself goes, what happens to
 * it and, with the resources finalizer, to its objects).
 */
export interface ChartComponentDiff extends ComponentDiff {
  readonly chart: string;
  /** The chart version on each side; absent on the side without this Application. */
  readonly versions: { readonly base?: string; readonly head?: string };
  /** `added`/`removed`: the Application (or its Helm source) is new / gone; else which source fields differ. */
  readonly source: 'added' | 'removed' | readonly ChartSourceField[];
}

/**
 * `kubeVersion`: the cluster's Kubernetes version (as its tree records it: `.Capabilities.KubeVersion`);
 * `package`: same source, but the sides' locks hold different packages of the version (a re-lock).
 */
export type ChartSourceField = 'kubeVersion' | 'version' | 'values' | 'releaseName' | 'namespace' | 'skipCrds' | 'package';

export interface ChartNotCompared {
  readonly cluster: string;
  readonly application: string;
  readonly chart: string;
  readonly version: string;
  readonly side: 'base' | 'head';
  /**
   * `not-cached`: the package is not in the chart cache; `render-failed`: the chart did not
   * render; `subcharts-missing`: the package lacks subcharts the values enable — the rest of the
   * chart's objects were compared, theirs were not.
   */
  readonly reason: 'not-cached' | 'render-failed' | 'subcharts-missing';
  /** One line: the chart, the version, what was not done and how to fix it. */
  readonly message: string;
}

/** A cluster's change of age recipients (`.sops.yaml` creation rule of `clusters/<cluster>/secrets/`). */
export interface RecipientChange {
  readonly cluster: string;
  /** Public keys (age1...) that can decrypt the cluster's secrets from now on. */
  readonly added: readonly string[];
  /** Public keys that can no longer decrypt new versions of them. */
  readonly removed: readonly string[];
}

/**
 * What happens in the cluster to an object removed from the tree, read from the tree's own
 * Applications (the one whose source path is the object's folder, head side first):
 *  - `pruned`: its Application syncs automatically with prune: Argo CD deletes it on the next sync;
 *  - `operator-prune`: its Application does not prune (prod): it stays, OutOfSync, until an
 *    operator runs a sync with prune;
 *  - `by-hand`: Argo CD does not manage it (`bootstrap/`, a folder no Application syncs, or a
 *    cluster removed from the tree): it stays until an admin deletes it.
 */
export type Deletion = 'pruned' | 'operator-prune' | 'by-hand';

/** Where one side of the comparison came from. */
export interface TreeSource {
  /** What the user passed (`--base` / `--head`), e.g. `origin/main` or `dist`. */
  readonly label: string;
  /** `dir`: an existing rendered tree; `git`: a commit rendered in a temporary worktree. */
  readonly kind: 'dir' | 'git';
  /** The full commit SHA, for `kind: 'git'`. */
  readonly commit?: string;
}

export interface DiffSummary {
  /**
   * True when anything was added, changed or removed, or recipients changed, or a chart renders
   * other objects, or an OpenTofu stack differs (the CLI then exits 1).
   */
  readonly hasChanges: boolean;
  /** Clusters in either tree. */
  readonly clusters: number;
  /** Clusters with at least one change (= `clusters.length` of the report). */
  readonly changedClusters: number;
  readonly added: number;
  readonly changed: number;
  readonly removed: number;
  readonly moved: number;
}

export interface ClusterDiff {
  /** The folder name under `clusters/`. */
  readonly name: string;
  readonly prod: boolean;
  /** `added`/`removed`: the whole cluster is new / gone; `changed`: it is in both trees. */
  readonly status: 'added' | 'removed' | 'changed';
  readonly added: number;
  readonly changed: number;
  readonly removed: number;
  /** Components with changes, by name. */
  readonly components: readonly ComponentDiff[];
}

export interface ComponentDiff {
  /** The folder under `clusters/<cluster>/` (`apps`, `cert-manager`, ...); `(root)` for files directly in the cluster folder. */
  readonly name: string;
  readonly added: number;
  readonly changed: number;
  readonly removed: number;
  /** Removed first, then changed, then added; within each by kind, namespace, name. */
  readonly objects: readonly ObjectDiff[];
}

export type ChangeKind = 'added' | 'changed' | 'removed';

export interface ObjectDiff {
  readonly change: ChangeKind;
  readonly apiVersion: string;
  readonly kind: string;
  /** Absent for cluster-scoped objects. */
  readonly namespace?: string;
  readonly name: string;
  /** `Kind/namespace/name` (or `Kind/name`): how the object is named in messages. */
  readonly ref: string;
  /** Tree-relative files that hold the object on each side. */
  readonly files: { readonly base?: string; readonly head?: string };
  /**
   * For `changed` objects: every field that differs, by path (`spec.replicas`,
   * `spec.template.spec.containers[name=app].image`, `metadata.labels["app.kubernetes.io/name"]`).
   * Empty for added and removed objects.
   */
  readonly fields: readonly FieldChange[];
  /** For `removed` objects only: what happens to it in the cluster. */
  readonly deletion?: Deletion;
  /**
   * The unified diff (hunks only, no file header) of the object's YAML, keys sorted, with every
   * secret value replaced by a placeholder. Added objects diff against nothing, removed ones
   * against nothing the other way.
   */
  readonly patch: string;
}

export interface FieldChange {
  readonly path: string;
  readonly change: ChangeKind;
  /** The value at this path is secret: the path is reported, the value never is. */
  readonly secret: boolean;
}

export interface MovedObject {
  readonly cluster: string;
  readonly apiVersion: string;
  readonly ref: string;
  readonly from: string;
  readonly to: string;
}

/** How the formats say what happens to a removed object (`it`), and to several (`them`). */
export const DELETION_TEXT: Record<Deletion, { readonly one: string; readonly many: (n: number) => string }> = {
  'pruned': {
    one: 'Argo CD prunes it on the next sync',
    many: (n) => `${n} pruned by Argo CD on the next sync (their Application syncs with prune)`,
  },
  'operator-prune': {
    one: 'prune is off for its Application: it stays in the cluster, OutOfSync, until an operator runs a sync with prune',
    many: (n) => `${n} stay in the cluster, OutOfSync, until an operator runs a sync with prune (prune is off for their Application)`,
  },
  'by-hand': {
    one: 'Argo CD does not manage it: it stays in the cluster until an admin deletes it',
    many: (n) => `${n} stay in the cluster until an admin deletes them: Argo CD does not manage them (bootstrap/, or a cluster removed from the tree)`,
  },
};

/** Removed objects, by what happens to them, in a fixed order (counts of zero left out). */
export function deletionCounts(objects: Iterable<ObjectDiff>): Array<[Deletion, number]> {
  const n: Record<Deletion, number> = { 'pruned': 0, 'operator-prune': 0, 'by-hand': 0 };
  for (const o of objects) if (o.change === 'removed') n[o.deletion ?? 'by-hand']++;
  return (Object.keys(n) as Deletion[]).filter((d) => n[d] > 0).map((d) => [d, n[d]]);
}

/**
 * How the formats name an Application's chart change: `chart x 1.0.9 → 1.0.11`,
 * `new, chart x 1.0.11`, `chart x 1.0.9, values changed`. `code` quotes a name or version.
 */
export function chartSourceText(comp: ChartComponentDiff, code: (s: string) => string = (s) => s): string {
  const chart = `chart ${code(comp.chart)}`;
  const { base = '', head = '' } = comp.versions;
  if (comp.source === 'added') return `new, ${chart} ${code(head)}`;
  if (comp.source === 'removed') return `removed, ${chart} ${code(base)}`;
  const other = comp.source.filter((f) => f !== 'version');
  return `${chart} ${base === head ? code(head) : `${code(base)} → ${code(head)}`}${other.length ? `, ${other.join(', ')} changed` : ''}`;
}
