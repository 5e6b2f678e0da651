// The fleet's infrastructure stacks: spec → stack (from-spec.ts) → the overlay's backend → files,
// each stack checked against the JSON-syntax rules and, when the reference schemas are at hand,
// against the providers' schemas. Called by pipeline/synth.ts.
import type { ClusterSpec } from '../spec/schema.js';
import type { OutputFile } from '../writer/types.js';
import type { InfraBackend, NotAutomated } from './backend.js';
import { stackFromSpec } from './from-spec.js';
import { InfraPropError } from './model.js';
import { ClusterApiBackend } from './capi/backend.js';
import { clusterApiBootstrap } from './capi/management.js';
import { CrossplaneBackend } from './crossplane/backend.js';
import { crossplaneBootstrap } from './crossplane/management.js';
import { managementBootstrap, type BootstrapPart } from './management/bootstrap.js';
import { OpenTofuBackend } from './tofu/backend.js';
import type { ProviderSchemas } from './tofu/provider-schemas.js';
import { checkStack } from './validate-tree.js';
import type { Finding } from '../validate/finding.js';
import type { SecretFile } from '../secret-store/store.js';

/** The backends an overlay's `infra.backend` selects; those of a management cluster read the spec's Git source. */
function backendOf(spec: ClusterSpec): InfraBackend {
  if (spec.infra.backend === 'crossplane') return new CrossplaneBackend(() => spec.gitops);
  if (spec.infra.backend === 'cluster-api') return new ClusterApiBackend(() => spec.gitops);
  return new OpenTofuBackend();
}

/** The management cluster that creates the cluster's infrastructure, if its backend runs on one. */
export function managementOf(spec: ClusterSpec): string | undefined {
  return (spec.infra.backend === 'crossplane' || spec.infra.backend === 'cluster-api') ? spec.infra.management : undefined;
}

export interface InfraRenderOptions {
  /** The committed credentials of a management cluster's providers (SopsSecrets), when there are some. */
  readonly managementCredentials?: (mgmt: string) => readonly SecretFile[];
}

export interface InfraFleetRender {
  readonly files: OutputFile[];
  /** Per cluster, what its stack leaves to a person. */
  readonly notAutomated: ReadonlyMap<string, readonly NotAutomated[]>;
  /** Construct props a mapping refused, one line each. */
  readonly problems: string[];
  /** The stacks' JSON-syntax and provider-schema findings. */
  readonly findings: Finding[];
}

/**
 * Renders the stacks of `specs` (clusters with backend `none` have none). With `schemas`, every
 * provider and resource block is checked against the providers' documented schemas.
 */
export function renderInfra(specs: readonly ClusterSpec[], schemas?: ProviderSchemas, opts: InfraRenderOptions = {}): InfraFleetRender {
  const files: OutputFile[] = [];
  const notAutomated = new Map<string, readonly NotAutomated[]>();
  const problems: string[] = [];
  const findings: Finding[] = [];
  for (const spec of specs) {
    let stackFiles: OutputFile[];
    try {
      const stack = stackFromSpec(spec);
      if (!stack) continue;
      const r = backendOf(spec).render(stack);
      stackFiles = r.files;
      notAutomated.set(spec.name, r.notAutomated);
    } catch (e) {
      if (e instanceof InfraPropError) { problems.push(`${spec.name}: ${e.message}`); continue; }
      throw e;
    }
    findings.push(...checkStack(spec.name, stackFiles, schemas));
    files.push(...stackFiles);
  }
  files.push(...renderManagementBootstraps(specs, problems, opts));
  return { files, notAutomated, problems, findings };
}

/** The shared bootstrap of each management cluster the clusters of `specs` name. */
function renderManagementBootstraps(specs: readonly ClusterSpec[], problems: string[], opts: InfraRenderOptions): OutputFile[] {
  const byMgmt = new Map<string, ClusterSpec[]>();
  for (const s of specs) {
    const mgmt = managementOf(s);
    if (mgmt) byMgmt.set(mgmt, [...byMgmt.get(mgmt) ?? [], s]);
  }
  const files: OutputFile[] = [];
  for (const [mgmt, clusters] of [...byMgmt].sort(([a], [b]) => a.localeCompare(b))) {
    const sorted = [...clusters].sort((a, b) => a.name.localeCompare(b.name));
    const git = sorted[0].gitops;
    const other = sorted.find((s) => s.gitops.repoURL !== git.repoURL || s.gitops.targetRevision !== git.targetRevision);
    if (other) {
      problems.push(`${other.name}: infra.management: management cluster "${mgmt}" reads one tree, ${git.repoURL}@${git.targetRevision} (cluster ${sorted[0].name}), but this cluster's gitops is ${other.gitops.repoURL}@${other.gitops.targetRevision}; the clusters a management cluster creates share their gitops repository and revision`);
      continue;
    }
    files.push(...managementBootstrap({ mgmt, clusters: sorted.map((s) => s.name), git: { repoURL: git.repoURL, targetRevision: git.targetRevision }, parts: bootstrapParts(sorted), credentials: opts.managementCredentials?.(mgmt) }));
  }
  return files;
}

/** The backends' parts of a management cluster's bootstrap, for the clusters it creates (sorted). */
export function bootstrapParts(clusters: readonly ClusterSpec[]): BootstrapPart[] {
  const capi = clusters.filter((s) => s.infra.backend === 'cluster-api').map((s) => s.name);
  return [
    ...(clusters.some((s) => s.infra.backend === 'crossplane') ? [crossplaneBootstrap()] : []),
    ...(capi.length ? [clusterApiBootstrap(capi)] : []),
  ];
}
