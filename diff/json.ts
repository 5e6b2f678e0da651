import type { DiffReport } from './model.js';

/** `--format json`: the report itself (see model.ts and README.md), two-space indented. */
export function renderJson(report: DiffReport): string {
  return JSON.stringify(report, null, 2) + '\n';
}
