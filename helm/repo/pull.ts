// `charts pull`: brings every pinned chart into the content-addressed cache and records its
// digest in the lock. A chart whose locked package is already cached costs no request at all; a
// download must match the repository's own digest (index.yaml or OCI manifest) and, for a
// version already locked, the lock — else nothing is cached and the chart is reported.
import { ChartCache } from './cache.js';
import { ChartRepoError } from './errors.js';
import { HttpRepositoryClient, type FetchedChart } from './http-repository.js';
import type { HttpOptions } from './http.js';
import { assertMatchesLock, readLock, withLockEntry, writeLock, type ChartLock, type LockedChart } from './lock.js';
import { isOciRepository, OciRegistryClient } from './oci-registry.js';

/** One chart the catalog pins: its name in the repository, exact version and repository URL. */
export interface ChartPin {
  readonly name: string;
  readonly version: string;
  /** `https://…` (Helm HTTP repository) or `oci://host/path/chart`. */
  readonly repository: string;
}

export const PULL_COMMAND = 'npx infra-synth charts pull';

export interface CacheAndLock {
  readonly cacheDir: string;
  readonly lockFile: string;
}

export interface PullOptions extends CacheAndLock, HttpOptions {
  /** Accept packages whose digest differs from the lock (a deliberate re-lock). */
  readonly relock?: boolean;
  /** The pins are the whole catalog: lock entries of charts no longer pinned are dropped. */
  readonly prune?: boolean;
  /** Downloads at once (default 4). */
  readonly concurrency?: number;
  /** One line per chart as it is done. */
  readonly log?: (line: string) => void;
  /**
   * Repository URL prefixes to fetch from instead (a company's chart proxy, a loopback server in
   * tests). The lock keeps the catalog's URL: a mirror must serve the very packages locked.
   */
  readonly mirrors?: readonly Mirror[];
}

export interface Mirror {
  readonly from: string;
  readonly to: string;
}

/** `url` with the longest matching mirror prefix replaced. */
export function mirrored(url: string, mirrors: readonly Mirror[] = []): string {
  const m = mirrors.filter((x) => url.startsWith(x.from)).sort((a, b) => b.from.length - a.from.length)[0];
  return m ? m.to + url.slice(m.from.length) : url;
}

export interface PullReport {
  /** Chart names fetched (from the network or, for --from, packaged) and cached. */
  readonly fetched: readonly string[];
  /** Chart names whose locked package was already in the cache. */
  readonly cached: readonly string[];
  readonly lockChanged: boolean;
  /** One line per chart that could not be pulled. */
  readonly errors: readonly string[];
  readonly warnings: readonly string[];
}

/** What a chart source yields: the package, and how the lock should remember where it came from. */
export interface ObtainedChart {
  readonly bytes: Uint8Array;
  readonly digest: string;
  /** Where the digest comes from, for the mismatch error ("http://…/x.tgz", "the package of DIR"). */
  readonly origin: string;
  readonly entry: Omit<LockedChart, 'digest'>;
  /** Lines to show without failing the chart (a local package missing dependencies). */
  readonly warnings?: readonly string[];
}

