// Clusters are independent, so a large fleet renders on every core: contiguous shards of the
// sorted clusters go to render threads (this one and worker threads), and the results are joined
// in order (same bytes as one thread). Workers exist only in the bundled build (build/render-worker.mjs); run from sources
// (tests, tsc) synth stays in one thread.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ClusterSpec } from '../spec/schema.js';
import { UserError } from '../primitives/errors.js';
import { joinBatches, renderBatch, type BatchOptions, type BatchResult } from './render-batch.js';
import { collectIfOver } from './heap-budget.js';

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
 * Heap budgets (pipeline/heap-budget.ts): one thread holds the fleet's small results besides its
 * cluster; a worker holds one cluster, the results going to the main thread as they are done;
 * the main thread, while workers render, holds the results and the garbage of their messages.
 * At 1000 clusters on 2 workers, budgets of 128 MiB per worker and none for the main thread
 * peaked at 523 MiB.
 */
export const HEAP_BUDGET_MB = { oneThread: 288, worker: 112, main: 176 } as const;

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

function findWorker(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 3; i++, dir = dirname(dir)) {
    const candidate = join(dir, 'render-worker.mjs');
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

function runWorker(worker: Worker, onCluster: (cluster: BatchResult) => void): Promise<BatchResult> {
  return new Promise((resolve, reject) => {
    const clusters: BatchResult[] = [];
    worker.on('message', (m: { cluster?: BatchResult; done?: true; problems?: string[]; error?: string }) => {
      if (m.cluster) {
        onCluster(m.cluster);
        clusters.push(m.cluster);
        collectIfOver(HEAP_BUDGET_MB.main);
      }
      else if (m.done) resolve(joinBatches(clusters));
      else if (m.problems) reject(new UserError(m.problems));
      else reject(new Error(m.error));
    });
    worker.once('error', reject);
    worker.once('exit', (code) => { if (code !== 0) reject(new Error(`render worker exited with code ${code}`)); });
  });
}

/** Renders and checks the clusters, sharded over worker threads when the fleet is large. */
export async function renderShards(
  specs: readonly ClusterSpec[], opts: BatchOptions = {},
  /** Called after each cluster, with how many are done, for progress on long runs. */
  onProgress?: (done: number, total: number) => void,
  /** Called in this thread with each cluster's result as it arrives, before it is joined (a streaming write takes its staged files). */
  onCluster?: (cluster: BatchResult) => void,
): Promise<{ batches: BatchResult[]; workers: number }> {
  let done = 0;
  const tick = (cluster: BatchResult) => {
    onCluster?.(cluster);
    onProgress?.(++done, specs.length);
  };
  const workers = workerCount(specs.length);
  const file = workers > 1 ? findWorker() : undefined;
  if (!file) {
    const results: BatchResult[] = [];
    await renderBatch(specs, { heapBudgetMb: HEAP_BUDGET_MB.oneThread, ...opts }, (cluster) => { tick(cluster); results.push(cluster); });
    return { batches: [joinBatches(results)], workers: 0 };
  }
  const size = Math.ceil(specs.length / workers);
  const shards = Array.from({ length: workers }, (_, i) => specs.slice(i * size, (i + 1) * size)).filter((s) => s.length);
  // Each shard's clusters are parts of the write numbered from the shard's first cluster.
  const shardOpts = (i: number, heapBudgetMb: number): BatchOptions => ({
    heapBudgetMb, ...opts,
    ...(opts.stage ? { stage: { ...opts.stage, firstPart: opts.stage.firstPart + i * size } } : {}),
  });
  // The first shard is this thread's: it has loaded everything a worker would load again (one
  // isolate fewer: ~0.5 s of start-up and ~100 MiB), and would otherwise wait idle. The workers
  // start first, so that they load while this thread renders.
  const threads = shards.slice(1).map((shard, i) => new Worker(file, {
    workerData: { specs: shard, opts: shardOpts(i + 1, HEAP_BUDGET_MB.worker) },
    // A worker holds one cluster at a time: a small young generation makes it collect often
    // instead of growing, which keeps the process's peak memory near one thread's.
    resourceLimits: { maxYoungGenerationSizeMb: 8 },
  }));
  const fromWorkers = threads.map((w) => runWorker(w, tick));
  // Awaited below; until then a failing worker must not count as an unhandled rejection.
  for (const p of fromWorkers) p.catch(() => undefined);
  const own: BatchResult[] = [];
  try {
    await renderBatch(shards[0], shardOpts(0, HEAP_BUDGET_MB.main), (cluster) => { tick(cluster); own.push(cluster); });
    return { batches: [joinBatches(own), ...await Promise.all(fromWorkers)], workers: shards.length };
  } finally {
    // On a failure the other threads' work is moot; on success they have exited already.
    await Promise.all(threads.map((w) => w.terminate()));
  }
}
