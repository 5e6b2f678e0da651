import { CHARTS, type ChartPin } from '../catalog/versions.js';
import { helmRepository } from '../constructs/application-source.js';
import { IN_CLUSTER } from '../constructs/argo-application.js';
import type { ClusterSpec } from '../spec/schema.js';
import { WAVES, type PlatformComponent } from './component.js';

/** Argo CD's documented health check for Application objects (docs/operator-manual/health.md, "Argo CD App"). */
export const APPLICATION_HEALTH_LUA = `hs = {}
hs.status = "Progressing"
hs.message = ""
if obj.status ~= nil then
  if obj.status.health ~= nil then
    hs.status = obj.status.health.status
    if obj.status.health.message ~= nil then
      hs.message = obj.status.health.message
    end
  end
end
return hs
`;

/**
 * Argo CD itself, namespaced: it manages only the namespaces its in-cluster secret lists and has
 * no ClusterRoles of its own. After the first `helm install` at bootstrap it manages itself from
 * this Application, so an upgrade is a change of the pin in catalog/versions.ts.
 */
export function argoCdComponent(spec: ClusterSpec, managedNamespaces: readonly string[], charts: readonly ChartPin[] = []): PlatformComponent {
  const replicas = spec.argocd.replicas;
  // OCI registries the platform's charts come from, declared as Helm repositories with
  // enableOCI (no credentials: anonymous pulls), one repository Secret each.
  const repositories = Object.fromEntries(
    charts.flatMap((c) => { const r = helmRepository(c); return r ? [[r.name, r] as const] : []; }).sort(([a], [b]) => a.localeCompare(b)),
  );
  const policyCsv = spec.argocd.adminGroups.map((g) => `g, ${g}, role:admin`).join('\n') + '\n';
  return {
    name: 'argo-cd',
    namespace: spec.argocd.namespace,
    helm: {
      chart: CHARTS.argoCd,
      releaseName: 'argocd',
      wave: WAVES.argocd,
      serverSideApply: true,
      values: {
        global: { domain: `argocd.${spec.domain}` },
        // Namespaced install: no ClusterRoles; cluster-scoped rights come from the bootstrap RBAC.
        createClusterRoles: false,
        createAggregateRoles: false,
        crds: { install: true, keep: true },
        configs: {
          params: { 'server.insecure': true },
          cm: {
            'exec.enabled': false,
            'timeout.reconciliation': '180s',
            // The cluster Secret sets clusterResources: true, so the controller's cache lists every
            // kind: cluster-scoped ones it may not list (Nodes, PersistentVolumes, ...: its
            // ClusterRole holds only the platform's kinds) would fail the cache and every
            // Application with it. strict: a forbidden kind is checked with a SelfSubjectAccessReview
            // and left out. Namespaced kinds it may list in every namespace it manages (bootstrap).
            // The chart's default resource.exclusions (Endpoints, Leases, ...) stay.
            'resource.respectRBAC': 'strict',
            // Argo CD 1.8 dropped the health check of Application objects, so the root marks a
            // child Healthy as soon as it exists and syncs the next wave at once: CRs before their
            // operator's CRDs are established, policies before Kyverno answers. With this check
            // (the one Argo CD's docs give) the root waits for each wave's children to be Healthy.
            'resource.customizations.health.argoproj.io_Application': APPLICATION_HEALTH_LUA,
          },
          rbac: { 'policy.default': '', 'policy.csv': policyCsv, scopes: '[groups]' },
          ...(Object.keys(repositories).length ? { repositories } : {}),
          clusterCredentials: {
            'in-cluster': {
              server: IN_CLUSTER,
              namespaces: [...managedNamespaces].sort().join(','),
              clusterResources: true,
              labels: { cluster: spec.name, cloud: spec.cloud, env: spec.environment, region: spec.region },
              config: { tlsClientConfig: { insecure: false } },
            },
          },
        },
        controller: { replicas: 1 },
        server: { replicas },
        repoServer: { replicas },
        applicationSet: { replicas: spec.environment === 'prod' ? 2 : 1 },
        'redis-ha': { enabled: spec.environment === 'prod' },
      },
    },
  };
}
