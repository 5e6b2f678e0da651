// Clusters are independent, so a large fleet renders on every core: contiguous shards of the
// sorted clusters go to render threads (this one and worker threads), and the results are joined
// in order (same bytes as one thread). Workers exist only in the bundled build (build/render-worker.mjs); run from sources
// (tests, tsc) synth stays in one thread.
import type { Worker } from 'node:worker_threads';
import type { ClusterSpec } from '../spec/schema.js';
import { UserError } from '../primitives/errors.js';
import { joinBatches, renderBatch, type BatchOptions, type BatchResult } from './render-batch.js';
import { collectIfOver } from './heap-budget.js';
import { renderWorkerFile, takeRenderWorkers, workerCount, workerEnded } from './render-threads.js';

/**
 * Heap budgets (pipeline/heap-budget.ts): one thread holds the fleet's small results besides its
 * cluster; a worker holds one cluster, the results going to the main thread as they are done;
 * the main thread, while workers render, holds the results and the garbage of their messages.
 * At 1000 clusters on 2 workers, budgets of 128 MiB per worker and none for the main thread
 * peaked at 523 MiB.
 */
export const HEAP_BUDGET_MB = { oneThread: 288, worker: 112, main: 176 } as const;

/** What a worker is handed: its clusters and how to render them (pipeline/render-worker.ts). */
export interface WorkerShard { readonly specs: readonly ClusterSpec[]; readonly opts: BatchOptions }

/** Hands the worker its shard; resolves with the shard's clusters joined, in order. */
function runWorker(worker: Worker, shard: WorkerShard, onCluster: (cluster: BatchResult) => void): Promise<BatchResult> {
  return new Promise((resolve, reject) => {
    const clusters: BatchResult[] = [];
    worker.postMessage(shard);
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
    // Before 'done' a worker's exit is a failure, also one while it was loading, before it had the shard.
    void workerEnded(worker).then(({ code, error }) => reject(error ?? new Error(`render worker exited with code ${code} before finishing its shard`)));
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
  const file = workers > 1 ? renderWorkerFile() : undefined;
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
  // were started ahead where the synth command could (startRenderWorkers), else they start now,
  // to load while this thread renders.
  const threads = takeRenderWorkers(file, shards.length - 1);
  const fromWorkers = threads.map((w, i) => runWorker(w, { specs: shards[i + 1], opts: shardOpts(i + 1, HEAP_BUDGET_MB.worker) }, tick));
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
