// Which cached package a side of the diff renders for a chart version. The cache is content-
// addressed (`<dir>/sha256/<hex>.tgz`) and the lock names one version per chart, so after a bump
// the head's lock no longer names the base's version. A version is found, in order:
//  1. in the side's own lock (a git base: the lock of its commit), then in the other side's lock,
//     when the cache holds the digest the lock names;
//  2. else by the Chart.yaml of every cached package: the one package whose name and version
//     match (packages stay in the cache when the lock moves on, so an earlier pull of the old
//     version is enough). Two different packages claiming one version are not guessed between.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ChartCache } from '../helm/repo/cache.js';
import { normalizeDigest } from '../helm/repo/digest.js';
import { archiveChartYaml } from '../helm/repo/local-charts.js';
import type { ChartLock } from '../helm/repo/lock.js';
import { PULL_COMMAND } from '../helm/repo/pull.js';

/** A package found for (chart, version). */
export interface FoundPackage {
  readonly digest: string;
  readonly path: string;
}

/** Why no package was found: one line for the diff, naming the chart, the version and the fix. */
export interface MissingPackage {
  readonly missing: string;
}

/** Chart.yaml name and version of a cached package, by digest: a cached file never changes. */
const identities = new Map<string, { name?: string; version?: string }>();

export class ChartPackages {
  private readonly cache: ChartCache;
  private index?: Map<string, string[]>;

  /** @param cacheDir the chart cache folder (see helm/repo/cache.ts). */
  constructor(readonly cacheDir: string) {
    this.cache = new ChartCache(cacheDir);
  }

  /** The cached package the first of `locks` that names `chart` at `version` locks (absent locks skipped); no search. */
  locked(chart: string, version: string, locks: readonly (ChartLock | undefined)[]): FoundPackage | undefined {
    for (const lock of locks) {
      const locked = lock?.charts[chart];
      if (locked && locked.version === version && this.cache.has(locked.digest)) {
        return { digest: locked.digest, path: this.cache.pathOf(locked.digest) };
      }
    }
    return undefined;
  }

  /** The package of `chart` at `version`: a lock's (see locked()), else the one cached package whose Chart.yaml says so. */
  find(chart: string, version: string, locks: readonly (ChartLock | undefined)[]): FoundPackage | MissingPackage {
    const locked = this.locked(chart, version, locks);
    if (locked) return locked;
    const digests = this.byIdentity().get(`${chart}\0${version}`) ?? [];
    if (digests.length === 1) return { digest: digests[0], path: this.cache.pathOf(digests[0]) };
    if (digests.length > 1) {
      return {
        missing: `chart ${chart} ${version}: ${digests.length} different packages of it are in the chart cache (${this.cacheDir}) and no lock names one: ` +
          `its objects were not compared; run ${PULL_COMMAND} at the commit that pins it`,
      };
    }
    return {
      missing: `chart ${chart} ${version} is not in the chart cache (${this.cacheDir}): its objects were not compared; ` +
        `run ${PULL_COMMAND} (for a version the current catalog no longer pins: at a commit that pins it)`,
    };
  }

  /** `name\0version` → digests of the cached packages whose Chart.yaml says so; read once, on first need. */
  private byIdentity(): Map<string, string[]> {
    if (this.index) return this.index;
    const index = new Map<string, string[]>();
    const dir = join(this.cacheDir, 'sha256');
    let files: string[] = [];
    try {
      files = readdirSync(dir).filter((f) => f.endsWith('.tgz')).sort();
    } catch {
      // No cache yet: nothing is found, and find() says how to fill it.
    }
    for (const file of files) {
      const digest = normalizeDigest(file.slice(0, -'.tgz'.length));
      if (!digest) continue;
      let id = identities.get(digest);
      if (!id) {
        id = archiveChartYaml(readFileSync(join(dir, file))) ?? {};
        identities.set(digest, { name: id.name, version: id.version });
      }
      if (!id.name || !id.version) continue;
      const key = `${id.name}\0${id.version}`;
      index.set(key, [...(index.get(key) ?? []), digest]);
    }
    this.index = index;
    return index;
  }
}

export function isFound(p: FoundPackage | MissingPackage): p is FoundPackage {
  return 'path' in p;
}
