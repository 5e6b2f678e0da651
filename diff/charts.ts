// What the Applications' Helm charts render, base against head. A chart bump is one changed
// `targetRevision` in the tree and hundreds of changed objects in the cluster: this renders the
// Helm sources that differ between the sides (an unchanged source renders unchanged objects, so
// it is not rendered at all) and compares their objects with the tree's own per-object diff
// (compare.ts: the same fields, patches and secret redaction).
import type { ChartLock } from '../helm/repo/lock.js';
import { clusterApiVersions, crdApisOf } from '../chart-renders/api-versions.js';
import { DEFAULT_KUBE_VERSION, helmSources, type HelmSource } from '../chart-renders/render.js';
import type { Manifest } from '../primitives/manifests.js';
import { PULL_COMMAND } from '../helm/repo/pull.js';
import { kubeVersionOf } from '../spec/kubernetes-version.js';
import { recordedKubernetesVersions } from '../validate/tree-versions.js';
import { ChartPackages, isFound } from './chart-packages.js';
import { PackageRenderer } from './chart-render.js';
import { BOOTSTRAP_FOLDER, compareObjects, compareStrings, counts, objectDiff } from './compare.js';
import type { ChangeKind, ChartClusterDiff, ChartComponentDiff, ChartNotCompared, ChartsDiff, ChartSourceField, Deletion, ObjectDiff } from './model.js';
import { prodClusters } from './prod.js';
import { canonicalJson, isManagementTree, type LoadedTree, type TreeObject } from './tree.js';

/** The Argo CD finalizer that makes deleting an Application delete its objects (cascade). */
const RESOURCES_FINALIZER = 'resources-finalizer.argocd.argoproj.io';

export interface ChartDiffOptions {
  /** The chart cache. */
  readonly cacheDir: string;
  /** The lock of the base side (a git base: its commit's `charts.lock.json`), when known. */
  readonly baseLock?: ChartLock;
  /** The lock of the head side (the repository's `charts.lock.json`), when known. */
  readonly headLock?: ChartLock;
  /**
   * `.Capabilities.KubeVersion` of every render. @default each cluster's version as its tree
   * records it (validate/tree-versions.ts: the root Application's annotation), else the chart
   * renderer's default (DEFAULT_KUBE_VERSION of chart-renders/render.ts)
   */
  readonly kubeVersion?: string;
  /** Where temporary lock files go. @default os.tmpdir() */
  readonly tmpDir?: string;
  /**
   * What happens to a removed Application (the tree diff's `deletion`), by cluster and name;
   * undefined when it is not removed. With the resources finalizer, its objects go the same way.
   */
  readonly applicationFate?: (cluster: string, application: string) => Deletion | undefined;
}

/** One Helm source on one side, with the Application it belongs to. */
interface Side {
  readonly cluster: string;
  readonly application: string;
  readonly source: HelmSource;
  readonly app: Record<string, any>;
}

/**
 * Compares the chart output of the two trees; undefined when neither has an Application with a
 * Helm source (there is nothing to say). Never throws for a chart: a package not in the cache or
 * a chart that fails to render is listed in `notCompared`.
 */
