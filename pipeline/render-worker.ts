// Worker-thread entry of a sharded synth (pipeline/render-shards.ts): one batch of clusters. A
// worker may be started before its shard is known (render-threads.ts): it loads, then waits for it.
import { parentPort } from 'node:worker_threads';
import { UserError } from '../primitives/errors.js';
import { renderBatch } from './render-batch.js';
import type { WorkerShard } from './render-shards.js';

parentPort!.once('message', async ({ specs, opts }: WorkerShard) => {
  // Each cluster's result goes back as soon as it is done, so this thread holds one cluster at a
  // time, not its whole shard.
  try {
    await renderBatch(specs, opts, (cluster) => parentPort!.postMessage({ cluster }));
    parentPort!.postMessage({ done: true });
  } catch (e) {
    parentPort!.postMessage(e instanceof UserError
      ? { problems: [...e.problems] }
      : { error: String((e as Error)?.stack ?? e) });
  }
});
