import { Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import { AppProject, type GroupKind } from '../constructs/app-project.js';
import { ApplicationSource, argoHelmSource } from '../constructs/application-source.js';
import { ArgoApplication } from '../constructs/argo-application.js';
import { KUBERNETES_VERSION_ANNOTATION } from '../primitives/annotations.js';
import { resourceOfKind } from '../primitives/kinds.js';
import { kubeMinorOf, type PodSecurityLevel } from '../pod-security/level.js';
import type { ClusterSpec } from '../spec/schema.js';
import type { ResolvedComponent } from './component.js';
import { meshedNamespaces, meshMembership } from './mesh.js';
import type { BootstrapInputs } from './derive-bootstrap.js';

export const PLATFORM_PROJECT = 'platform';
/** The ServiceAccount that applies every object: the only one with write rights. */
const CONTROLLER_ACCOUNT = 'argocd-application-controller';
/** The ServiceAccount of the API server and UI: only what upstream's argocd-server ClusterRole gives it. */
const SERVER_ACCOUNT = 'argocd-server';
const RBAC_GROUP = 'rbac.authorization.k8s.io';

export interface BootstrapChartProps extends BootstrapInputs {
  readonly spec: ClusterSpec;
  readonly components: readonly ResolvedComponent[];
  /** Every namespace the cluster's Argo CD manages: the platform's and the teams'. */
  readonly managedNamespaces: readonly string[];
  /** Path of the cluster's folder in the GitOps repository, e.g. clusters/yc-prod. */
  readonly clusterPath: string;
}

/**
 * Pod Security Admission labels of a namespace whose pods need `level`, pinned to the cluster's
 * Kubernetes version (the level was computed with that version's checks; a control-plane upgrade
 * changes the overlay, and so the labels, in the same PR). `warn` follows `enforce`, because PSA
 * enforces on pods only: a Deployment whose pods would be refused is only warned about, and that
 * warning is what Argo CD shows in the sync. `audit` is always `restricted`: the audit log lists
 * every pod that falls short of the strictest level, the hardening backlog of the platform.
 */
export function podSecurityLabels(level: PodSecurityLevel, kubernetesVersion: string): Record<string, string> {
  const version = `v1.${kubeMinorOf(kubernetesVersion)}`;
  return {
    'pod-security.kubernetes.io/enforce': level,
    'pod-security.kubernetes.io/enforce-version': version,
    'pod-security.kubernetes.io/warn': level,
    'pod-security.kubernetes.io/warn-version': version,
    'pod-security.kubernetes.io/audit': 'restricted',
    'pod-security.kubernetes.io/audit-version': version,
  };
}

/**
 * What a cluster admin applies once (and again when it changes): what a namespaced Argo CD may
 * not create for itself. The namespaces, the controller's RBAC (admin in each managed namespace,
 * and exactly the cluster-scoped kinds the platform components need), the platform AppProject
 * (only admins may widen it) and the root Application that syncs everything else from Git.
 */
export class BootstrapChart extends Chart {
  readonly platformProject: AppProject;
  readonly root: ArgoApplication;

  constructor(scope: Construct, id: string, props: BootstrapChartProps) {
    super(scope, id);
    const { spec, components, managedNamespaces } = props;
    const argocdNs = spec.argocd.namespace;
    const labels = { 'app.kubernetes.io/managed-by': 'infra-synth' };

    // Team namespaces are restricted whatever runs there; a platform namespace gets the strictest
    // level its charts' and objects' pods pass (props.podSecurity): on the example fleet the CSI
    // driver and Vault's CSI provider (secrets-store-csi), node-exporter and the log collector
    // (monitoring-agents), the Istio CNI agent (istio-cni) and Velero's node agent (velero) mount
    // host paths or use the host's network and PID namespace, so those namespaces end up
    // privileged; node agents get namespaces of their own so that the servers' stay stricter.
    // Team namespaces join the mesh only through the overlay (teams[].mesh): teams cannot label
    // namespaces, and platform namespaces stay out (see mesh.istioMode in docs/overlay-edge.md).
    const meshed = new Set(meshedNamespaces(spec));
    const membership = meshMembership(spec);
    for (const ns of [...managedNamespaces].sort()) {
      const team = spec.teams.find((t) => t.namespaces.includes(ns));
      const level = team ? 'restricted' : props.podSecurity.get(ns) ?? 'restricted';
      const mesh = meshed.has(ns) ? membership : {};
      new k8s.KubeNamespace(this, `ns-${ns}`, {
        metadata: {
          name: ns,
          labels: { ...labels, 'platform.company.ru/team': team ? team.name : 'platform', ...podSecurityLabels(level, spec.kubernetesVersion), ...mesh.labels },
          ...(mesh.annotations ? { annotations: mesh.annotations } : {}),
        },
      });
    }

    const controller = [{ kind: 'ServiceAccount', name: CONTROLLER_ACCOUNT, namespace: argocdNs }];
    const server = [{ kind: 'ServiceAccount', name: SERVER_ACCOUNT, namespace: argocdNs }];
    const bind = (id: string, kind: 'ClusterRole' | 'Role', name: string, subjects: typeof controller, namespace?: string) => {
      const metadata = { name, ...(namespace ? { namespace } : {}), labels };
      const roleRef = { apiGroup: RBAC_GROUP, kind, name };
      if (namespace) new k8s.KubeRoleBinding(this, id, { metadata, roleRef, subjects });
      else new k8s.KubeClusterRoleBinding(this, id, { metadata, roleRef, subjects });
    };

    // The controller: full rights inside the managed namespaces only, through RoleBindings. The
    // server: what upstream's argocd-server ClusterRole gives it there (the UI's live manifests,
    // deletes and `argocd app patch-resource`, events, pod logs, a Job from a CronJob), never create.
    new k8s.KubeClusterRole(this, 'namespace-manager', {
      metadata: { name: 'argocd-namespace-manager', labels },
      rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }],
    });
    new k8s.KubeClusterRole(this, 'server-namespace', { metadata: { name: 'argocd-server-namespace', labels }, rules: SERVER_NAMESPACE_RULES });
    for (const ns of [...managedNamespaces].sort()) {
      bind(`manager-${ns}`, 'ClusterRole', 'argocd-namespace-manager', controller, ns);
      bind(`server-${ns}`, 'ClusterRole', 'argocd-server-namespace', server, ns);
    }

    const clusterKinds = uniqueKinds(components.flatMap((c) => c.clusterKinds));
    if (clusterKinds.length) {
      new k8s.KubeClusterRole(this, 'cluster-resources', {
        metadata: { name: 'argocd-platform-cluster-resources', labels },
        rules: [...kindRules(clusterKinds, CONTROLLER_VERBS), ...escalationRules(clusterKinds, props)],
      });
      bind('cluster-resources-binding', 'ClusterRole', 'argocd-platform-cluster-resources', controller);
      new k8s.KubeClusterRole(this, 'server-cluster-resources', {
        metadata: { name: 'argocd-server-cluster-resources', labels },
        rules: kindRules(clusterKinds, SERVER_VERBS),
      });
      bind('server-cluster-resources-binding', 'ClusterRole', 'argocd-server-cluster-resources', server);
    }

    // In a namespace the platform does not own, exactly the kinds the components write there.
    const foreign = foreignNamespaces(components);
    for (const [ns, kinds] of foreign) {
      const name = 'argocd-platform-objects';
      new k8s.KubeRole(this, `foreign-${ns}`, { metadata: { name, namespace: ns, labels }, rules: foreignRules(kinds) });
      bind(`foreign-${ns}-binding`, 'Role', name, controller, ns);
      new k8s.KubeRole(this, `server-foreign-${ns}`, { metadata: { name: 'argocd-server-objects', namespace: ns, labels }, rules: kindRules(kinds, SERVER_VERBS) });
      bind(`server-foreign-${ns}-binding`, 'Role', 'argocd-server-objects', server, ns);
    }

    // Team namespaces stay the team's, except where a platform component lives (the per-service
    // ServiceAccounts, SecretProviderClasses and ServiceMonitors of charts/services.ts).
    const platformNamespaces = [
      ...managedNamespaces.filter((ns) => !spec.teams.some((t) => t.namespaces.includes(ns)) || components.some((c) => c.namespace === ns)),
      ...foreign.keys(),
    ];
    this.platformProject = new AppProject(this, 'platform-project', {
      name: PLATFORM_PROJECT,
      argocdNamespace: argocdNs,
      description: `Platform components of ${spec.name}; only cluster admins change this project (bootstrap).`,
      sourceRepos: [spec.gitops.repoURL, ...components.flatMap((c) => (c.helm ? [argoHelmSource(c.helm.chart).repoURL] : []))],
      destinationNamespaces: platformNamespaces,
      clusterResources: clusterKinds,
      roles: [{
        name: 'admin',
        description: 'Platform engineers: full control of the platform Applications',
        groups: spec.argocd.adminGroups,
        actions: ['get', 'sync', 'create', 'update', 'delete', 'override', 'action/*', 'rollback'],
        logs: true,
      }],
    });

    this.root = new ArgoApplication(this, 'root', {
      name: 'root',
      argocdNamespace: argocdNs,
      project: PLATFORM_PROJECT,
      source: ApplicationSource.gitDirectory({ repoURL: spec.gitops.repoURL, targetRevision: spec.gitops.targetRevision, path: `${props.clusterPath}/apps` }),
      destinationNamespace: argocdNs,
      syncPolicy: spec.argocd.sync,
      // Deleting the root must never cascade into the whole platform.
      cascadeDelete: false,
      labels: { cluster: spec.name, env: spec.environment },
      // What `infra-synth validate DIR` validates this cluster's objects for.
      annotations: { [KUBERNETES_VERSION_ANNOTATION]: spec.kubernetesVersion },
    });
  }
}

