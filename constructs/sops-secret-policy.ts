import { Construct } from 'constructs';
import {
  ValidatingPolicy, ValidatingPolicySpecFailurePolicy, ValidatingPolicySpecValidationActions,
} from '../imports/policies.kyverno.io.js';
import { clearNamespace } from './cluster-issuer.js';
import { celString, requireNamespaces } from './kyverno-match.js';
import { invalidProp, requireDnsLabel, requireDnsSubdomain } from './validation.js';

/** The SopsSecret custom resource (sops-secrets-operator, isindir). */
export const SOPS_SECRET_RESOURCE = { group: 'isindir.github.com', resource: 'sopssecrets' } as const;

/** A ServiceAccount, as admission sees its requests (`system:serviceaccount:<namespace>:<name>`). */
export interface ServiceAccountRef {
  readonly namespace: string;
  readonly name: string;
}

export interface SopsSecretPolicyProps {
  /** Policy name (cluster-scoped). @default - the construct id */
  readonly name?: string;
  /** The namespaces that may hold a SopsSecret: the platform's. At least one. */
  readonly namespaces: readonly string[];
  /** The only account that may create or change a SopsSecret: the platform Argo CD's application controller. */
  readonly writer: ServiceAccountRef;
}

/**
 * A Kyverno `ValidatingPolicy` that confines SopsSecrets to where the platform puts them.
 *
 * SOPS binds a ciphertext to its key paths, not to a namespace, and the cluster-wide operator
 * decrypts every SopsSecret with the cluster's one age key and writes the Secret into the
 * SopsSecret's own namespace (without checking the MAC). A copy of a platform SopsSecret in a
 * team's namespace would therefore hand that team the plaintext (on-prem: the company CA's private
 * key). Per-team age recipients would not stop that while one operator holds every key, so the
 * cluster refuses the copy instead: a SopsSecret may be created or changed only by the platform
 * Argo CD (from infra-gitops, where only the platform team writes) and only in a platform
 * namespace. Both, because the same controller also syncs the teams' repositories.
 *
 * Always Deny and fail closed, whatever the cluster's image policy action: this guards secrets,
 * and the only SopsSecrets a cluster has are the platform's. The operator's own writes go to the
 * status subresource, which the policy does not match.
 */
export class SopsSecretPolicy extends Construct {
  readonly name: string;

  constructor(scope: Construct, id: string, props: SopsSecretPolicyProps) {
    super(scope, id);
    this.name = props.name ?? id;
    requireDnsSubdomain(this, 'name', this.name);
    if (!props.namespaces.length) invalidProp(this, 'namespaces', props.namespaces, 'at least one namespace (the platform\'s, e.g. cert-manager)');
    requireNamespaces(this, 'namespaces', props.namespaces);
    requireDnsLabel(this, 'writer.namespace', props.writer.namespace);
    requireDnsSubdomain(this, 'writer.name', props.writer.name);
    const namespaces = [...new Set(props.namespaces)].sort();
    const writer = `system:serviceaccount:${props.writer.namespace}:${props.writer.name}`;

    const policy = new ValidatingPolicy(this, 'Resource', {
      metadata: { name: this.name },
      spec: {
        validationActions: [ValidatingPolicySpecValidationActions.DENY],
        failurePolicy: ValidatingPolicySpecFailurePolicy.FAIL,
        matchConstraints: {
          resourceRules: [{ apiGroups: [SOPS_SECRET_RESOURCE.group], apiVersions: ['*'], operations: ['CREATE', 'UPDATE'], resources: [SOPS_SECRET_RESOURCE.resource] }],
        },
        // Who sent a request is not known to a background scan.
        evaluation: { background: { enabled: false } },
        variables: [
          { name: 'namespaces', expression: `[${namespaces.map(celString).join(', ')}]` },
          { name: 'writer', expression: celString(writer) },
        ],
        validations: [
          {
            expression: 'request.userInfo.username == variables.writer',
            messageExpression: `'SopsSecrets are written only by the platform Argo CD (' + variables.writer + ') from infra-gitops, not by ' + request.userInfo.username + ': the operator decrypts a SopsSecret with the cluster key wherever it is'`,
          },
          {
            expression: 'object.metadata.namespace in variables.namespaces',
            messageExpression: `'SopsSecrets belong in the platform namespaces (' + variables.namespaces.join(', ') + '), not in ' + object.metadata.namespace + ': the operator would decrypt a platform secret there'`,
          },
        ],
      },
    });
    // Cluster-scoped: no namespace, whatever the chart's.
    clearNamespace(policy);
  }
}
