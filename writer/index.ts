// The writer: lays generated files into an out dir the projen way — a record of what it
// generated (.infra-synth/generated.json), write-if-changed, prune its own orphans and nothing
// else, all or nothing (see journal.ts), and a pure plan for CI freshness checks.
import { UserError } from '../primitives/errors.js';
import { hasStaging, pendingWrite, recover, stageAndCommit, applyJournal, withLock } from './journal.js';
import { makePlan } from './plan.js';
import { checkScope, validateFiles } from './paths.js';
import type { OutputFile, TreeChanges, WriteOptions } from './types.js';

export type { OutputFile, TreeChanges, WriteOptions, WriteStep } from './types.js';
export { RECORD_FILE, readRecord, sha256 } from './record.js';
export { STATE_DIR } from './paths.js';

/**
 * What writeTree would do, writing nothing (for `synth --check`). The one exception: a write
 * that a kill interrupted is first finished or discarded, as writeTree would do, since the tree
 * cannot be judged half-written.
 */
export function planTree(outDir: string, files: readonly OutputFile[], opts: WriteOptions = {}): TreeChanges {
  if (hasStaging(outDir)) withLock(outDir, () => recover(outDir));
  return makePlan(outDir, files, opts).changes;
}

/** Writes `files` under `outDir` all or nothing; see the module comment for the rules. */
export function writeTree(outDir: string, files: readonly OutputFile[], opts: WriteOptions = {}): TreeChanges {
  // Bad input is refused before the lock, so that it leaves no trace at all.
  validateFiles(files, checkScope(opts.scope));
  return withLock(outDir, () => {
    const recovered = recover(outDir);
    if (recovered !== 'none') opts.onRecover?.(recovered);
    const plan = makePlan(outDir, files, opts);
    if (plan.writes.length === 0 && plan.deletes.length === 0 && !plan.recordChanged) return plan.changes;
    // The record goes through the journal too, so that the tree and its record move together.
    const journal = stageAndCommit(outDir, plan.writes, plan.deletes, plan.record, opts.onStep, opts.fsync);
    applyJournal(outDir, journal, opts.onStep, opts.fsync ?? false);
    return plan.changes;
  });
}

/**
 * Refuses to read a tree that an interrupted write left half replaced: its files are a mix of
 * two renders, and whatever a reader reported (hundreds of problems, thousands of removals)
 * would be about the mix. The next synth finishes the write.
 */
export function assertNoPendingWrite(outDir: string, label = outDir): void {
  if (pendingWrite(outDir) === 'committed') {
    throw new UserError(
      `${label}: an interrupted synth left a write half done (${outDir}/.infra-synth/staging); ` +
        'run `infra-synth synth` (with the same --out) to finish it, then read the tree again',
    );
  }
}

/** Finishes or discards an interrupted write in `outDir`; returns what it did. */
export function recoverTree(outDir: string): 'none' | 'discarded' | 'rolled-forward' {
  return hasStaging(outDir) ? withLock(outDir, () => recover(outDir)) : 'none';
}
