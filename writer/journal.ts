// All-or-nothing writes into a directory that also holds things we must not touch (an
// infra-gitops checkout with .git, README, other folders), so the out dir cannot be swapped
// whole. Instead a write is a tiny redo log:
//   1. stage every new/changed file plus the new record under .infra-synth/staging/, fsync;
//   2. commit: rename journal.tmp → commit.json (the journal lists moves and deletes), fsync;
//   3. apply: delete orphans, rename staged files into place, install the record, fsync dirs;
//   4. drop the staging.
// A run killed before 2 left only the staging, which the next run discards; one killed after 2
// is finished by the next run, which replays the journal (every step of 3 is idempotent).
// Renames stay on one file system because the staging is inside the out dir. A synth stages each
// cluster's files in step 1 as soon as the cluster is rendered (stream.ts), and writes the
// journal only once every cluster and every fleet-wide rule passed: a run that fails, or is
// killed, anywhere before 2 leaves the previous tree whole.
import {
  closeSync, existsSync, fsyncSync, lstatSync, mkdirSync, openSync, readFileSync, renameSync,
  rmdirSync, rmSync, unlinkSync, writeSync,
} from 'node:fs';
import { dirname, join, posix, resolve } from 'node:path';
import { UserError } from '../primitives/errors.js';
import { STATE_DIR, pathProblems } from './paths.js';
import { RECORD_FILE } from './record.js';
import type { WriteStep } from './types.js';

const STAGING = `${STATE_DIR}/staging`;
const COMMIT = 'commit.json';
const LOCK = `${STATE_DIR}/lock`;

export interface Journal {
  /** [staged file relative to the staging dir, target relative to the out dir] */
  readonly moves: ReadonlyArray<readonly [string, string]>;
  /** Out-dir-relative files to delete. */
  readonly deletes: readonly string[];
}

function writeDurably(file: string, content: string | Buffer, sync = true): void {
  const fd = openSync(file, 'w');
  try {
    writeSync(fd, typeof content === 'string' ? Buffer.from(content) : content);
    if (sync) fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Makes a directory's entries (creations, renames, unlinks) durable. */
function fsyncDir(dir: string): void {
  let fd: number;
  try {
    fd = openSync(dir, 'r');
  } catch {
    return; // removed since (an emptied folder): nothing left to make durable
  }
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function errno(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException)?.code;
}

/** Removes `relDir` and its parents while they are empty; never the out root itself. */
export function pruneEmptyDirs(outDir: string, relDir: string): void {
  for (let d = relDir; d !== '.' && d !== '' && d !== '/'; d = posix.dirname(d)) {
    try {
      rmdirSync(join(outDir, d));
    } catch (e) {
      if (errno(e) === 'ENOENT') continue;
      return; // ENOTEMPTY (it holds something else) or not a folder: leave it and its parents
    }
  }
}

/** The staging folder of `outDir` and the folder its parts stage files into. */
export function stagingDirs(outDir: string): { staging: string; files: string } {
  const staging = join(outDir, STAGING);
  return { staging, files: join(staging, 'files') };
}

/** Makes an empty staging folder for a write; its parts stage their files into `files`. */
export function openStaging(outDir: string): { staging: string; files: string } {
  const dirs = stagingDirs(outDir);
  mkdirSync(dirs.files, { recursive: true });
  return dirs;
}

/** Drops a staging that will not be committed (a write that failed, or had nothing to do). */
export function discardStaging(outDir: string): void {
  rmSync(join(outDir, STAGING), { recursive: true, force: true });
}

/**
 * Commits a write whose files are staged: writes the new record and the journal next to them,
 * makes them durable, then renames the journal into place — the commit point. Nothing outside
 * the staging folder is touched.
 */
export function commitJournal(
  outDir: string,
  moves: ReadonlyArray<readonly [string, string]>,
  deletes: readonly string[],
  record: string,
  onStep?: (s: WriteStep) => void,
): Journal {
  const staging = join(outDir, STAGING);
  writeDurably(join(staging, 'record.json'), record);
  const journal: Journal = { moves, deletes: [...deletes] };
  writeDurably(join(staging, `${COMMIT}.tmp`), `${JSON.stringify({ version: 1, ...journal }, null, 1)}\n`);
  fsyncDir(join(staging, 'files'));
  fsyncDir(staging);
  fsyncDir(join(outDir, STATE_DIR));
  fsyncDir(outDir);
  onStep?.('staged');
  renameSync(join(staging, `${COMMIT}.tmp`), join(staging, COMMIT));
  fsyncDir(staging);
  onStep?.('committed');
  return journal;
}

function readJournal(outDir: string): Journal {
  const file = join(outDir, STAGING, COMMIT);
  const bad = (why: string) =>
    new UserError(`${file}: damaged journal of an interrupted write (${why}); delete ${join(outDir, STAGING)} and check the tree with git`);
  let data: any;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw bad((e as Error).message);
  }
  const okMove = (m: unknown) =>
    Array.isArray(m) && m.length === 2 && typeof m[0] === 'string' && /^files\/\d+(?:\.\d+)?$/.test(m[0]) &&
    typeof m[1] === 'string' && pathProblems(m[1]).length === 0;
  const okPath = (p: unknown) => typeof p === 'string' && pathProblems(p).length === 0;
  if (data?.version !== 1 || !Array.isArray(data.moves) || !Array.isArray(data.deletes)) throw bad('expected version 1 with "moves" and "deletes"');
  if (!data.moves.every(okMove)) throw bad('a move is not [files/N, relative path]');
  if (!data.deletes.every(okPath)) throw bad('a delete is not a relative path');
  return { moves: data.moves, deletes: data.deletes };
}

/** Carries out a committed journal; safe to run again after a kill part-way. */
export function applyJournal(outDir: string, journal: Journal, onStep?: (s: WriteStep) => void, fsyncDirs = true): void {
  const staging = join(outDir, STAGING);
  const touched = new Set<string>();
  for (const d of journal.deletes) {
    const target = join(outDir, d);
    let isDir = false;
    try {
      isDir = lstatSync(target).isDirectory();
    } catch (e) {
      if (errno(e) !== 'ENOENT' && errno(e) !== 'ENOTDIR') throw e;
      continue;
    }
    // A folder here means a replay after this path became a folder of new files: not ours to delete.
    if (isDir) continue;
    unlinkSync(target);
    touched.add(dirname(target));
    pruneEmptyDirs(outDir, posix.dirname(d));
  }
  let moved = 0;
  const made = new Set<string>();
  for (const [src, dst] of journal.moves) {
    const from = join(staging, src);
    const to = join(outDir, dst);
    const dir = dirname(to);
    if (!made.has(dir)) {
      mkdirSync(dir, { recursive: true });
      made.add(dir);
    }
    // The rename itself finds a file moved by the run that was killed: no stat per file first.
    try {
      renameSync(from, to);
    } catch (e) {
      if (errno(e) === 'ENOENT' && !existsSync(from)) continue;
      throw e;
    }
    touched.add(dirname(to));
    if (++moved === 1) onStep?.('moved-one');
  }
  const record = join(staging, 'record.json');
  if (existsSync(record)) {
    mkdirSync(join(outDir, STATE_DIR), { recursive: true });
    renameSync(record, join(outDir, RECORD_FILE));
    touched.add(join(outDir, STATE_DIR));
  }
  // Against power loss the journal must outlive the renames it describes, so they are made
  // durable before it goes; a kill needs none of this (the next run replays the journal).
  if (fsyncDirs) for (const d of [...touched].sort()) fsyncDir(d);
  rmSync(staging, { recursive: true, force: true });
}

export type Recovery = 'none' | 'discarded' | 'rolled-forward';

/** Finishes (committed) or discards (uncommitted) the staging an interrupted write left behind. */
export function recover(outDir: string): Recovery {
  const staging = join(outDir, STAGING);
  if (!existsSync(staging)) return 'none';
  if (!existsSync(join(staging, COMMIT))) {
    rmSync(staging, { recursive: true, force: true });
    return 'discarded';
  }
  applyJournal(outDir, readJournal(outDir));
  return 'rolled-forward';
}

export function hasStaging(outDir: string): boolean {
  return existsSync(join(outDir, STAGING));
}

/**
 * What an interrupted write left: nothing, an uncommitted staging (the tree is still the
 * previous one, whole), or a committed journal not yet applied (the tree is half replaced).
 */
export function pendingWrite(outDir: string): 'none' | 'uncommitted' | 'committed' {
  const staging = join(outDir, STAGING);
  if (!existsSync(staging)) return 'none';
  return existsSync(join(staging, COMMIT)) ? 'committed' : 'uncommitted';
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return errno(e) === 'EPERM';
  }
}

