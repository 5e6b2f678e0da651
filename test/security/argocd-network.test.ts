// Who reaches Argo CD's pods, evaluated on what the pinned argo-cd chart renders for each example
// cluster (its workloads and the NetworkPolicies synth puts in its extraObjects). The repo-server
// renders any repository with the cluster's Git credential for whoever asks and Redis holds the
// application cache: a team pod must reach neither, and argocd-server (plain HTTP behind the
// ingress) only through the ingress controller.
import { ingressControllerNamespace } from '../../charts/argocd-network.js';
import { MONITORING_NAMESPACE } from '../../charts/monitoring.js';
import { loadFleet } from '../../spec/load.js';
import type { ClusterSpec } from '../../spec/schema.js';
import { ingressAllowed, podEndpointOf, type PodEndpoint } from '../../simulate/network-policy.js';
import { EXAMPLE_OVERLAYS } from '../helpers/fleet.js';
import { describeWithReferenceData } from '../helpers/reference-data.js';
import { useRealCharts, type K8sObject } from '../charts-real/real-charts.js';

interface Pod extends PodEndpoint { readonly workload: string }

describeWithReferenceData('network access to Argo CD (the pinned argo-cd chart, rendered)', 'helm/charts', () => {
  const charts = useRealCharts(['argo-cd']);
  let fleet: ClusterSpec[] = [];
  beforeAll(async () => {
    fleet = await loadFleet(EXAMPLE_OVERLAYS);
  });

  const each = (check: (spec: ClusterSpec, pods: Pod[], policies: K8sObject[], pod: (workload: string) => Pod) => void) => {
    expect(fleet.length).toBeGreaterThan(0);
    for (const spec of fleet) {
      const objects = charts().render(spec, 'argo-cd');
      const pods = objects.flatMap((o) => {
        const e = podEndpointOf(o);
        return e && !o.metadata?.annotations?.['helm.sh/hook'] ? [{ ...e, workload: `${o.kind}/${o.metadata.name}` }] : [];
      });
      const policies = objects.filter((o) => o.kind === 'NetworkPolicy');
      const pod = (workload: string) => {
        const p = pods.find((x) => x.workload.endsWith(`/${workload}`));
        if (!p) throw new Error(`${spec.name}: the chart renders no ${workload} (has ${pods.map((x) => x.workload).join(', ')})`);
        return p;
      };
      check(spec, pods, policies, pod);
    }
  };
  const portOf = (p: Pod, name: string) => {
    const port = p.ports?.find((x) => x.name === name)?.containerPort;
    if (port === undefined) throw new Error(`${p.workload} has no port ${name}`);
    return port;
  };
  const reachable = (policies: K8sObject[], from: PodEndpoint, to: Pod) =>
    (to.ports ?? []).filter((p) => ingressAllowed(policies, from, to, p.containerPort)).map((p) => `${to.workload}:${p.name ?? p.containerPort}`);

  test('a pod in a team namespace reaches no port of any Argo CD pod', () => {
    each((spec, pods, policies) => {
      const team: PodEndpoint = { namespace: spec.teams[0].namespaces[0], labels: { 'app.kubernetes.io/name': 'argocd-server' } };
      expect([spec.name, pods.flatMap((p) => reachable(policies, team, p))]).toEqual([spec.name, []]);
    });
  });

  test('the ingress controller reaches argocd-server\'s HTTP port and nothing else', () => {
    each((spec, pods, policies) => {
      const gateway: PodEndpoint = { namespace: ingressControllerNamespace(spec), labels: { app: 'gateway' } };
      expect([spec.name, pods.flatMap((p) => reachable(policies, gateway, p))]).toEqual([spec.name, ['Deployment/argocd-server:server']]);
    });
  });

  test('Argo CD\'s own connections are admitted: server, controller, ApplicationSet and notifications to repo-server; server, repo-server and controller to Redis', () => {
    each((spec, _pods, policies, pod) => {
      const repo = pod('argocd-repo-server');
      for (const client of ['argocd-server', 'argocd-application-controller', 'argocd-applicationset-controller', 'argocd-notifications-controller']) {
        expect([spec.name, client, ingressAllowed(policies, pod(client), repo, portOf(repo, 'repo-server'))]).toEqual([spec.name, client, true]);
      }
      const redis = spec.environment === 'prod' ? pod('argocd-redis-ha-haproxy') : pod('argocd-redis');
      for (const client of ['argocd-server', 'argocd-repo-server', 'argocd-application-controller']) {
        expect([spec.name, client, ingressAllowed(policies, pod(client), redis, portOf(redis, 'redis'))]).toEqual([spec.name, client, true]);
      }
    });
  });

  test('in prod, HAProxy reaches the Redis replicas and the replicas reach each other (replication and sentinel)', () => {
    each((spec, _pods, policies, pod) => {
      if (spec.environment !== 'prod') return;
      const servers = pod('argocd-redis-ha-server');
      for (const port of ['redis', 'sentinel']) {
        expect([spec.name, port, ingressAllowed(policies, pod('argocd-redis-ha-haproxy'), servers, portOf(servers, port))]).toEqual([spec.name, port, true]);
        expect([spec.name, port, ingressAllowed(policies, servers, servers, portOf(servers, port))]).toEqual([spec.name, port, true]);
      }
    });
  });

  test('Prometheus in the monitoring namespace reaches every metrics port', () => {
    each((spec, pods, policies) => {
      const prometheus: PodEndpoint = { namespace: MONITORING_NAMESPACE, labels: { app: 'prometheus' } };
      const metrics = pods.flatMap((p) => (p.ports ?? []).filter((x) => /metrics/.test(x.name ?? '')).map((x) => ({ p, x })));
      expect(metrics.length).toBeGreaterThan(0);
      for (const { p, x } of metrics) expect([spec.name, p.workload, ingressAllowed(policies, prometheus, p, x.containerPort)]).toEqual([spec.name, p.workload, true]);
    });
  });

  test('every Argo CD pod is selected by an ingress policy: none is open by omission', () => {
    each((spec, pods, policies) => {
      const stranger: PodEndpoint = { namespace: 'elsewhere', labels: {} };
      const open = pods.filter((p) => ingressAllowed(policies, stranger, p, 1));
      expect([spec.name, open.map((p) => p.workload)]).toEqual([spec.name, []]);
    });
  });
});
