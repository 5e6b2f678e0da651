// What bootstrap/ derives from the components' chart footprints and own objects besides their
// kinds (charts/derive.ts): the Pod Security level each namespace's pods need, and the
// ClusterRoles the controller creates and binds. Both come from what is rendered, so a chart
// that starts running a hostPath pod, or ships a new ClusterRole, changes bootstrap/ in the PR
// diff instead of failing on the cluster.
import type { ChartFootprint } from '../chart-renders/footprint.js';
import { kubeMinorOf, mostPermissive, namespaceLevels, type PodSecurityLevel } from '../pod-security/level.js';
import type { PlatformComponent } from './component.js';

/** A component as the derivation reads it. */
export interface DerivedComponent {
  readonly name: string;
  /** Where its objects without a namespace land (the Application's destination, the chart's release namespace). */
  readonly namespace: string;
}

/** What renderCluster hands to the BootstrapChart. */
export interface BootstrapInputs {
  /** Namespace → the strictest Pod Security level every pod the charts and objects run there passes; namespaces without pods are absent. */
  readonly podSecurity: ReadonlyMap<string, PodSecurityLevel>;
  /** Names of the ClusterRoles the charts and objects create, sorted. */
  readonly clusterRoles: readonly string[];
  /** Names of the ClusterRoles their ClusterRoleBindings bind (created ones, and defaults such as `view`), sorted. */
  readonly boundClusterRoles: readonly string[];
}

/**
 * The bootstrap inputs of a cluster: `footprints` and `ownObjects` by component name, the levels
 * at the checks of Kubernetes `kubeVersion` (the version the cluster's charts are rendered for).
 */
export function bootstrapInputs(
  components: readonly DerivedComponent[],
  footprints: ReadonlyMap<string, ChartFootprint | undefined>,
  ownObjects: ReadonlyMap<string, readonly Record<string, any>[]>,
  kubeVersion: string,
): BootstrapInputs {
  const podSecurity = new Map<string, PodSecurityLevel>();
  const clusterRoles = new Set<string>();
  const bound = new Set<string>();
  for (const c of components) {
    const f = footprints.get(c.name);
    for (const [ns, level] of Object.entries(f?.podSecurity ?? {})) podSecurity.set(ns || c.namespace, mostPermissive(podSecurity.get(ns || c.namespace), level));
    for (const r of f?.clusterRoles ?? []) clusterRoles.add(r);
    for (const r of f?.boundClusterRoles ?? []) bound.add(r);
    const own = ownObjects.get(c.name) ?? [];
    namespaceLevels(own, kubeMinorOf(kubeVersion), c.namespace, podSecurity);
    for (const o of own) {
      if (!String(o.apiVersion).startsWith('rbac.authorization.k8s.io/')) continue;
      if (o.kind === 'ClusterRole') clusterRoles.add(String(o.metadata?.name));
      if (o.kind === 'ClusterRoleBinding' && o.roleRef?.kind === 'ClusterRole') bound.add(String(o.roleRef.name));
    }
  }
  return {
    podSecurity: new Map([...podSecurity].sort(([a], [b]) => a.localeCompare(b))),
    clusterRoles: [...clusterRoles].sort(),
    boundClusterRoles: [...bound].sort(),
  };
}

/**
 * The component, with its chart synced by server-side apply when the chart renders ClusterRoles.
 * The controller may `escalate` only the ClusterRoles the charts render (bootstrap.ts), and the API
 * server asks for `escalate` with the name in the request's URL: a server-side apply (PATCH
 * .../clusterroles/NAME) carries it, the POST of Argo CD's default client-side apply does not, so
 * a new ClusterRole with rules the controller does not hold would be refused.
 */
export function applyingClusterRolesServerSide<T extends PlatformComponent>(c: T, footprint: ChartFootprint | undefined): T {
  if (!c.helm || c.helm.serverSideApply || !footprint?.clusterRoles?.length) return c;
  return { ...c, helm: { ...c.helm, serverSideApply: true } };
}
