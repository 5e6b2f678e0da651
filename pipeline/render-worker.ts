// Worker-thread entry of a sharded synth (pipeline/render-shards.ts): one batch of clusters.
import { parentPort, workerData } from 'node:worker_threads';
import { UserError } from '../primitives/errors.js';
import { renderBatch } from './render-batch.js';

// Each cluster's result goes back as soon as it is done, so this thread holds one cluster at a
// time, not its whole shard.
try {
  await renderBatch(workerData.specs, workerData.opts, (cluster) => parentPort!.postMessage({ cluster }));
  parentPort!.postMessage({ done: true });
} catch (e) {
  parentPort!.postMessage(e instanceof UserError
    ? { problems: [...e.problems] }
    : { error: String((e as Error)?.stack ?? e) });
}
