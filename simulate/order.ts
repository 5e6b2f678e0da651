// How Argo CD orders one Application's sync, ported from gitops-engine (pkg/sync: sync_tasks.go
// syncTasks.Less and Sort/adjustDeps, sync_phase.go syncPhases, hook/hook.go and hook/helm/*,
// syncwaves/waves.go; argoproj/gitops-engine 5baed56). A hook runs in each phase it names; Helm
// hooks map pre-install/pre-upgrade to PreSync and post-install/post-upgrade to PostSync, and any
// other Helm hook (test, pre-delete, ...) is a hook of no phase, which Argo CD never applies.
import { groupOf } from './api-resources.js';

/** The phases a normal sync runs, in order; SyncFail hooks run only after a failure. */
export const SYNC_PHASES = ['PreSync', 'Sync', 'PostSync'] as const;
export type SyncPhase = (typeof SYNC_PHASES)[number] | 'SyncFail';

const PHASE_ORDER: Record<SyncPhase, number> = { PreSync: -1, Sync: 0, PostSync: 1, SyncFail: 2 };

export const HOOK_ANNOTATION = 'argocd.argoproj.io/hook';
export const SYNC_WAVE_ANNOTATION = 'argocd.argoproj.io/sync-wave';
export const SYNC_OPTIONS_ANNOTATION = 'argocd.argoproj.io/sync-options';
const HELM_HOOK = 'helm.sh/hook';
const HELM_HOOK_WEIGHT = 'helm.sh/hook-weight';
const ARGO_HOOK_TYPES = new Set(['PreSync', 'Sync', 'PostSync', 'SyncFail', 'Skip']);
const HELM_HOOK_PHASE: Record<string, SyncPhase> = {
  'pre-install': 'PreSync', 'pre-upgrade': 'PreSync', 'post-install': 'PostSync', 'post-upgrade': 'PostSync',
};

// Helm's install order (releaseutil/kind_sorter.go), as gitops-engine copies it; a kind not in it
// (custom resources) sorts after all of them.
const KIND_ORDER = new Map([
  'Namespace', 'NetworkPolicy', 'ResourceQuota', 'LimitRange', 'PodSecurityPolicy', 'PodDisruptionBudget',
  'ServiceAccount', 'Secret', 'SecretList', 'ConfigMap', 'StorageClass', 'PersistentVolume',
  'PersistentVolumeClaim', 'CustomResourceDefinition', 'ClusterRole', 'ClusterRoleList', 'ClusterRoleBinding',
  'ClusterRoleBindingList', 'Role', 'RoleList', 'RoleBinding', 'RoleBindingList', 'Service', 'DaemonSet', 'Pod',
  'ReplicationController', 'ReplicaSet', 'Deployment', 'HorizontalPodAutoscaler', 'StatefulSet', 'Job', 'CronJob',
  'IngressClass', 'Ingress', 'APIService',
].map((kind, i, all) => [kind, i - all.length]));

const annotations = (o: Record<string, any>): Record<string, string> => o?.metadata?.annotations ?? {};

/** The deduplicated, trimmed values of a comma-separated annotation (GetAnnotationCSVs). */
export function annotationCsv(o: Record<string, any>, key: string): string[] {
  const v = annotations(o)[key];
  return [...new Set(String(v ?? '').split(',').map((s) => s.trim()).filter(Boolean))];
}

export function hasAnnotationOption(o: Record<string, any>, key: string, value: string): boolean {
  return annotationCsv(o, key).includes(value);
}

function hookTypes(o: Record<string, any>): string[] {
  const argo = annotationCsv(o, HOOK_ANNOTATION).filter((t) => ARGO_HOOK_TYPES.has(t));
  // Helm's hook annotation counts only when there is no Argo CD one.
  return argo.length ? argo : annotationCsv(o, HELM_HOOK).filter((t) => t in HELM_HOOK_PHASE).map((t) => HELM_HOOK_PHASE[t]);
}

/** `Skip` as the only hook type: the object is neither applied nor a hook. */
function isSkipped(o: Record<string, any>): boolean {
  const types = hookTypes(o);
  return types.includes('Skip') && types.length === 1;
}

export function isHook(o: Record<string, any>): boolean {
  if (HOOK_ANNOTATION in annotations(o)) return !isSkipped(o);
  const helm = annotations(o)[HELM_HOOK];
  // Helm marks CRDs with crd-install too, and those are not hooks.
  return helm !== undefined && helm !== 'crd-install';
}

