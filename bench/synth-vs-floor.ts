// Synth against its floor (bench/floor.mjs: the same output written by a process that loads only
// js-yaml), each a fresh process, alternating synth and floor run by run so that the machine's
// noise falls on both; medians with min–max, peak RSS from GNU time.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import yaml from 'js-yaml';

export interface Row { name: string; value: number; unit: string; note?: string }
export interface Runs { readonly wallMs: number[]; readonly maxRssMiB: number[] }

const FLOOR = join(import.meta.dirname, '..', 'bench', 'floor.mjs');
const CLI = join(import.meta.dirname, 'cli.mjs');

/** One fresh process: wall time from spawn to exit, peak RSS. */
export function runOnce(args: string[], env: Record<string, string> = {}): { wallMs: number; maxRssMiB: number } {
  const t0 = performance.now();
  // A generated fleet's warnings (one per missing secret, per cluster) pass spawnSync's default
  // 1 MiB buffer at 500 clusters, and the child would be killed mid-run.
  const r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, ...args], { encoding: 'utf8', maxBuffer: 1 << 30, env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false', ...env } });
  const wallMs = performance.now() - t0;
  if (r.status !== 0) throw new Error(`bench: ${args.join(' ')} failed (${r.error?.message ?? `exit ${r.status ?? r.signal}`}):\n${r.stdout}\n${r.stderr.slice(-4000)}`);
  return { wallMs, maxRssMiB: Number(r.stderr.trim().split('\n').pop()) / 1024 };
}

export const stats = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], min: s[0], max: s[s.length - 1] };
};

export const timed = (label: string, r: Runs): Row => {
  const t = stats(r.wallMs);
  return { name: label, value: Math.round(t.median), unit: 'ms', note: `min–max ${Math.round(t.min)}–${Math.round(t.max)}; peak ${Math.max(...r.maxRssMiB).toFixed(0)} MiB` };
};

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => join(d.parentPath, d.name));
}

/**
 * The floor's input for a tree synth wrote: every file at its path, the YAML objects as data (the
 * floor dumps them again), everything else as text; plus the chart objects synth checked.
 */
export function floorInput(tree: string, checked: readonly unknown[], file: string): number {
  const entries: unknown[] = [];
  let objects = 0;
  for (const path of filesUnder(tree)) {
    const rel = relative(tree, path);
    const text = readFileSync(path, 'utf8');
    if (rel.endsWith('.yaml') && !rel.endsWith('.enc.yaml') && !rel.startsWith('.')) {
      const docs = yaml.loadAll(text).filter((d) => d !== null);
      objects += docs.length;
      entries.push(docs.length === 1 ? { path: rel, object: docs[0] } : { path: rel, text });
    } else {
      entries.push({ path: rel, text });
    }
  }
  for (const o of checked) entries.push({ check: o });
  writeFileSync(file, JSON.stringify(entries));
  return objects;
}

/** `runs` alternations of synth (fresh output folder each) and the floor writing the same tree. */
export function alternate(runs: number, synth: (i: number) => string[], floor: (i: number) => string[], env: Record<string, string>): { synth: Runs; floor: Runs } {
  const s: Runs = { wallMs: [], maxRssMiB: [] };
  const f: Runs = { wallMs: [], maxRssMiB: [] };
  for (let i = 0; i < runs; i++) {
    const a = runOnce(synth(i), env);
    s.wallMs.push(a.wallMs); s.maxRssMiB.push(a.maxRssMiB);
    const b = runOnce(floor(i));
    f.wallMs.push(b.wallMs); f.maxRssMiB.push(b.maxRssMiB);
  }
  return { synth: s, floor: f };
}

export interface SynthCase {
  readonly label: string;
  readonly overlays: string;
  readonly work: string;
  readonly runs: number;
  /** INFRA_SYNTH_CHARTS for synth. */
  readonly charts: 'off' | 'auto';
  /** The chart objects synth renders and checks for this fleet (empty with charts off). */
  readonly chartObjects: () => unknown[];
  /** Also a no-op synth (the same fleet into its own previous output). @default false */
  readonly noop?: boolean;
  /** Also synth in one thread (INFRA_SYNTH_WORKERS=0). @default false */
  readonly oneThread?: boolean;
}

/** The rows of one fleet: synth, floor, their ratio; optionally the no-op and one-thread synths. */
export function synthVsFloor(c: SynthCase): { rows: Row[]; synthMedianMs: number } {
  // Fresh synths render every cluster; the no-op synth reads them back from a synth cache of its own.
  const env = { INFRA_SYNTH_CHARTS: c.charts, INFRA_SYNTH_INCREMENTAL: '0' };
  const incremental = { INFRA_SYNTH_CHARTS: c.charts, INFRA_SYNTH_INCREMENTAL: '1', INFRA_SYNTH_SYNTH_CACHE: join(c.work, `${c.label}-synth-cache`) };
  const out = (kind: string, i: number) => join(c.work, `${c.label}-${kind}-${i}`);
  const synthArgs = (kind: string) => (i: number) => [CLI, 'synth', '--overlays', c.overlays, '--out', out(kind, i)];
  // A first synth gives the tree the floor writes (and fills the no-op's synth cache).
  runOnce(synthArgs('reference')(0), incremental);
  const input = join(c.work, `${c.label}.floor.json`);
  const objects = floorInput(out('reference', 0), c.chartObjects(), input);
  const fresh = alternate(c.runs, synthArgs('synth'), (i) => [FLOOR, input, out('floor', i)], env);
  const ratio = stats(fresh.synth.wallMs).median / stats(fresh.floor.wallMs).median;
  const charts = c.charts === 'off' ? 'charts off' : 'charts rendered and checked';
  const rows: Row[] = [
    timed(`synth ${c.label} (${objects} objects written, ${charts})`, fresh.synth),
    timed(`floor ${c.label} (node + js-yaml + fs)`, fresh.floor),
    { name: `ratio ${c.label}: synth / floor`, value: Number(ratio.toFixed(2)), unit: 'x' },
  ];
  if (c.noop) {
    // Into the reference tree again: nothing changed, nothing to write.
    const noop = alternate(c.runs, () => synthArgs('reference')(0), (i) => [FLOOR, input, out('floor-noop', i)], incremental);
    rows.push(timed(`no-op synth ${c.label} (unchanged inputs, incremental)`, noop.synth),
      { name: `ratio ${c.label}: no-op / full synth`, value: Number((stats(noop.synth.wallMs).median / stats(fresh.synth.wallMs).median).toFixed(2)), unit: 'x' });
  }
  if (c.oneThread) {
    const one = alternate(c.runs, synthArgs('one-thread'), (i) => [FLOOR, input, out('floor-one', i)], { ...env, INFRA_SYNTH_WORKERS: '0' });
    rows.push(timed(`synth ${c.label} in one thread`, one.synth),
      { name: `ratio ${c.label} one thread: synth / floor`, value: Number((stats(one.synth.wallMs).median / stats(one.floor.wallMs).median).toFixed(2)), unit: 'x' });
  }
  return { rows, synthMedianMs: stats(fresh.synth.wallMs).median };
}
