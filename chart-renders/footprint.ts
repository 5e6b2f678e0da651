// What a chart leaves on a cluster, reduced to what the platform's hand-offs need: the kinds it
// writes (cluster-scoped, or namespaced and in which namespace), the CRDs it defines and the
// images it runs. The platform AppProject, the controller's RBAC, the managed namespaces and the
// registry allowlist are computed from these (charts/derived.ts), so they say exactly what the
// charts render, not what someone remembered to write down.
import { createHash } from 'node:crypto';
import type { ChartRender, HelmSource } from './render.js';
import { servedVersionsOf } from './api-versions.js';
import { kubeMinorOf, namespaceLevels, type PodSecurityLevel } from '../pod-security/level.js';

/** A Kubernetes kind by API group (`''` for the core group). */
export interface FootprintKind {
  readonly group: string;
  readonly kind: string;
}

/** One kind a chart writes, and where: `namespace` is `''` when the object sets none (the release namespace, or cluster-scoped). */
export interface FootprintObject extends FootprintKind {
  readonly namespace: string;
}

/** A CRD the chart defines: the scope decides whether its objects are cluster-scoped. */
export interface FootprintCrd extends FootprintKind {
  readonly scope: 'Cluster' | 'Namespaced';
  /** `spec.names.plural`: the resource RBAC rules name. */
  readonly plural: string;
  /**
   * The versions the CRD serves (`spec.versions[].name` with `served`), in the CRD's order: with
   * the kind, what the cluster lists in `.Capabilities.APIVersions` once it is installed
   * (chart-renders/api-versions.ts). @default - none known (a file written before this was recorded)
   */
  readonly versions?: readonly string[];
}

export interface ChartFootprint {
  /** Distinct (group, kind, namespace) of every object, sorted. */
  readonly objects: readonly FootprintObject[];
  /** CRDs the chart ships (crds/ and templates), sorted. */
  readonly crds: readonly FootprintCrd[];
  /** Every image reference in the objects (pod templates, and `image:` fields of custom resources), sorted. */
  readonly images: readonly string[];
  /**
   * Namespace (`''`: the release namespace) → the strictest Pod Security level all the pods the
   * chart runs there pass, at the render's Kubernetes version (pod-security/level.ts); a
   * namespace without pods is absent. The namespaces' PSA labels are derived from it.
   * @default - no pods known (a file written before this was recorded: synth with the charts renders it)
   */
  readonly podSecurity?: Readonly<Record<string, PodSecurityLevel>>;
  /** Names of the ClusterRoles the chart renders, sorted: the controller may escalate exactly these. @default - none */
  readonly clusterRoles?: readonly string[];
  /** Names of the ClusterRoles the chart's ClusterRoleBindings bind, sorted: the controller may bind exactly these. @default - none */
  readonly boundClusterRoles?: readonly string[];
}

/**
 * Identity of a render: equal keys render equal objects (the chart is pinned by digest in the
 * lock). `apiVersions` are the `.Capabilities.APIVersions` beyond Helm's defaults (a sorted list,
 * chart-renders/api-versions.ts); an empty list leaves the key as it was before they were passed.
 */
export function renderKey(source: HelmSource, kubeVersion: string, apiVersions: readonly string[] = []): string {
  return renderKeys(source, kubeVersion, apiVersions).key;
}

/** The API versions' hash, per list: a cluster passes the same list for each of its ~20 charts. */
const apiVersionHashes = new WeakMap<readonly string[], string>();

/**
 * renderKey with and without `apiVersions` (the entry's sourceKey), from one canonical form of the
 * values: the same strings as two renderKey calls, for half the work (a fleet asks for both
 * keys of every chart of every cluster).
 */
export function renderKeys(source: HelmSource, kubeVersion: string, apiVersions: readonly string[] = []): { key: string; sourceKey: string } {
  const withoutApis = canonicalJson({
    chart: source.chart, version: source.version, releaseName: source.releaseName, namespace: source.namespace,
    values: CANONICAL, skipCrds: source.skipCrds, kubeVersion,
  }).replace(CANONICAL_MARK, () => canonicalValues(source.values));
  const sourceKey = shortHash(withoutApis);
  if (!apiVersions.length) return { key: sourceKey, sourceKey };
  // Hashed: the list is thousands of characters, and only its identity matters here.
  let apis = apiVersionHashes.get(apiVersions);
  if (apis === undefined) {
    apis = createHash('sha256').update(apiVersions.join('\n')).digest('hex');
    apiVersionHashes.set(apiVersions, apis);
  }
  // `apiVersions` sorts first among the identity's keys: the canonical form of the whole identity.
  return { key: shortHash(`{"apiVersions":${JSON.stringify(apis)},${withoutApis.slice(1)}`), sourceKey };
}

