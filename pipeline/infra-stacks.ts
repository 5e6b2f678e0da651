// Synth's infrastructure step: the consistency rules over the whole fleet, then the stacks of the
// clusters being rendered, checked before anything is written (infra/, and the management trees
// of the Crossplane clusters: management/<mgmt>/).
import { dirname, join, resolve } from 'node:path';
import { checkInfraConsistency } from '../infra/consistency.js';
import { crossplaneCrdsDir, providerSchemasDir } from '../infra/reference-dirs.js';
import { checkManagementFiles, loadCrossplaneCrds } from '../infra/crossplane/crds.js';
import { PROVIDER_CREDENTIALS } from '../infra/crossplane/management.js';
import { renderInfra } from '../infra/render.js';
import { ProviderSchemas } from '../infra/tofu/provider-schemas.js';
import type { ClusterSpec } from '../spec/schema.js';
import { formatFinding } from '../validate/finding.js';
import type { OutputFile } from '../writer/types.js';
import { UserError } from '../primitives/errors.js';
import { readClusterSecrets, type SecretFile } from '../secret-store/store.js';

/**
 * The management clusters' own secrets, beside secrets/: `management-secrets/<mgmt>/<namespace>/
 * <name>.enc.yaml` (the management cluster has no overlay, so secrets/ and its audit do not know it).
 */
export function managementSecretsDir(overlaysDir: string): string {
  return join(dirname(resolve(overlaysDir)), 'management-secrets');
}

/** The management clusters the Crossplane clusters of `specs` name (sorted). */
export function managementsOf(specs: readonly ClusterSpec[]): string[] {
  return [...new Set(specs.flatMap((s) => (s.infra.backend === 'crossplane' && s.infra.management ? [s.infra.management] : [])))].sort();
}

/**
 * The stacks of `specs` (dist/infra/<cluster>/), after the consistency rules over `fleet` (every
 * cluster: the fleet-wide claims need them all). Throws a UserError listing every problem; with
 * the reference schemas absent, the stacks are checked for JSON syntax only and a warning says so.
 */
export async function synthInfraStacks(specs: readonly ClusterSpec[], fleet: readonly ClusterSpec[], overlaysDir: string): Promise<{ files: OutputFile[]; warnings: string[]; managements: string[] }> {
  const consistency = checkInfraConsistency(fleet, (c) => join(overlaysDir, `${c}.ts`));
  if (consistency.problems.length) throw new UserError(consistency.problems);
  const dir = providerSchemasDir(overlaysDir);
  const schemas = ProviderSchemas.load(dir);
  // A management tree is written whole: every cluster it creates, even those not rendered now.
  const managements = managementsOf(specs);
  const rendered = [...specs, ...fleet.filter((f) => !specs.some((s) => s.name === f.name) && managements.includes(f.infra.management ?? ''))];
  const secretsDir = managementSecretsDir(overlaysDir);
  const credentials = new Map<string, SecretFile | undefined>();
  const secretProblems: string[] = [];
  for (const mgmt of managements) {
    const r = readClusterSecrets(secretsDir, mgmt);
    secretProblems.push(...r.problems);
    credentials.set(mgmt, r.files.find((f) => f.namespace === PROVIDER_CREDENTIALS.namespace && f.name === PROVIDER_CREDENTIALS.name));
  }
  if (secretProblems.length) throw new UserError(secretProblems);
  const r = renderInfra(rendered, schemas, { managementCredentials: (m) => credentials.get(m) });
  if (r.problems.length || r.findings.length) throw new UserError([...r.problems, ...r.findings.map(formatFinding)]);
  const warnings = [...consistency.warnings];
  if (!schemas && r.files.some((f) => f.path.startsWith('infra/'))) warnings.push(`infra stacks were checked for OpenTofu JSON syntax only: the providers' reference schemas are not in ${dir} (set INFRA_SYNTH_SHARED; CI has them)`);
  if (managements.length) {
    const crdsDir = crossplaneCrdsDir(overlaysDir);
    const crds = loadCrossplaneCrds(crdsDir);
    if (crds) {
      const findings = await checkManagementFiles(r.files, crds);
      if (findings.length) throw new UserError(findings.map(formatFinding));
    } else {
      warnings.push(`the management trees (${managements.map((m) => `management/${m}/`).join(', ')}) were not checked against the Crossplane CRDs: they are not in ${crdsDir} (set INFRA_SYNTH_SHARED; CI has them)`);
    }
  }
  for (const [mgmt, file] of credentials) {
    if (!file) {
      warnings.push(`management cluster ${mgmt}: ${join(secretsDir, mgmt, PROVIDER_CREDENTIALS.namespace, `${PROVIDER_CREDENTIALS.name}.enc.yaml`)} is missing: the provider has no credentials until it is committed (a SopsSecret with the service account's authorized key under "${PROVIDER_CREDENTIALS.key}", encrypted to the management cluster's age key; docs/infra.md#crossplane-on-a-management-cluster)`);
    }
  }
  return { files: r.files, warnings, managements };
}