export function compareCharts(base: LoadedTree, head: LoadedTree, opts: ChartDiffOptions): ChartsDiff | undefined {
  const b = sidesOf(base);
  const h = sidesOf(head);
  if (b.size === 0 && h.size === 0) return undefined;

  const packages = new ChartPackages(opts.cacheDir);
  const renderer = new PackageRenderer({ cacheDir: opts.cacheDir, tmpDir: opts.tmpDir });
  const kube = { base: kubeVersions(base, opts.kubeVersion), head: kubeVersions(head, opts.kubeVersion) };
  const locks = { base: [opts.baseLock, opts.headLock], head: [opts.headLock, opts.baseLock] };
  const apis = {
    base: apiVersionsOf(base, b, (s) => packages.find(s.source.chart, s.source.version, locks.base), renderer, kube.base),
    head: apiVersionsOf(head, h, (s) => packages.find(s.source.chart, s.source.version, locks.head), renderer, kube.head),
  };
  const notCompared: ChartNotCompared[] = [];
  const components = new Map<string, ChartComponentDiff[]>();
  /** Object diffs by both sides' canonical forms: clusters share most chart objects, and a patch of a large CRD is costly. */
  const diffs = new Map<string, ObjectDiff>();
  let compared = 0;

  try {
    for (const key of [...new Set([...b.keys(), ...h.keys()])].sort(compareStrings)) {
      const bs = b.get(key);
      const hs = h.get(key);
      if (bs && hs && sourceFields(bs.source, hs.source, kube.base(bs.cluster), kube.head(hs.cluster)).length === 0) {
        // Same source: the same package renders the same objects. Only a package the two sides'
        // locks hold differently for the same version (a re-lock) is worth rendering.
        const lb = packages.locked(bs.source.chart, bs.source.version, locks.base);
        const lh = packages.locked(hs.source.chart, hs.source.version, locks.head);
        if (!lb || !lh || lb.digest === lh.digest) continue;
      }
      const pb = bs && packages.find(bs.source.chart, bs.source.version, locks.base);
      const ph = hs && packages.find(hs.source.chart, hs.source.version, locks.head);
      const render = (side: 'base' | 'head', s: Side | undefined, pkg: typeof pb): readonly Record<string, any>[] | undefined => {
        if (!s || !pkg) return [];
        const failed = (reason: ChartNotCompared['reason'], message: string) => {
          notCompared.push({ cluster: s.cluster, application: s.application, chart: s.source.chart, version: s.source.version, side, reason, message });
          return undefined;
        };
        if (!isFound(pkg)) return failed('not-cached', pkg.missing);
        try {
          const r = renderer.render(s.source, pkg, kube[side](s.cluster), apis[side](s.cluster));
          if (r.missingSubcharts.length) {
            // Compared without them: what the package holds is compared, and the gap is said.
            failed('subcharts-missing', `chart ${s.source.chart} ${s.source.version}: the cached package lacks its subcharts ${r.missingSubcharts.join(', ')}, ` +
              `which the values enable: their objects were not compared; ${PULL_COMMAND} from the chart repository (not --from) caches complete packages`);
          }
          return r.objects;
        } catch (e) {
          const why = (e as Error).message.split('\n')[0];
          return failed('render-failed', `chart ${s.source.chart} ${s.source.version} did not render: ${why}; its objects were not compared`);
        }
      };
      const bo = render('base', bs, pb);
      const ho = render('head', hs, ph);
      if (!bo || !ho) continue;
      compared++;
      const one = (bs ?? hs)!;
      const objects = compareObjectSets(one.cluster, one.application, bo, ho, removedFate(bs, hs, opts), diffs);
      if (objects.length === 0) continue;
      const list = components.get(one.cluster) ?? [];
      list.push({
        name: one.application,
        chart: one.source.chart,
        versions: { ...(bs ? { base: bs.source.version } : {}), ...(hs ? { head: hs.source.version } : {}) },
        source: !bs ? 'added' : !hs ? 'removed' : orPackage(sourceFields(bs.source, hs.source, kube.base(bs.cluster), kube.head(hs.cluster))),
        ...counts(objects),
        objects,
      });
      components.set(one.cluster, list);
    }
  } finally {
    renderer.dispose();
  }

  const prod = prodClusters([...base.objects.values(), ...head.objects.values()], components.keys());
  const clusters: ChartClusterDiff[] = [...components]
    .map(([name, comps]) => {
      const sorted = comps.sort((x, y) => compareStrings(x.name, y.name) || compareStrings(x.chart, y.chart));
      return { name, prod: prod.has(name), ...counts(sorted), components: sorted };
    })
    .sort((x, y) => Number(y.prod) - Number(x.prod) || compareStrings(x.name, y.name));
  notCompared.sort((x, y) => compareStrings(x.cluster, y.cluster) || compareStrings(x.application, y.application) || compareStrings(x.side, y.side));
  return {
    summary: { sources: new Set([...b.keys(), ...h.keys()]).size, compared, notCompared: notCompared.length, ...counts(clusters.flatMap((c) => c.components)) },
    clusters,
    notCompared,
  };
}