/** Foreign namespace → the kinds components write there (see PlatformComponent.foreignObjects). */
export function foreignNamespaces(components: readonly ResolvedComponent[]): Map<string, GroupKind[]> {
  const out = new Map<string, GroupKind[]>();
  for (const f of components.flatMap((c) => c.foreignObjects)) out.set(f.namespace, uniqueKinds([...(out.get(f.namespace) ?? []), ...f.kinds]));
  return new Map([...out.entries()].sort(([a], [b]) => a.localeCompare(b)));
}

interface PolicyRule { apiGroups: string[]; resources: string[]; verbs: string[]; resourceNames?: string[] }

/** What the controller does to every object it syncs (apply, prune) and its cache (list, watch). */
const CONTROLLER_VERBS = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];
/** Upstream argocd-server's verbs on every kind: no create, update, list or watch. */
const SERVER_VERBS = ['delete', 'get', 'patch'];

/**
 * Upstream argocd-server's ClusterRole (argo-cd chart templates/argocd-server/clusterrole.yaml),
 * as rules of one namespace, without what this platform leaves off: pods/exec (exec.enabled is
 * false), Argo Workflows (not installed) and Applications in other namespaces (the chart's own
 * Role covers argocd's).
 */
const SERVER_NAMESPACE_RULES: PolicyRule[] = [
  { apiGroups: ['*'], resources: ['*'], verbs: SERVER_VERBS },
  { apiGroups: [''], resources: ['events'], verbs: ['create', 'list'] },
  { apiGroups: [''], resources: ['pods', 'pods/log'], verbs: ['get'] },
  { apiGroups: ['batch'], resources: ['jobs'], verbs: ['create'] },
];

