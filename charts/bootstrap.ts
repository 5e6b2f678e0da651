import { Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import { AppProject, type GroupKind } from '../constructs/app-project.js';
import { ApplicationSource, argoHelmSource } from '../constructs/application-source.js';
import { ArgoApplication } from '../constructs/argo-application.js';
import { KUBERNETES_VERSION_ANNOTATION } from '../lib/annotations.js';
import { resourceOfKind } from '../lib/kinds.js';
import type { ClusterSpec } from '../spec/schema.js';
import type { ResolvedComponent } from './component.js';

export const PLATFORM_PROJECT = 'platform';
const CONTROLLER_ACCOUNTS = ['argocd-application-controller', 'argocd-server'];

export interface BootstrapChartProps {
  readonly spec: ClusterSpec;
  readonly components: readonly ResolvedComponent[];
  /** Every namespace the cluster's Argo CD manages: the platform's and the teams'. */
  readonly managedNamespaces: readonly string[];
  /** Path of the cluster's folder in the GitOps repository, e.g. clusters/yc-prod. */
  readonly clusterPath: string;
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

    for (const ns of [...managedNamespaces].sort()) {
      const team = spec.teams.find((t) => t.namespaces.includes(ns));
      new k8s.KubeNamespace(this, `ns-${ns}`, {
        metadata: { name: ns, labels: { ...labels, ...(team ? { 'platform.company.ru/team': team.name } : { 'platform.company.ru/team': 'platform' }) } },
      });
    }

    const subjects = CONTROLLER_ACCOUNTS.map((name) => ({ kind: 'ServiceAccount', name, namespace: argocdNs }));
    // Full rights inside the managed namespaces only, through RoleBindings.
    new k8s.KubeClusterRole(this, 'namespace-manager', {
      metadata: { name: 'argocd-namespace-manager', labels },
      rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }],
    });
    for (const ns of [...managedNamespaces].sort()) {
      new k8s.KubeRoleBinding(this, `manager-${ns}`, {
        metadata: { name: 'argocd-namespace-manager', namespace: ns, labels },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'argocd-namespace-manager' },
        subjects,
      });
    }

    const clusterKinds = uniqueKinds(components.flatMap((c) => c.clusterKinds));
    if (clusterKinds.length) {
      new k8s.KubeClusterRole(this, 'cluster-resources', {
        metadata: { name: 'argocd-platform-cluster-resources', labels },
        rules: clusterRules(clusterKinds),
      });
      new k8s.KubeClusterRoleBinding(this, 'cluster-resources-binding', {
        metadata: { name: 'argocd-platform-cluster-resources', labels },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'argocd-platform-cluster-resources' },
        subjects,
      });
    }

    // In a namespace the platform does not own, exactly the kinds the components write there.
    const foreign = foreignNamespaces(components);
    for (const [ns, kinds] of foreign) {
      const name = 'argocd-platform-objects';
      new k8s.KubeRole(this, `foreign-${ns}`, { metadata: { name, namespace: ns, labels }, rules: foreignRules(kinds) });
      new k8s.KubeRoleBinding(this, `foreign-${ns}-binding`, {
        metadata: { name, namespace: ns, labels },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
        subjects,
      });
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

function foreignRules(kinds: readonly GroupKind[]) {
  const rules: { apiGroups: string[]; resources: string[]; verbs: string[] }[] = [
    // Argo CD's cache lists every kind in every namespace it manages; a kind it may not list in
    // one of them is dropped everywhere (or fails the cache). Reading adds little: the controller
    // already holds bind and escalate on ClusterRoles wherever the platform's charts create some.
    { apiGroups: ['*'], resources: ['*'], verbs: ['get', 'list', 'watch'] },
    ...clusterRules(kinds).filter((r) => r.verbs.includes('create')),
  ];
  // A RoleBinding may only be created by whoever could grant its Role: bind, on Roles of this
  // namespace only.
  if (kinds.some((k) => k.kind === 'RoleBinding')) rules.push({ apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles'], verbs: ['bind'] });
  return rules;
}

function uniqueKinds(kinds: readonly GroupKind[]): GroupKind[] {
  const map = new Map(kinds.map((k) => [`${k.group}/${k.kind}`, k]));
  return [...map.keys()].sort().map((key) => map.get(key)!);
}

function clusterRules(kinds: readonly GroupKind[]) {
  const byGroup = new Map<string, string[]>();
  for (const k of kinds) byGroup.set(k.group, [...(byGroup.get(k.group) ?? []), resourceOfKind(k)]);
  const rules = [...byGroup.keys()].sort().map((group) => ({
    apiGroups: [group],
    resources: byGroup.get(group)!.sort(),
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
  }));
  // Creating ClusterRoles and their bindings for the platform's controllers needs bind/escalate:
  // this is why only admins may change the platform project.
  if (kinds.some((k) => k.group === 'rbac.authorization.k8s.io')) {
    rules.push({ apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], verbs: ['bind', 'escalate'] });
  }
  return rules;
}