/** The loop shared by the network pull and the local import: cache hits, lock checks, one error per chart. */
export async function fillCache(
  pins: readonly ChartPin[],
  options: PullOptions,
  obtain: (pin: ChartPin, locked: LockedChart | undefined) => Promise<ObtainedChart>,
  isHit: (pin: ChartPin, locked: LockedChart) => boolean,
  fix: (pin: ChartPin) => string,
): Promise<PullReport> {
  const cache = new ChartCache(options.cacheDir);
  const before = readLock(options.lockFile);
  type Outcome =
    | { readonly kind: 'cached'; readonly entry: LockedChart }
    | { readonly kind: 'fetched'; readonly entry: LockedChart; readonly warnings: readonly string[] }
    | { readonly kind: 'failed'; readonly error: string };
  const outcomes = new Map<string, Outcome>();

  const one = async (pin: ChartPin): Promise<Outcome> => {
    const locked = before.charts[pin.name];
    // A re-lock fetches again: the point is to see what the source serves now.
    if (!options.relock && locked && locked.version === pin.version && isHit(pin, locked) && cache.verify(locked.digest)) {
      options.log?.(`cached ${pin.name} ${pin.version} ${locked.digest}`);
      return { kind: 'cached', entry: locked };
    }
    try {
      const got = await obtain(pin, locked);
      if (!options.relock) assertMatchesLock(before, options.lockFile, pin.name, pin.version, got.digest, got.origin, fix(pin));
      cache.put(got.bytes);
      options.log?.(`${got.entry.source === 'local' ? 'packaged' : 'pulled'} ${pin.name} ${pin.version} ${got.digest}`);
      return { kind: 'fetched', entry: { ...got.entry, digest: got.digest }, warnings: got.warnings ?? [] };
    } catch (e) {
      if (!(e instanceof ChartRepoError)) throw e;
      return { kind: 'failed', error: e.message };
    }
  };

  const queue = [...pins];
  const workers = Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 4, queue.length)) }, async () => {
    for (let pin = queue.shift(); pin; pin = queue.shift()) outcomes.set(pin.name, await one(pin));
  });
  await Promise.all(workers);

  // Charts that failed keep their old entry: a partial pull still records what it did fetch.
  let lock: ChartLock = before;
  if (options.prune) {
    const pinned = new Set(pins.map((p) => p.name));
    for (const name of Object.keys(lock.charts)) if (!pinned.has(name)) lock = withLockEntry(lock, name, undefined);
  }
  const ordered = pins.map((p) => [p.name, outcomes.get(p.name)!] as const);
  for (const [name, o] of ordered) if (o.kind !== 'failed') lock = withLockEntry(lock, name, o.entry);
  return {
    fetched: ordered.filter(([, o]) => o.kind === 'fetched').map(([name]) => name),
    cached: ordered.filter(([, o]) => o.kind === 'cached').map(([name]) => name),
    lockChanged: writeLock(options.lockFile, lock),
    errors: ordered.flatMap(([, o]) => (o.kind === 'failed' ? [o.error] : [])),
    warnings: ordered.flatMap(([, o]) => (o.kind === 'fetched' ? o.warnings : [])),
  };
}

/** Pulls `pins` from their HTTP repositories and OCI registries. */
export function pullCharts(pins: readonly ChartPin[], options: PullOptions): Promise<PullReport> {
  const http = new HttpRepositoryClient(options);
  const oci = new OciRegistryClient(options);
  return fillCache(
    pins,
    options,
    async (pin) => {
      const from = mirrored(pin.repository, options.mirrors);
      const got: FetchedChart = isOciRepository(from)
        ? await oci.fetchChart(from, pin.name, pin.version)
        : await http.fetchChart(from, pin.name, pin.version);
      return { bytes: got.bytes, digest: got.digest, origin: got.url, entry: { version: pin.version, repository: pin.repository, source: 'repository' } };
    },
    // A new repository URL for the same version must serve the very package locked before, and a
    // locally packaged chart is checked against the published one when the network is there.
    (pin, locked) => locked.source === 'repository' && locked.repository === pin.repository,
    (pin) => `${PULL_COMMAND} --chart ${pin.name} --relock`,
  );
}

/**
 * The offline check (`charts pull --check`): every pin is locked at its version and repository,
 * its package is cached and still hashes to its name, and the lock holds nothing unpinned.
 * One line per problem; empty when synth will find every chart.
 */
export function checkCharts(pins: readonly ChartPin[], options: CacheAndLock): string[] {
  const cache = new ChartCache(options.cacheDir);
  const lock = readLock(options.lockFile);
  const problems: string[] = [];
  for (const pin of pins) {
    const locked = lock.charts[pin.name];
    const what = `chart ${pin.name} ${pin.version}`;
    if (!locked) problems.push(`${what}: not in ${options.lockFile}; run: ${PULL_COMMAND}`);
    else if (locked.version !== pin.version) problems.push(`${what}: ${options.lockFile} locks version ${locked.version}; run: ${PULL_COMMAND}`);
    else if (locked.repository !== pin.repository) problems.push(`${what}: ${options.lockFile} locks it from ${locked.repository}, the catalog says ${pin.repository}; run: ${PULL_COMMAND}`);
    else if (!cache.has(locked.digest)) problems.push(`${what}: ${locked.digest} is not in the cache (${options.cacheDir}); run: ${pullCommandFor(locked)}`);
    else if (!cache.verify(locked.digest)) problems.push(`${what}: the cached ${cache.pathOf(locked.digest)} no longer hashes to ${locked.digest}; delete it and run: ${pullCommandFor(locked)}`);
  }
  const pinned = new Set(pins.map((p) => p.name));
  for (const name of Object.keys(lock.charts).sort()) {
    if (!pinned.has(name)) problems.push(`${options.lockFile}: chart ${name} is locked but not pinned; run: ${PULL_COMMAND}`);
  }
  return problems;
}

/** The command that refills the cache for a locked chart: a local import needs its folder. */
export function pullCommandFor(locked: LockedChart | undefined): string {
  return locked?.source === 'local'
    ? `${PULL_COMMAND} --from <the folder holding ${locked.packagedFrom ?? 'the chart'}>`
    : PULL_COMMAND;
}
