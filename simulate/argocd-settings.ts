// The settings of the cluster's own Argo CD that decide what a sync may do, read from the objects
// that install it (the argo-cd chart as rendered with the cluster's values): argocd-cm
// (resource.respectRBAC, the Application health check, resource exclusions/inclusions), the
// in-cluster cluster Secret (managed namespaces, clusterResources) and the application
// controller's ServiceAccount. Keys as argo-cd util/settings reads them.
import yaml from 'js-yaml';
import { gobwasMatch } from './glob.js';

type Obj = Record<string, any>;

export const IN_CLUSTER_SERVER = 'https://kubernetes.default.svc';
export const APPLICATION_HEALTH_KEY = 'resource.customizations.health.argoproj.io_Application';

/** argo-cd util/settings/resources_filter.go coreExcludedResources: never watched. */
const CORE_EXCLUSIONS: FilteredResource[] = [
  { apiGroups: ['events.k8s.io', 'metrics.k8s.io'] },
  { apiGroups: [''], kinds: ['Event'] },
  { apiGroups: ['coordination.k8s.io'], kinds: ['Lease'] },
];

interface FilteredResource { apiGroups?: string[]; kinds?: string[]; clusters?: string[] }

export interface ArgoCdSettings {
  /** The namespace Argo CD runs in (its Applications and AppProjects live there). */
  readonly namespace: string;
  /** The application controller's ServiceAccount, whose RBAC every sync and the cache use. */
  readonly controller: { readonly namespace: string; readonly name: string };
  /** `resource.respectRBAC` as written; undefined when unset. */
  readonly respectRBAC?: string;
  /** Whether argocd-cm gives argoproj.io/Application a health check (the root then waits for each wave's children). */
  readonly applicationHealthCheck: boolean;
  /** The managed namespaces of the in-cluster cluster Secret; empty means the whole cluster. */
  readonly namespaces: readonly string[];
  /** Whether cluster-scoped kinds are managed in namespaced mode (`clusterResources`). */
  readonly clusterResources: boolean;
  /** Where the settings were read from, for messages. */
  readonly configFile?: string;
  /** Whether Argo CD watches and manages a kind (resource.exclusions/inclusions and the core exclusions). */
  isExcluded(group: string, kind: string): boolean;
}

const decode = (secret: Obj, key: string): string | undefined =>
  secret.stringData?.[key] ?? (secret.data?.[key] !== undefined ? Buffer.from(String(secret.data[key]), 'base64').toString('utf8') : undefined);

function parseFilters(text: string | undefined): FilteredResource[] {
  if (!text) return [];
  const v = yaml.load(text);
  return Array.isArray(v) ? (v as FilteredResource[]) : [];
}

function matches(r: FilteredResource, group: string, kind: string, cluster: string): boolean {
  const g = !r.apiGroups?.length || r.apiGroups.some((p) => gobwasMatch(p, group));
  const k = !r.kinds?.length || r.kinds.some((p) => p === '*' || p === kind);
  const c = !r.clusters?.length || r.clusters.some((p) => gobwasMatch(p, cluster));
  return g && k && c;
}

function hasApplicationHealth(data: Record<string, string>): boolean {
  if (data[APPLICATION_HEALTH_KEY]) return true;
  // The older single key: a YAML map of `group/Kind` to its customizations.
  const legacy = data['resource.customizations'];
  if (!legacy) return false;
  const v = yaml.load(legacy) as Record<string, any> | undefined;
  return !!v?.['argoproj.io/Application']?.['health.lua'];
}

/**
 * Reads the settings from the objects a cluster receives (in any order); `namespace` is where
 * Argo CD is installed. Defaults are Argo CD's own when an object is absent.
 */
export function readArgoCdSettings(objects: readonly { object: Obj; file: string }[], namespace: string): ArgoCdSettings {
  const inNs = objects.filter((o) => (o.object.metadata?.namespace ?? namespace) === namespace);
  const cm = inNs.find((o) => o.object.kind === 'ConfigMap' && o.object.metadata?.name === 'argocd-cm');
  const data: Record<string, string> = cm?.object.data ?? {};
  const secret = inNs.find((o) => o.object.kind === 'Secret' && o.object.metadata?.labels?.['argocd.argoproj.io/secret-type'] === 'cluster'
    && decode(o.object, 'server') === IN_CLUSTER_SERVER)?.object;
  const controllerWorkload = inNs.find((o) => ['StatefulSet', 'Deployment'].includes(o.object.kind)
    && o.object.metadata?.labels?.['app.kubernetes.io/component'] === 'application-controller')?.object;
  const exclusions = [...CORE_EXCLUSIONS, ...parseFilters(data['resource.exclusions'])];
  const inclusions = parseFilters(data['resource.inclusions']);
  return {
    namespace,
    controller: { namespace, name: controllerWorkload?.spec?.template?.spec?.serviceAccountName ?? 'argocd-application-controller' },
    respectRBAC: data['resource.respectRBAC'] || undefined,
    applicationHealthCheck: hasApplicationHealth(data),
    namespaces: String(secret ? decode(secret, 'namespaces') ?? '' : '').split(',').map((s) => s.trim()).filter(Boolean),
    clusterResources: secret ? decode(secret, 'clusterResources') === 'true' : true,
    configFile: cm?.file,
    // ResourcesFilter.IsExcludedResource: excluded wins; else included; else excluded when any inclusion names this cluster.
    isExcluded: (group, kind) => exclusions.some((r) => matches(r, group, kind, IN_CLUSTER_SERVER))
      || (!inclusions.some((r) => matches(r, group, kind, IN_CLUSTER_SERVER))
        && inclusions.some((r) => !r.clusters?.length || r.clusters.some((p) => gobwasMatch(p, IN_CLUSTER_SERVER)))),
  };
}
