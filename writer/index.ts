// The writer: lays generated files into an out dir the projen way — a record of what it
// generated (.infra-synth/generated.json), write-if-changed, prune its own orphans and nothing
// else, all or nothing (see journal.ts), and a pure plan for CI freshness checks. writeTree takes
// a whole tree; a synth streams its clusters into a TreeStream (stream.ts) instead, so that no
// thread holds the whole fleet's text.
import { UserError } from '../primitives/errors.js';
import { hasStaging, pendingWrite, recover, withLock } from './journal.js';
import { checkScope, validateFiles } from './paths.js';
import { TreeStream } from './stream.js';
import type { OutputFile, TreeChanges, WriteOptions } from './types.js';

export type { OutputFile, TreeChanges, WriteOptions, WriteStep } from './types.js';
export { RECORD_FILE, readRecord, sha256 } from './record.js';
export { STATE_DIR } from './paths.js';
export { TreeStream, type StreamOptions } from './stream.js';
export { stageFiles, type StageTarget, type StagedFile } from './stage.js';

/**
 * What writeTree would do, writing nothing (for `synth --check`). The one exception: a write
 * that a kill interrupted is first finished or discarded, as writeTree would do, since the tree
 * cannot be judged half-written.
 */
export function planTree(outDir: string, files: readonly OutputFile[], opts: WriteOptions = {}): TreeChanges {
  const dry = TreeStream.open(outDir, { ...opts, check: true });
  dry.stage(0, files);
  return dry.finish();
}

/** Writes `files` under `outDir` all or nothing; see the module comment for the rules. */
export function writeTree(outDir: string, files: readonly OutputFile[], opts: WriteOptions = {}): TreeChanges {
  // Bad input is refused before the lock, so that it leaves no trace at all.
  validateFiles(files, checkScope(opts.scope));
  const write = TreeStream.open(outDir, opts);
  try {
    write.stage(0, files);
    return write.finish();
  } finally {
    write.abort(); // a no-op after finish; after a failure, the staging goes
  }
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
