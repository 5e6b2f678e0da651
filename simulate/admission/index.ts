// The admission chain of a simulated cluster, for the rest of simulate/: Pod Security Admission
// then Kyverno's CEL policies, as the API server runs its built-in admission before webhooks,
// and the CRD CEL rules (part of the API server's validation of a custom resource).
import type { SimFinding, SimObject } from '../model.js';
import { checkKyvernoPolicies } from './kyverno.js';
import { checkPodSecurity } from './pod-security.js';

export { checkCrdValidationRules } from '../cel/crd-rules.js';
export { imagesNeedingSignature } from './kyverno.js';
export { checkWebhooks, serviceHasEndpoints, type WebhookContext } from './webhooks.js';

/** What admission sees of the cluster when an object arrives. */
export interface AdmitContext {
  /** The namespaces that exist, by name (their labels carry the Pod Security levels). */
  readonly namespaces: ReadonlyMap<string, Record<string, any>>;
  /** The policy objects applied so far (Kyverno's policies.kyverno.io kinds; others are ignored). */
  readonly policies: readonly Record<string, any>[];
}

/** Every reason the admission chain would refuse to create `obj` (none: admitted). */
export function admit(obj: SimObject, ctx: AdmitContext): SimFinding[] {
  const ns = obj.object.metadata?.namespace;
  const namespace = typeof ns === 'string' ? ctx.namespaces.get(ns) : undefined;
  return [...checkPodSecurity(obj, namespace), ...checkKyvernoPolicies(obj, ctx.policies, namespace)];
}
