// Worker-thread entry of a sharded synth (lib/render-shards.ts): one batch of clusters.
import { parentPort, workerData } from 'node:worker_threads';
import { UserError } from './errors.js';
import { renderBatch } from './render-batch.js';

try {
  parentPort!.postMessage({ ok: await renderBatch(workerData.specs, workerData.opts) });
} catch (e) {
  parentPort!.postMessage(e instanceof UserError
    ? { problems: [...e.problems] }
    : { error: String((e as Error)?.stack ?? e) });
}
