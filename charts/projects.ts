import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { AppProject } from '../constructs/app-project.js';
import type { ClusterSpec } from '../spec/schema.js';

/** Kinds a team may not manage even in its own namespaces: the platform sets them. */
export const TEAM_FORBIDDEN_KINDS = [
  { group: '', kind: 'ResourceQuota' },
  { group: '', kind: 'LimitRange' },
  { group: 'rbac.authorization.k8s.io', kind: 'RoleBinding' },
];

/** One AppProject per application team: its repos, its namespaces, no cluster-scoped kinds. */
export class ProjectsChart extends Chart {
  readonly projects: AppProject[];

  constructor(scope: Construct, id: string, spec: ClusterSpec) {
    super(scope, id);
    this.projects = spec.teams.map((team) => new AppProject(this, team.name, {
      argocdNamespace: spec.argocd.namespace,
      description: `Applications of team ${team.name}`,
      sourceRepos: team.repos,
      destinationNamespaces: team.namespaces,
      clusterResources: [],
      namespaceResourceBlacklist: TEAM_FORBIDDEN_KINDS,
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
