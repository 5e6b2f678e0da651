// `npm run bench`: synth against its floor, measured in the same run, plus the throughput of the
// parts (validation, SOPS, diff, writer). Timings are printed, never asserted: this machine is
// shared and noisy, so compare ratios of one run. The floor (bench/floor.mjs) is a separate minimal
// process — node, js-yaml and fs — writing the very tree synth wrote (objects, carried secrets,
// .sops.yaml, the record) and dumping once each chart object synth checks; synth and floor runs
// alternate (bench/synth-vs-floor.ts).
//   BENCH_RUNS (default 3) runs per case; BENCH_FLEETS (default 100,500,1000) generated fleet sizes;
//   BENCH_STARTUP_RUNS (default 20) rounds of the start-up cases.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderCluster } from '../charts/cluster.js';
import { ChartRenderer, helmSources } from '../chart-renders/render.js';
import { kubeVersionOf } from '../spec/kubernetes-version.js';
import { loadFleet } from '../spec/load.js';
import type { ClusterSpec } from '../spec/schema.js';
import { benchDiff } from './diff.js';
import { benchEdge } from './edge.js';
import { benchHelm } from './helm.js';
import { benchCharts } from './charts.js';
import { writeGeneratedFleet } from './fleet.js';
import { benchObservability } from './observability.js';
import { benchPolicy } from './policy.js';
import { benchSecrets } from './secrets.js';
import { benchSops } from './sops.js';
import { startup } from './startup.js';
import { synthVsFloor, type Row } from './synth-vs-floor.js';
import { benchValidation } from './validate.js';
import { benchWriter } from './writer.js';

/** Benchmarks of the parts, each printing its own rows. */
const PARTS: (() => Promise<Row[]>)[] = [
  () => benchValidation(), benchWriter, benchDiff, benchSops, () => benchSecrets(), benchEdge, () => benchPolicy(), () => benchObservability(), benchHelm,
];

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const STARTUP_RUNS = Number(process.env.BENCH_STARTUP_RUNS ?? 20);

/** Every object the fleet's charts render (what synth checks), or undefined when the chart cache lacks a chart. */
function chartObjects(specs: readonly ClusterSpec[]): unknown[] | undefined {
  const renderer = new ChartRenderer();
  try {
    return specs.flatMap((spec) => helmSources(renderCluster(spec).manifests).flatMap((s) => renderer.render(s, { kubeVersion: kubeVersionOf(spec) }).objects));
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  // `npm run bench -- helm`: only the Helm renderer's rows.
  if (process.argv[2] === 'helm') return printRows(await benchHelm());
  // `npm run bench -- charts`: synth with and without rendering the charts.
  if (process.argv[2] === 'charts') return printRows(await benchCharts());
  // `npm run bench -- startup`: the commands' start-up against bare node.
  if (process.argv[2] === 'startup') return printRows(startup(STARTUP_RUNS));

  const work = mkdtempSync(join(tmpdir(), 'infra-synth-bench-'));
  const rows: Row[] = [];
  try {
    const overlays = join(process.cwd(), 'overlays');
    const objects = chartObjects(await loadFleet(overlays));
    rows.push(...synthVsFloor({
      label: 'example', overlays, work, runs: RUNS, noop: true,
      charts: objects ? 'auto' : 'off', chartObjects: () => objects ?? [],
    }).rows);
    // Generated fleets with charts off: rendering 20 charts per cluster is `npm run bench -- charts`.
    const sizes: Record<number, number> = {};
    for (const count of (process.env.BENCH_FLEETS ?? '100,500,1000').split(',').map(Number).filter(Boolean)) {
      const dir = join(work, `fleet-${count}`);
      writeGeneratedFleet(dir, count);
      const r = synthVsFloor({ label: `fleet-${count}`, overlays: dir, work, runs: RUNS, charts: 'off', chartObjects: () => [], oneThread: count === 500 });
      rows.push(...r.rows);
      sizes[count] = r.synthMedianMs;
    }
    if (sizes[100] && sizes[1000]) rows.push({ name: 'scaling: time(1000) / time(100)', value: Number((sizes[1000] / sizes[100]).toFixed(2)), unit: 'x', note: 'target ≤ 11' });
    rows.push(...startup(STARTUP_RUNS));
    if (process.env.BENCH_PARTS !== '0') for (const part of PARTS) rows.push(...await part());
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
