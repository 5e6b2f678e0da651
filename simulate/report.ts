// The simulation's report: one line per finding, as validation findings are printed
// (validate/finding.ts formatFinding) prefixed by the step, then one summary line per cluster;
// or the whole report as JSON for CI.
import { formatFinding } from '../validate/finding.js';
import type { ClusterSimulation, SimFinding, SimulationReport } from './model.js';

export const SIMULATE_FORMATS = ['text', 'json'] as const;
export type SimulateFormat = (typeof SIMULATE_FORMATS)[number];

/** `[<step>] <cluster>: <file>: <object>: <path>: <message>`. */
export function formatSimFinding(f: SimFinding): string {
  return `[${f.step}] ${formatFinding(f)}`;
}

function summary(c: ClusterSimulation): string {
  const waves = c.waves.length ? `waves ${c.waves.join(', ')}` : 'no waves';
  const parts = [`${c.objects} objects`, `${c.steps.length} steps`, waves, `${c.applications} Applications`];
  const outcome = c.findings.length
    ? `${c.findings.length} finding(s); first fails at [${c.findings[0].step}]`
    : 'nothing would fail';
  const skipped = c.notSimulated.length ? `; not simulated: ${c.notSimulated.join('; ')}` : '';
  return `${c.cluster}: simulated ${parts.join(', ')}: ${outcome}${skipped}`;
}

export function formatSimulationReport(report: SimulationReport, format: SimulateFormat): string {
  if (format === 'json') return `${JSON.stringify(report, null, 2)}\n`;
  const lines: string[] = [];
  for (const c of report.clusters) lines.push(...c.findings.map(formatSimFinding));
  for (const c of report.clusters) lines.push(summary(c));
  return `${lines.join('\n')}\n`;
}

/** Whether anything would fail (exit code 1). */
export const hasFailures = (report: SimulationReport): boolean => report.clusters.some((c) => c.findings.length > 0);
