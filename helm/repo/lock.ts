// The committed lock file (`charts.lock.json` at the repository root): per chart name, the pinned
// version, its repository and the sha256 of the package synth renders. `charts pull` writes it;
// synth only reads it (resolve.ts) to find the package in the content-addressed cache. The file
// is formatted deterministically (charts sorted by name, fields in a fixed order, two-space JSON,
// final newline) so that a pull that changes nothing leaves it byte-identical.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { ChartRepoError } from './errors.js';
import { normalizeDigest } from './digest.js';

export const LOCK_FILE_NAME = 'charts.lock.json';
export const LOCK_FILE_VERSION = 1;

/**
 * Where the locked package came from: `repository` (downloaded from the chart's HTTP repository
 * or OCI registry) or `local` (packaged by `charts pull --from` from the folder `packagedFrom`
 * names, relative to the `--from` folder).
 */
export type LockSource = 'repository' | 'local';

export interface LockedChart {
  readonly version: string;
  readonly repository: string;
  readonly digest: string;
  readonly source: LockSource;
  readonly packagedFrom?: string;
}

export interface ChartLock {
  /** Keyed by chart name (names are unique in the catalog). */
  readonly charts: Readonly<Record<string, LockedChart>>;
}

export const EMPTY_LOCK: ChartLock = { charts: {} };

/** The lock in `file`; an absent file is an empty lock (nothing pulled yet). */
export function readLock(file: string): ChartLock {
  if (!existsSync(file)) return EMPTY_LOCK;
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ChartRepoError(`${file}: not JSON (${(e as Error).message}); restore it from git or delete it and run: npx infra-synth charts pull`);
  }
  const root = data as { lockfileVersion?: unknown; charts?: unknown };
  if (typeof root !== 'object' || root === null || root.lockfileVersion !== LOCK_FILE_VERSION || typeof root.charts !== 'object' || root.charts === null) {
    throw new ChartRepoError(`${file}: expected {"lockfileVersion": ${LOCK_FILE_VERSION}, "charts": {...}}`);
  }
  const charts: Record<string, LockedChart> = {};
  for (const [name, raw] of Object.entries(root.charts as Record<string, unknown>)) {
    const e = raw as Partial<Record<keyof LockedChart, unknown>>;
    const digest = typeof e?.digest === 'string' ? normalizeDigest(e.digest) : undefined;
    if (typeof e?.version !== 'string' || typeof e.repository !== 'string' || !digest || (e.source !== 'repository' && e.source !== 'local')
      || (e.packagedFrom !== undefined && typeof e.packagedFrom !== 'string')) {
      throw new ChartRepoError(`${file}: charts.${name}: expected version, repository, digest (sha256:<hex>) and source ("repository" or "local")`);
    }
    charts[name] = { version: e.version, repository: e.repository, digest, source: e.source, ...(e.packagedFrom === undefined ? {} : { packagedFrom: e.packagedFrom }) };
  }
  return { charts };
}

export function formatLock(lock: ChartLock): string {
  const charts: Record<string, LockedChart> = {};
  for (const name of Object.keys(lock.charts).sort()) {
    const { version, repository, digest, source, packagedFrom } = lock.charts[name];
    charts[name] = { version, repository, digest, source, ...(packagedFrom === undefined ? {} : { packagedFrom }) };
  }
  return `${JSON.stringify({ lockfileVersion: LOCK_FILE_VERSION, charts }, null, 2)}\n`;
}

/** Writes the lock when its text changes (atomically); true when it did. */
export function writeLock(file: string, lock: ChartLock): boolean {
  const text = formatLock(lock);
  if (existsSync(file) && readFileSync(file, 'utf8') === text) return false;
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
  return true;
}

/** A copy of `lock` with `name` set to `entry` (or removed when `entry` is undefined). */
export function withLockEntry(lock: ChartLock, name: string, entry: LockedChart | undefined): ChartLock {
  const charts = { ...lock.charts };
  if (entry) charts[name] = entry;
  else delete charts[name];
  return { charts };
}

/**
 * Refuses a package whose digest differs from the one the lock holds for the same chart version
 * (a republished chart, a tampered mirror, or a lock written from another source). `got` says
 * where the new digest comes from; `fix` is the command that accepts it deliberately.
 */
export function assertMatchesLock(
  lock: ChartLock, lockFile: string, name: string, version: string, digest: string, got: string, fix: string,
): void {
  const locked = lock.charts[name];
  if (!locked || locked.version !== version || locked.digest === digest) return;
  const lockedFrom = locked.source === 'local' ? ` (packaged from ${locked.packagedFrom ?? 'a local folder'} by charts pull --from)` : '';
  throw new ChartRepoError(
    `chart ${name} ${version}: ${got} has digest ${digest} but ${lockFile} locks ${locked.digest}${lockedFrom}; `
    + `nothing was cached. If the new package is expected, accept it with: ${fix}`,
  );
}