function foreignRules(kinds: readonly GroupKind[]): PolicyRule[] {
  const rules: PolicyRule[] = [
    // Argo CD's cache lists every kind in every namespace it manages; a kind it may not list in
    // one of them is dropped everywhere (or fails the cache).
    { apiGroups: ['*'], resources: ['*'], verbs: ['get', 'list', 'watch'] },
    ...kindRules(kinds, CONTROLLER_VERBS),
  ];
  // A RoleBinding may only be created by whoever could grant its Role: bind, on Roles of this
  // namespace only.
  if (kinds.some((k) => k.kind === 'RoleBinding')) rules.push({ apiGroups: [RBAC_GROUP], resources: ['roles'], verbs: ['bind'] });
  return rules;
}

function uniqueKinds(kinds: readonly GroupKind[]): GroupKind[] {
  const map = new Map(kinds.map((k) => [`${k.group}/${k.kind}`, k]));
  return [...map.keys()].sort().map((key) => map.get(key)!);
}

/** `verbs` on the resources of `kinds`, one rule per API group. */
function kindRules(kinds: readonly GroupKind[], verbs: readonly string[]): PolicyRule[] {
  const byGroup = new Map<string, string[]>();
  for (const k of kinds) byGroup.set(k.group, [...(byGroup.get(k.group) ?? []), resourceOfKind(k)]);
  return [...byGroup.keys()].sort().map((group) => ({ apiGroups: [group], resources: byGroup.get(group)!.sort(), verbs: [...verbs] }));
}

/**
 * RBAC's escalation prevention lets the controller write a ClusterRole with rules it does not hold
 * only with `escalate` on it, and a ClusterRoleBinding to such a role only with `bind` on it: both
 * exactly on the ClusterRoles the charts and objects create and bind (their names are in the
 * footprints), never on every ClusterRole, which would let the controller grant itself anything.
 * The API server asks for `escalate` with the name of the request's URL: an update or a
 * server-side apply (PATCH) carries it, a client-side create (POST) does not, which is why a chart
 * that renders ClusterRoles is synced server-side (applyingClusterRolesServerSide).
 */
function escalationRules(kinds: readonly GroupKind[], derived: BootstrapInputs): PolicyRule[] {
  const writes = (kind: string) => kinds.some((k) => k.group === RBAC_GROUP && k.kind === kind);
  const rules: PolicyRule[] = [];
  if (writes('ClusterRole') && derived.clusterRoles.length) {
    rules.push({ apiGroups: [RBAC_GROUP], resources: ['clusterroles'], verbs: ['escalate'], resourceNames: [...derived.clusterRoles] });
  }
  if (writes('ClusterRoleBinding') && derived.boundClusterRoles.length) {
    rules.push({ apiGroups: [RBAC_GROUP], resources: ['clusterroles'], verbs: ['bind'], resourceNames: [...derived.boundClusterRoles] });
  }
  return rules;
}
