import { ISTIO_INGRESS_NAMESPACE, TRAEFIK_NAMESPACE } from './ingress.js';
import { MONITORING_NAMESPACE } from './monitoring.js';
import type { ClusterSpec } from '../spec/schema.js';

/**
 * Who may open a connection to which Argo CD pod. Argo CD's repo-server renders any repository
 * with the cluster's Git credentials for whoever asks, and its Redis holds the app cache without
 * a password that clients check per request: a team pod that reaches either can read other
 * teams' manifests or poison what the controller applies. argocd-server serves plain HTTP
 * behind the ingress (`server.insecure`), so it must be reachable from the ingress only.
 *
 * The chart's own policies cannot say this (its argocd-server policy admits everyone and is
 * rendered whenever any of its policies is), so the chart's are off and these are rendered in
 * its `extraObjects`: one default-deny for the namespace, then one allow per server port.
 */
export interface ArgoCdNetworkPolicyProps {
  /** The release name the chart's labels carry (`app.kubernetes.io/instance`, `release`). */
  readonly releaseName: string;
  /** Argo CD's namespace. */
  readonly namespace: string;
  /** The namespace of the ingress controller that routes to argocd-server. */
  readonly ingressNamespace: string;
  /** Redis runs as redis-ha (HAProxy in front of a replicated StatefulSet) rather than one pod. */
  readonly redisHa: boolean;
}

type Selector = Record<string, string>;
interface Peer { readonly pods?: Selector; readonly namespace?: string }

const byName = (namespace: string) => ({ 'kubernetes.io/metadata.name': namespace });

function peer(p: Peer): Record<string, unknown> {
  return {
    ...(p.namespace ? { namespaceSelector: { matchLabels: byName(p.namespace) } } : {}),
    ...(p.pods ? { podSelector: { matchLabels: p.pods } } : {}),
  };
}

function allow(name: string, namespace: string, pods: Selector, rules: readonly { from: readonly Peer[]; ports: readonly (string | number)[] }[]) {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace },
    spec: {
      podSelector: { matchLabels: pods },
      policyTypes: ['Ingress'],
      ingress: rules.map((r) => ({ from: r.from.map(peer), ports: r.ports.map((port) => ({ protocol: 'TCP', port })) })),
    },
  };
}

/** The ingress controller's namespace for the cluster's ingress kind. */
export function ingressControllerNamespace(spec: ClusterSpec): string {
  return spec.ingress.kind === 'istio' ? ISTIO_INGRESS_NAMESPACE : TRAEFIK_NAMESPACE;
}

/** The NetworkPolicies of Argo CD's namespace, for the chart's `extraObjects`. */
export function argoCdNetworkPolicies(props: ArgoCdNetworkPolicyProps): Record<string, unknown>[] {
  const { releaseName: release, namespace } = props;
  const component = (name: string): Selector => ({ 'app.kubernetes.io/name': `${release}-${name}`, 'app.kubernetes.io/instance': release });
  const server = component('server');
  const repoServer = component('repo-server');
  const controller = component('application-controller');
  const applicationSet = component('applicationset-controller');
  const notifications = component('notifications-controller');
  const scrapes = { from: [{ namespace: MONITORING_NAMESPACE }], ports: ['metrics'] };
  // The redis-ha subchart labels its pods with `app`/`release`, not the chart's common labels.
  const haproxy: Selector = { app: 'redis-ha-haproxy', release };
  const redisHaServers: Selector = { app: 'redis-ha', release };
  const redisClients = [server, repoServer, controller].map((pods) => ({ pods }));
  const redis = props.redisHa
    ? [
      allow(`${release}-redis-ha-haproxy`, namespace, haproxy, [
        { from: redisClients, ports: ['redis'] },
        { from: [{ namespace: MONITORING_NAMESPACE }], ports: ['metrics-port'] },
      ]),
      // Replication and sentinel traffic between the replicas, and HAProxy's health checks.
      allow(`${release}-redis-ha-server`, namespace, redisHaServers, [
        { from: [{ pods: redisHaServers }, { pods: haproxy }], ports: ['redis', 'sentinel'] },
      ]),
    ]
    : [allow(`${release}-redis`, namespace, component('redis'), [{ from: redisClients, ports: ['redis'] }])];
  return [
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: `${release}-default-deny-ingress`, namespace },
      spec: { podSelector: {}, policyTypes: ['Ingress'] },
    },
    allow(`${release}-server`, namespace, server, [
      { from: [{ namespace: props.ingressNamespace }], ports: ['server'] },
      scrapes,
    ]),
    allow(`${release}-repo-server`, namespace, repoServer, [
      { from: [server, controller, applicationSet, notifications].map((pods) => ({ pods })), ports: ['repo-server'] },
      scrapes,
    ]),
    allow(`${release}-application-controller`, namespace, controller, [scrapes]),
    allow(`${release}-applicationset-controller`, namespace, applicationSet, [scrapes]),
    allow(`${release}-notifications-controller`, namespace, notifications, [scrapes]),
    ...redis,
  ];
}
