// `npm run bench`: synth against a floor measured in the same run, plus the throughput of the
// parts (validation, SOPS, diff, writer). Timings are printed, never asserted: this machine is
// shared and noisy, so compare ratios of one run. Each synth and floor run is a fresh process,
// measured from spawn to exit, with its peak RSS from GNU time.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import yaml from 'js-yaml';
import { renderCluster } from '../charts/cluster.js';
import { loadFleet } from '../spec/load.js';
import { benchDiff } from './diff.js';
import { benchEdge } from './edge.js';
import { benchHelm } from './helm.js';
import { benchCharts } from './charts.js';
import { writeGeneratedFleet } from './fleet.js';
import { workerCount } from '../lib/render-shards.js';
import { benchObservability } from './observability.js';
import { benchPolicy } from './policy.js';
import { benchSecrets } from './secrets.js';
import { benchSops } from './sops.js';
import { benchValidation } from './validate.js';
import { benchWriter } from './writer.js';

/** Benchmarks of the parts, each printing its own rows. */
const PARTS: (() => Promise<Row[]>)[] = [
  () => benchValidation(), benchWriter, benchDiff, benchSops, () => benchSecrets(), benchEdge, () => benchPolicy(), () => benchObservability(), benchHelm,
];

interface Row { name: string; value: number; unit: string; note?: string }
interface Run { wallMs: number; maxRssMiB: number }

const BUNDLE = join(import.meta.dirname, 'bench.mjs');
const CLI = join(import.meta.dirname, 'cli.mjs');
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

/** Runs a command `RUNS` times as fresh processes; returns the median wall time and the largest peak RSS. */
function measure(args: string[], env: Record<string, string> = {}): Run {
  const runs: Run[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, ...args], { encoding: 'utf8', env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false', ...env } });
    const wallMs = performance.now() - t0;
    if (r.status !== 0) throw new Error(`bench: ${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}`);
    const kib = Number(r.stderr.trim().split('\n').pop());
    runs.push({ wallMs, maxRssMiB: kib / 1024 });
  }
  runs.sort((a, b) => a.wallMs - b.wallMs);
  return { wallMs: runs[Math.floor(runs.length / 2)].wallMs, maxRssMiB: Math.max(...runs.map((r) => r.maxRssMiB)) };
}

/** The floor: the same objects as plain data, dumped with js-yaml and written, no cdk8s. */
function floorCase(objectsFile: string, outDir: string): void {
  const files: { path: string; object: unknown }[] = JSON.parse(readFileSync(objectsFile, 'utf8'));
  const dirs = new Set<string>();
  for (const f of files) {
    const path = join(outDir, f.path);
    const dir = dirname(path);
    if (!dirs.has(dir)) { mkdirSync(dir, { recursive: true }); dirs.add(dir); }
    writeFileSync(path, yaml.dump(f.object, { noRefs: true, lineWidth: -1, quotingType: '"' }));
  }
}

/** Synth of a fleet against its floor: both fresh processes writing a fresh folder. */
async function synthVsFloor(label: string, overlaysDir: string, work: string): Promise<{ rows: Row[]; synth: Run; floor: Run; objects: number }> {
  const specs = await loadFleet(overlaysDir);
  const data = specs.flatMap((s) => renderCluster(s).manifests.map((m) => ({ path: m.file, object: m.object })));
  const objectsFile = join(work, `${label}.objects.json`);
  writeFileSync(objectsFile, JSON.stringify(data));
  let n = 0;
  const out = () => join(work, `${label}-out-${n++}`);
  // Charts off: the floor holds the tree's objects only; `npm run bench -- charts` measures rendering them.
  const synth = measure([CLI, 'synth', '--overlays', overlaysDir, '--out', out()], { INFRA_SYNTH_CHARTS: 'off' });
  const workers = workerCount(specs.length);
  const oneThread = workers > 1 ? measure([CLI, 'synth', '--overlays', overlaysDir, '--out', out()], { INFRA_SYNTH_WORKERS: '0', INFRA_SYNTH_CHARTS: 'off' }) : undefined;
  const floor = measure([BUNDLE, 'floor', objectsFile, out()]);
  const ratio = synth.wallMs / floor.wallMs;
  return {
    synth, floor, objects: data.length,
    rows: [
      { name: `synth ${label}: ${specs.length} clusters, ${data.length} objects (incl. validation)`, value: Math.round(synth.wallMs), unit: 'ms', note: `peak ${synth.maxRssMiB.toFixed(0)} MiB${workers > 1 ? `, ${workers} worker threads` : ''}` },
      ...(oneThread ? [{ name: `synth ${label} in one thread (INFRA_SYNTH_WORKERS=0)`, value: Math.round(oneThread.wallMs), unit: 'ms', note: `peak ${oneThread.maxRssMiB.toFixed(0)} MiB; ratio to floor ${(oneThread.wallMs / floor.wallMs).toFixed(2)}` }] : []),
      { name: `floor ${label}: same objects as data, js-yaml dump + write`, value: Math.round(floor.wallMs), unit: 'ms', note: `peak ${floor.maxRssMiB.toFixed(0)} MiB` },
      { name: `ratio ${label}: synth / floor`, value: Number(ratio.toFixed(2)), unit: 'x' },
    ],
  };
}

async function main(): Promise<void> {
  if (process.argv[2] === 'floor') return floorCase(process.argv[3], process.argv[4]);
  // `npm run bench -- helm`: only the Helm renderer's rows.
  if (process.argv[2] === 'helm') return printRows(await benchHelm());
  // `npm run bench -- charts`: synth with and without rendering the charts.
  if (process.argv[2] === 'charts') return printRows(await benchCharts());

  const work = mkdtempSync(join(tmpdir(), 'infra-synth-bench-'));
  const rows: Row[] = [];
  try {
    const example = await synthVsFloor('example', join(process.cwd(), 'overlays'), work);
    rows.push(...example.rows, { name: 'target example: synth ≤ 2× floor', value: Number((example.synth.wallMs / example.floor.wallMs).toFixed(2)), unit: 'x' });
    const sizes: Record<number, Run> = {};
    for (const count of [50, 500]) {
      const dir = join(work, `fleet-${count}`);
      writeGeneratedFleet(dir, count);
      const r = await synthVsFloor(`fleet-${count}`, dir, work);
      rows.push(...r.rows);
      sizes[count] = r.synth;
    }
    rows.push({ name: 'scaling: time(500) / time(50)', value: Number((sizes[500].wallMs / sizes[50].wallMs).toFixed(2)), unit: 'x', note: 'target ≤ 11' });
    for (const part of PARTS) rows.push(...await part());
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  printRows(rows);
}

function printRows(rows: Row[]): void {
  const width = Math.max(...rows.map((r) => r.name.length));
  process.stdout.write(`${'measure'.padEnd(width)}  ${'value'.padStart(10)}  unit  note\n`);
  const show = (v: number) => String(Number.isInteger(v) || !Number.isFinite(v) ? v : Number(v.toPrecision(4)));
  for (const r of rows) process.stdout.write(`${r.name.padEnd(width)}  ${show(r.value).padStart(10)}  ${r.unit.padEnd(4)}  ${r.note ?? ''}\n`);
}

await main();