/** Stands for the values in the identity, whose canonical form comes from canonicalValues. */
const CANONICAL = '\u0000values';
const CANONICAL_MARK = JSON.stringify(CANONICAL);
/**
 * The canonical form of a component's values, per values object: a cluster asks for the key of
 * each chart twice (the render for its CRDs, then the final one), and the values are a large
 * part of the identity. Values are never changed once a component is built.
 */
const valuesJson = new WeakMap<object, string>();
function canonicalValues(values: Record<string, unknown>): string {
  let json = valuesJson.get(values);
  if (json === undefined) {
    json = canonicalJson(values);
    valuesJson.set(values, json);
  }
  return json;
}

const shortHash = (identity: string) => createHash('sha256').update(identity).digest('hex').slice(0, 32);

/** The footprint of one render, for `.Capabilities.KubeVersion` `kubeVersion` (the Pod Security checks' version). */
export function footprintOf(render: ChartRender, kubeVersion: string): ChartFootprint {
  const objects = new Map<string, FootprintObject>();
  const crds = new Map<string, FootprintCrd>();
  const images = new Set<string>();
  const clusterRoles = new Set<string>();
  const boundClusterRoles = new Set<string>();
  for (const o of render.objects) {
    const kind = { group: groupOf(o.apiVersion), kind: String(o.kind) };
    const namespace = typeof o.metadata?.namespace === 'string' ? o.metadata.namespace : '';
    objects.set(`${kind.group}/${kind.kind}/${namespace}`, { ...kind, namespace });
    if (kind.group === 'apiextensions.k8s.io' && kind.kind === 'CustomResourceDefinition' && o.spec?.names?.kind) {
      const versions = servedVersionsOf(o);
      const crd = { group: String(o.spec.group ?? ''), kind: String(o.spec.names.kind), scope: o.spec.scope === 'Cluster' ? 'Cluster' as const : 'Namespaced' as const, plural: String(o.spec.names.plural ?? ''), versions };
      crds.set(`${crd.group}/${crd.kind}`, crd);
    }
    if (kind.group === 'rbac.authorization.k8s.io' && kind.kind === 'ClusterRole') clusterRoles.add(String(o.metadata?.name ?? ''));
    if (kind.group === 'rbac.authorization.k8s.io' && kind.kind === 'ClusterRoleBinding' && o.roleRef?.kind === 'ClusterRole') boundClusterRoles.add(String(o.roleRef.name ?? ''));
    collectImages(o, (image) => images.add(image));
  }
  const byKey = <T>(m: Map<string, T>) => [...m.keys()].sort().map((k) => m.get(k)!);
  return {
    objects: byKey(objects), crds: byKey(crds), images: [...images].sort(),
    podSecurity: sortedRecord(namespaceLevels(render.objects, kubeMinorOf(kubeVersion), '')),
    clusterRoles: [...clusterRoles].sort(), boundClusterRoles: [...boundClusterRoles].sort(),
  };
}

/** A map as a record with sorted keys (the footprint file's bytes do not depend on the order objects came in). */
export function sortedRecord<T>(m: ReadonlyMap<string, T>): Record<string, T> {
  return Object.fromEntries([...m.keys()].sort().map((k) => [k, m.get(k)!]));
}

/** The API group of an apiVersion: `apps/v1` → `apps`, `v1` → ``. */
export function groupOf(apiVersion: unknown): string {
  const v = String(apiVersion ?? '');
  return v.includes('/') ? v.slice(0, v.indexOf('/')) : '';
}

/**
 * Image references anywhere in an object: every string `image` field (pod templates, and custom
 * resources such as a Prometheus' `spec.image`), and `repository` + `tag` pairs that operators
 * read from their custom resources. A field that is not a reference (`image: {}`) is skipped.
 */
export function collectImages(v: unknown, add: (image: string) => void): void {
  if (Array.isArray(v)) { for (const x of v) collectImages(x, add); return; }
  if (!v || typeof v !== 'object') return;
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    if (k === 'image' && typeof x === 'string' && looksLikeImage(x)) add(x);
    else collectImages(x, add);
  }
}

// `image: busybox` counts; `image: true` or a policy's `image: "*"` glob does not.
const looksLikeImage = (s: string) => /^[a-z0-9][a-z0-9._\-/:@]*$/i.test(s) && !s.includes('*');

/** JSON with object keys sorted at every level: the same values give the same bytes. */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  // As in the rendered YAML, a key whose value is undefined is not there.
  const keys = Object.keys(v).filter((k) => (v as Record<string, unknown>)[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`).join(',')}}`;
}
