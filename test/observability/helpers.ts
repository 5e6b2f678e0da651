import { renderCluster } from '../../charts/cluster.js';
import type { Manifest } from '../../primitives/manifests.js';
import type { ClusterView, FleetRule } from '../../validate/fleet-rules.js';
import { formatFinding } from '../../validate/finding.js';
import { specFor } from '../helpers/fleet.js';

export { specFor };

/** The manifests of one cluster rendered from a minimal overlay (vk, prod) plus overrides. */
export const manifestsFor = (overlay: Record<string, unknown> = {}, name = 'c1'): Manifest[] => renderCluster(specFor(overlay, name)).manifests;

/** The rendered objects, loosely typed for assertions. */
export const objectsFor = (overlay: Record<string, unknown> = {}, name = 'c1'): any[] => manifestsFor(overlay, name).map((m) => m.object);

export const find = (objects: any[], kind: string, name: string, namespace?: string): any =>
  objects.find((o) => o.kind === kind && o.metadata.name === name && (namespace === undefined || o.metadata.namespace === namespace));

/** The Helm values of the Application of that name. */
export const valuesOf = (objects: any[], app: string): any => find(objects, 'Application', app).spec.source.helm.valuesObject;

/** One rule on one cluster, as formatted lines. */
export const run = (rule: FleetRule, manifests: readonly Manifest[], name = 'c1'): string[] =>
  rule({ name, manifests, folders: new Set() } satisfies ClusterView).map(formatFinding);

/** A deep copy of the manifests with every matching object changed (at least one must match). */
export function mutate(manifests: readonly Manifest[], pick: (o: any) => boolean, change: (o: any) => void): Manifest[] {
  let hit = false;
  const out = manifests.map((m) => {
    const object = structuredClone(m.object);
    if (pick(object)) { change(object); hit = true; }
    return { ...m, object };
  });
  if (!hit) throw new Error('mutate: no object matched');
  return out;
}

/** The manifests without the objects that match. */
export function without(manifests: readonly Manifest[], pick: (o: any) => boolean): Manifest[] {
  const out = manifests.filter((m) => !pick(m.object));
  if (out.length === manifests.length) throw new Error('without: no object matched');
  return out;
}

export const is = (kind: string, name: string) => (o: any) => o.kind === kind && o.metadata?.name === name;
