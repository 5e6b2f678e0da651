// What a cluster's Kubernetes version lacks. The generated validators know every apiVersion/kind
// and every field of every version in ../shared/schemas (1.28 … 1.36); the generated table
// (generated/k8s-versions.js) says which of them only some versions have. This module applies the
// table to one object for one version: an apiVersion the version does not serve, a field its
// schema does not have yet (or no more). See validate/README.md.
import { childPath, type PathMessage } from './errors.js';
import { FIELD_VERSIONS, KIND_VERSIONS, KUBERNETES_VERSIONS, type VersionRange } from './generated/k8s-versions.js';
import { allKindKeys, fieldTree, type FieldNode, type FieldTree, type KindEntry } from './loader.js';

export { KUBERNETES_VERSIONS };

/** The oldest version the schemas cover: what validation assumes when a caller names none. */
export const OLDEST_KUBERNETES_VERSION = KUBERNETES_VERSIONS[0];

/**
 * Fields the schema has before the API server honours them by default: their feature gate is
 * alpha (off) in the first versions that list them. The API server drops such a field silently,
 * so an object that needs it is wrong there even though the schema accepts it. Hand-kept: the
 * OpenAPI documents do not say which gate a field belongs to.
 */
const DEFAULT_ON: Readonly<Record<string, Readonly<Record<string, { readonly from: string; readonly gate: string }>>>> = {
  // KEP-4358 (k8s.io/apiextensions-apiserver/pkg/features): alpha 1.30, beta (on) 1.31, GA 1.32.
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinitionVersion': {
    selectableFields: { from: '1.31', gate: 'CustomResourceFieldSelectors' },
  },
};

const parts = (v: string) => v.split('.').map(Number);
/** Numeric order of MAJOR.MINOR versions: negative when a is older than b. */
export function compareVersions(a: string, b: string): number {
  const [am, an] = parts(a);
  const [bm, bn] = parts(b);
  return am - bm || an - bn;
}

export function isKnownVersion(v: string): boolean {
  return KUBERNETES_VERSIONS.includes(v);
}

const inRanges = (v: string, ranges: readonly VersionRange[]) =>
  ranges.some(([first, last]) => compareVersions(first, v) <= 0 && compareVersions(v, last) <= 0);

/** `1.30–1.36`, `1.28`, `1.28–1.29 and 1.31–1.36`. */
function describeRanges(ranges: readonly VersionRange[]): string {
  return ranges.map(([first, last]) => (first === last ? first : `${first}–${last}`)).join(' and ');
}

/** Whether Kubernetes `version` serves apiVersion/kind `key` (a CRD kind: always). */
export function servesKind(key: string, version: string): boolean {
  const ranges = KIND_VERSIONS[key];
  return !ranges || inRanges(version, ranges);
}

/**
 * Why Kubernetes `version` does not serve `apiVersion`/`kind` (a kind some version serves), with
 * the apiVersions that do serve the kind there.
 */
export function unservedKind(apiVersion: string, kind: string, version: string, who: string): PathMessage {
  const ranges = KIND_VERSIONS[`${apiVersion}/${kind}`] ?? [];
  const instead = allKindKeys()
    .filter((k) => k.endsWith(`/${kind}`) && k.slice(0, -kind.length - 1) !== apiVersion && servesKind(k, version))
    .map((k) => `"${k.slice(0, -kind.length - 1)}"`);
  return {
    path: '.apiVersion',
    message: `apiVersion "${apiVersion}" is not served by Kubernetes ${version}, which ${who} runs (it serves ${kind} in ${describeRanges(ranges)} of the versions ${KUBERNETES_VERSIONS[0]}–${KUBERNETES_VERSIONS.at(-1)} known here)`
      + (instead.length ? `; use ${instead.join(' or ')}` : ''),
  };
}

/** The versions in which field `field` of definition `def` takes effect, when not every version of the definition. */
function fieldRanges(def: string, field: string): readonly VersionRange[] | undefined {
  const ranges = FIELD_VERSIONS[def]?.[field];
  const gated = DEFAULT_ON[def]?.[field];
  if (!gated) return ranges;
  const base = ranges ?? [[KUBERNETES_VERSIONS[0], KUBERNETES_VERSIONS.at(-1)!] as VersionRange];
  return base.flatMap(([first, last]): VersionRange[] => {
    const from = compareVersions(first, gated.from) < 0 ? gated.from : first;
    return compareVersions(from, last) <= 0 ? [[from, last]] : [];
  });
}

