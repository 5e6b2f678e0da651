// Admission webhooks whose backing Service is not running yet: the API server cannot call them,
// and each webhook's failurePolicy decides — `Fail` (the v1 default) refuses the request, `Ignore`
// lets it through. A chart that installs a webhook and, in the same sync, objects the webhook
// intercepts (cert-manager and its Issuers) meets this on a new cluster.
import { compileCel, toCel } from '../cel/environment.js';
import type { SimFinding, SimObject } from '../model.js';
import { admissionFinding } from './finding.js';
import { constraintsMatch, groupVersion, namespaceLabels } from './kyverno-match.js';
import { podTemplate } from './pod-security.js';

/** What the webhook model sees of the cluster when an object arrives. */
export interface WebhookContext {
  /** The namespaces that exist, by name (namespaceSelectors read their labels). */
  readonly namespaces: ReadonlyMap<string, Record<string, any>>;
  /** The Validating- and MutatingWebhookConfigurations applied so far. */
  readonly webhookConfigurations: readonly Record<string, any>[];
  /** Whether the Service `namespace/name` has ready endpoints (its pods run) when the object arrives. */
  serviceAvailable(namespace: string, name: string): boolean;
}

const KINDS = new Set(['ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration']);
// The API server never sends these to webhooks, so that a bad webhook cannot lock itself in.
const NEVER_INTERCEPTED = new Set([
  'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration', 'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding', 'MutatingAdmissionPolicy', 'MutatingAdmissionPolicyBinding',
]);

/** Every webhook that would be called for creating `obj`, cannot be reached, and fails closed. */
export function checkWebhooks(obj: SimObject, ctx: WebhookContext): SimFinding[] {
  const o = obj.object;
  if (groupVersion(o.apiVersion).group === 'admissionregistration.k8s.io' && NEVER_INTERCEPTED.has(o.kind)) return [];
  const ns = typeof o.metadata?.namespace === 'string' ? o.metadata.namespace : undefined;
  const nsLabels = namespaceLabels(ns, ns ? ctx.namespaces.get(ns) : undefined);
  const findings: SimFinding[] = [];
  for (const config of ctx.webhookConfigurations) {
    if (groupVersion(config.apiVersion).group !== 'admissionregistration.k8s.io' || !KINDS.has(config.kind)) continue;
    for (const wh of (config.webhooks ?? []) as Record<string, any>[]) {
      const service = wh.clientConfig?.service;
      // A URL webhook lives outside the cluster: taken as reachable.
      if (!service?.namespace || !service?.name || ctx.serviceAvailable(service.namespace, service.name)) continue;
      if ((wh.failurePolicy ?? 'Fail') !== 'Fail') continue;
      const rules = ((wh.rules ?? []) as Record<string, any>[]).filter((r) => scopeFits(r.scope, !!ns));
      if (!constraintsMatch({ resourceRules: rules, namespaceSelector: wh.namespaceSelector, objectSelector: wh.objectSelector }, o, nsLabels)) continue;
      const condition = failedCondition(wh, o);
      if (condition === false) continue;
      const why = condition === true ? '' : `; matchCondition ${condition}`;
      findings.push(admissionFinding(obj, podTemplate(o)?.specPath ?? '.',
        `${config.kind} ${config.metadata?.name}: failed calling webhook "${wh.name}": no endpoints available for service "${service.namespace}/${service.name}" (failurePolicy Fail)${why}`));
    }
  }
  return findings;
}

const scopeFits = (scope: unknown, namespaced: boolean) => scope === undefined || scope === '*' || scope === (namespaced ? 'Namespaced' : 'Cluster');

/**
 * Whether the webhook's matchConditions select the request: true (all true), false (one false),
 * or the text of the one that cannot be evaluated (the API server then applies failurePolicy).
 */
function failedCondition(wh: Record<string, any>, object: Record<string, any>): boolean | string {
  const conditions = (wh.matchConditions ?? []) as Record<string, any>[];
  if (!conditions.length) return true;
  const { group, version } = groupVersion(object.apiVersion);
  const activation = {
    object: toCel(object), oldObject: null,
    request: toCel({ operation: 'CREATE', name: object.metadata?.name ?? '', namespace: object.metadata?.namespace ?? '', kind: { group, version, kind: object.kind } }),
  };
  for (const c of conditions) {
    const compiled = compileCel(String(c.expression), ['object', 'oldObject', 'request']);
    const r = compiled.ok ? compiled.evaluate(activation) : { ok: false as const, error: compiled.error };
    if (!r.ok) return `${c.name} could not be evaluated: ${r.error}`;
    if (r.value !== true) return false;
  }
  return true;
}

/** Pod-creating kinds whose pod labels a Service's selector can match. */
const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Pod']);

/**
 * Whether a Service would have endpoints among `objects` (those applied and running): a workload
 * in its namespace whose pod labels its selector matches. A Service without a selector has
 * whatever endpoints someone writes: taken as available.
 */
export function serviceHasEndpoints(service: Record<string, any>, objects: readonly Record<string, any>[]): boolean {
  const selector: Record<string, string> | undefined = service.spec?.selector;
  if (!selector || !Object.keys(selector).length) return true;
  const ns = service.metadata?.namespace;
  return objects.some((o) => {
    if (!WORKLOADS.has(o.kind) || o.metadata?.namespace !== ns) return false;
    const labels: Record<string, string> = podTemplate(o)?.metadata?.labels ?? {};
    return Object.entries(selector).every(([k, v]) => labels[k] === v);
  });
}
