// Step 3: render the fleet with the new (or changed) overlay — the whole fleet, because
// .sops.yaml and the service pages list every cluster and belong in the same pull request. Done
// when synth changes nothing; synth itself is idempotent, so this step simply runs it.
import { synthFleet } from '../pipeline/synth.js';
import type { OnboardPaths, StepReport } from './step.js';

export interface SynthStepResult extends StepReport {
  /** Synth's warnings about this cluster's missing secrets, each with the command that adds it. */
  readonly secretsToAdd: readonly string[];
}

export async function synthStep(p: OnboardPaths, charts?: 'auto' | 'require' | 'off'): Promise<SynthStepResult> {
  const r = await synthFleet({ overlaysDir: p.overlaysDir, outDir: p.outDir, charts });
  const { added, changed, removed } = r.changes;
  const n = added.length + changed.length + removed.length + r.sources.length;
  const mine = r.warnings.filter((w) => w.startsWith(`${p.cluster}:`) || w.includes(`/${p.cluster}.ts:`) || w.startsWith(`${p.cluster}.ts:`));
  const secretsAdvice = (w: string) => w.includes('secrets add') || w.includes('secrets edit');
  const others = mine.filter((w) => !secretsAdvice(w)).map((w) => `warning: ${w}`);
  return {
    step: 'synth',
    state: n ? 'did' : 'done',
    lines: (n
      ? [`rendered ${r.clusters.length} cluster(s) into ${p.outDir}: ${added.length} added, ${changed.length} changed, ${removed.length} removed`, ...r.sources.map((s) => `updated ${s} (commit it)`)]
      : [`${p.outDir} is up to date with the overlays (${r.files} files)`]
    ).concat(others),
    secretsToAdd: mine.filter(secretsAdvice),
  };
}