function missingField(def: string, field: string, version: string, who: string): string {
  const ranges = fieldRanges(def, field)!;
  const schema = FIELD_VERSIONS[def]?.[field];
  const gated = DEFAULT_ON[def]?.[field];
  const tail = `; ${who} runs ${version}`;
  if (gated && (!schema || inRanges(version, schema)) && compareVersions(version, gated.from) < 0) {
    return `field "${field}" needs Kubernetes ≥ ${gated.from}: ${version} has it only behind the feature gate ${gated.gate}, off by default, and drops it${tail}`;
  }
  if (ranges.length && compareVersions(version, ranges[0][0]) < 0) return `field "${field}" needs Kubernetes ≥ ${ranges[0][0]}${tail}`;
  return `field "${field}" is not in Kubernetes ${version} (only in ${describeRanges(ranges)})${tail}`;
}

/** Definitions whose objects, somewhere below, may hold a field `version` lacks; per tree and version. */
const relevantDefs = new WeakMap<FieldTree, Map<string, Set<string>>>();

function definitionsToWalk(tree: FieldTree, version: string): Set<string> {
  let byVersion = relevantDefs.get(tree);
  if (!byVersion) relevantDefs.set(tree, (byVersion = new Map()));
  let relevant = byVersion.get(version);
  if (relevant) return relevant;
  const refs = new Map<string, Set<string>>();
  const collect = (n: FieldNode | undefined, into: Set<string>) => {
    if (n === undefined || n === 0) return;
    if (typeof n === 'string') { into.add(n); return; }
    for (const c of Object.values(n.p ?? {})) collect(c, into);
    collect(n.i, into);
    collect(n.a, into);
  };
  for (const [name, node] of Object.entries(tree.defs)) {
    const into = new Set<string>();
    collect(node, into);
    refs.set(name, into);
  }
  const lacks = (def: string) => {
    const node = tree.defs[def];
    if (!node || typeof node !== 'object' || !node.p) return false;
    return Object.keys(node.p).some((field) => {
      const ranges = fieldRanges(def, field);
      return ranges !== undefined && !inRanges(version, ranges);
    });
  };
  relevant = new Set(Object.keys(tree.defs).filter(lacks));
  // Whatever refers to a relevant definition is relevant too, up to a fixed point.
  for (let grew = true; grew;) {
    grew = false;
    for (const [name, r] of refs) {
      if (!relevant.has(name) && [...r].some((x) => relevant!.has(x))) {
        relevant.add(name);
        grew = true;
      }
    }
  }
  byVersion.set(version, relevant);
  return relevant;
}

/**
 * The fields of `object` (of the kind `entry`) that Kubernetes `version` does not have, one
 * problem each, in document order. `who` names the target in messages (`cluster yc-prod`).
 */
export function fieldsMissingIn(object: unknown, entry: KindEntry, version: string, who: string): PathMessage[] {
  const tree = fieldTree(entry);
  if (!tree) throw new Error(`validate/generated/${entry.module.replace(/\.js$/, '.fields.json')} is missing: run npm run gen:schemas`);
  const relevant = definitionsToWalk(tree, version);
  if (!relevant.size) return [];
  const out: PathMessage[] = [];
  const walk = (data: unknown, node: FieldNode | undefined, path: string) => {
    let def: string | undefined;
    while (typeof node === 'string') {
      if (!relevant.has(node)) return;
      def = node;
      node = tree.defs[node];
    }
    if (!node || data === null || typeof data !== 'object') return;
    if (Array.isArray(data)) {
      if (node.i !== undefined) data.forEach((x, i) => walk(x, node.i, `${path}[${i}]`));
      return;
    }
    for (const [key, value] of Object.entries(data)) {
      const child = node.p?.[key];
      if (child === undefined) {
        if (node.a !== undefined) walk(value, node.a, childPath(path, key));
        continue;
      }
      const ranges = def !== undefined ? fieldRanges(def, key) : undefined;
      if (ranges && !inRanges(version, ranges)) out.push({ path: childPath(path, key), message: missingField(def!, key, version, who) });
      else walk(value, child, childPath(path, key));
    }
  };
  walk(object, tree.exports[entry.export], '');
  return out;
}
