// The shapes of a fleet rule, apart from the list of rules (fleet-rules.ts) so that each rule file
// imports the types without importing the list that imports it.
import type { Manifest } from '../primitives/manifests.js';
import type { Finding } from './finding.js';

/** A rule reads the manifests of one cluster and the tree's folders. */
export type FleetRule = (cluster: ClusterView) => Finding[];

/**
 * A rule across clusters (e.g. no two clusters claim one host): reads every cluster at once.
 * `kinds` lists the kinds it reads, so that a synth sharded over worker threads sends only those
 * objects back to the thread that runs it.
 */
export interface FleetWideRule {
  readonly kinds: readonly string[];
  /**
   * What the rule reads of an object of `kinds`: the object cut down to those fields, or
   * undefined when the rule ignores it. A synth keeps these objects of every cluster until the
   * rules run, so at a thousand clusters whole Applications and dashboards would cost hundreds of
   * MiB; the rule must give the same findings on the cut-down objects. @default - the whole object
   */
  readonly keep?: (object: Record<string, any>) => Record<string, any> | undefined;
  readonly check: (clusters: readonly ClusterView[]) => Finding[];
}

export interface ClusterView {
  readonly name: string;
  readonly manifests: readonly Manifest[];
  /** Every folder of the whole tree that holds a manifest file directly, tree-relative, no trailing `/`. */
  readonly folders: ReadonlySet<string>;
}
