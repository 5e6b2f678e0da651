// Incremental synth: a cluster whose inputs did not change since a synth that passed is not
// rendered again. Its result (files, the objects fleet-wide rules read, the chart footprints it
// used, its warnings) is kept under the digest of everything its render reads, so a no-op synth
// reads each cluster back instead of rendering its charts, and a change to one overlay renders
// that cluster alone; the fleet-wide rules and the writer still see every cluster.
//
// The digest covers: the tool itself (every file of the bundle that runs: a new rule or chart
// value re-renders everything), the cluster's resolved spec (so overlays, the layers they import
// and spec/defaults.ts all count through what they produce), the fleet inputs renders read from
// disk (chart lock, committed footprints, dashboards, the chart cache's contents in auto mode),
// the charts mode, and the bytes of the cluster's secrets/ folder. Only results without problems
// or findings are kept: a failing cluster is rendered again every time, and says why.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ClusterSpec } from '../spec/schema.js';

/** Where kept results live. @default - `$INFRA_SYNTH_SYNTH_CACHE`, else ~/.cache/infra-synth/synth */
export function defaultSynthCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.INFRA_SYNTH_SYNTH_CACHE || join(homedir(), '.cache', 'infra-synth', 'synth');
}

/** Every file under `dir` (sorted, relative, '/'-separated) with its bytes, into a hash. */
function hashTree(hash: ReturnType<typeof createHash>, dir: string): void {
  if (!existsSync(dir)) { hash.update('\0absent\0'); return; }
  const files = readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name))
    .sort();
  for (const f of files) {
    hash.update(`\0${relative(dir, f).split(sep).join('/')}\0`);
    hash.update(readFileSync(f));
  }
}

let toolDigestMemo: string | null | undefined;

/**
 * The digest of the running tool: every file of the bundle under build/ (the entry points and
 * their chunks). Undefined when not running from a bundle (tests on the TypeScript sources): then
 * nothing is kept, since a source edit would not change the digest.
 */
export function toolDigest(moduleUrl: string = import.meta.url, memo = true): string | undefined {
  if (memo && toolDigestMemo !== undefined) return toolDigestMemo ?? undefined;
  const digest = bundleDigest(moduleUrl);
  if (memo) toolDigestMemo = digest ?? null;
  return digest;
}

function bundleDigest(moduleUrl: string): string | undefined {
  const path = fileURLToPath(moduleUrl);
  if (!path.endsWith('.mjs')) return undefined;
  // The bundle's root: the folder of the entry points, above chunks/.
  const root = basename(dirname(path)) === 'chunks' ? dirname(dirname(path)) : dirname(path);
  const hash = createHash('sha256');
  // The packages the bundle imports at run time (packages stay external).
  const lock = join(dirname(root), 'package-lock.json');
  hash.update(existsSync(lock) ? readFileSync(lock) : '\0no lock\0');
  const files = readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && d.name.endsWith('.mjs') && !relative(root, d.parentPath).split(sep).some((p) => p.startsWith('.')))
    .map((d) => join(d.parentPath, d.name))
    .sort();
  for (const f of files) {
    hash.update(`\0${relative(root, f)}\0`);
    hash.update(readFileSync(f));
  }
  return hash.digest('hex');
}

/** The inputs every cluster of a run shares, hashed once. */
export interface FleetInputs {
  /** Files whose bytes the renders read (chart lock, committed footprints). */
  readonly files: readonly string[];
  /** Folders whose contents the renders read (dashboards). */
  readonly trees: readonly string[];
  /** Content-addressed folders whose file names say what they hold (the chart cache). */
  readonly listings: readonly string[];
  /** Anything else that changes the result (charts mode). */
  readonly settings: Readonly<Record<string, string>>;
}

