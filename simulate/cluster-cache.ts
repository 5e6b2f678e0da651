// Argo CD's cluster cache (gitops-engine pkg/cache/cluster.go: processApi, loadInitialState,
// checkPermission). It lists and watches every kind the API serves and Argo CD does not exclude:
// a namespaced kind in each managed namespace (cluster-wide when none is listed), a cluster-scoped
// kind cluster-wide when clusterResources is on. A forbidden list fails the whole cache (every
// Application in ComparisonError) unless resource.respectRBAC is set: `normal` drops the kind;
// `strict` asks a SelfSubjectAccessReview in the first managed namespace and drops the kind when it
// says no, but fails the cache when it says yes (a namespace further down the list forbids it).
import type { ApiResource } from './api-resources.js';
import type { ArgoCdSettings } from './argocd-settings.js';
import type { RbacAuthorizer } from './rbac.js';

const CACHE_VERBS = ['list', 'watch'] as const;

/** What the cache makes of one kind. */
export type CacheOutcome =
  | { readonly kind: 'watched' }
  | { readonly kind: 'dropped'; readonly namespace: string }
  | { readonly kind: 'fails'; readonly namespace: string; readonly verb: string; readonly why: string };

export const RESPECT_RBAC_VALUES = ['normal', 'strict'];

/** How the cache treats one API kind, given the controller's RBAC now. */
export function cacheOutcome(res: ApiResource, settings: ArgoCdSettings, rbac: RbacAuthorizer): CacheOutcome | undefined {
  if (settings.isExcluded(res.group, res.kind)) return undefined;
  let scopes: string[];
  if (!settings.namespaces.length) scopes = [''];
  else if (res.namespaced) scopes = [...settings.namespaces];
  else if (settings.clusterResources) scopes = [''];
  else return undefined;
  const may = (verb: string, namespace: string) => rbac.allows(settings.controller, { verb, group: res.group, resource: res.resource, namespace });
  for (const namespace of scopes) {
    const verb = CACHE_VERBS.find((v) => !may(v, namespace));
    if (!verb) continue;
    const respect = settings.respectRBAC;
    if (respect === 'normal') return { kind: 'dropped', namespace };
    if (respect === 'strict') {
      // checkPermission asks once, for `list`, in the first namespace (or cluster-wide).
      if (!may('list', scopes[0])) return { kind: 'dropped', namespace };
      return { kind: 'fails', namespace, verb, why: `resource.respectRBAC is strict, and the controller may list ${res.resource} in ${scopes[0] || 'the cluster'} (its access review says yes), so the forbidden ${verb} in ${namespace || 'the cluster'} fails the cache instead of dropping the kind` };
    }
    return { kind: 'fails', namespace, verb, why: respect === undefined ? 'argocd-cm does not set resource.respectRBAC, so one forbidden list fails the whole cache' : `resource.respectRBAC "${respect}" is not one of ${RESPECT_RBAC_VALUES.join(', ')}` };
  }
  return { kind: 'watched' };
}
