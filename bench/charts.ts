// `npm run bench -- charts`: what rendering every pinned chart costs synth. The same fleet is
// synthesized with INFRA_SYNTH_CHARTS=off (footprints read from charts.footprints.json, no chart
// rendered: the synth of before) and auto (every chart rendered from the cache, values and chart
// objects checked, footprints fresh), alternating, each a fresh process; medians with min–max.
// Hydration is not measured: the offline cache's kube-prometheus-stack lacks its subcharts, and
// hydrating it is refused (docs/hydration.md).
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { writeGeneratedFleet } from './fleet.js';

export interface ChartsRow { name: string; value: number; unit: string; note?: string }

const CLI = join(import.meta.dirname, 'cli.mjs');

function once(overlays: string, out: string, mode: 'off' | 'auto'): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [CLI, 'synth', '--overlays', overlays, '--out', out], {
    encoding: 'utf8', env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false', INFRA_SYNTH_CHARTS: mode },
  });
  if (r.status !== 0) throw new Error(`bench charts: synth ${mode} failed:\n${r.stdout}\n${r.stderr}`);
  return performance.now() - t0;
}

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], min: s[0], max: s[s.length - 1] };
};

export async function benchCharts(runs = Number(process.env.BENCH_RUNS ?? 3)): Promise<ChartsRow[]> {
  const work = mkdtempSync(join(tmpdir(), 'infra-synth-bench-charts-'));
  const rows: ChartsRow[] = [];
  try {
    const fleets: [string, string][] = [['example', join(process.cwd(), 'overlays')]];
    for (const count of (process.env.BENCH_CHARTS_FLEETS ?? '50').split(',').map(Number).filter(Boolean)) {
      const dir = join(work, `fleet-${count}`, 'overlays');
      writeGeneratedFleet(dir, count);
      // The generated fleet reads the repository's footprints for `off` (its own values differ:
      // each chart's recorded footprints together, with a warning).
      copyFileSync(join(process.cwd(), 'charts.footprints.json'), join(work, `fleet-${count}`, 'charts.footprints.json'));
      fleets.push([`fleet-${count}`, dir]);
    }
    for (const [label, overlays] of fleets) {
      const off: number[] = [];
      const auto: number[] = [];
      for (let i = 0; i < runs; i++) {
        off.push(once(overlays, join(work, `${label}-off-${i}`), 'off'));
        auto.push(once(overlays, join(work, `${label}-auto-${i}`), 'auto'));
      }
      const a = stats(off), b = stats(auto);
      rows.push(
        { name: `synth ${label}, charts off (footprints from the file)`, value: Math.round(a.median), unit: 'ms', note: `min–max ${Math.round(a.min)}–${Math.round(a.max)}` },
        { name: `synth ${label}, charts rendered and checked`, value: Math.round(b.median), unit: 'ms', note: `min–max ${Math.round(b.min)}–${Math.round(b.max)}` },
        { name: `ratio ${label}: charts rendered / off`, value: Number((b.median / a.median).toFixed(2)), unit: 'x' },
      );
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return rows;
}
