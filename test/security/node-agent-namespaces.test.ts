// Node agents (DaemonSets with host access) need the privileged Pod Security level, and a
// namespace's level is derived from everything that runs there (charts/derive-bootstrap.ts). So
// they run in namespaces of their own, and the servers keep the level their own pods need. Judged
// on every example cluster as synth renders it: the Namespace labels it writes, and what runs in
// each namespace (the charts' committed footprints and the platform's own objects).
import { join } from 'node:path';
import { renderCluster, type RenderedCluster } from '../../charts/cluster.js';
import { MONITORING_AGENTS_NAMESPACE, MONITORING_NAMESPACE } from '../../charts/monitoring.js';
import { CSI_NAMESPACE, VAULT_NAMESPACE } from '../../charts/vault.js';
import { ISTIO_NAMESPACE } from '../../charts/ingress.js';
import { NODE_EXPORTER_NAMESPACE } from '../../catalog/unrendered-subcharts.js';
import { EXEMPT_NAMESPACES } from '../../catalog/policy.js';
import { ChartFootprints, FOOTPRINTS_FILE, readFootprintFile } from '../../chart-renders/footprints.js';
import { helmSources } from '../../chart-renders/render.js';
import { loadFleet } from '../../spec/load.js';
import { kubeVersionOf } from '../../spec/kubernetes-version.js';
import { PLATFORM_NAMESPACES } from '../../spec/rules.js';
import type { ClusterSpec } from '../../spec/schema.js';
import { EXAMPLE_OVERLAYS, REPO_ROOT } from '../helpers/fleet.js';

const ENFORCE = 'pod-security.kubernetes.io/enforce';
const WORKLOADS = ['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob'];
/**
 * What a node agents' namespace may run: DaemonSets, and Jobs that run to completion (the Secrets
 * Store CSI driver chart's CRD upgrade hook).
 */
const NODE_AGENT_KINDS = new Set(['DaemonSet', 'Job']);
/** Namespaces of servers: never privileged, whatever else the cluster runs. */
const SERVER_NAMESPACES = [VAULT_NAMESPACE, MONITORING_NAMESPACE, ISTIO_NAMESPACE];
/**
 * Privileged namespaces that hold more than node agents, each for a reason README's "Accepted
 * exceptions" gives: the velero chart runs its node agent in the release namespace (no override).
 * Linkerd's control plane namespace runs its proxy-init with NET_ADMIN, not a node agent.
 */
const ACCEPTED = new Map([['velero', 'node-agent'], ['linkerd', 'control plane']]);

interface Cluster { readonly spec: ClusterSpec; readonly rendered: RenderedCluster }
let clusters: Cluster[] = [];
const footprints = new ChartFootprints(readFootprintFile(join(REPO_ROOT, FOOTPRINTS_FILE)), undefined, FOOTPRINTS_FILE, true);

beforeAll(async () => {
  const specs = await loadFleet(EXAMPLE_OVERLAYS);
  clusters = specs.map((spec) => ({ spec, rendered: renderCluster(spec) }));
});

const levels = (c: Cluster): Map<string, string> => new Map(c.rendered.manifests
  .filter((m) => m.object.kind === 'Namespace' && m.cluster === c.spec.name)
  .map((m) => [m.object.metadata.name, m.object.metadata.labels?.[ENFORCE]]));

/** Namespace → the workload kinds running there: the charts' (by their footprints) and the platform's own objects. */
function workloads(c: Cluster): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const add = (ns: string, kind: string) => { if (WORKLOADS.includes(kind)) out.set(ns, (out.get(ns) ?? new Set()).add(kind)); };
  for (const source of helmSources(c.rendered.manifests)) {
    for (const o of footprints.of(source, kubeVersionOf(c.spec)).footprint.objects) add(o.namespace || source.namespace, o.kind);
  }
  for (const m of c.rendered.manifests) if (m.object.metadata?.namespace) add(m.object.metadata.namespace, m.object.kind);
  return out;
}

test('the example fleet has clusters to judge', () => {
  expect(clusters.map((c) => c.spec.name).length).toBeGreaterThan(1);
});

test('on every example cluster the servers\' namespaces (vault, monitoring, istio-system) are not privileged', () => {
  const found = clusters.flatMap((c) => SERVER_NAMESPACES.filter((ns) => levels(c).has(ns)).map((ns) => `${c.spec.name}/${ns}: ${levels(c).get(ns)}`));
  expect(found.length).toBeGreaterThan(0);
  expect(found.filter((f) => f.endsWith(': privileged'))).toEqual([]);
});

test('on every example cluster a privileged namespace runs node agents only (DaemonSets, and hook Jobs), but for the accepted exceptions', () => {
  const mixed = clusters.flatMap((c) => {
    const kinds = workloads(c);
    return [...levels(c)].filter(([ns, level]) => level === 'privileged' && !ACCEPTED.has(ns))
      .filter(([ns]) => ![...(kinds.get(ns) ?? [])].every((k) => NODE_AGENT_KINDS.has(k)) || !kinds.get(ns)?.has('DaemonSet'))
      .map(([ns]) => `${c.spec.name}/${ns}: ${[...(kinds.get(ns) ?? [])].sort().join(',')}`);
  });
  expect(mixed).toEqual([]);
});

test('the node agents of vault and monitoring run in their own privileged namespaces', () => {
  const yc = clusters.find((c) => c.spec.vault.csi && c.spec.observability.containerLogs)!;
  const kinds = workloads(yc);
  expect([CSI_NAMESPACE, MONITORING_AGENTS_NAMESPACE].map((ns) => [ns, levels(yc).get(ns), [...(kinds.get(ns) ?? [])].sort()]))
    .toEqual([[CSI_NAMESPACE, 'privileged', ['DaemonSet', 'Job']], [MONITORING_AGENTS_NAMESPACE, 'privileged', ['DaemonSet']]]);
});

test('node-exporter\'s declared namespace (catalog/unrendered-subcharts.ts) is the one monitoring.ts sets', () => {
  expect(NODE_EXPORTER_NAMESPACE).toBe(MONITORING_AGENTS_NAMESPACE);
});

test('the node agents\' namespace is a platform namespace: exempt from the requests/limits policy, and no team may claim it', () => {
  expect(EXEMPT_NAMESPACES.find((e) => e.namespace === MONITORING_AGENTS_NAMESPACE)?.from).toEqual(['resources']);
  expect(PLATFORM_NAMESPACES).toContain(MONITORING_AGENTS_NAMESPACE);
});
