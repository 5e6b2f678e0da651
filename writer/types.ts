/** One generated file: a posix path relative to the out root, e.g. `clusters/yc-prod/apps/cert-manager.yaml`. */
export interface OutputFile {
  readonly path: string;
  readonly content: string;
}

/**
 * A named point in a write, passed to `WriteOptions.onStep` (used by tests to simulate a kill
 * there): `staged-part` after each part (a cluster) is staged, `staged` once the journal is
 * written but not committed, `committed` at the commit point, `moved-one` after the first rename.
 */
export type WriteStep = 'staged-part' | 'staged' | 'committed' | 'moved-one';

export interface WriteOptions {
  /**
   * Path prefixes this run owns, e.g. `['clusters/yc-prod/']` when one cluster is rendered.
   * Default: everything. Recorded files outside the scope are neither pruned nor forgotten.
   */
  readonly scope?: readonly string[];
  /**
   * fsync every staged file before the commit, so that a power loss cannot leave a committed
   * journal pointing at unwritten data. A killed process is safe without it. @default false
   */
  readonly fsync?: boolean;
  /** Told when the write first had to finish (or discard) a write an earlier run left half done. */
  readonly onRecover?: (what: 'discarded' | 'rolled-forward') => void;
  /** @internal Called at each step of a write; a throw there leaves the out dir as a kill would. */
  readonly onStep?: (step: WriteStep) => void;
}

/** What a write does (or would do) to the out dir; paths sorted. */
export interface TreeChanges {
  /** Produced files that were not on disk. */
  added: string[];
  /** Produced files on disk whose bytes differ. */
  changed: string[];
  /** Files of an earlier run, in scope, no longer produced: deleted and forgotten. */
  removed: string[];
  /** Produced files already on disk with the same bytes: not touched. */
  unchanged: number;
}
