// Clusters are independent, so a large fleet renders on every core: contiguous shards of the
// sorted clusters go to worker threads, and the results are joined in order (same bytes as one
// thread). Workers exist only in the bundled build (build/render-worker.mjs); run from sources
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

/** Below this many clusters per worker, starting workers (~0.4 s each) costs more than it saves. */
export const MIN_CLUSTERS_PER_WORKER = 100;

/**
 * At most this many workers unless INFRA_SYNTH_WORKERS says otherwise: each is an isolate that
 * loads cdk8s, the charts and the validators (~100 MiB before its first cluster), so one per core
 * on a large machine would spend the memory budget (512 MiB at 1000 clusters) on copies of them.
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

/** How many workers a fleet gets: INFRA_SYNTH_WORKERS, else one per core (at most MAX_WORKERS) with enough clusters each. */
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

function runWorker(file: string, specs: readonly ClusterSpec[], opts: BatchOptions, onCluster: (cluster: BatchResult) => void): Promise<BatchResult> {
  return new Promise((resolve, reject) => {
    // A worker holds one cluster at a time: a small young generation makes it collect often
    // instead of growing, which keeps the process's peak memory near one thread's.
    const worker = new Worker(file, { workerData: { specs, opts }, resourceLimits: { maxYoungGenerationSizeMb: 8 } });
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
  const shardOpts = (i: number): BatchOptions => ({
    heapBudgetMb: HEAP_BUDGET_MB.worker, ...opts,
    ...(opts.stage ? { stage: { ...opts.stage, firstPart: opts.stage.firstPart + i * size } } : {}),
  });
  return { batches: await Promise.all(shards.map((shard, i) => runWorker(file, shard, shardOpts(i), tick))), workers: shards.length };
}
