// A write that streams: the tree arrives part by part (a synth's clusters, as each is rendered,
// in whichever thread rendered it), each part's files are hashed, compared and staged at once
// (stage.ts), and only what they are — path, hash, where staged — is kept until the end. Then
// one plan over those small entries (plan.ts) and one commit of the journal (journal.ts) make
// the whole tree move at once: the crash guarantees are those of a single write, since nothing
// is committed until the last part is staged and the caller's checks have passed, and a run that
// fails or is killed before that leaves only a staging that it (or the next run) discards.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UserError } from '../primitives/errors.js';
import { acquireLock, applyJournal, commitJournal, discardStaging, hasStaging, openStaging, recover, releaseLock, withLock } from './journal.js';
import { makePlan, type OldRecord } from './plan.js';
import { checkScope } from './paths.js';
import { RECORD_FILE, parseRecord } from './record.js';
import { stageFiles, type StageTarget, type StagedFile } from './stage.js';
import type { OutputFile, TreeChanges, WriteOptions, WriteStep } from './types.js';

export interface StreamOptions extends WriteOptions {
  /**
   * A dry run (`synth --check`): compare and report, take no lock, stage and write nothing — except
   * that a write a kill interrupted is first finished or discarded, since the tree cannot be
   * judged half-written. @default false
   */
  readonly check?: boolean;
  /**
   * With `check`: stage copies of the new and changed files into this empty folder anyway (for a
   * simulation of the tree before a dry run); the caller removes it. @default - nothing staged
   */
  readonly checkStagingDir?: string;
}

export class TreeStream {
  /** Opens a write (or, with `check`, a dry run) on `outDir`; see StreamOptions. */
  static open(outDir: string, opts: StreamOptions = {}): TreeStream {
    return new TreeStream(outDir, opts);
  }

  /** Where the parts stage their files: hand it to stageFiles in the thread that renders a part. */
  readonly target: StageTarget;
  /** What the write did first about a write an earlier, killed run left half done. */
  readonly recovered: 'none' | 'discarded' | 'rolled-forward' = 'none';
  private readonly scope: string[] | undefined;
  private readonly old: OldRecord;
  private readonly entries: StagedFile[] = [];
  private locked = false;
  private made: string | undefined;
  private closed = false;
  /** An onStep hook threw: the run is taken as killed there, and nothing is cleaned up. */
  private killed = false;

  private constructor(readonly outDir: string, private readonly opts: StreamOptions) {
    this.scope = checkScope(opts.scope);
    // The out root itself may be a symlink (a checkout kept elsewhere); only what is inside is lstat'ed.
    if (existsSync(outDir) && !statSync(outDir).isDirectory()) throw new UserError(`${outDir}: the out dir is not a folder`);
    if (opts.check) {
      if (hasStaging(outDir)) this.recovered = withLock(outDir, () => recover(outDir));
      this.old = readOld(outDir);
      this.target = { outDir, filesDir: opts.checkStagingDir };
      return;
    }
    this.made = acquireLock(outDir);
    this.locked = true;
    try {
      this.recovered = recover(outDir);
      if (this.recovered !== 'none') opts.onRecover?.(this.recovered);
      this.old = readOld(outDir);
      this.target = { outDir, filesDir: openStaging(outDir).files, fsync: opts.fsync };
    } catch (e) {
      this.abort();
      throw e;
    }
  }

  /** Stages one part's files in this thread; `part` is unique within the write. */
  stage(part: number, files: readonly OutputFile[]): void {
    this.add(stageFiles(this.target, part, files));
  }

  /** Takes what a part staged (in this thread or another). */
  add(entries: readonly StagedFile[]): void {
    for (const e of entries) this.entries.push(e);
    this.step('staged-part');
  }

  /** Every file the parts produced, with where it was staged: for reading the new tree before the commit. */
  files(): readonly StagedFile[] {
    return this.entries;
  }

  /** The staged copy of `e`, or the file already on disk when it is unchanged. */
  source(e: StagedFile): string {
    return e.staged !== undefined ? join(dirname(this.target.filesDir!), e.staged) : join(this.outDir, e.path);
  }

  /**
   * Plans the write over every part and, unless a dry run, commits and applies it; throws a
   * UserError (and commits nothing) on a bad path or a foreign file in the way.
   */
  finish(): TreeChanges {
    if (this.closed) throw new Error('TreeStream.finish: the write is already closed');
    const plan = makePlan(this.outDir, this.entries, this.old, this.scope);
    if (this.opts.check) {
      this.closed = true;
      return plan.changes;
    }
    if (plan.moves.length === 0 && plan.deletes.length === 0 && !plan.recordChanged) {
      this.abort();
      return plan.changes;
    }
    // The record goes through the journal too, so that the tree and its record move together.
    const journal = commitJournal(this.outDir, plan.moves, plan.deletes, plan.record, (s) => this.step(s));
    applyJournal(this.outDir, journal, (s) => this.step(s), this.opts.fsync ?? false);
    this.closed = true;
    this.release();
    return plan.changes;
  }

  /** Ends a write that will not be finished: discards its staging, releases the lock. Safe to call twice. */
  abort(): void {
    if (this.closed && !this.locked) return;
    if (!this.killed && !this.opts.check) discardStaging(this.outDir);
    this.closed = true;
    this.release();
  }

  private release(): void {
    if (!this.locked) return;
    this.locked = false;
    // A killed run leaves its staging, so the folders made for it stay.
    releaseLock(this.outDir, this.killed ? undefined : this.made);
  }

  private step(s: WriteStep): void {
    try {
      this.opts.onStep?.(s);
    } catch (e) {
      this.killed = true;
      throw e;
    }
  }
}

function readOld(outDir: string): OldRecord {
  const file = join(outDir, RECORD_FILE);
  const text = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  return { text, files: text === undefined ? new Map() : parseRecord(text, file) };
}
