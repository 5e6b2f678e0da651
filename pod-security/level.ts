// The least Pod Security Standards level a workload needs, by the same checks Pod Security
// Admission runs (pod-security/checks.ts, a port of
// k8s.io/pod-security-admission/policy). The namespace labels of bootstrap/ are computed from
// this, so a namespace is only as open as what its charts and objects actually run.
import { podTemplate } from './pod-template.js';
import { checksFor, type Level } from './checks.js';

export type PodSecurityLevel = Level;

/** From the strictest level to the most permissive: the first a pod passes is the one it needs. */
const STRICTEST_FIRST: readonly PodSecurityLevel[] = ['restricted', 'baseline', 'privileged'];

/** The minor version of a Kubernetes version (`1.33`, `1.33.0`, `v1.33`), which picks the checks' versions. */
export function kubeMinorOf(kubeVersion: string): number {
  const m = /^v?1\.(\d+)/.exec(kubeVersion);
  if (!m) throw new Error(`kubernetes version ${JSON.stringify(kubeVersion)}: expected 1.MINOR`);
  return Number(m[1]);
}

/**
 * The strictest level whose checks at Kubernetes 1.`minor` every pod of `object` passes (a Pod,
 * or the pod template of a workload controller); undefined for an object that runs no pods.
 */
export function podSecurityLevelOf(object: Record<string, any>, minor: number): PodSecurityLevel | undefined {
  const tpl = podTemplate(object);
  if (!tpl) return undefined;
  return STRICTEST_FIRST.find((level) => checksFor(level, minor).every(({ check }) => check(tpl.metadata, tpl.spec) === undefined))!;
}

/** The more permissive of two levels: what a namespace running both kinds of pods must allow. */
export function mostPermissive(a: PodSecurityLevel | undefined, b: PodSecurityLevel): PodSecurityLevel {
  if (a === undefined) return b;
  return STRICTEST_FIRST.indexOf(a) >= STRICTEST_FIRST.indexOf(b) ? a : b;
}

/** Namespace → the level its pods need, for objects whose namespace defaults to `defaultNamespace` when unset. */
export function namespaceLevels(
  objects: Iterable<Record<string, any>>, minor: number, defaultNamespace: string,
  into: Map<string, PodSecurityLevel> = new Map(),
): Map<string, PodSecurityLevel> {
  for (const o of objects) {
    const level = podSecurityLevelOf(o, minor);
    if (!level) continue;
    const ns = typeof o.metadata?.namespace === 'string' && o.metadata.namespace ? o.metadata.namespace : defaultNamespace;
    into.set(ns, mostPermissive(into.get(ns), level));
  }
  return into;
}
