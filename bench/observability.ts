// Observability, Vault and backup parts of synth: reading the dashboards, a cluster with many
// declared team services (ServiceMonitor + ServiceAccount + SecretProviderClass each), and the
// observability fleet rules, which join objects within a cluster and must stay linear.
import { renderCluster } from '../charts/cluster.js';
import { clearDashboardCache, loadDashboards } from '../spec/dashboards.js';
import type { Manifest } from '../primitives/manifests.js';
import { renderServiceDocs } from '../pipeline/service-docs.js';
import { resolveCluster } from '../spec/load.js';
import { EXAMPLE_BACKEND } from '../spec/observability.js';
import type { ClusterSpec } from '../spec/schema.js';
import { OBSERVABILITY_RULES, dashboardUidsUnique } from '../validate/observability-rules.js';

export interface BenchRow { name: string; value: number; unit: string; note?: string }

const SERVICES = 500;
const CLUSTERS = 50;

function spec(name: string, services: number): ClusterSpec {
  const svc = Array.from({ length: services }, (_, i) => ({
    ...EXAMPLE_BACKEND, name: `svc-${i}`,
    vault: { ...EXAMPLE_BACKEND.vault!, secrets: [{ name: 'db', path: `kv/data/shop/svc-${i}`, key: 'password' }] },
  }));
  const r = resolveCluster({
    name, file: `overlays/${name}.ts`,
    overlay: {
      cloud: 'vk', environment: 'prod', domain: `${name}.company.ru`,
      teams: [{ name: 'shop', groups: ['team-shop'], namespaces: ['shop'], repos: ['ssh://git@git.company.ru/shop/deploy.git'], services: svc.map((s) => ({ ...s, namespace: 'shop' })) }],
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

export async function benchObservability(): Promise<BenchRow[]> {
  clearDashboardCache();
  const dashboards = ms(() => loadDashboards());
  const n = loadDashboards().length;

  const big = spec('big', SERVICES);
  let manifests: Manifest[] = [];
  const render = ms(() => { manifests = renderCluster(big).manifests; });
  let findings = 0;
  const rules = ms(() => {
    for (const rule of Object.values(OBSERVABILITY_RULES)) findings += rule({ name: 'big', manifests, folders: new Set() }).length;
  });
  if (findings) throw new Error(`bench cluster has ${findings} observability findings`);
  const docs = ms(() => renderServiceDocs([big]));

  const fleet = Array.from({ length: CLUSTERS }, (_, i) => ({ name: `c${i}`, manifests: renderCluster(spec(`c${i}`, 1)).manifests, folders: new Set<string>() }));
  const wide = ms(() => { findings += dashboardUidsUnique.check(fleet).length; });
  if (findings) throw new Error(`bench fleet has ${findings} dashboard findings`);

  return [
    { name: 'observability: read and check dashboards (cold)', value: Math.round(dashboards * 10) / 10, unit: 'ms', note: `${n} files in docs/assets/grafana` },
    { name: 'observability: render a cluster with many team services', value: Math.round(render), unit: 'ms', note: `${SERVICES} services (ServiceMonitor, ServiceAccount, SecretProviderClass each), ${manifests.length} objects` },
    { name: 'observability: rules on that cluster', value: Math.round(rules * 10) / 10, unit: 'ms', note: `${SERVICES} ServiceMonitors and SecretProviderClasses` },
    { name: 'observability: service pages for that cluster', value: Math.round(docs), unit: 'ms', note: `${SERVICES} pages` },
    { name: 'observability: dashboard uids across the fleet', value: Math.round(wide * 10) / 10, unit: 'ms', note: `${CLUSTERS} clusters × ${n} dashboards` },
  ];
}
