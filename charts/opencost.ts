import { CHARTS } from '../catalog/versions.js';
import type { ClusterSpec } from '../spec/schema.js';
import { WAVES, type PlatformComponent } from './component.js';
import { MONITORING_NAMESPACE, PROMETHEUS_SERVICE } from './monitoring.js';

export const OPENCOST_NAMESPACE = 'opencost';

/**
 * OpenCost per cluster: no built-in pricing exists for the Russian clouds, so the cloud's prices
 * come from `cost` as custom pricing. It reads the stack's Prometheus and is scraped by it (its
 * ServiceMonitor); the cost dashboard in docs/assets/grafana/cost shows it in Grafana.
 */
export function opencostComponent(spec: ClusterSpec): PlatformComponent {
  const c = spec.cost;
  const price = (n: number) => String(n);
  return {
    name: 'opencost',
    namespace: OPENCOST_NAMESPACE,
    helm: {
      chart: CHARTS.opencost,
      wave: WAVES.operatorsExtras,
      values: {
        // The chart's `clusterName` is the cluster DNS domain it builds service URLs from
        // (<svc>.<ns>.svc.<clusterName>): its default, cluster.local, is right on every cloud. The
        // cluster's identity is the exporter's CLUSTER_ID.
        opencost: {
          exporter: { defaultClusterId: spec.name },
          prometheus: { internal: { enabled: true, serviceName: PROMETHEUS_SERVICE, namespaceName: MONITORING_NAMESPACE, port: 9090 } },
          customPricing: {
            enabled: true,
            provider: 'custom',
            costModel: {
              description: `${spec.cloud} ${spec.region} list prices in ${c.currency} (spec cost)`,
              CPU: price(c.cpuHour), spotCPU: price(c.cpuHour),
              RAM: price(c.ramGiBHour), spotRAM: price(c.ramGiBHour),
              GPU: '0', storage: price(c.storageGiBHour),
              zoneNetworkEgress: '0', regionNetworkEgress: '0', internetNetworkEgress: price(c.internetEgressGiB),
            },
          },
          metrics: { serviceMonitor: { enabled: true } },
          ui: { enabled: true },
        },
      },
    },
  };
}