/** The phases an object runs in: Sync for a resource, its hook phases for a hook, none when skipped. */
export function syncPhases(o: Record<string, any>): SyncPhase[] {
  if (isSkipped(o)) return [];
  if (!isHook(o)) return ['Sync'];
  return [...new Set(hookTypes(o).filter((t): t is SyncPhase => t in PHASE_ORDER))];
}

/** The sync wave: the Argo CD annotation, else the Helm hook weight, else 0 (unparsable counts as absent). */
export function syncWave(o: Record<string, any>): number {
  for (const key of [SYNC_WAVE_ANNOTATION, HELM_HOOK_WEIGHT]) {
    const text = annotations(o)[key];
    if (text !== undefined && /^[+-]?\d+$/.test(String(text).trim())) return Number.parseInt(String(text), 10);
  }
  return 0;
}

/** One object in one phase of an Application's sync. */
export interface SyncTask<T> {
  readonly item: T;
  readonly object: Record<string, any>;
  phase: SyncPhase;
  /** Set when Sort moved a namespace or CRD before its first user (it takes that task's wave and phase). */
  waveOverride?: number;
}

export const taskWave = <T>(t: SyncTask<T>): number => t.waveOverride ?? syncWave(t.object);

function less<T>(a: SyncTask<T>, b: SyncTask<T>): number {
  return (PHASE_ORDER[a.phase] - PHASE_ORDER[b.phase])
    || (taskWave(a) - taskWave(b))
    || ((KIND_ORDER.get(a.object.kind) ?? 0) - (KIND_ORDER.get(b.object.kind) ?? 0))
    || compareStrings(String(a.object.metadata?.name ?? ''), String(b.object.metadata?.name ?? ''));
}

const compareStrings = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The tasks of an Application in the order Argo CD runs them (syncTasks.Sort): phase, wave, kind,
 * name; then each Namespace and each CRD moved just before the first task that needs it, taking
 * that task's wave and phase. `namespaceOf` is the namespace the object lands in.
 */
export function sortTasks<T>(tasks: SyncTask<T>[], namespaceOf: (o: Record<string, any>) => string | undefined): SyncTask<T>[] {
  // Go's sort.Sort is not stable, but the order is total on (phase, wave, kind, name) except for
  // same-named objects of one kind in two namespaces, which keep their input order here.
  const sorted = tasks.map((t, i) => ({ t, i })).sort((x, y) => less(x.t, y.t) || x.i - y.i).map((x) => x.t);
  adjustDeps(sorted,
    (o) => (o.kind === 'Namespace' && groupOf(o.apiVersion) === '' ? String(o.metadata?.name) : undefined),
    (o) => namespaceOf(o) || undefined);
  adjustDeps(sorted,
    (o) => (isCrd(o) && o.spec?.group !== undefined && o.spec?.names?.kind !== undefined ? `${o.spec.group}/${o.spec.names.kind}` : undefined),
    (o) => `${groupOf(o.apiVersion)}/${o.kind}`);
  return sorted;
}

export const isCrd = (o: Record<string, any>): boolean =>
  o?.kind === 'CustomResourceDefinition' && groupOf(o.apiVersion) === 'apiextensions.k8s.io';

/** syncTasks.adjustDeps: bubbles each dependency up to the first task that references it. */
function adjustDeps<T>(s: SyncTask<T>[], isDep: (o: Record<string, any>) => string | undefined, refersTo: (o: Record<string, any>) => string | undefined): void {
  const firstIndexByDep = new Map<string, number>();
  for (let i = 0; i < s.length; i++) {
    const t = s[i];
    const dep = isDep(t.object);
    if (dep !== undefined) {
      const index = firstIndexByDep.get(dep);
      if (index === undefined) continue;
      t.waveOverride = taskWave(s[index]);
      t.phase = s[index].phase;
      for (let j = i; j > index; j--) s[j] = s[j - 1];
      s[index] = t;
      for (const [k, first] of firstIndexByDep) if (first >= index) firstIndexByDep.set(k, first + 1);
    } else {
      const ref = refersTo(t.object);
      if (ref !== undefined && !firstIndexByDep.has(ref)) firstIndexByDep.set(ref, i);
    }
  }
}