/** The Helm sources of a tree's Applications, by cluster, Application and chart. */
function sidesOf(tree: LoadedTree): Map<string, Side> {
  const out = new Map<string, Side>();
  for (const o of tree.objects.values()) {
    // A management tree's charts (Crossplane) are pinned by its bootstrap, not by charts.lock.json:
    // the chart cache does not hold them, so they are compared as the Application objects only.
    if (o.kind !== 'Application' || isManagementTree(o.cluster)) continue;
    const manifest: Manifest = { cluster: o.cluster, file: o.file, index: 0, object: o.object };
    for (const source of helmSources([manifest])) {
      const base = `${o.cluster}\0${o.name}\0${source.chart}`;
      // The same chart twice in one Application: told apart by its order among them.
      let key = base;
      for (let n = 2; out.has(key); n++) key = `${base}\0${n}`;
      out.set(key, { cluster: o.cluster, application: o.name, source, app: o.object });
    }
  }
  return out;
}

/**
 * Each cluster's `.Capabilities.APIVersions` on one side, as synth renders the charts for a
 * cluster whose components are installed (charts/cluster.ts): the built-in APIs of its Kubernetes
 * version and every CRD the cluster gets — those of its tree and those its charts render for a
 * fresh cluster. Without them a chart that gates an object on a CRD (velero's ServiceMonitor)
 * would be compared without that object. Computed once per cluster, for clusters a changed source
 * is rendered in only; a chart that cannot be rendered adds no CRDs (it is listed as not compared).
 */
function apiVersionsOf(
  tree: LoadedTree, sides: ReadonlyMap<string, Side>, find: (s: Side) => ReturnType<ChartPackages['find']>,
  renderer: PackageRenderer, kube: (cluster: string) => string | undefined,
): (cluster: string) => readonly string[] {
  const memo = new Map<string, readonly string[]>();
  return (cluster) => {
    const hit = memo.get(cluster);
    if (hit) return hit;
    const kubeVersion = kube(cluster) ?? DEFAULT_KUBE_VERSION;
    const crds = [...tree.objects.values()].filter((o) => o.cluster === cluster && o.kind === 'CustomResourceDefinition').map((o) => o.object);
    for (const s of sides.values()) {
      if (s.cluster !== cluster) continue;
      const pkg = find(s);
      if (!pkg || !isFound(pkg)) continue;
      try {
        crds.push(...renderer.render(s.source, pkg, kube(cluster), clusterApiVersions(kubeVersion, [])).objects);
      } catch { /* reported when the source itself is compared */ }
    }
    const out = clusterApiVersions(kubeVersion, crdApisOf(crds));
    memo.set(cluster, out);
    return out;
  };
}

/** A source rendered though no field differs was rendered because its package differs. */
function orPackage(fields: ChartSourceField[]): ChartSourceField[] {
  return fields.length ? fields : ['package'];
}

/** Each cluster's `.Capabilities.KubeVersion` on one side: `fixed` when given, else what the tree records (undefined: the renderer's default). */
function kubeVersions(tree: LoadedTree, fixed: string | undefined): (cluster: string) => string | undefined {
  if (fixed) return () => fixed;
  const carriers: Manifest[] = [];
  for (const o of tree.objects.values()) {
    if (o.kind === 'Application' && o.component === BOOTSTRAP_FOLDER) carriers.push({ cluster: o.cluster, file: o.file, index: 0, object: o.object });
  }
  // Its warnings are validate's to give: a tree without the annotation renders for the default.
  const { versions } = recordedKubernetesVersions(carriers);
  return (cluster) => {
    const v = versions.get(cluster);
    return v === undefined ? undefined : kubeVersionOf({ kubernetesVersion: v });
  };
}

