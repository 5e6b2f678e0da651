// Pod Security Admission: the namespace's `pod-security.kubernetes.io/enforce` level against a Pod
// or the pod template of a workload controller. The API server only warns about a controller's
// template; its pods are then refused one by one, which a real cluster shows as a controller
// that never becomes ready. The simulation reports the refusal on the controller itself.
import type { SimFinding, SimObject } from '../model.js';
import { admissionFinding } from './finding.js';
import { checksFor, LATEST_MINOR, type Level } from './pod-security-checks.js';

const ENFORCE = 'pod-security.kubernetes.io/enforce';
const ENFORCE_VERSION = 'pod-security.kubernetes.io/enforce-version';
const LEVELS: readonly Level[] = ['privileged', 'baseline', 'restricted'];

/** A pod's metadata and spec, where they sit in the object, and what would create the pod. */
export interface PodTemplate {
  readonly metadata: Record<string, any>;
  readonly spec: Record<string, any>;
  /** JSON path of the pod spec, e.g. `.spec.template.spec`. */
  readonly specPath: string;
}

/** The pod (template) of a Pod or a workload controller; undefined for other kinds. */
export function podTemplate(object: Record<string, any>): PodTemplate | undefined {
  const group = String(object.apiVersion ?? '').split('/').slice(0, -1).join('/');
  const kind = object.kind;
  const at = (tpl: Record<string, any> | undefined, path: string): PodTemplate | undefined =>
    tpl?.spec ? { metadata: tpl.metadata ?? {}, spec: tpl.spec, specPath: `${path}.spec` } : undefined;
  if (group === '' && kind === 'Pod') return at(object, '');
  if (group === '' && (kind === 'ReplicationController' || kind === 'PodTemplate')) return at(kind === 'PodTemplate' ? object.template : object.spec?.template, kind === 'PodTemplate' ? '.template' : '.spec.template');
  if (group === 'apps' && ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'].includes(kind)) return at(object.spec?.template, '.spec.template');
  if (group === 'batch' && kind === 'Job') return at(object.spec?.template, '.spec.template');
  if (group === 'batch' && kind === 'CronJob') return at(object.spec?.jobTemplate?.spec?.template, '.spec.jobTemplate.spec.template');
  return undefined;
}

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
