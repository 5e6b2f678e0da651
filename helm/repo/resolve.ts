// What synth calls: the cached package of a pinned chart, found through the lock, never the
// network. A chart that is not locked at this version or not cached is an error naming the
// command that fixes it.
import { join } from 'node:path';
import { ChartCache, defaultCacheDir } from './cache.js';
import { ChartRepoError } from './errors.js';
import { LOCK_FILE_NAME, readLock } from './lock.js';
import { PULL_COMMAND, pullCommandFor } from './pull.js';

export interface ResolveOptions {
  /** Default: defaultCacheDir() (`$INFRA_SYNTH_CHART_CACHE` or `~/.cache/infra-synth/charts`). */
  readonly cacheDir?: string;
  /** Default: `charts.lock.json` in the working directory (the repository root when synth runs). */
  readonly lockFile?: string;
}

/** The path of the cached `.tgz` of chart `name` at `version`. */
export function resolveChart(name: string, version: string, options: ResolveOptions = {}): string {
  const cacheDir = options.cacheDir ?? defaultCacheDir();
  const lockFile = options.lockFile ?? join(process.cwd(), LOCK_FILE_NAME);
  const locked = readLock(lockFile).charts[name];
  if (!locked || locked.version !== version) {
    const has = locked ? ` (it locks ${name} ${locked.version})` : '';
    throw new ChartRepoError(`chart ${name} ${version} is not in ${lockFile}${has}; run: ${PULL_COMMAND}`);
  }
  const cache = new ChartCache(cacheDir);
  // Existence only: the file is named by its hash and written atomically after its digest was
  // checked; `charts pull --check` re-hashes everything when that matters.
  if (!cache.has(locked.digest)) {
    throw new ChartRepoError(`chart ${name} ${version} is not in the cache (${cacheDir}); run: ${pullCommandFor(locked)}`);
  }
  return cache.pathOf(locked.digest);
}
