// V8 grows a heap lazily: a synth of 1000 clusters in one thread had 497 MB of heap in use of
// which 131 MB was live when it ended (the rest garbage of rendered clusters, never collected
// because the machine had memory to spare), and peaked at 699 MiB RSS. A render thread
// therefore collects its garbage itself once its heap passes a budget: a full collection of a
// heap that holds one cluster plus the small results costs tens of milliseconds, and happens a
// few times per run.
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let gc: (() => void) | null | undefined;

/** V8's full collection, exposed at run time (the same as node --expose-gc), or null if refused. */
function fullGc(): (() => void) | null {
  if (gc === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      gc = runInNewContext('gc') as () => void;
    } catch {
      gc = null;
    }
  }
  return gc;
}

/** What the last collection left: the thread's live data, which no collection can free. */
let liveAfterLast = 0;

/**
 * Collects this thread's garbage when its heap holds more than `budgetMb` MiB, or more than twice
 * what the last collection left, whichever is larger; returns whether it did. The second bound
 * keeps a thread whose live data alone is near the budget (a synth inside a larger process, such
 * as a test runner) from collecting after every cluster for nothing.
 */
export function collectIfOver(budgetMb: number | undefined): boolean {
  if (!budgetMb) return false;
  const limit = Math.max(budgetMb * 1024 * 1024, 2 * liveAfterLast);
  if (getHeapStatistics().used_heap_size < limit) return false;
  const collect = fullGc();
  if (!collect) return false;
  collect();
  liveAfterLast = getHeapStatistics().used_heap_size;
  return true;
}
