// A small Kubernetes RBAC authorizer over the Roles, ClusterRoles and bindings a simulated cluster
// holds (k8s.io/kubernetes plugin/pkg/auth/authorizer/rbac: rule_matches, subject matching;
// the clusterrole-aggregation controller for aggregationRule). Only resource requests of
// ServiceAccounts are asked here; non-resource URLs are not.

type Obj = Record<string, any>;

/** One request, as the API server's authorizer sees it. */
export interface ResourceRequest {
  readonly verb: string;
  /** API group, '' for the core group. */
  readonly group: string;
  /** Plural resource, e.g. `deployments`, with `/subresource` when there is one. */
  readonly resource: string;
  /** '' for a cluster-wide request (cluster-scoped kinds, or all namespaces). */
  readonly namespace: string;
  /** The object's name; '' for list, watch and create, which resourceNames rules never allow. */
  readonly name?: string;
}

export interface ServiceAccountRef { readonly namespace: string; readonly name: string }

interface Rule { apiGroups?: string[]; resources?: string[]; verbs?: string[]; resourceNames?: string[]; nonResourceURLs?: string[] }

// The one default ClusterRole a binding may rely on whose rules are fixed; the other defaults
// (admin, edit, view) are aggregated from whatever the cluster's components add, so a binding to
// one of them is not modelled and grants nothing here.
const BUILTIN_CLUSTER_ROLES: Record<string, Rule[]> = {
  'cluster-admin': [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }],
};

function selectorMatches(selector: Obj, labels: Record<string, string>): boolean {
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of (selector.matchExpressions ?? []) as { key: string; operator: string; values?: string[] }[]) {
    const has = Object.hasOwn(labels, e.key);
    const ok = e.operator === 'In' ? has && (e.values ?? []).includes(labels[e.key])
      : e.operator === 'NotIn' ? !has || !(e.values ?? []).includes(labels[e.key])
        : e.operator === 'Exists' ? has
          : e.operator === 'DoesNotExist' ? !has : false;
    if (!ok) return false;
  }
  return true;
}

const has = (list: readonly string[] | undefined, v: string) => (list ?? []).some((x) => x === '*' || x === v);

function resourceMatches(rule: Rule, resource: string): boolean {
  const [res, sub] = resource.split('/');
  for (const r of rule.resources ?? []) {
    if (r === '*' || r === resource) return true;
    // `*/scale` is every resource's scale, `deployments/*` every subresource of deployments.
    if (sub !== undefined && (r === `*/${sub}` || r === `${res}/*`)) return true;
  }
  return false;
}

function ruleAllows(rule: Rule, req: ResourceRequest): boolean {
  return has(rule.verbs, req.verb) && has(rule.apiGroups, req.group) && resourceMatches(rule, req.resource)
    && (!(rule.resourceNames ?? []).length || (!!req.name && rule.resourceNames!.includes(req.name)));
}

function subjectMatches(s: Obj, sa: ServiceAccountRef): boolean {
  switch (s?.kind) {
    case 'ServiceAccount': return s.name === sa.name && (s.namespace ?? '') === sa.namespace;
    case 'User': return s.name === `system:serviceaccount:${sa.namespace}:${sa.name}`;
    case 'Group': return ['system:serviceaccounts', `system:serviceaccounts:${sa.namespace}`, 'system:authenticated'].includes(s.name);
    default: return false;
  }
}

/** Authorizes requests against a set of RBAC objects (what the cluster holds at one moment). */
export class RbacAuthorizer {
  private readonly clusterRoles = new Map<string, Obj>();
  private readonly roles = new Map<string, Obj>();
  private readonly roleBindings: Obj[] = [];
  private readonly clusterRoleBindings: Obj[] = [];

  constructor(objects: Iterable<Obj>) {
    for (const o of objects) {
      if (!String(o?.apiVersion ?? '').startsWith('rbac.authorization.k8s.io/')) continue;
      const name = String(o.metadata?.name ?? '');
      if (o.kind === 'ClusterRole') this.clusterRoles.set(name, o);
      else if (o.kind === 'Role') this.roles.set(`${o.metadata?.namespace ?? ''}/${name}`, o);
      else if (o.kind === 'RoleBinding') this.roleBindings.push(o);
      else if (o.kind === 'ClusterRoleBinding') this.clusterRoleBindings.push(o);
    }
  }

  /** The rules of a ClusterRole, its aggregationRule resolved as the aggregation controller does. */
  clusterRoleRules(name: string): Rule[] {
    const role = this.clusterRoles.get(name);
    if (!role) return BUILTIN_CLUSTER_ROLES[name] ?? [];
    const selectors: Obj[] = role.aggregationRule?.clusterRoleSelectors ?? [];
    if (!selectors.length) return role.rules ?? [];
    const out: Rule[] = [];
    for (const [other, o] of [...this.clusterRoles].sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (other === name) continue;
      if (selectors.some((s) => selectorMatches(s, o.metadata?.labels ?? {}))) out.push(...(o.rules ?? []));
    }
    return out;
  }

  private bindingRules(b: Obj, namespace: string | undefined): Rule[] {
    const ref = b.roleRef ?? {};
    if (ref.kind === 'ClusterRole') return this.clusterRoleRules(String(ref.name));
    if (ref.kind === 'Role' && namespace !== undefined) return this.roles.get(`${namespace}/${ref.name}`)?.rules ?? [];
    return [];
  }

  /** The rules a Role (in `namespace`) or ClusterRole holds. */
  roleRules(kind: string, name: string, namespace: string | undefined): Rule[] {
    if (kind === 'ClusterRole') return this.clusterRoleRules(name);
    return this.roles.get(`${namespace ?? ''}/${name}`)?.rules ?? [];
  }

  /**
   * The rules among `rules` the ServiceAccount does not hold itself in `namespace` ('' cluster-wide):
   * what RBAC's escalation check refuses to let it grant without `escalate` or `bind`. A wildcard
   * is covered only by the same wildcard; non-resource URL rules are not checked.
   */
  uncovered(sa: ServiceAccountRef, rules: readonly Rule[], namespace: string): Rule[] {
    return rules.filter((r) => !r.nonResourceURLs?.length && !(r.verbs ?? []).every((verb) => (r.apiGroups ?? []).every((group) => (r.resources ?? []).every((resource) => {
      const names = r.resourceNames?.length ? r.resourceNames : [undefined];
      return names.every((name) => this.allows(sa, { verb, group, resource, namespace, ...(name ? { name } : {}) }));
    }))));
  }

  allows(sa: ServiceAccountRef, req: ResourceRequest): boolean {
    const applies = (b: Obj) => ((b.subjects ?? []) as Obj[]).some((s) => subjectMatches(s, sa));
    for (const b of this.clusterRoleBindings) {
      if (b.roleRef?.kind === 'ClusterRole' && applies(b) && this.bindingRules(b, undefined).some((r) => ruleAllows(r, req))) return true;
    }
    if (!req.namespace) return false;
    for (const b of this.roleBindings) {
      if ((b.metadata?.namespace ?? '') !== req.namespace || !applies(b)) continue;
      if (this.bindingRules(b, req.namespace).some((r) => ruleAllows(r, req))) return true;
    }
    return false;
  }
}
