import { getHeapStatistics } from 'node:v8';
import { collectIfOver } from '../../pipeline/heap-budget.js';

test('a thread under its heap budget is not collected', () => {
  expect(collectIfOver(1024 * 1024)).toBe(false);
  expect(collectIfOver(undefined)).toBe(false);
});

test('a thread over its heap budget has its garbage collected', () => {
  let garbage: unknown[] | undefined = Array.from({ length: 200_000 }, (_, i) => ({ i, s: `garbage ${i}` }));
  const before = getHeapStatistics().used_heap_size;
  garbage = undefined;
  expect(garbage).toBeUndefined();
  expect(collectIfOver(1)).toBe(true);
  expect(getHeapStatistics().used_heap_size).toBeLessThan(before - 8 * 1024 * 1024);
});

test('a thread whose live data alone passes the budget is not collected again until its heap doubles', () => {
  // A 1 MiB budget is far below this process's live data; after one collection (this call's or
  // the previous test's) the heap holds little more than that live data.
  collectIfOver(1);
  expect(collectIfOver(1)).toBe(false);
});
