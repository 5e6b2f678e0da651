// The synth cache keeps a result per cluster input digest, and every input change leaves the old
// one behind: results no synth read for UNUSED_RESULT_DAYS are removed, at most once a day.
import { existsSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SynthCache, UNUSED_RESULT_DAYS } from '../../pipeline/synth-cache.js';
import { tempDir } from '../helpers/tmp.js';

const DAY = 24 * 3600_000;
const digest = (c: string) => c.repeat(64);
const fileOf = (dir: string, d: string) => join(dir, d.slice(0, 2), `${d}.json`);
const age = (path: string, days: number, now = Date.now()) => { const t = new Date(now - days * DAY); utimesSync(path, t, t); };

test('a result unused for longer than the limit is removed; a recent one stays', () => {
  const dir = tempDir('synth-cache-');
  const cache = new SynthCache(dir);
  cache.put(digest('a'), { old: true });
  cache.put(digest('b'), { recent: true });
  age(fileOf(dir, digest('a')), UNUSED_RESULT_DAYS + 1);
  age(fileOf(dir, digest('b')), UNUSED_RESULT_DAYS - 1);
  expect(cache.prune()).toBe(1);
  expect(cache.get(digest('a'))).toBeUndefined();
  expect(cache.get(digest('b'))).toEqual({ recent: true });
});

test('reading a result counts as a use: an old result read now survives the next pruning', () => {
  const dir = tempDir('synth-cache-');
  const cache = new SynthCache(dir);
  cache.put(digest('c'), { kept: 1 });
  age(fileOf(dir, digest('c')), UNUSED_RESULT_DAYS + 5);
  expect(cache.get(digest('c'))).toEqual({ kept: 1 });
  expect(cache.prune()).toBe(0);
  expect(existsSync(fileOf(dir, digest('c')))).toBe(true);
});

test('pruning walks the cache at most once a day', () => {
  const dir = tempDir('synth-cache-');
  const cache = new SynthCache(dir);
  cache.put(digest('d'), {});
  cache.prune();
  age(fileOf(dir, digest('d')), UNUSED_RESULT_DAYS + 1);
  expect(cache.prune()).toBe(0);
  expect(cache.prune({ now: Date.now() + DAY + 1000 })).toBe(1);
});

test('a temporary file a killed synth left is removed after an hour', () => {
  const dir = tempDir('synth-cache-');
  const cache = new SynthCache(dir);
  cache.put(digest('e'), {});
  const tmp = `${fileOf(dir, digest('e'))}.4242.tmp`;
  writeFileSync(tmp, '{');
  const t = new Date(Date.now() - 2 * 3600_000);
  utimesSync(tmp, t, t);
  expect(cache.prune({ force: true })).toBe(1);
  expect(existsSync(tmp)).toBe(false);
  expect(statSync(fileOf(dir, digest('e'))).isFile()).toBe(true);
});
