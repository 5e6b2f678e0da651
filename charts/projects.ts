import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { AppProject, type GroupKind } from '../constructs/app-project.js';
import { TeamHostPolicy } from '../constructs/team-host-policy.js';
import type { ClusterSpec, Team } from '../spec/schema.js';
import { hostIssuer } from './cert-manager.js';
import { WAVES, type PlatformComponent } from './component.js';
import { TRAEFIK_NAMESPACE, servedHosts, usesIstio } from './ingress.js';
import { KYVERNO_NAMESPACE } from './kyverno.js';

/**
 * The namespaced kinds a team's Applications may create: what a service needs, nothing that
 * reaches past the team (an allow list, so that a CRD added to the cluster later stays denied
 * until reviewed here). Left out on purpose: RBAC (a RoleBinding of the namespace's admin role
 * would let a pod write what the project denies), SopsSecrets (the cluster's decryptor would
 * decrypt a copied platform secret), Issuers, CertificateRequests, Kyverno policies and
 * exceptions, quotas and limit ranges, Istio Gateways, ServiceEntries, DestinationRules and
 * EnvoyFilters, Endpoints, Ingresses, DaemonSets and bare Pods. The routes and Certificates
 * allowed are fenced by host at admission (TeamHostPolicy).
 */
export function teamNamespaceKinds(spec: ClusterSpec): GroupKind[] {
  return [
    { group: '', kind: 'ConfigMap' },
    { group: '', kind: 'PersistentVolumeClaim' },
    { group: '', kind: 'Secret' },
    { group: '', kind: 'Service' },
    { group: '', kind: 'ServiceAccount' },
    { group: 'apps', kind: 'Deployment' },
    { group: 'apps', kind: 'StatefulSet' },
    { group: 'autoscaling', kind: 'HorizontalPodAutoscaler' },
    { group: 'batch', kind: 'CronJob' },
    { group: 'batch', kind: 'Job' },
    { group: 'cert-manager.io', kind: 'Certificate' },
    { group: 'monitoring.coreos.com', kind: 'PodMonitor' },
    { group: 'monitoring.coreos.com', kind: 'PrometheusRule' },
    { group: 'monitoring.coreos.com', kind: 'ServiceMonitor' },
    { group: 'networking.k8s.io', kind: 'NetworkPolicy' },
    { group: 'policy', kind: 'PodDisruptionBudget' },
    ...(usesIstio(spec) ? [{ group: 'networking.istio.io', kind: 'VirtualService' }] : []),
    ...(spec.ingress.kind === 'traefik'
      ? [{ group: 'traefik.io', kind: 'IngressRoute' }, { group: 'traefik.io', kind: 'Middleware' }]
      : []),
  ];
}

/** One AppProject per application team: its repos, its namespaces, the kinds of teamNamespaceKinds, no cluster-scoped kinds. */
export class ProjectsChart extends Chart {
  readonly projects: AppProject[];

  constructor(scope: Construct, id: string, spec: ClusterSpec) {
    super(scope, id);
    const kinds = teamNamespaceKinds(spec);
    this.projects = spec.teams.map((team) => new AppProject(this, team.name, {
      argocdNamespace: spec.argocd.namespace,
      description: `Applications of team ${team.name}`,
      sourceRepos: team.repos,
      destinationNamespaces: team.namespaces,
      clusterResources: [],
      namespaceResources: kinds,
      roles: [{
        name: 'developer',
        description: `Members of team ${team.name}: see, sync and roll back the team's Applications`,
        groups: team.groups,
        actions: ['get', 'sync', 'rollback', 'action/*'],
        logs: true,
      }],
    }));
  }
}

/** The subdomain a team owns: `<team>.<cluster domain>` and every name under it. */
export const teamSubdomain = (spec: ClusterSpec, team: Team) => `${team.name}.${spec.domain}`;

/** The overlay's hosts served from the team's namespaces (`shop` → storefront): the team's too. */
export const teamListedHosts = (spec: ClusterSpec, team: Team) =>
  spec.ingress.hosts.filter((h) => team.namespaces.includes(h.namespace)).map((h) => h.host);

/**
 * One TeamHostPolicy per team (folder `team-hosts`): the names a team's routes and Certificates
 * may carry, checked at admission whoever writes them. After Kyverno's CRDs, before the teams'
 * Applications.
 */
export function teamHostsComponent(spec: ClusterSpec): PlatformComponent | undefined {
  if (!spec.teams.length) return undefined;
  return {
    name: 'team-hosts',
    namespace: KYVERNO_NAMESPACE,
    objectsWave: WAVES.config,
    addObjects: (chart, s) => {
      for (const team of s.teams) {
        const own = new Set(team.namespaces);
        new TeamHostPolicy(chart, `team-hosts-${team.name}`, {
          team: team.name,
          namespaces: team.namespaces,
          subdomains: [teamSubdomain(s, team)],
          hosts: teamListedHosts(s, team),
          reservedHosts: servedHosts(s).filter((h) => !own.has(h.namespace)).map((h) => h.host),
          issuers: [hostIssuer(s).name],
          sharedMiddlewareNamespaces: s.ingress.kind === 'traefik' ? [TRAEFIK_NAMESPACE] : [],
          routeKinds: { istio: usesIstio(s), traefik: s.ingress.kind === 'traefik' },
        });
      }
    },
  };
}