/** A digest of the fleet-wide inputs, or undefined when results cannot be kept (no bundle). */
export function fleetDigest(inputs: FleetInputs, tool: string | undefined = toolDigest()): string | undefined {
  if (!tool) return undefined;
  const hash = createHash('sha256').update(`tool\0${tool}\0`);
  for (const f of inputs.files) {
    hash.update(`\0file\0${f}\0`);
    hash.update(existsSync(f) ? readFileSync(f) : '\0absent\0');
  }
  for (const d of inputs.trees) {
    hash.update(`\0tree\0${d}\0`);
    hashTree(hash, d);
  }
  for (const d of inputs.listings) {
    hash.update(`\0listing\0${d}\0`);
    const names = existsSync(d) ? readdirSync(d, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => relative(d, join(e.parentPath, e.name))).sort() : [];
    hash.update(names.join('\0'));
  }
  hash.update(JSON.stringify(Object.entries(inputs.settings).sort()));
  return hash.digest('hex');
}

/** The digest of one cluster's inputs: the fleet's, its resolved spec, its secrets folder. */
export function clusterDigest(fleet: string, spec: ClusterSpec, secretsDir: string | undefined): string {
  const hash = createHash('sha256').update(`fleet\0${fleet}\0spec\0${JSON.stringify(spec)}\0`);
  if (secretsDir) hashTree(hash, join(secretsDir, spec.name));
  return hash.digest('hex');
}

/**
 * How long a kept result outlives its last use. Every input change leaves the previous result
 * behind (a branch switch reuses it); results nobody read for this long are removed, so the
 * cache holds about what a month of work reads instead of growing with every change.
 */
export const UNUSED_RESULT_DAYS = 30;
/** Pruning walks the whole cache: at most once a day (the marker file's time says when it last did). */
const PRUNE_EVERY_MS = 24 * 3600_000;
const PRUNED_MARKER = '.pruned';

/** Kept results, one JSON file per cluster digest; a file's modification time is its last use. */
export class SynthCache {
  constructor(private readonly dir: string = defaultSynthCacheDir()) {}

  private path(digest: string): string {
    return join(this.dir, digest.slice(0, 2), `${digest}.json`);
  }

  /** The result kept for a digest, or undefined (none, or unreadable: then it is rendered again). */
  get<T>(digest: string): T | undefined {
    const path = this.path(digest);
    let value: T;
    try {
      value = JSON.parse(readFileSync(path, 'utf8')) as T;
    } catch {
      return undefined;
    }
    // Used now: pruning keeps it another UNUSED_RESULT_DAYS.
    try { const now = new Date(); utimesSync(path, now, now); } catch { /* read-only: kept until unused for long */ }
    return value;
  }

  /**
   * Removes the results not used for `UNUSED_RESULT_DAYS` (and temporary files a killed run left);
   * does nothing when it already ran within a day, unless `force`. Returns how many files went.
   * Never fails a synth: a cache it cannot clean is left as it is.
   */
  prune(options: { readonly now?: number; readonly force?: boolean } = {}): number {
    const now = options.now ?? Date.now();
    const marker = join(this.dir, PRUNED_MARKER);
    try {
      if (!options.force && now - statSync(marker).mtimeMs < PRUNE_EVERY_MS) return 0;
    } catch { /* never pruned, or no cache yet */ }
    if (!existsSync(this.dir)) return 0;
    let removed = 0;
    const oldest = now - UNUSED_RESULT_DAYS * 24 * 3600_000;
    try {
      for (const d of readdirSync(this.dir, { recursive: true, withFileTypes: true })) {
        if (!d.isFile() || d.name === PRUNED_MARKER) continue;
        const path = join(d.parentPath, d.name);
        try {
          // A temporary file older than an hour belongs to no running synth.
          const limit = d.name.endsWith('.tmp') ? now - 3600_000 : oldest;
          if (statSync(path).mtimeMs < limit) { rmSync(path, { force: true }); removed++; }
        } catch { /* gone meanwhile */ }
      }
      writeFileSync(marker, '');
      const t = new Date(now);
      utimesSync(marker, t, t);
    } catch { /* read-only or vanished: left as it is */ }
    return removed;
  }

  /** Keeps a result; a cache that cannot be written only costs the next run a render. */
  put(digest: string, value: unknown): void {
    const path = this.path(digest);
    const tmp = `${path}.${process.pid}.tmp`;
    try {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(tmp, JSON.stringify(value));
      renameSync(tmp, path);
    } catch { /* read-only or full: nothing kept */ }
  }
}
