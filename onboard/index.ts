// `infra-synth onboard <cluster>`: the steps in order, each checking its own done-state, so a run
// resumes where the last one stopped. The run stops at the first step that waits for a person or
// CI (a pull request to merge, a stack to apply) and says what comes next.
import { loadFleet } from '../spec/load.js';
import type { ClusterSpec } from '../spec/schema.js';
import { bootstrapStep } from './bootstrap.js';
import { outputsStep, type OutputsStepOptions } from './outputs.js';
import { prStep } from './pr.js';
import { scaffoldStep, type Ask, type ScaffoldAnswers } from './scaffold.js';
import type { OnboardPaths, StepReport } from './step.js';
import { synthStep } from './synth.js';

export interface OnboardOptions extends OnboardPaths, OutputsStepOptions {
  readonly answers: ScaffoldAnswers;
  /** Prompts for what the flags lack; only on a terminal. */
  readonly ask?: Ask;
  readonly charts?: 'auto' | 'require' | 'off';
  /** Called with each step's report as it finishes. */
  readonly onReport: (r: StepReport) => void;
}

async function specOf(p: OnboardPaths): Promise<ClusterSpec> {
  return (await loadFleet(p.overlaysDir, [p.cluster]))[0];
}

/** Runs the steps; returns the last report (the one that says what comes next). */
export async function runOnboard(o: OnboardOptions): Promise<StepReport> {
  const report = <T extends StepReport>(r: T): T => { o.onReport(r); return r; };
  report(await scaffoldStep(o, o.answers, o.ask));
  let spec = await specOf(o);
  const outputs = report(await outputsStep(o, spec, o));
  if (outputs.state === 'waiting' && outputs.captured) return outputs;
  if (outputs.state === 'did') spec = await specOf(o);
  const synth = report(await synthStep(o, o.charts));
  const secrets = synth.secretsToAdd;
  const pr = report(await prStep(o, secrets));
  if (pr.state === 'waiting') return pr;
  if (!outputs.captured) return outputs;
  return report(bootstrapStep(spec, secrets));
}
