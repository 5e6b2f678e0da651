// `infra-synth offboard <cluster>`: onboarding in reverse, in the repository only. It lists what
// it would remove — the overlay, the outputs file, the cluster's encrypted secrets — and what a
// person does by hand (the cluster and its stack's protected resources are never touched from
// here), and removes the files only with --yes or a typed confirmation on a terminal. The next
// synth then deletes the cluster's tree and stack from dist/ (only files synth generated).
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../primitives/errors.js';
import { outputsFileOf } from '../spec/infra-outputs.js';
import type { Ask } from './scaffold.js';
import { overlayFile, secretsDirOf, type OnboardPaths, type StepReport } from './step.js';

export async function offboard(p: OnboardPaths, opts: { yes?: boolean; ask?: Ask }): Promise<StepReport> {
  const overlay = overlayFile(p);
  if (!existsSync(overlay)) throw new UserError(`${overlay}: no such overlay; nothing to offboard (clusters are the *.ts files of ${p.overlaysDir})`);
  const files = [overlay, outputsFileOf(overlay), join(secretsDirOf(p), p.cluster)].filter((f) => existsSync(f));
  const stack = join(p.outDir, 'infra', p.cluster);
  const byHand = [
    `before merging: drain the cluster's workloads and take a last Velero backup; nothing here touches the cluster`,
    ...(existsSync(stack) ? [
      `the stack's resources stay when infra/${p.cluster}/ leaves infra-gitops (CI applies only stacks that exist): destroy them first from the stack's folder with \`tofu destroy\`; zones, backup buckets and everything in prod carry prevent_destroy, which a person removes on purpose`,
    ] : []),
    `remove the cluster's age key from the key custody store (docs/key-custody.md) once its secrets are gone`,
  ];
  const plan = [`would remove: ${files.join(', ')}`, `the next synth then deletes ${join(p.outDir, 'clusters', p.cluster)}/${existsSync(stack) ? ` and ${stack}/` : ''} (generated files only)`, ...byHand.map((l) => `by hand: ${l}`)];
  let confirmed = !!opts.yes;
  if (!confirmed && opts.ask) confirmed = (await opts.ask(`type the cluster's name (${p.cluster}) to remove these files: `))?.trim() === p.cluster;
  if (!confirmed) {
    return { step: 'offboard', state: 'waiting', lines: [...plan, 'nothing removed'], next: `infra-synth offboard ${p.cluster} --yes (after reading the list above)` };
  }
  for (const f of files) rmSync(f, { recursive: true, force: true });
  return {
    step: 'offboard', state: 'did',
    lines: [`removed ${files.join(', ')}`, ...byHand.map((l) => `by hand: ${l}`)],
    next: 'run `infra-synth synth` and open the pull request (its diff shows the removed tree)',
  };
}
