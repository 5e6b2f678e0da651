// Step 4: what the pull request holds — the files to commit (from git), the infrastructure stack
// and cluster tree CI renders from them and publishes on merge, and the secrets the cluster still
// needs with the command that adds each. Done when nothing of the cluster is left uncommitted.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { execa } from 'execa';
import { outputsFileOf } from '../spec/infra-outputs.js';
import { overlayFile, repoRoot, secretsDirOf, type OnboardPaths, type StepReport } from './step.js';

/** Files under `dir`, relative to it, sorted. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else out.push(relative(dir, path));
    }
  };
  walk(dir);
  return out.sort();
}

/** The paths git reports changed or untracked under the repository's source folders. */
async function uncommitted(root: string): Promise<string[] | undefined> {
  try {
    const { stdout } = await execa('git', ['status', '--porcelain', '--untracked-files=all', '--', '.'], { cwd: root });
    return stdout.split('\n').filter(Boolean).map((l) => l.slice(3)).filter((f) => !f.startsWith('dist/'));
  } catch {
    return undefined;
  }
}

export async function prStep(p: OnboardPaths, secretWarnings: readonly string[]): Promise<StepReport> {
  const root = repoRoot(p);
  const lines: string[] = [];
  const changed = await uncommitted(root);
  // The cluster's own files, and what synth keeps fresh for the whole fleet (they list it too).
  const mine = [overlayFile(p), outputsFileOf(overlayFile(p)), secretsDirOf(p), join(root, '.sops.yaml'), join(root, 'docs', 'services')].map((f) => relative(root, f));
  const pending = changed?.filter((f) => mine.some((m) => f === m || f.startsWith(`${m}/`))) ?? [];
  if (changed === undefined) lines.push(`${root} is not a git checkout: commit ${mine.slice(0, 3).join(', ')} and what synth updated in a pull request`);
  else if (changed.length) lines.push('to commit in the pull request:', ...changed.map((f) => `  ${f}`));
  const stack = filesUnder(join(p.outDir, 'infra', p.cluster));
  if (stack.length) lines.push(`infrastructure stack CI plans on the PR and applies on merge: ${join(p.outDir, 'infra', p.cluster)}/ (${stack.join(', ')}); its README.md lists what it does not create`);
  const tree = filesUnder(join(p.outDir, 'clusters', p.cluster));
  if (tree.length) {
    const byFolder = new Map<string, number>();
    for (const f of tree) { const top = f.split('/')[0]; byFolder.set(top, (byFolder.get(top) ?? 0) + 1); }
    lines.push(`cluster tree published to infra-gitops on merge: ${join(p.outDir, 'clusters', p.cluster)}/ (${tree.length} files: ${[...byFolder].map(([d, n]) => `${d} ${n}`).join(', ')})`);
  }
  if (secretWarnings.length) lines.push(`secrets to add (${secretWarnings.length}; \`secrets audit\` fails CI until they are there):`, ...secretWarnings.map((w) => `  ${w}`));
  const waiting = pending.length > 0;
  return {
    step: 'pull request',
    state: waiting ? 'waiting' : 'done',
    lines,
    next: waiting
      ? `${secretWarnings.length ? 'add the secrets above (those made by the stack after its apply), ' : ''}commit and open the pull request; after review and merge CI ${stack.length ? 'applies the stack; then run onboard again to capture its outputs' : 'publishes the tree; then run onboard again for the bootstrap commands'}`
      : undefined,
  };
}
