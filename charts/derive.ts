// What the platform's hand-offs are computed from: the footprint of each component's chart and
// the component's own objects. The bootstrap RBAC, the platform AppProject's lists, the managed
// namespaces and the registry allowlist read these, so that they hold exactly what the cluster
// receives (a chart that starts rendering a new cluster-scoped kind becomes an RBAC change in
// the PR diff), not what someone remembered to write down.
import type { GroupKind } from '../constructs/app-project.js';
import type { ChartFootprint, FootprintCrd } from '../chart-renders/footprint.js';
import { groupOf } from '../chart-renders/footprint.js';
import type { HelmSource } from '../chart-renders/render.js';
import { CLUSTER_SCOPED_KINDS } from '../primitives/kinds.js';
import type { ClusterSpec } from '../spec/schema.js';
import type { ForeignObjects, PlatformComponent } from './component.js';

/** The Helm source of a component's Application, exactly as `helmSources` reads it back from the rendered Application. */
export function componentSource(spec: ClusterSpec, c: PlatformComponent, file: string): HelmSource {
  const helm = c.helm!;
  return {
    application: `${spec.name}/${c.name}`,
    file,
    chart: helm.chart.chart,
    version: helm.chart.version,
    releaseName: helm.releaseName ?? c.name,
    namespace: c.namespace,
    values: helm.values,
    skipCrds: helm.skipCrds === true,
  };
}

/** Where a component's objects land: the kinds it writes cluster-wide and per namespace. */
export interface ComponentKinds {
  readonly clusterKinds: readonly GroupKind[];
  /** namespace → kinds, every namespace (its own included). */
  readonly namespaced: ReadonlyMap<string, readonly GroupKind[]>;
}

/** Scope of a kind: the API's own cluster-scoped kinds, then the CRDs the cluster's charts define; unknown kinds count as namespaced. */
export interface KindScopes {
  scopeOf(k: GroupKind): 'Cluster' | 'Namespaced';
  /** The kind with its REST resource when a CRD names it. */
  withResource(k: GroupKind): GroupKind;
}

export function kindScopes(crds: readonly FootprintCrd[]): KindScopes {
  const byKind = new Map(crds.map((c) => [`${c.group}/${c.kind}`, c]));
  return {
    scopeOf: (k) => (CLUSTER_SCOPED_KINDS.has(`${k.group}/${k.kind}`) ? 'Cluster' : byKind.get(`${k.group}/${k.kind}`)?.scope ?? 'Namespaced'),
    withResource: (k) => {
      const plural = byKind.get(`${k.group}/${k.kind}`)?.plural;
      return plural ? { group: k.group, kind: k.kind, resource: plural } : { group: k.group, kind: k.kind };
    },
  };
}

/** The kinds a component writes: its chart's footprint and its own objects, with their namespaces resolved. */
export function componentKinds(
  c: PlatformComponent,
  footprint: ChartFootprint | undefined,
  ownObjects: readonly Record<string, any>[],
  scopes: KindScopes,
): ComponentKinds {
  const cluster = new Map<string, GroupKind>();
  const namespaced = new Map<string, Map<string, GroupKind>>();
  const add = (k: GroupKind, namespace: string) => {
    const key = `${k.group}/${k.kind}`;
    if (scopes.scopeOf(k) === 'Cluster') { cluster.set(key, scopes.withResource(k)); return; }
    // Argo CD puts an object without a namespace into the Application's destination namespace.
    const ns = namespace || c.namespace;
    if (!namespaced.has(ns)) namespaced.set(ns, new Map());
    namespaced.get(ns)!.set(key, scopes.withResource(k));
  };
  for (const o of footprint?.objects ?? []) add(o, o.namespace);
  for (const o of ownObjects) add({ group: groupOf(o.apiVersion), kind: String(o.kind) }, typeof o.metadata?.namespace === 'string' ? o.metadata.namespace : '');
  const sorted = (m: Map<string, GroupKind>) => [...m.keys()].sort().map((k) => m.get(k)!);
  return {
    clusterKinds: sorted(cluster),
    namespaced: new Map([...namespaced.keys()].sort().map((ns) => [ns, sorted(namespaced.get(ns)!)])),
  };
}

/** The kinds a component writes into namespaces the platform does not manage (see PlatformComponent.foreignObjects). */
export function foreignObjectsOf(kinds: ComponentKinds, managed: ReadonlySet<string>): ForeignObjects[] {
  return [...kinds.namespaced].filter(([ns]) => !managed.has(ns)).map(([namespace, k]) => ({ namespace, kinds: k }));
}
