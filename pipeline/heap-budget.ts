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

/** Collects this thread's garbage when its heap holds more than `budgetMb` MiB; returns whether it did. */
export function collectIfOver(budgetMb: number | undefined): boolean {
  if (!budgetMb || getHeapStatistics().used_heap_size < budgetMb * 1024 * 1024) return false;
  const collect = fullGc();
  collect?.();
  return collect !== null;
}
