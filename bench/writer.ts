// Writer and publish speed on a fleet-sized tree: the no-op re-write is what every synth pays.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { publish } from '../publish/index.js';
import { planTree, writeTree, type OutputFile } from '../writer/index.js';

export interface BenchRow { name: string; value: number; unit: string; note?: string }

const CLUSTERS = 20;
const FILES_PER_CLUSTER = 100;

function fleet(version: string): OutputFile[] {
  const out: OutputFile[] = [];
  for (let c = 0; c < CLUSTERS; c++) {
    for (let f = 0; f < FILES_PER_CLUSTER; f++) {
      const body = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-${f}\n  namespace: ns-${c}\ndata:\n  v: "${version}"\n`;
      out.push({ path: `clusters/c${c}/comp-${f % 10}/cm-${f}.yaml`, content: body.repeat(8) });
    }
  }
  return out;
}

function ms(fn: () => unknown): number {
  const t = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

async function msAsync(fn: () => Promise<unknown>): Promise<number> {
  const t = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

export async function benchWriter(): Promise<BenchRow[]> {
  const n = CLUSTERS * FILES_PER_CLUSTER;
  const note = `${n} files (${CLUSTERS} clusters × ${FILES_PER_CLUSTER}), ~1.5 KiB each, temp dir`;
  const root = mkdtempSync(join(tmpdir(), 'infra-synth-bench-writer-'));
  try {
    const out = join(root, 'dist');
    const v1 = fleet('1');
    const oneChanged = v1.map((f, i) => (i === 7 ? { ...f, content: `${f.content}# changed\n` } : f));
    const rows: BenchRow[] = [
      { name: 'writer: first write', value: ms(() => writeTree(out, v1)), unit: 'ms', note },
      { name: 'writer: identical re-write (no-op)', value: ms(() => writeTree(out, v1)), unit: 'ms', note },
      { name: 'writer: planTree (check, no-op)', value: ms(() => planTree(out, v1)), unit: 'ms', note },
      { name: 'writer: one file changed', value: ms(() => writeTree(out, oneChanged)), unit: 'ms', note },
      { name: 'writer: every file changed', value: ms(() => writeTree(out, fleet('2'))), unit: 'ms', note },
      { name: 'writer: prune one cluster', value: ms(() => writeTree(out, fleet('2').slice(FILES_PER_CLUSTER))), unit: 'ms', note },
    ];

    const source = join(root, 'src');
    const repo = join(root, 'gitops');
    for (const dir of [source, repo]) {
      await execa('git', ['init', '-q', '-b', 'main', dir]);
      await execa('git', ['-C', dir, 'config', 'user.name', 'bench']);
      await execa('git', ['-C', dir, 'config', 'user.email', 'bench@example.com']);
    }
    await execa('git', ['-C', source, 'commit', '-q', '--allow-empty', '-m', 'src']);
    const from = join(root, 'dist2');
    writeTree(from, v1);
    rows.push({ name: 'publish: first publish into an empty checkout', value: await msAsync(() => publish({ from, repo, sourceDir: source })), unit: 'ms', note });
    rows.push({ name: 'publish: same tree again (no commit)', value: await msAsync(() => publish({ from, repo, sourceDir: source })), unit: 'ms', note });
    writeTree(from, oneChanged);
    rows.push({ name: 'publish: one file changed', value: await msAsync(() => publish({ from, repo, sourceDir: source })), unit: 'ms', note });
    return rows.map((r) => ({ ...r, value: Math.round(r.value * 10) / 10 }));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
