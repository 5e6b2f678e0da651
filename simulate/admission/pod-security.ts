// Pod Security Admission: the namespace's `pod-security.kubernetes.io/enforce` level against a Pod
// or the pod template of a workload controller. The API server only warns about a controller's
// template; its pods are then refused one by one, which a real cluster shows as a controller
// that never becomes ready. The simulation reports the refusal on the controller itself.
import type { SimFinding, SimObject } from '../model.js';
import { admissionFinding } from './finding.js';
import { checksFor, LATEST_MINOR, type Level } from '../../pod-security/checks.js';
import { podTemplate } from '../../pod-security/pod-template.js';

export { podTemplate, type PodTemplate } from '../../pod-security/pod-template.js';

const ENFORCE = 'pod-security.kubernetes.io/enforce';
const ENFORCE_VERSION = 'pod-security.kubernetes.io/enforce-version';
const LEVELS: readonly Level[] = ['privileged', 'baseline', 'restricted'];

/** The enforced level and version of a namespace, as PSA parses its labels. */
export function enforcedPolicy(namespace: Record<string, any> | undefined): { level: Level; version: string; minor: number } {
  const labels: Record<string, string> = namespace?.metadata?.labels ?? {};
  const levelLabel = labels[ENFORCE];
  // An unparseable level fails closed, as PSA's ParseLevel does: restricted.
  const level: Level = levelLabel === undefined ? 'privileged' : (LEVELS as readonly string[]).includes(levelLabel) ? levelLabel as Level : 'restricted';
  const m = /^v1\.(\d+)$/.exec(labels[ENFORCE_VERSION] ?? 'latest');
  const minor = m ? Math.min(Number(m[1]), LATEST_MINOR) : LATEST_MINOR;
  return { level, version: m ? `v1.${m[1]}` : 'latest', minor };
}

/** The namespace's enforced Pod Security level against the object's pods: one finding if refused. */
export function checkPodSecurity(obj: SimObject, namespace: Record<string, any> | undefined): SimFinding[] {
  const tpl = podTemplate(obj.object);
  if (!tpl) return [];
  const { level, version, minor } = enforcedPolicy(namespace);
  const failed = checksFor(level, minor)
    .map(({ check }) => check(tpl.metadata, tpl.spec))
    .filter((r) => r !== undefined);
  if (!failed.length) return [];
  const violations = failed.map((r) => (r.detail ? `${r.reason} (${r.detail})` : r.reason)).join(', ');
  const who = obj.object.kind === 'Pod' ? 'the pod is forbidden' : `its pods would be forbidden`;
  const ns = obj.object.metadata?.namespace ?? namespace?.metadata?.name;
  return [admissionFinding(obj, tpl.specPath, `${who} in namespace ${ns}: violates PodSecurity "${level}:${version}": ${violations}`)];
}
