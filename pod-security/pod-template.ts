// Where a Pod's metadata and spec sit in the kinds that create pods: what Pod Security Admission
// checks, and what the chart footprints read to compute a namespace's level.

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
