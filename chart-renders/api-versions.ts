// The API versions a cluster serves, as Argo CD hands them to `helm template --api-versions`:
// the application controller lists every served version of every resource that supports `list`
// and `watch` (gitops-engine's cluster cache, GetAPIResources(preferred=false)), and the repo
// server receives them as `group/version` and `group/version/Kind`
// (argo-cd util/argo/argo.go APIResourcesToStrings(resources, includeKinds=true)). Charts gate
// objects on them (`.Capabilities.APIVersions.Has "monitoring.coreos.com/v1"`), so a render
// without them is not what the cluster gets once the CRDs are installed.
import { allKindKeys, kindEntry } from '../validate/loader.js';
import { servesKind } from '../validate/k8s-versions.js';

/** A CRD as far as discovery sees it: its group, kind and the versions it serves. */
export interface CrdApi {
  readonly group: string;
  readonly kind: string;
  /** `spec.versions[].name` where `served` is true. */
  readonly versions: readonly string[];
}

/**
 * Built-in kinds that discovery lists but that do not support `list` and `watch` (reviews,
 * subresources, `componentstatuses` which has no watch): Argo CD leaves them out, and so do we.
 * The OpenAPI documents also define meta types under every group (DeleteOptions, WatchEvent…)
 * that are no resources at all.
 */
const NOT_LISTED = new Set([
  'Binding', 'ComponentStatus', 'Eviction', 'Scale', 'TokenRequest', 'TokenReview', 'SelfSubjectReview',
  'LocalSubjectAccessReview', 'SelfSubjectAccessReview', 'SelfSubjectRulesReview', 'SubjectAccessReview',
  'DeleteOptions', 'WatchEvent', 'Status', 'APIGroup', 'APIVersions',
]);

/**
 * Pre-release versions an API server serves without a flag. Alpha APIs are off by default, and so
 * is every beta API added since Kubernetes 1.24 (KEP-3136); the OpenAPI documents list them all
 * the same. The flowcontrol betas are the exception still in the versions known here (1.28…):
 * they were on by default until their removal (v1beta2 in 1.29, v1beta3 in 1.32), which
 * validate/generated/k8s-versions.js records.
 */
const DEFAULT_ON_PRERELEASE = new Set(['flowcontrol.apiserver.k8s.io/v1beta2', 'flowcontrol.apiserver.k8s.io/v1beta3']);

const GA = /^v[0-9]+$/;

/** `1.33.0`, `v1.33`, `1.33` → `1.33`. */
const minorOf = (kubeVersion: string) => kubeVersion.replace(/^v/, '').split('.').slice(0, 2).join('.');

const builtins = new Map<string, readonly string[]>();

/**
 * What a Kubernetes `kubeVersion` cluster serves by default before anything is installed on it,
 * from the OpenAPI documents the validators were generated from (../shared/schemas): every GA
 * resource kind (and the default-on pre-release ones) served at that version, as `group/version`
 * and `group/version/Kind`, sorted. Managed clouds add their own APIs (metrics, snapshots); those
 * are not known here.
 */
export function builtinApiVersions(kubeVersion: string): readonly string[] {
  const minor = minorOf(kubeVersion);
  let out = builtins.get(minor);
  if (out) return out;
  const set = new Set<string>();
  for (const key of allKindKeys()) {
    if (!kindEntry(key)?.source.startsWith('k8s-')) continue;
    const kind = key.slice(key.lastIndexOf('/') + 1);
    const groupVersion = key.slice(0, key.lastIndexOf('/'));
    const version = groupVersion.slice(groupVersion.lastIndexOf('/') + 1);
    if (kind.endsWith('List') || NOT_LISTED.has(kind)) continue;
    if (!GA.test(version) && !DEFAULT_ON_PRERELEASE.has(groupVersion)) continue;
    if (!servesKind(key, minor)) continue;
    set.add(groupVersion);
    set.add(key);
  }
  out = [...set].sort();
  builtins.set(minor, out);
  return out;
}

/** The CRDs among rendered objects, with the versions they serve. */
export function crdApisOf(objects: readonly Record<string, any>[]): CrdApi[] {
  const out: CrdApi[] = [];
  for (const o of objects) {
    if (o?.kind !== 'CustomResourceDefinition' || !String(o.apiVersion).startsWith('apiextensions.k8s.io/')) continue;
    const group = o.spec?.group;
    const kind = o.spec?.names?.kind;
    if (typeof group !== 'string' || typeof kind !== 'string') continue;
    out.push({ group, kind, versions: servedVersionsOf(o) });
  }
  return out;
}

/** The versions a CustomResourceDefinition object serves, in its order (`served` is required; a CRD without it is taken as serving). */
export function servedVersionsOf(crd: Record<string, any>): string[] {
  const versions: unknown[] = Array.isArray(crd.spec?.versions) ? crd.spec.versions : [];
  return versions
    .filter((v): v is { name: string; served?: unknown } => !!v && typeof (v as any).name === 'string' && (v as any).served !== false)
    .map((v) => v.name);
}

/**
 * The API versions of a cluster running Kubernetes `kubeVersion` with `crds` installed: the
 * built-in ones and, for every version a CRD serves, `group/version` and `group/version/Kind`;
 * sorted and without repeats, so that equal clusters give equal lists (and equal render keys).
 */
export function clusterApiVersions(kubeVersion: string, crds: readonly CrdApi[]): string[] {
  const set = new Set(builtinApiVersions(kubeVersion));
  for (const c of crds) {
    for (const v of c.versions) {
      set.add(`${c.group}/${v}`);
      set.add(`${c.group}/${v}/${c.kind}`);
    }
  }
  return [...set].sort();
}
