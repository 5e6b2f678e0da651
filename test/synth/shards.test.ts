import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeGeneratedFleet } from '../../bench/fleet.js';
import { tempDir } from '../helpers/tmp.js';
import { workerCount } from '../../pipeline/render-threads.js';
import { REPO_ROOT } from '../helpers/fleet.js';
import { readTree } from '../helpers/tree.js';


// Worker threads run the bundled build (npm test builds it first), so this goes through the CLI.
test('a synth sharded over worker threads writes the same bytes as one thread', () => {
  const work = tempDir('shards-');
  writeGeneratedFleet(join(work, 'overlays'), 6);
  const synth = (workers: string, out: string) => execFileSync(process.execPath, [join(REPO_ROOT, 'bin/infra-synth.mjs'), 'synth', '--overlays', join(work, 'overlays'), '--out', join(work, out)], {
    cwd: REPO_ROOT, env: { ...process.env, INFRA_SYNTH_WORKERS: workers }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  expect(synth('0', 'one').toString()).not.toContain('threads');
  expect(synth('3', 'three').toString()).toContain('rendered 6 cluster(s) (c0000, c0001, c0002, c0003, c0004, c0005) on 3 threads');
  const one = readTree(join(work, 'one'));
  expect([...new Set(Object.keys(one).filter((f) => f.startsWith('clusters/')).map((f) => f.split('/')[1]))]).toEqual(['c0000', 'c0001', 'c0002', 'c0003', 'c0004', 'c0005']);
  expect(readTree(join(work, 'three'))).toEqual(one);
});

// The synth command starts the workers before it reads the overlays: one that is never handed a
// shard must not keep the process alive, nor anything be written.
test('a synth whose overlays fail after its workers started exits with the error', () => {
  const work = tempDir('shards-');
  writeGeneratedFleet(join(work, 'overlays'), 3);
  writeFileSync(join(work, 'overlays', 'c0003.ts'), 'export default { cloud: "mars" };\n');
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'bin/infra-synth.mjs'), 'synth', '--overlays', join(work, 'overlays'), '--out', join(work, 'out')], {
    cwd: REPO_ROOT, env: { ...process.env, INFRA_SYNTH_WORKERS: '3' }, encoding: 'utf8', timeout: 60_000,
  });
  expect({ status: r.status, signal: r.signal }).toEqual({ status: 2, signal: null });
  expect(r.stderr).toContain('c0003.ts: cloud:');
  expect(existsSync(join(work, 'out'))).toBe(false);
});

describe('workerCount', () => {
  test('keeps small fleets in one thread', () => {
    expect(workerCount(5, {})).toBe(0);
  });

  test('follows INFRA_SYNTH_WORKERS, never more workers than clusters', () => {
    expect(workerCount(100, { INFRA_SYNTH_WORKERS: '3' })).toBe(3);
    expect(workerCount(2, { INFRA_SYNTH_WORKERS: '8' })).toBe(2);
  });

  test('refuses a value that is not a whole number', () => {
    expect(() => workerCount(100, { INFRA_SYNTH_WORKERS: 'many' })).toThrow('INFRA_SYNTH_WORKERS: received "many"; expected a whole number (0 or 1: no worker threads)');
  });
});

test('progress is reported once per cluster, in order, up to the total', async () => {
  const { renderShards } = await import('../../pipeline/render-shards.js');
  const { specFor } = await import('../helpers/fleet.js');
  const seen: [number, number][] = [];
  await renderShards([specFor({}, 'a'), specFor({ domain: 'b.company.ru' }, 'b'), specFor({ domain: 'c.company.ru' }, 'c')], {}, (done, total) => seen.push([done, total]));
  expect(seen).toEqual([[1, 3], [2, 3], [3, 3]]);
});
