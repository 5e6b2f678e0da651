import { Construct } from 'constructs';
import { AppProject as AppProjectResource } from '../imports/argoproj.io.js';
import { IN_CLUSTER } from './argo-application.js';
import { invalidProp, requireDnsLabel } from './validation.js';

/** A Kubernetes kind by API group (`''` for the core group). */
export interface GroupKind {
  readonly group: string;
  readonly kind: string;
  /** The REST resource (plural) RBAC rules name, when it is not the regular plural of the kind (a CRD's `names.plural`). @default - derived from the kind */
  readonly resource?: string;
}

/** What members of a project role may do with the project's Applications. */
export type ApplicationAction = 'get' | 'sync' | 'create' | 'update' | 'delete' | 'override' | 'action/*' | 'rollback';

export interface ProjectRole {
  /** Role name, unique in the project. */
  readonly name: string;
  readonly description: string;
  /** SSO groups that hold the role. */
  readonly groups: readonly string[];
  /** Actions on the project's Applications. */
  readonly actions: readonly ApplicationAction[];
  /** May read the logs of the project's pods. @default false */
  readonly logs?: boolean;
}

export interface AppProjectProps {
  /** Project name. @default - the construct id */
  readonly name?: string;
  readonly argocdNamespace: string;
  readonly description: string;
  /** Repositories the project's Applications may read. */
  readonly sourceRepos: readonly string[];
  /** Namespaces (of the cluster Argo CD runs in) the project's Applications may deploy into. */
  readonly destinationNamespaces: readonly string[];
  /**
   * Cluster-scoped kinds the project may manage. An empty list means none, which is what a
   * team project gets. @default - none
   */
  readonly clusterResources?: readonly GroupKind[];
  /**
   * The only namespaced kinds the project may manage (Argo CD's namespaceResourceWhitelist): an
   * allow list, so a kind the cluster gains later is denied until added. @default - every namespaced kind
   */
  readonly namespaceResources?: readonly GroupKind[];
  /** Namespaced kinds the project may not manage (e.g. quotas a team must not raise). @default - none */
  readonly namespaceResourceBlacklist?: readonly GroupKind[];
  /** @default - no roles: only Argo CD admins act on the project */
  readonly roles?: readonly ProjectRole[];
}

/** An Argo CD AppProject: the fence around what a group of Applications may read and change. */
export class AppProject extends Construct {
  readonly name: string;
  readonly sourceRepos: readonly string[];
  readonly destinationNamespaces: readonly string[];
  readonly clusterResources: readonly GroupKind[];

  constructor(scope: Construct, id: string, props: AppProjectProps) {
    super(scope, id);
    this.name = props.name ?? id;
    this.sourceRepos = [...new Set(props.sourceRepos)].sort();
    this.destinationNamespaces = [...new Set(props.destinationNamespaces)].sort();
    this.clusterResources = dedupeKinds(props.clusterResources ?? []);
    requireDnsLabel(this, 'name', this.name);
    if (!this.sourceRepos.length) invalidProp(this, 'sourceRepos', props.sourceRepos, 'at least one repository');
    if (!this.destinationNamespaces.length) invalidProp(this, 'destinationNamespaces', props.destinationNamespaces, 'at least one namespace');
    this.destinationNamespaces.forEach((ns, i) => requireDnsLabel(this, `destinationNamespaces[${i}]`, ns));
    const roleNames = new Set<string>();
    (props.roles ?? []).forEach((r, i) => {
      requireDnsLabel(this, `roles[${i}].name`, r.name);
      if (roleNames.has(r.name)) invalidProp(this, `roles[${i}].name`, r.name, 'a name not used by another role of the project');
      roleNames.add(r.name);
      if (!r.groups.length) invalidProp(this, `roles[${i}].groups`, r.groups, 'at least one group');
    });

    new AppProjectResource(this, 'Resource', {
      metadata: { name: this.name, namespace: props.argocdNamespace },
      spec: {
        description: props.description,
        sourceRepos: [...this.sourceRepos],
        destinations: this.destinationNamespaces.map((namespace) => ({ server: IN_CLUSTER, namespace })),
        // An empty whitelist means "no cluster-scoped kinds": say it explicitly.
        clusterResourceWhitelist: this.clusterResources.map((k) => ({ group: k.group, kind: k.kind })),
        // An empty whitelist would deny every kind (Argo CD reads "set but empty" as nothing allowed).
        ...(props.namespaceResources
          ? { namespaceResourceWhitelist: dedupeKinds(props.namespaceResources).map((k) => ({ group: k.group, kind: k.kind })) }
          : {}),
        ...(props.namespaceResourceBlacklist?.length
          ? { namespaceResourceBlacklist: dedupeKinds(props.namespaceResourceBlacklist).map((k) => ({ group: k.group, kind: k.kind })) }
          : {}),
        ...(props.roles?.length ? { roles: props.roles.map((r) => this.renderRole(r)) } : {}),
      },
    });
  }

  private renderRole(role: ProjectRole) {
    const subject = `proj:${this.name}:${role.name}`;
    const policies = [...new Set(role.actions)].sort().map((a) => `p, ${subject}, applications, ${a}, ${this.name}/*, allow`);
    if (role.logs) policies.push(`p, ${subject}, logs, get, ${this.name}/*, allow`);
    return { name: role.name, description: role.description, groups: [...role.groups], policies };
  }
}

function dedupeKinds(kinds: readonly GroupKind[]): GroupKind[] {
  const seen = new Map(kinds.map((k) => [`${k.group}/${k.kind}`, k]));
  return [...seen.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, k]) => k);
}
