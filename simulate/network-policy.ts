// Ingress NetworkPolicy semantics (networking.k8s.io/v1), as the API documents them and CNIs
// enforce them: a pod no policy selects for Ingress accepts every connection; a selected pod
// accepts a connection when some rule of some selecting policy admits both its source and its port.

import { matchesLabelSelector, type LabelSelector } from '../primitives/label-selector.js';

type K8sObject = Record<string, any>;

/** A pod as a connection sees it: where it runs, its labels and its containers' ports. */
export interface PodEndpoint {
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Container ports (named ones resolve `port: <name>` rules). @default - none */
  readonly ports?: readonly { readonly name?: string; readonly containerPort: number; readonly protocol?: string }[];
}

/** Whether a selector matches labels; an absent one (a peer's podSelector) matches every pod. */
function selectorMatches(selector: LabelSelector | undefined, labels: Readonly<Record<string, string>>): boolean {
  return !selector || matchesLabelSelector(selector, labels);
}

/** The labels the API server gives every namespace (kubernetes.io/metadata.name), plus any given. */
export function namespaceLabels(namespace: string, extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  return { ...extra, 'kubernetes.io/metadata.name': namespace };
}

function appliesToIngress(policy: K8sObject): boolean {
  const types: string[] | undefined = policy.spec?.policyTypes;
  // Without policyTypes a policy always restricts Ingress (and Egress only when it has egress rules).
  return !types || types.includes('Ingress');
}

function peerAdmits(peer: K8sObject, policyNamespace: string, from: PodEndpoint, fromNamespaceLabels: Record<string, string>): boolean {
  if (peer.ipBlock) return false; // pod-to-pod traffic is decided by selectors; ipBlocks name outside addresses
  if (peer.namespaceSelector) {
    if (!selectorMatches(peer.namespaceSelector, fromNamespaceLabels)) return false;
    return selectorMatches(peer.podSelector, from.labels);
  }
  // podSelector alone: pods of the policy's own namespace.
  return from.namespace === policyNamespace && selectorMatches(peer.podSelector, from.labels);
}

function portAdmits(rulePort: K8sObject, to: PodEndpoint, port: number, protocol: string): boolean {
  if ((rulePort.protocol ?? 'TCP') !== protocol) return false;
  if (rulePort.port === undefined) return true;
  if (typeof rulePort.port === 'string') {
    return (to.ports ?? []).some((p) => p.name === rulePort.port && p.containerPort === port && (p.protocol ?? 'TCP') === protocol);
  }
  return rulePort.endPort !== undefined ? port >= rulePort.port && port <= rulePort.endPort : port === rulePort.port;
}

/**
 * Whether `from` may connect to `to` on `port` under `policies` (every NetworkPolicy of the
 * cluster; only those in the target's namespace count). `namespaceLabelsOf` gives a namespace's
 * labels (default: just its name label).
 */
export function ingressAllowed(
  policies: readonly K8sObject[],
  from: PodEndpoint,
  to: PodEndpoint,
  port: number,
  options: { protocol?: string; namespaceLabelsOf?: (namespace: string) => Record<string, string> } = {},
): boolean {
  const protocol = options.protocol ?? 'TCP';
  const labelsOf = options.namespaceLabelsOf ?? ((ns: string) => namespaceLabels(ns));
  const selecting = policies.filter((p) => p.kind === 'NetworkPolicy' && p.metadata?.namespace === to.namespace
    && appliesToIngress(p) && selectorMatches(p.spec?.podSelector, to.labels));
  if (selecting.length === 0) return true;
  const fromNs = labelsOf(from.namespace);
  return selecting.some((p) => ((p.spec.ingress ?? []) as K8sObject[]).some((rule) => {
    const peers: K8sObject[] = rule.from ?? [];
    const ports: K8sObject[] = rule.ports ?? [];
    const sourceOk = peers.length === 0 || peers.some((peer) => peerAdmits(peer, p.metadata.namespace, from, fromNs));
    const portOk = ports.length === 0 || ports.some((rp) => portAdmits(rp, to, port, protocol));
    return sourceOk && portOk;
  }));
}

/** The pods a workload object (Deployment, StatefulSet, DaemonSet, Job, CronJob, Pod) runs, as endpoints. */
export function podEndpointOf(object: K8sObject): PodEndpoint | undefined {
  const template = object.kind === 'Pod' ? object
    : object.kind === 'CronJob' ? object.spec?.jobTemplate?.spec?.template
      : object.spec?.template;
  if (!template?.spec?.containers) return undefined;
  return {
    namespace: object.metadata?.namespace ?? 'default',
    labels: template.metadata?.labels ?? {},
    ports: (template.spec.containers as K8sObject[]).flatMap((c) => c.ports ?? []),
  };
}
