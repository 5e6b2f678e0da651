// The in-process Helm renderer: cold and warm renders of the largest pinned chart with a prod
// cluster's values, and of every chart of the example fleet. Cold = the package read and every
// template parsed in this render; warm = the same chart object rendered again (templates parsed
// once per chart per process), under another release name so that no render cache can answer.
// Needs the reference charts (INFRA_SYNTH_SHARED, default ../shared); without them it says so.
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { renderCluster } from '../charts/cluster.js';
import { catalogPins } from '../cli/commands/charts-pull.js';
import { importCharts } from '../helm/repo/import.js';
import { ChartRenderer, helmSources, type HelmSource } from '../chart-renders/render.js';
import { loadFleet } from '../spec/load.js';

export interface BenchRow { name: string; value: number; unit: string; note?: string }

const RUNS = Number(process.env.BENCH_RUNS ?? 5);

function ms(fn: () => unknown): number {
  const t = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

function stats(xs: number[]): { median: number; note: string } {
  const s = [...xs].sort((a, b) => a - b);
  const median = s[Math.floor(s.length / 2)];
  return { median: Math.round(median * 10) / 10, note: `median of ${s.length}, ${s[0].toFixed(1)}–${s[s.length - 1].toFixed(1)} ms` };
}

/** The same source under another release name: the same work, and no (chart, values) cache can answer. */
const variant = (s: HelmSource, i: number): HelmSource => ({ ...s, releaseName: `${s.releaseName}-b${i}` });

export async function benchHelm(): Promise<BenchRow[]> {
  const shared = resolve(process.env.INFRA_SYNTH_SHARED ?? join(process.cwd(), '..', 'shared'));
  const chartsDir = join(shared, 'helm', 'charts');
  if (!existsSync(chartsDir)) return [{ name: 'helm: skipped', value: 0, unit: '', note: `no reference charts at ${chartsDir} (set INFRA_SYNTH_SHARED)` }];
  const cacheDir = mkdtempSync(join(tmpdir(), 'infra-synth-bench-charts-'));
  try {
    const lockFile = join(cacheDir, 'charts.lock.json');
    copyFileSync(join(process.cwd(), 'charts.lock.json'), lockFile);
    await importCharts(catalogPins(), { fromDir: chartsDir, cacheDir, lockFile });
    const sources: HelmSource[] = [];
    for (const spec of await loadFleet(join(process.cwd(), 'overlays'))) sources.push(...helmSources(renderCluster(spec).manifests));
    const renderable = (s: HelmSource) => { try { new ChartRenderer({ cacheDir, lockFile }).render(s); return true; } catch { return false; } };
    const fleet = sources.filter(renderable);
    const skipped = [...new Set(sources.filter((s) => !fleet.includes(s)).map((s) => `${s.chart} ${s.version}`))];
    // The largest chart that renders: kube-prometheus-stack where its dependencies are vendored.
    const prodOf = (chart: string) => fleet.find((s) => s.chart === chart && s.application.startsWith('yc-prod/'));
    const big = prodOf('kube-prometheus-stack') ?? prodOf('argo-cd')!;

    const cold: number[] = [], warm: number[] = [], fleetCold: number[] = [], fleetWarm: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      // Alternated, so that a noisy neighbour hits both kinds of run alike.
      const r = new ChartRenderer({ cacheDir, lockFile });
      cold.push(ms(() => r.render(variant(big, i))));
      warm.push(ms(() => r.render(variant(big, i + RUNS))));
      const f = new ChartRenderer({ cacheDir, lockFile });
      fleetCold.push(ms(() => fleet.forEach((s) => f.render(variant(s, i)))));
      fleetWarm.push(ms(() => fleet.forEach((s) => f.render(variant(s, i + RUNS)))));
    }
    const what = `${big.chart} ${big.version}, ${big.application} values`;
    const fleetNote = `${fleet.length} renders of ${new Set(fleet.map((s) => s.chart)).size} charts${skipped.length ? `; not renderable here: ${skipped.join(', ')}` : ''}`;
    const row = (name: string, xs: number[], note: string, target?: string): BenchRow => {
      const s = stats(xs);
      return { name, value: s.median, unit: 'ms', note: `${note}; ${s.note}${target ? `; target ${target}` : ''}` };
    };
    return [
      row('helm: cold render, largest chart', cold, what),
      row('helm: warm render, largest chart', warm, what, big.chart === 'kube-prometheus-stack' ? '≤ 100 ms' : '≤ 100 ms for kube-prometheus-stack'),
      row('helm: cold render, example fleet', fleetCold, fleetNote),
      row('helm: warm render, example fleet', fleetWarm, fleetNote, '≤ 2000 ms'),
    ];
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
}
