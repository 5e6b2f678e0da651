// The synth pipeline: overlays → cluster specs → charts → validated objects → the rendered tree.
import { renderCluster } from '../charts/cluster.js';
import { UserError } from './errors.js';
import { loadFleet } from '../spec/load.js';
import type { ClusterSpec } from '../spec/schema.js';
import { formatFinding, validateTree } from '../validate/index.js';
import { planTree, writeTree, type OutputFile, type TreeChanges } from '../writer/index.js';
import { fleetSecrets } from './secrets/fleet.js';
import { SOPS_CONFIG, refreshCommittedSopsConfig, renderSopsConfig } from './secrets/sops-config.js';
import { defaultSecretsDir } from './secrets/store.js';

export interface SynthOptions {
  /** Folder of overlay files. @default overlays */
  readonly overlaysDir?: string;
  /** Output root (dist, or an infra-gitops checkout). @default dist */
  readonly outDir?: string;
  /** Render only these clusters; the others' files are left alone. @default - every cluster */
  readonly clusters?: readonly string[];
  /** Report what would change and write nothing. @default false */
  readonly check?: boolean;
  /** Folder of encrypted secrets, `<cluster>/<namespace>/<name>.enc.yaml`. @default - `secrets` next to overlaysDir */
  readonly secretsDir?: string;
}

export interface SynthResult {
  readonly clusters: readonly string[];
  readonly files: number;
  readonly objects: number;
  readonly changes: TreeChanges;
  /** Source files synth keeps fresh (the committed .sops.yaml) that it changed, or with check would change. */
  readonly sources: readonly string[];
}

/**
 * Renders clusters from specs and validates the result; throws a UserError listing every finding.
 * With `secretsDir`, each cluster's encrypted secrets are checked (key-free) and added.
 */
export async function renderFleet(specs: readonly ClusterSpec[], opts: { secretsDir?: string } = {}): Promise<{ files: OutputFile[]; objects: number }> {
  const rendered = specs.map(renderCluster);
  // Encrypted secrets are carried byte for byte, after key-free checks (lib/secrets/fleet.ts);
  // without a secrets folder (chart tests) the clusters are rendered without their secrets.
  const secrets = opts.secretsDir ? fleetSecrets(specs, opts.secretsDir) : { files: [], manifests: [], problems: [] };
  if (secrets.problems.length) throw new UserError(secrets.problems);
  const files = [...rendered.flatMap((r) => r.files), ...secrets.files];
  const manifests = [...rendered.flatMap((r) => r.manifests), ...secrets.manifests];
  const findings = await validateTree(manifests, files.map((f) => f.path));
  if (findings.length) throw new UserError(findings.map(formatFinding));
  return { files, objects: manifests.length };
}

/** Loads the overlays, renders and validates every cluster, then writes (or checks) the tree. */
export async function synthFleet(opts: SynthOptions = {}): Promise<SynthResult> {
  const overlaysDir = opts.overlaysDir ?? 'overlays';
  const secretsDir = opts.secretsDir ?? defaultSecretsDir(overlaysDir);
  const specs = await loadFleet(overlaysDir, opts.clusters);
  const { files, objects } = await renderFleet(specs, { secretsDir });
  const outDir = opts.outDir ?? 'dist';
  const scope = opts.clusters?.length ? specs.map((s) => `clusters/${s.name}/`) : undefined;
  // The .sops.yaml files hold every cluster's rule: only a whole-fleet run can write them.
  if (!scope) files.push({ path: SOPS_CONFIG, content: renderSopsConfig(specs) });
  const changes = opts.check ? planTree(outDir, files, { scope }) : writeTree(outDir, files, { scope });
  const stale = scope ? undefined : refreshCommittedSopsConfig(specs, secretsDir, !!opts.check);
  return { clusters: specs.map((s) => s.name), files: files.length, objects, changes, sources: stale ? [stale] : [] };
}

