import type { Construct } from 'constructs';
import { invalidProp, requireDnsLabel } from './validation.js';

// What the Kyverno policy constructs share: they all judge Pods (and, through autogen, the pod
// controllers), outside a list of exempt namespaces.

/** Pod controllers Kyverno also checks, so that a bad Deployment is refused itself rather than its ReplicaSet's pods later. */
export const POD_CONTROLLERS = ['daemonsets', 'deployments', 'jobs', 'statefulsets', 'cronjobs'];

/** The label every namespace carries with its own name (Kubernetes ≥ 1.22). */
const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** `matchConstraints` for Pods on create and update, outside the given namespaces. */
export function podMatchConstraints(excludeNamespaces: readonly string[]) {
  return {
    resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['pods'] }],
    ...(excludeNamespaces.length
      ? { namespaceSelector: { matchExpressions: [{ key: NAMESPACE_NAME_LABEL, operator: 'NotIn', values: [...excludeNamespaces].sort() }] } }
      : {}),
  };
}

/** The name of a policy's twin on `kubectl debug` requests (see ephemeralContainerMatchConstraints). */
export const ephemeralContainersPolicyName = (name: string) => `${name}-ephemeral-containers`;

/**
 * `matchConstraints` for `kubectl debug`: an UPDATE of the pods/ephemeralcontainers subresource,
 * which a rule on `pods` does not match. Kept out of the pods' policy: a second resource there
 * would switch off Kyverno's autogen for the pod controllers.
 */
export function ephemeralContainerMatchConstraints(excludeNamespaces: readonly string[]) {
  const pods = podMatchConstraints(excludeNamespaces);
  return { ...pods, resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['UPDATE'], resources: ['pods/ephemeralcontainers'] }] };
}

/** Checks a list of namespaces to exclude. */
export function requireNamespaces(scope: Construct, field: string, namespaces: readonly string[]): void {
  namespaces.forEach((ns, i) => requireDnsLabel(scope, `${field}[${i}]`, ns));
}

/** Webhook timeout: Kyverno accepts 1 to 30 seconds. */
export function requireTimeout(scope: Construct, value: number): void {
  if (!Number.isInteger(value) || value < 1 || value > 30) invalidProp(scope, 'timeoutSeconds', value, 'an integer from 1 to 30 (Kyverno\'s webhook timeout range)');
}

/** A CEL string literal. JSON's double-quoted strings are valid CEL strings for the characters we write. */
export const celString = (s: string) => JSON.stringify(s);

/** CEL: a pod's containers of the given kinds, each absent list counting as empty. */
export function celContainers(kinds: readonly ('containers' | 'initContainers' | 'ephemeralContainers')[]): string {
  return kinds.map((k) => (k === 'containers' ? 'object.spec.containers' : `(has(object.spec.${k}) ? object.spec.${k} : [])`)).join(' + ');
}

/** Enforce or Audit, the platform's words for Kyverno's validationActions. */
export type PolicyAction = 'Enforce' | 'Audit';

export const validationActions = (action: PolicyAction) => (action === 'Enforce' ? ['Deny'] : ['Audit']);