/** Which of the fields that decide a render differ (the cluster's Kubernetes version among them). */
function sourceFields(a: HelmSource, b: HelmSource, kubeA?: string, kubeB?: string): ChartSourceField[] {
  const fields: ChartSourceField[] = [];
  if (kubeA !== kubeB) fields.push('kubeVersion');
  if (a.version !== b.version) fields.push('version');
  if (canonicalJson(a.values) !== canonicalJson(b.values)) fields.push('values');
  if (a.releaseName !== b.releaseName) fields.push('releaseName');
  if (a.namespace !== b.namespace) fields.push('namespace');
  if (a.skipCrds !== b.skipCrds) fields.push('skipCrds');
  return fields;
}

/**
 * What happens to a chart object that is no longer rendered: the head Application prunes it or
 * not; when the Application itself goes, its objects go with it if it carries the resources
 * finalizer (the Application's own fate), else they are orphaned (an admin deletes them).
 */
function removedFate(bs: Side | undefined, hs: Side | undefined, opts: ChartDiffOptions): Deletion {
  if (hs) return hs.app.spec?.syncPolicy?.automated?.prune === true ? 'pruned' : 'operator-prune';
  const finalizers: unknown = bs?.app.metadata?.finalizers;
  if (!bs || !Array.isArray(finalizers) || !finalizers.includes(RESOURCES_FINALIZER)) return 'by-hand';
  return opts.applicationFate?.(bs.cluster, bs.application) ?? 'by-hand';
}

/** The API group of an apiVersion (`apps/v1` → `apps`, `v1` → the core group ``). */
function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash === -1 ? '' : apiVersion.slice(0, slash);
}

/**
 * The chart objects of both sides matched by (API group, kind, namespace, name) and compared as
 * the tree's objects are. An object the chart renders twice is told apart by its order.
 */
function compareObjectSets(
  cluster: string, application: string, base: readonly Record<string, any>[], head: readonly Record<string, any>[], fate: Deletion,
  diffs: Map<string, ObjectDiff>,
): ObjectDiff[] {
  const index = (objects: readonly Record<string, any>[]) => {
    const out = new Map<string, TreeObject>();
    for (const o of objects) {
      const name = o.metadata?.name;
      if (typeof o.apiVersion !== 'string' || typeof o.kind !== 'string' || typeof name !== 'string' || !name) continue;
      const namespace = typeof o.metadata.namespace === 'string' && o.metadata.namespace ? o.metadata.namespace : undefined;
      const id = `${groupOf(o.apiVersion)}\0${o.kind}\0${namespace ?? ''}\0${name}`;
      let key = id;
      for (let n = 2; out.has(key); n++) key = `${id}\0${n}`;
      out.set(key, { cluster, component: application, apiVersion: o.apiVersion, kind: o.kind, namespace, name, file: '', object: o, canonical: canonicalJson(o) });
    }
    return out;
  };
  const bm = index(base);
  const hm = index(head);
  const out: ObjectDiff[] = [];
  // Chart objects are in no file of the tree; an object the same in many clusters is diffed once.
  const diffOf = (change: ChangeKind, bo: TreeObject | undefined, ho: TreeObject | undefined): ObjectDiff => {
    const key = `${change}\0${bo?.canonical ?? ''}\0${ho?.canonical ?? ''}`;
    let d = diffs.get(key);
    if (!d) diffs.set(key, (d = { ...objectDiff(change, bo, ho), files: {} }));
    return d;
  };
  for (const [key, bo] of bm) {
    const ho = hm.get(key);
    if (!ho) out.push({ ...diffOf('removed', bo, undefined), deletion: fate });
    else if (bo.canonical !== ho.canonical) out.push(diffOf('changed', bo, ho));
  }
  for (const [key, ho] of hm) if (!bm.has(key)) out.push(diffOf('added', undefined, ho));
  return out.sort(compareObjects);
}
