import { Construct } from 'constructs';
import {
  ValidatingPolicy, ValidatingPolicySpecFailurePolicy, ValidatingPolicySpecValidationActions,
} from '../imports/policies.kyverno.io.js';
import {
  POD_CONTROLLERS, celContainers, podMatchConstraints, requireNamespaces, requireTimeout, validationActions, type PolicyAction,
} from './kyverno-match.js';
import { clearNamespace } from './cluster-issuer.js';
import { requireDnsSubdomain } from './validation.js';

export interface ResourcePolicyProps {
  /** Policy name (cluster-scoped). @default - the construct id */
  readonly name?: string;
  /** `Enforce` denies a pod without the resources; `Audit` reports it. */
  readonly action: PolicyAction;
  /** Namespaces the policy skips (the platform's own). @default - none */
  readonly excludeNamespaces?: readonly string[];
  /** Webhook timeout in seconds. @default 10 */
  readonly timeoutSeconds?: number;
}

/**
 * A Kyverno `ValidatingPolicy` (CEL) requiring CPU and memory requests and a memory limit on every
 * container and init container (kyverno/policies' require-requests-limits, as CEL). No CPU limit
 * is required: CPU limits throttle, memory limits protect the node.
 */
export class ResourcePolicy extends Construct {
  readonly name: string;

  constructor(scope: Construct, id: string, props: ResourcePolicyProps) {
    super(scope, id);
    this.name = props.name ?? id;
    requireDnsSubdomain(this, 'name', this.name);
    const excluded = props.excludeNamespaces ?? [];
    requireNamespaces(this, 'excludeNamespaces', excluded);
    const timeout = props.timeoutSeconds ?? 10;
    requireTimeout(this, timeout);
    const sized = "has(c.resources) && has(c.resources.requests) && 'cpu' in c.resources.requests && 'memory' in c.resources.requests"
      + " && has(c.resources.limits) && 'memory' in c.resources.limits";

    const policy = new ValidatingPolicy(this, 'Resource', {
      metadata: { name: this.name },
      spec: {
        validationActions: validationActions(props.action) as ValidatingPolicySpecValidationActions[],
        failurePolicy: props.action === 'Enforce' ? ValidatingPolicySpecFailurePolicy.FAIL : ValidatingPolicySpecFailurePolicy.IGNORE,
        webhookConfiguration: { timeoutSeconds: timeout },
        matchConstraints: podMatchConstraints(excluded),
        autogen: { podControllers: { controllers: POD_CONTROLLERS } },
        // Ephemeral (debug) containers cannot declare resources, so they are not checked.
        variables: [{ name: 'containers', expression: celContainers(['containers', 'initContainers']) }],
        validations: [{
          expression: `variables.containers.all(c, ${sized})`,
          messageExpression: "'every container needs resources.requests.cpu, resources.requests.memory and resources.limits.memory; missing in: ' + "
            + `variables.containers.filter(c, !(${sized})).map(c, c.name).join(', ')`,
        }],
      },
    });
    // Cluster-scoped: no namespace, whatever the chart's.
    clearNamespace(policy);
  }
}
