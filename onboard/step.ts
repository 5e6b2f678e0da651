// What every onboarding step reports: what it found or did, and what comes next. Each step checks
// its own done-state first, so running `onboard` again resumes where it stopped.
import { dirname, join } from 'node:path';

export interface StepReport {
  /** The step's name, as printed ("scaffold", "synth", ...). */
  readonly step: string;
  /** done: nothing left to do here; did: this run changed something; waiting: a person (or CI) acts first. */
  readonly state: 'done' | 'did' | 'waiting' | 'skipped';
  /** One line per thing found or done. */
  readonly lines: readonly string[];
  /** What comes next, when the run stops here. */
  readonly next?: string;
}

/** Where a cluster's files are: the repository holding overlays/, secrets/ and dist/. */
export interface OnboardPaths {
  /** The cluster's name (its overlay file's name). */
  readonly cluster: string;
  /** Folder of overlay files. */
  readonly overlaysDir: string;
  /** The rendered tree. */
  readonly outDir: string;
}

export function overlayFile(p: OnboardPaths): string {
  return join(p.overlaysDir, `${p.cluster}.ts`);
}

/** The repository root: the folder holding overlays/. */
export function repoRoot(p: OnboardPaths): string {
  return dirname(p.overlaysDir);
}

export function secretsDirOf(p: OnboardPaths): string {
  return join(repoRoot(p), 'secrets');
}

/** A report as the terminal shows it: `[step] state` then its lines, indented. */
export function formatReport(r: StepReport): string {
  const head = `[${r.step}] ${r.state}`;
  return [head, ...r.lines.map((l) => `  ${l}`), ...(r.next ? [`  next: ${r.next}`] : [])].join('\n') + '\n';
}
