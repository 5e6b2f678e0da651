// Edge rules over a fleet: host claims are checked across clusters, so this is the one rule set
// whose cost could grow with the fleet rather than with one cluster.
import { renderCluster } from '../charts/cluster.js';
import type { Manifest } from '../primitives/manifests.js';
import { resolveCluster } from '../spec/load.js';
import { CLOUDS, ENVIRONMENTS, type ClusterSpec } from '../spec/schema.js';
import { EDGE_RULES } from '../validate/edge-rules.js';
import { checkFleetRules } from '../validate/fleet-rules.js';
import { ONPREM_SITE } from '../test/helpers/onprem-site.js';

export interface BenchRow { name: string; value: number; unit: string; note?: string }

const CLUSTERS = 200;

function spec(i: number): ClusterSpec {
  const cloud = CLOUDS[i % CLOUDS.length];
  const r = resolveCluster({
    name: `c${i}`,
    file: `overlays/c${i}.ts`,
    overlay: {
      cloud,
      environment: ENVIRONMENTS[i % ENVIRONMENTS.length],
      domain: `c${i}.fleet.company.ru`,
      ...(cloud === 'onprem' ? { infrastructure: 'vsphere', ...ONPREM_SITE } : {}),
      ...(i % 3 === 0 ? { ingress: { kind: 'traefik', loadBalancerIP: `10.0.${i % 250}.1` }, mesh: { kind: i % 2 ? 'linkerd' : 'none' } } : { mesh: { kind: 'istio' } }),
    },
  });
  if (!r.spec) throw new Error(r.problems.join('\n'));
  return r.spec;
}

function ms(fn: () => unknown): number {
  const t = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

export async function benchEdge(): Promise<BenchRow[]> {
  const specs = Array.from({ length: CLUSTERS }, (_, i) => spec(i));
  let manifests: Manifest[] = [];
  const render = ms(() => { manifests = specs.flatMap((s) => renderCluster(s).manifests); });
  const files = manifests.map((m) => m.file);
  let findings = 0;
  const rules = ms(() => { findings = checkFleetRules(manifests, files, EDGE_RULES).length; });
  if (findings) throw new Error(`bench fleet has ${findings} edge findings`);
  const note = `${CLUSTERS} clusters (every cloud, istio/traefik, istio/linkerd mesh), ${manifests.length} objects`;
  return [
    { name: 'edge: render fleet (all components)', value: Math.round(render), unit: 'ms', note },
    { name: 'edge: fleet rules over the fleet', value: Math.round(rules * 10) / 10, unit: 'ms', note },
    { name: 'edge: fleet rules per cluster', value: Math.round((rules / CLUSTERS) * 100) / 100, unit: 'ms', note },
  ];
}
