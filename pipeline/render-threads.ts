// The worker threads a sharded synth renders on (pipeline/render-shards.ts), and how many. This
// module loads nothing but node's own: the synth command starts the workers through it before it
// loads cdk8s, the charts and the validators itself, so that both isolates load at once (~1 s
// each on this machine) instead of the workers starting to load only once the fleet is read.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { UserError } from '../primitives/errors.js';

/** Below this many clusters per thread, starting a worker (~0.4 s each) costs more than it saves. */
export const MIN_CLUSTERS_PER_WORKER = 100;

/**
 * At most this many render threads unless INFRA_SYNTH_WORKERS says otherwise: each but the main
 * thread is an isolate that loads cdk8s, the charts and the validators again (~100 MiB before its
 * first cluster), so one per core on a large machine would spend the memory budget (512 MiB at
 * 1000 clusters) on copies of them.
 */
export const MAX_WORKERS = 3;

/**
 * How many threads render a fleet (the main thread among them; 0: the main thread alone):
 * INFRA_SYNTH_WORKERS, else one per core (at most MAX_WORKERS) with enough clusters each.
 */
export function workerCount(clusters: number, env = process.env): number {
  const forced = env.INFRA_SYNTH_WORKERS;
  if (forced !== undefined && forced !== '') {
    const n = Number(forced);
    if (!Number.isInteger(n) || n < 0) throw new UserError(`INFRA_SYNTH_WORKERS: received ${JSON.stringify(forced)}; expected a whole number (0 or 1: no worker threads)`);
    return Math.min(n, clusters);
  }
  return Math.min(availableParallelism(), MAX_WORKERS, Math.floor(clusters / MIN_CLUSTERS_PER_WORKER));
}

/** The worker's entry in the bundled build; undefined when run from sources (tests, tsc), which stay in one thread. */
export function renderWorkerFile(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 3; i++, dir = dirname(dir)) {
    const candidate = join(dir, 'render-worker.mjs');
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** Workers started ahead of their shards (startRenderWorkers), not yet handed one. */
const waiting: Worker[] = [];
/** How each worker ended, recorded from its start: one may fail while loading, before it is handed a shard. */
const endings = new WeakMap<Worker, Promise<{ code: number; error?: unknown }>>();

function newWorker(file: string): Worker {
  // A worker holds one cluster at a time: a small young generation makes it collect often
  // instead of growing, which keeps the process's peak memory near one thread's.
  const worker = new Worker(file, { resourceLimits: { maxYoungGenerationSizeMb: 8 } });
  // Until it has a shard it keeps nothing alive: a synth that fails before rendering exits.
  worker.unref();
  let error: unknown;
  worker.on('error', (e) => { error ??= e; });
  endings.set(worker, new Promise((resolve) => worker.once('exit', (code) => resolve({ code, error }))));
  return worker;
}

/** Resolves when the worker has exited, with its exit code and the first error it raised. */
export function workerEnded(worker: Worker): Promise<{ code: number; error?: unknown }> {
  return endings.get(worker)!;
}

/**
 * Starts the worker threads a synth of `clusters` clusters will render on (workerCount less the
 * main thread), to load while this thread does; renderShards takes them. Nothing happens in a
 * build without the worker file.
 */
export function startRenderWorkers(clusters: number): void {
  const file = renderWorkerFile();
  if (!file) return;
  for (let n = workerCount(clusters) - 1 - waiting.length; n > 0; n--) waiting.push(newWorker(file));
}

/**
 * `n` workers for the shards of a synth: those started ahead first, new ones for the rest.
 * Workers started ahead and not needed are stopped.
 */
export function takeRenderWorkers(file: string, n: number): Worker[] {
  const taken = waiting.splice(0, n);
  for (const extra of waiting.splice(0)) void extra.terminate();
  while (taken.length < n) taken.push(newWorker(file));
  for (const w of taken) w.ref();
  return taken;
}