/**
 * Takes `.infra-synth/lock`, so that two runs on one out dir cannot discard or replay each
 * other's staging. A lock whose process is gone (killed run) is taken over; so is one of this
 * very process, whose writes to one out dir do not overlap (a synth holds it from its first
 * staged cluster to its commit). Returns the first folder it had to create (the out dir, or an
 * ancestor), for releaseLock to remove again when nothing was written.
 */
export function acquireLock(outDir: string): string | undefined {
  const lock = join(outDir, LOCK);
  const made = mkdirSync(dirname(lock), { recursive: true });
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(lock, 'wx');
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return made;
    } catch (e) {
      if (errno(e) !== 'EEXIST' || attempt > 0) throw e;
      const pid = Number.parseInt(readFileSync(lock, 'utf8'), 10);
      if (Number.isInteger(pid) && pid !== process.pid && pidAlive(pid)) {
        throw new UserError(`${lock}: another infra-synth run (pid ${pid}) is writing to ${outDir}; wait for it to finish, or delete the lock if no such run exists`);
      }
      unlinkSync(lock);
    }
  }
}

/** Releases the lock; a run that wrote nothing leaves no trace (nor the folders `made` for it). */
export function releaseLock(outDir: string, made?: string): void {
  rmSync(join(outDir, LOCK), { force: true });
  pruneEmptyDirs(outDir, STATE_DIR);
  if (made === undefined) return;
  // The out dir (and any ancestors) created for the lock alone go too, innermost first.
  const top = resolve(made);
  for (let d = resolve(outDir); d.length >= top.length; d = dirname(d)) {
    try {
      rmdirSync(d);
    } catch {
      return;
    }
  }
}

/** Runs `fn` holding `.infra-synth/lock` (see acquireLock). */
export function withLock<T>(outDir: string, fn: () => T): T {
  acquireLock(outDir);
  try {
    return fn();
  } finally {
    releaseLock(outDir);
  }
}
