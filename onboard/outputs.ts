// Step 2: the applied stack's non-secret outputs into overlays/<cluster>.outputs.json, which the
// spec reads back (spec/infra-outputs.ts). The source is `tofu output -json` run in the stack's
// folder (or a file it was saved to, `--tofu-outputs`). Sensitive outputs are never written: each
// is named as skipped, with where its value belongs instead.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { UserError } from '../primitives/errors.js';
import { formatOutputsFile, infraOutputsSchema, outputsFileOf, type InfraOutputs } from '../spec/infra-outputs.js';
import type { ClusterSpec } from '../spec/schema.js';
import { parseCrossplaneStatus, readCrossplaneStatus } from './crossplane-outputs.js';
import { overlayFile, type OnboardPaths, type StepReport } from './step.js';

/** One entry of `tofu output -json`. */
interface TofuOutput { readonly sensitive?: boolean; readonly value?: unknown }

/**
 * The outputs the platform reads, from the text of `tofu output -json`; `from` names the source in
 * errors. Sensitive and unknown outputs are left out, each with a line saying why.
 */
export function parseTofuOutputs(text: string, from: string): { outputs: InfraOutputs; skipped: string[] } {
  let data: unknown;
  try { data = JSON.parse(text); } catch (e) {
    throw new UserError(`${from}: not the JSON of \`tofu output -json\` (${(e as Error).message.split('\n')[0]})`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new UserError(`${from}: expected an object of outputs as \`tofu output -json\` prints it`);
  const known = infraOutputsSchema.shape;
  const outputs: Record<string, unknown> = {};
  const skipped: string[] = [];
  for (const [name, o] of Object.entries(data as Record<string, TofuOutput>).sort(([a], [b]) => a.localeCompare(b))) {
    if (o?.sensitive) { skipped.push(`${name}: sensitive, not captured (a secret belongs in secrets/: \`tofu output -raw ${name}\` piped into \`infra-synth secrets add\`)`); continue; }
    if (!(name in known)) { skipped.push(`${name}: not an output the platform reads, not captured`); continue; }
    outputs[name] = o?.value;
  }
  const parsed = infraOutputsSchema.safeParse(outputs);
  if (!parsed.success) throw new UserError(parsed.error.issues.map((i) => `${from}: ${i.path.map(String).join('.')}: ${i.message}`));
  return { outputs: parsed.data, skipped };
}

/** What `tofu output -json` prints in `dir`; undefined (with why) when tofu cannot be run there. */
async function runTofu(dir: string): Promise<{ text?: string; why?: string }> {
  if (!existsSync(dir)) return { why: `${dir} does not exist (run synth, or give --tofu-dir: the stack's folder in an infra-gitops checkout)` };
  try {
    const r = await execa('tofu', ['output', '-json'], { cwd: dir });
    return { text: r.stdout };
  } catch (e) {
    const err = e as { code?: string; stderr?: string; shortMessage?: string };
    if (err.code === 'ENOENT') return { why: 'tofu is not on PATH: run `tofu output -json > outputs.json` where the stack was applied (docs/infra.md#running-opentofu) and give --tofu-outputs outputs.json' };
    return { why: `tofu output -json failed in ${dir}: ${(err.stderr || err.shortMessage || String(e)).split('\n')[0]}` };
  }
}

export interface OutputsStepOptions {
  /** A saved `tofu output -json`, instead of running tofu. */
  readonly tofuOutputs?: string;
  /** Where to run tofu. @default - <outDir>/infra/<cluster> */
  readonly tofuDir?: string;
  /** infra.backend crossplane: a saved `kubectl get <managed resources> -n <cluster> -o json` of the management cluster. */
  readonly crossplaneStatus?: string;
  /** infra.backend crossplane: the management cluster's kubeconfig, to read the managed resources' status (read only). */
  readonly managementKubeconfig?: string;
}

/** `captured`: the outputs file holds the applied stack's outputs (or there is no stack). */
export async function outputsStep(p: OnboardPaths, spec: ClusterSpec | undefined, opts: OutputsStepOptions): Promise<StepReport & { captured: boolean }> {
  const file = outputsFileOf(overlayFile(p));
  if (spec && spec.infra.backend === 'none') {
    return { step: 'outputs', state: 'skipped', captured: true, lines: ['infra.backend is none: no stack, no outputs'] };
  }
  let from: string;
  let skipped: string[] = [];
  let outputs: InfraOutputs;
  if (spec?.infra.backend === 'crossplane') {
    const r = await readCrossplaneStatus(p.cluster, { statusFile: opts.crossplaneStatus, kubeconfig: opts.managementKubeconfig });
    if (!r.text) {
      const had = existsSync(file);
      return { step: 'outputs', state: had ? 'done' : 'waiting', captured: had, lines: [`${had ? `${file} kept; ` : ''}${r.why}`], next: had ? undefined : 'after Argo CD synced the cluster\'s managed resources in the management cluster, run onboard again with --management-kubeconfig' };
    }
    from = r.from;
    const parsed = parseCrossplaneStatus(r.text, from);
    if (parsed.notReady.length) {
      return {
        step: 'outputs', state: 'waiting', captured: existsSync(file),
        lines: [`${from}: ${parsed.notReady.length} managed resource(s) not Ready yet, nothing captured:`, ...parsed.notReady.map((l) => `  ${l}`)],
        next: 'wait for Crossplane to make them (kubectl get managed -n ' + p.cluster + '), then run onboard again',
      };
    }
    outputs = parsed.outputs;
  } else if (opts.tofuOutputs) {
    from = opts.tofuOutputs;
    ({ outputs, skipped } = parseTofuOutputs(readFileSync(opts.tofuOutputs, 'utf8'), from));
  } else {
    const dir = opts.tofuDir ?? join(p.outDir, 'infra', p.cluster);
    from = `tofu output -json (in ${dir})`;
    const r = await runTofu(dir);
    if (!r.text) {
      const had = existsSync(file);
      return { step: 'outputs', state: had ? 'done' : 'waiting', captured: had, lines: [`${had ? `${file} kept; ` : ''}${r.why}`], next: had ? undefined : 'after the stack is applied, run onboard again to capture its outputs' };
    }
    ({ outputs, skipped } = parseTofuOutputs(r.text, from));
  }
  if (!Object.keys(outputs).length) {
    return { step: 'outputs', state: 'waiting', captured: existsSync(file), lines: [`${from} reports no outputs: the ${spec?.infra.backend === 'crossplane' ? 'managed resources are' : 'stack is'} not applied yet`, ...skipped], next: 'merge the pull request; CI applies the stack; then run onboard again' };
  }
  const content = formatOutputsFile(p.cluster, outputs);
  const same = existsSync(file) && readFileSync(file, 'utf8') === content;
  if (!same) writeFileSync(file, content);
  const lines = [
    same ? `${file} already holds what ${from} reports` : `captured ${Object.keys(outputs).join(', ')} from ${from} into ${file} (review and commit it)`,
    ...skipped,
  ];
  const id = outputs.registry_id;
  if (spec?.cloud === 'yandex' && spec.infra.registry && id && !spec.imagePolicy.signedImages.some((g) => g.startsWith(`cr.yandex/${id}/`))) {
    // Synth would refuse the overlay now (the image policy must trust the stack's registry): a
    // person decides to trust it, so the run stops here rather than fail in synth.
    return {
      step: 'outputs', state: 'waiting', captured: true, lines,
      next: `the registry's images are cr.yandex/${id}/...: add "cr.yandex/${id}/*" to imagePolicy.signedImages in ${overlayFile(p)}, then run onboard again`,
    };
  }
  return { step: 'outputs', state: same ? 'done' : 'did', captured: true, lines };
}
