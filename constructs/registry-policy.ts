import { Construct } from 'constructs';
import { ALLOWED_PREFIXES_VARIABLE } from '../primitives/annotations.js';
import {
  ValidatingPolicy, ValidatingPolicySpecFailurePolicy, ValidatingPolicySpecValidationActions, type ValidatingPolicySpec,
} from '../imports/policies.kyverno.io.js';
import {
  POD_CONTROLLERS, celContainers, celString, ephemeralContainerMatchConstraints, ephemeralContainersPolicyName, podMatchConstraints,
  requireNamespaces, requireTimeout, validationActions, type PolicyAction,
} from './kyverno-match.js';
import { clearNamespace } from './cluster-issuer.js';
import { invalidProp, requireDnsSubdomain } from './validation.js';

export { ALLOWED_PREFIXES_VARIABLE };

export interface RegistryPolicyProps {
  /** Policy name (cluster-scoped). @default - the construct id */
  readonly name?: string;
  /**
   * Prefixes an image reference must start with, as written in the pod spec: `registry/path/`, or
   * `registry/repo:` and `registry/repo@` for a single repository. At least one.
   */
  readonly allowedPrefixes: readonly string[];
  /** `Enforce` denies a pod with an image from elsewhere; `Audit` reports it. */
  readonly action: PolicyAction;
  /** Namespaces the policy skips. @default - none */
  readonly excludeNamespaces?: readonly string[];
  /** Webhook timeout in seconds. @default 10 */
  readonly timeoutSeconds?: number;
}

/** The image Istio's injection replaces (see RegistryPolicy); validate/ skips it too. */
export const INJECTION_PLACEHOLDER_IMAGE = 'auto';

const PREFIX = /^[a-z0-9.-]+(:[0-9]+)?(\/[a-z0-9._-]+)*(\/|:|@)$|^[a-z0-9._-]+(\/[a-z0-9._-]+)*(\/|:|@)$/;

/**
 * Kyverno `ValidatingPolicies` (CEL) that let Pods (and pod controllers) run images from the
 * allowed registries only: the company's registry and the pinned upstream ones. The prefix list
 * is one CEL variable, written as a JSON array (also valid CEL) so that tools can read it back.
 * A second policy, `<name>-ephemeral-containers`, holds `kubectl debug` containers to the same
 * list (see ephemeralContainerMatchConstraints).
 */
export class RegistryPolicy extends Construct {
  readonly name: string;
  /** The policy on `kubectl debug` requests. */
  readonly ephemeralContainersName: string;
  readonly allowedPrefixes: readonly string[];

  constructor(scope: Construct, id: string, props: RegistryPolicyProps) {
    super(scope, id);
    this.name = props.name ?? id;
    requireDnsSubdomain(this, 'name', this.name);
    this.ephemeralContainersName = ephemeralContainersPolicyName(this.name);
    requireDnsSubdomain(this, 'name', this.ephemeralContainersName);
    if (!props.allowedPrefixes.length) invalidProp(this, 'allowedPrefixes', props.allowedPrefixes, 'at least one registry prefix such as ghcr.io/soft-yt/');
    props.allowedPrefixes.forEach((p, i) => {
      if (!PREFIX.test(p)) invalidProp(this, `allowedPrefixes[${i}]`, p, 'an image reference prefix ending in "/", ":" or "@" (e.g. quay.io/jetstack/, docker.io/traefik:)');
    });
    this.allowedPrefixes = [...new Set(props.allowedPrefixes)].sort();
    const excluded = props.excludeNamespaces ?? [];
    requireNamespaces(this, 'excludeNamespaces', excluded);
    const timeout = props.timeoutSeconds ?? 10;
    requireTimeout(this, timeout);
    // `auto` is Istio's gateway-injection placeholder (the istio gateway chart writes it into its
    // Deployment; the injection webhook puts the proxy image into each Pod, which this policy then
    // checks). Autogen applies the policy to the Deployment's template too, where the placeholder
    // is still there: without this the gateway could never be created. Never pullable as written
    // (docker.io/library/auto is no official image).
    const allowed = `(c.image == '${INJECTION_PLACEHOLDER_IMAGE}' || variables.${ALLOWED_PREFIXES_VARIABLE}.exists(p, c.image.startsWith(p)))`;

    const policy = (id: string, name: string, spec: Pick<ValidatingPolicySpec, 'matchConstraints' | 'autogen' | 'evaluation'>, containers: string) => new ValidatingPolicy(this, id, {
      metadata: { name },
      spec: {
        validationActions: validationActions(props.action) as ValidatingPolicySpecValidationActions[],
        // A registry check needs no network: failing closed costs nothing but Kyverno's availability.
        failurePolicy: props.action === 'Enforce' ? ValidatingPolicySpecFailurePolicy.FAIL : ValidatingPolicySpecFailurePolicy.IGNORE,
        webhookConfiguration: { timeoutSeconds: timeout },
        ...spec,
        variables: [
          { name: ALLOWED_PREFIXES_VARIABLE, expression: `[${this.allowedPrefixes.map(celString).join(', ')}]` },
          { name: 'containers', expression: containers },
        ],
        validations: [{
          expression: `variables.containers.all(c, ${allowed})`,
          messageExpression: `'images must come from an allowed registry (' + variables.${ALLOWED_PREFIXES_VARIABLE}.join(', ') + '); not allowed: ' + variables.containers.filter(c, !(${allowed})).map(c, c.image).join(', ')`,
        }],
      },
    });
    const pods = policy('Resource', this.name, { matchConstraints: podMatchConstraints(excluded), autogen: { podControllers: { controllers: POD_CONTROLLERS } } },
      celContainers(['containers', 'initContainers', 'ephemeralContainers']));
    // `kubectl debug`: only the ephemeral containers, the part such a request changes. No
    // background scan: the policy is about a request, and the pods' policy reports running pods.
    const debug = policy('EphemeralContainers', this.ephemeralContainersName, { matchConstraints: ephemeralContainerMatchConstraints(excluded), evaluation: { background: { enabled: false } } },
      celContainers(['ephemeralContainers']));
    // Cluster-scoped: no namespace, whatever the chart's.
    clearNamespace(pods);
    clearNamespace(debug);
  }
}
