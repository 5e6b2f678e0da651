// Synth's infrastructure step: the consistency rules over the whole fleet, then the stacks of the
// clusters being rendered, checked before anything is written (infra/).
import { dirname, join, resolve } from 'node:path';
import { checkInfraConsistency } from '../infra/consistency.js';
import { renderInfra } from '../infra/render.js';
import { ProviderSchemas } from '../infra/tofu/provider-schemas.js';
import type { ClusterSpec } from '../spec/schema.js';
import { formatFinding } from '../validate/finding.js';
import type { OutputFile } from '../writer/types.js';
import { UserError } from './errors.js';

/**
 * Where the providers' reference schemas are: `$INFRA_SYNTH_SHARED/infra/terraform`, else
 * `../shared/infra/terraform` beside the repository (the folder holding overlays/).
 */
export function providerSchemasDir(overlaysDir: string): string {
  const shared = process.env.INFRA_SYNTH_SHARED ?? join(dirname(resolve(overlaysDir)), '..', 'shared');
  return join(resolve(shared), 'infra', 'terraform');
}

/**
 * The stacks of `specs` (dist/infra/<cluster>/), after the consistency rules over `fleet` (every
 * cluster: the fleet-wide claims need them all). Throws a UserError listing every problem; with
 * the reference schemas absent, the stacks are checked for JSON syntax only and a warning says so.
 */
export function synthInfraStacks(specs: readonly ClusterSpec[], fleet: readonly ClusterSpec[], overlaysDir: string): { files: OutputFile[]; warnings: string[] } {
  const consistency = checkInfraConsistency(fleet, (c) => join(overlaysDir, `${c}.ts`));
  if (consistency.problems.length) throw new UserError(consistency.problems);
  const dir = providerSchemasDir(overlaysDir);
  const schemas = ProviderSchemas.load(dir);
  const r = renderInfra(specs, schemas);
  if (r.problems.length || r.findings.length) throw new UserError([...r.problems, ...r.findings.map(formatFinding)]);
  const warnings = [...consistency.warnings];
  if (!schemas && r.files.length) warnings.push(`infra stacks were checked for OpenTofu JSON syntax only: the providers' reference schemas are not in ${dir} (set INFRA_SYNTH_SHARED; CI has them)`);
  return { files: r.files, warnings };
}
