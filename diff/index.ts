/** The diff of two rendered trees: load both, compare object by object, render one format. */
import { resolve } from 'node:path';
import { defaultCacheDir } from '../helm/repo/cache.js';
import { ChartRepoError } from '../helm/repo/errors.js';
import { LOCK_FILE_NAME, readLock } from '../helm/repo/lock.js';
import { UserError } from '../primitives/errors.js';
import { compareCharts } from './charts.js';
import { compareTrees } from './compare.js';
import { renderJson } from './json.js';
import { renderMarkdown } from './markdown.js';
import type { Deletion, DiffReport } from './model.js';
import { loadBase, loadHead } from './source.js';
import { renderTerminal } from './terminal.js';
import type { ParseCache } from './tree.js';

export type { DiffReport } from './model.js';
export { DIFF_COMMENT_MARKER, GITHUB_COMMENT_LIMIT, renderMarkdown } from './markdown.js';
export { renderJson } from './json.js';
export { renderTerminal, shouldColor } from './terminal.js';

export const FORMATS = ['markdown', 'json', 'terminal'] as const;
export type DiffFormat = (typeof FORMATS)[number];

export interface DiffOptions {
  /** A rendered tree's directory, or a git ref of the repository at `cwd` to render. */
  readonly base: string;
  /** A rendered tree's directory. @default 'dist' */
  readonly head?: string;
  /** @default process.cwd() */
  readonly cwd?: string;
  /** Progress lines, e.g. while a base commit renders. */
  readonly log?: (line: string) => void;
  /** Where a base ref is rendered. @default os.tmpdir() (honours TMPDIR) */
  readonly tmpDir?: string;
  /** Also compare what the Applications' Helm charts render (charts.ts). @default true */
  readonly charts?: boolean;
  /** The chart cache. @default defaultCacheDir() (`$INFRA_SYNTH_CHART_CACHE` or `~/.cache/infra-synth/charts`) */
  readonly chartCache?: string;
  /** The head side's chart lock. @default `charts.lock.json` in `cwd` (none when absent) */
  readonly chartLock?: string;
  /**
   * `.Capabilities.KubeVersion` the charts are rendered for.
   * @default the chart renderer's default (DEFAULT_KUBE_VERSION in chart-renders/render.ts)
   */
  readonly kubeVersion?: string;
}

/** Loads both sides (head first: it is cheap and the usual mistake) and compares them. */
export async function diffTrees(opts: DiffOptions): Promise<DiffReport> {
  const cwd = opts.cwd ?? process.cwd();
  const cache: ParseCache = new Map();
  const head = loadHead(opts.head ?? 'dist', { cwd, log: opts.log, cache });
  const base = await loadBase(opts.base, { cwd, log: opts.log, cache, tmpDir: opts.tmpDir });
  const report = compareTrees(base.tree, head.tree, { base: base.source, head: head.source });
  if (opts.charts === false) return report;
  const lockFile = resolve(cwd, opts.chartLock ?? LOCK_FILE_NAME);
  let headLock;
  try {
    headLock = readLock(lockFile);
  } catch (e) {
    // The lock names chart versions only; a broken one is bad input (its message names the file and the fix).
    if (e instanceof ChartRepoError) throw new UserError(e.message);
    throw e;
  }
  const fates = new Map<string, Deletion>();
  for (const c of report.clusters) {
    for (const comp of c.components) {
      for (const o of comp.objects) if (o.change === 'removed' && o.kind === 'Application' && o.deletion) fates.set(`${c.name}\0${o.name}`, o.deletion);
    }
  }
  const charts = compareCharts(base.tree, head.tree, {
    cacheDir: opts.chartCache ? resolve(cwd, opts.chartCache) : defaultCacheDir(),
    baseLock: base.tree.chartLock,
    headLock,
    kubeVersion: opts.kubeVersion,
    tmpDir: opts.tmpDir,
    applicationFate: (cluster, application) => fates.get(`${cluster}\0${application}`),
  });
  if (!charts) return report;
  const chartChanges = charts.summary.added + charts.summary.changed + charts.summary.removed > 0;
  return { ...report, summary: { ...report.summary, hasChanges: report.summary.hasChanges || chartChanges }, charts };
}

export function formatReport(report: DiffReport, format: DiffFormat, opts: { color?: boolean } = {}): string {
  switch (format) {
    case 'markdown': return renderMarkdown(report);
    case 'json': return renderJson(report);
    case 'terminal': return renderTerminal(report, { color: opts.color ?? false });
  }
}
