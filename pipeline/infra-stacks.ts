// Synth's infrastructure step: the consistency rules over the whole fleet, then the stacks of the
// clusters being rendered, checked before anything is written (infra/, and the management trees
// of the Crossplane and Cluster API clusters: management/<mgmt>/).
import { dirname, join, resolve } from 'node:path';
import { checkInfraConsistency } from '../infra/consistency.js';
import { infraReferenceDir, providerSchemasDir } from '../infra/reference-dirs.js';
import { CLUSTER_API_CRDS, CROSSPLANE_CRDS, checkManagementFiles, loadManagementCrds, type ReferenceCrdSet } from '../infra/management/crds.js';
import { bootstrapParts, managementOf, renderInfra } from '../infra/render.js';
import { ProviderSchemas } from '../infra/tofu/provider-schemas.js';
import type { ClusterSpec } from '../spec/schema.js';
import { formatFinding } from '../validate/finding.js';
import type { OutputFile } from '../writer/types.js';
import { UserError } from '../primitives/errors.js';
import { readClusterSecrets, type SecretFile } from '../secret-store/store.js';
import { MANAGEMENT_SECRETS } from '../secret-store/sops-config.js';
import { loadManagements, managementOverlaysDir, type ManagementSpec } from '../spec/management.js';
import { recipientDrift } from './secrets/fleet.js';

/**
 * The management clusters' own secrets, beside secrets/: `management-secrets/<mgmt>/<namespace>/
 * <name>.enc.yaml` (the management cluster has no overlay, so secrets/ and its audit do not know it).
 */
export function managementSecretsDir(overlaysDir: string): string {
  return join(dirname(resolve(overlaysDir)), MANAGEMENT_SECRETS);
}

/** The management clusters the Crossplane and Cluster API clusters of `specs` name (sorted). */
export function managementsOf(specs: readonly ClusterSpec[]): string[] {
  return [...new Set(specs.flatMap((s) => managementOf(s) ?? []))].sort();
}

/**
 * The stacks of `specs` (dist/infra/<cluster>/), after the consistency rules over `fleet` (every
 * cluster: the fleet-wide claims need them all). Throws a UserError listing every problem; with
 * the reference schemas absent, the stacks are checked for JSON syntax only and a warning says so.
 */
export async function synthInfraStacks(specs: readonly ClusterSpec[], fleet: readonly ClusterSpec[], overlaysDir: string): Promise<{
  files: OutputFile[];
  warnings: string[];
  /** The management clusters whose trees were rendered. */
  managements: string[];
  /** Every management overlay (overlays/management/*.ts), for the .sops.yaml rules. */
  managementSpecs: ManagementSpec[];
}> {
  const consistency = checkInfraConsistency(fleet, (c) => join(overlaysDir, `${c}.ts`));
  if (consistency.problems.length) throw new UserError(consistency.problems);
  const managementSpecs = await loadManagements(overlaysDir);
  const dir = providerSchemasDir(overlaysDir);
  const schemas = ProviderSchemas.load(dir);
  // A management tree is written whole: every cluster it creates, even those not rendered now.
  const managements = managementsOf(specs);
  const rendered = [...specs, ...fleet.filter((f) => !specs.some((s) => s.name === f.name) && managements.includes(managementOf(f) ?? ''))];
  const secretsDir = managementSecretsDir(overlaysDir);
  const credentials = new Map<string, SecretFile[]>();
  const missingCredentials: string[] = [];
  const secretProblems: string[] = [];
  const unchecked: string[] = [];
  for (const mgmt of managements) {
    const r = readClusterSecrets(secretsDir, mgmt);
    secretProblems.push(...r.problems);
    const owner = managementSpecs.find((m) => m.name === mgmt);
    if (owner) for (const f of r.files) secretProblems.push(...[recipientDrift(f, owner, owner.file)].filter((x): x is string => !!x));
    else unchecked.push(mgmt);
    const parts = bootstrapParts(rendered.filter((s) => managementOf(s) === mgmt).sort((a, b) => a.name.localeCompare(b.name)));
    const found: SecretFile[] = [];
    for (const part of parts) {
      const file = r.files.find((f) => f.namespace === part.credentials.namespace && f.name === part.credentials.name);
      if (file) found.push(file);
      else missingCredentials.push(`management cluster ${mgmt}: ${join(secretsDir, mgmt, part.credentials.namespace, `${part.credentials.name}.enc.yaml`)} is missing: ${part.description} has no credentials until it is committed (a SopsSecret with ${part.credentials.holds}, encrypted to the management cluster's age key; ${part.credentials.docs})`);
    }
    credentials.set(mgmt, found);
  }
  if (secretProblems.length) throw new UserError(secretProblems);
  const r = renderInfra(rendered, schemas, { managementCredentials: (m) => credentials.get(m) ?? [] });
  if (r.problems.length || r.findings.length) throw new UserError([...r.problems, ...r.findings.map(formatFinding)]);
  const warnings = [...consistency.warnings];
  if (!schemas && r.files.some((f) => f.path.startsWith('infra/'))) warnings.push(`infra stacks were checked for OpenTofu JSON syntax only: the providers' reference schemas are not in ${dir} (set INFRA_SYNTH_SHARED; CI has them)`);
  if (managements.length) {
    const sets: ReferenceCrdSet[] = [
      ...(rendered.some((s) => s.infra.backend === 'crossplane') ? [CROSSPLANE_CRDS] : []),
      ...(rendered.some((s) => s.infra.backend === 'cluster-api') ? [CLUSTER_API_CRDS] : []),
    ];
    const loaded = loadManagementCrds(infraReferenceDir(overlaysDir), sets);
    const findings = await checkManagementFiles(r.files, loaded.crds, { unchecked: loaded.missing });
    if (findings.length) throw new UserError(findings.map(formatFinding));
    for (const set of loaded.missing) {
      warnings.push(`the management trees (${managements.map((m) => `management/${m}/`).join(', ')}) were not checked against the ${set.name} CRDs: they are not in ${loaded.dirs.get(set)} (set INFRA_SYNTH_SHARED; CI has them)`);
    }
  }
  for (const mgmt of unchecked) {
    warnings.push(`management cluster ${mgmt}: ${join(managementOverlaysDir(overlaysDir), `${mgmt}.ts`)} is missing: the recipients of ${join(secretsDir, mgmt)}/ are not checked and \`infra-synth secrets add ${mgmt} ...\` cannot encrypt for it; add it with its age recipients (export default { secrets: { ageRecipients: [...] } } satisfies ManagementOverlay; docs/infra.md#management-clusters)`);
  }
  warnings.push(...missingCredentials);
  return { files: r.files, warnings, managements, managementSpecs };
}
