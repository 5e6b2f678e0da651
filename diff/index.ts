/** The diff of two rendered trees: load both, compare object by object, render one format. */
import { compareTrees } from './compare.js';
import { renderJson } from './json.js';
import { renderMarkdown } from './markdown.js';
import type { DiffReport } from './model.js';
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
}

/** Loads both sides (head first: it is cheap and the usual mistake) and compares them. */
export async function diffTrees(opts: DiffOptions): Promise<DiffReport> {
  const cwd = opts.cwd ?? process.cwd();
  const cache: ParseCache = new Map();
  const head = loadHead(opts.head ?? 'dist', { cwd, log: opts.log, cache });
  const base = await loadBase(opts.base, { cwd, log: opts.log, cache, tmpDir: opts.tmpDir });
  return compareTrees(base.tree, head.tree, { base: base.source, head: head.source });
}

export function formatReport(report: DiffReport, format: DiffFormat, opts: { color?: boolean } = {}): string {
  switch (format) {
    case 'markdown': return renderMarkdown(report);
    case 'json': return renderJson(report);
    case 'terminal': return renderTerminal(report, { color: opts.color ?? false });
  }
}
