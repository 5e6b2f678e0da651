import { renderCluster } from '../../charts/cluster.js';
import type { Manifest } from '../../primitives/manifests.js';
import { checkFleetRules, type FleetRule, type FleetWideRule } from '../../validate/fleet-rules.js';
import type { Finding } from '../../validate/finding.js';
import { specFor } from '../helpers/fleet.js';

export { specFor };

/** The manifests of one cluster rendered from a minimal overlay plus overrides. */
export function manifestsFor(overlay: Record<string, unknown> = {}, name = 'c1'): Manifest[] {
  return renderCluster(specFor(overlay, name)).manifests;
}

/** The rendered objects of a cluster, as plain data with their file. */
export function objectsFor(overlay: Record<string, unknown> = {}, name = 'c1'): Record<string, any>[] {
  return manifestsFor(overlay, name).map((m) => ({ file: m.file, ...m.object }));
}

/** The object of that kind and name (and namespace), or undefined: typed loosely for assertions. */
export const find = (objects: Record<string, any>[], kind: string, name: string, namespace?: string): any =>
  objects.find((o) => o.kind === kind && o.metadata.name === name && (namespace === undefined || o.metadata.namespace === namespace));

/** Runs one rule the way synth runs it: cluster by cluster over one tree. */
export function runRule(rule: FleetRule, manifests: readonly Manifest[]): Finding[] {
  return checkFleetRules(manifests, manifests.map((m) => m.file), { rule }, {});
}

/** Runs one rule across clusters over the given manifests. */
export function runWideRule(rule: FleetWideRule, manifests: readonly Manifest[]): Finding[] {
  return checkFleetRules(manifests, manifests.map((m) => m.file), {}, { rule });
}

/** A deep copy of the manifests with one object changed. */
export function mutate(manifests: readonly Manifest[], pick: (o: Record<string, any>) => boolean, change: (o: Record<string, any>) => void): Manifest[] {
  let hit = false;
  const out = manifests.map((m) => {
    const object = structuredClone(m.object);
    if (!hit && pick(object)) { change(object); hit = true; }
    return { ...m, object };
  });
  if (!hit) throw new Error('mutate: no object matched');
  return out;
}
