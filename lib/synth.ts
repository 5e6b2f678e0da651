// The synth pipeline: overlays → cluster specs → charts → validated objects → the rendered tree.
import { renderCluster } from '../charts/cluster.js';
import { UserError } from './errors.js';
import { loadFleet } from '../spec/load.js';
import type { ClusterSpec } from '../spec/schema.js';
import { formatFinding, validateTree } from '../validate/index.js';
import { planTree, writeTree, type OutputFile, type TreeChanges } from '../writer/index.js';

export interface SynthOptions {
  /** Folder of overlay files. @default overlays */
  readonly overlaysDir?: string;
  /** Output root (dist, or an infra-gitops checkout). @default dist */
  readonly outDir?: string;
  /** Render only these clusters; the others' files are left alone. @default - every cluster */
  readonly clusters?: readonly string[];
  /** Report what would change and write nothing. @default false */
  readonly check?: boolean;
}

export interface SynthResult {
  readonly clusters: readonly string[];
  readonly files: number;
  readonly objects: number;
  readonly changes: TreeChanges;
}

/** Renders clusters from specs and validates the result; throws a UserError listing every finding. */
export async function renderFleet(specs: readonly ClusterSpec[]): Promise<{ files: OutputFile[]; objects: number }> {
  const rendered = specs.map(renderCluster);
  const files = rendered.flatMap((r) => r.files);
  const manifests = rendered.flatMap((r) => r.manifests);
  const findings = await validateTree(manifests, files.map((f) => f.path));
  if (findings.length) throw new UserError(findings.map(formatFinding));
  return { files, objects: manifests.length };
}

/** Loads the overlays, renders and validates every cluster, then writes (or checks) the tree. */
export async function synthFleet(opts: SynthOptions = {}): Promise<SynthResult> {
  const specs = await loadFleet(opts.overlaysDir ?? 'overlays', opts.clusters);
  const { files, objects } = await renderFleet(specs);
  const outDir = opts.outDir ?? 'dist';
  const scope = opts.clusters?.length ? specs.map((s) => `clusters/${s.name}/`) : undefined;
  const changes = opts.check ? planTree(outDir, files, { scope }) : writeTree(outDir, files, { scope });
  return { clusters: specs.map((s) => s.name), files: files.length, objects, changes };
}

