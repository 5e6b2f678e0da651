// The per-cluster half of synth: render, carry secrets, validate schemas and per-cluster rules.
// It runs in-process, or in worker threads for large fleets (lib/render-shards.ts); both give
// the same bytes, since clusters are independent.
import { renderCluster } from '../charts/cluster.js';
import type { ClusterSpec } from '../spec/schema.js';
import { checkFleetRules, fleetWideKinds } from '../validate/fleet-rules.js';
import type { Finding } from '../validate/finding.js';
import { validateSchemas } from '../validate/schema.js';
import type { OutputFile } from '../writer/index.js';
import type { Manifest } from './manifests.js';
import { fleetSecrets } from './secrets/fleet.js';

export interface BatchOptions {
  /** Folder of encrypted secrets; without it the clusters are rendered without their secrets. */
  readonly secretsDir?: string;
}

export interface BatchResult {
  readonly files: OutputFile[];
  /** Problems with the inputs (secrets), one line each. */
  readonly problems: string[];
  /** Secrets the components read that are not there yet (see FleetSecrets.missing). */
  readonly warnings: string[];
  /** Schema errors, or (when there are none) per-cluster fleet rule findings. */
  readonly findings: Finding[];
  /** The objects fleet-wide rules read (see FleetWideRule.kinds). */
  readonly wide: Manifest[];
  readonly objects: number;
}

/** Renders and checks a batch of clusters; nothing here looks across clusters. */
export async function renderBatch(specs: readonly ClusterSpec[], opts: BatchOptions = {}): Promise<BatchResult> {
  const rendered = specs.map(renderCluster);
  // Encrypted secrets are carried byte for byte, after key-free checks (lib/secrets/fleet.ts).
  const secrets = opts.secretsDir ? fleetSecrets(specs, opts.secretsDir) : { files: [], manifests: [], problems: [], missing: [] };
  const files = [...rendered.flatMap((r) => r.files), ...secrets.files];
  const manifests = [...rendered.flatMap((r) => r.manifests), ...secrets.manifests];
  const schemaErrors = await validateSchemas(manifests);
  // Rules read objects the schemas passed, so that a rule never trips over a malformed object.
  const findings = schemaErrors.length ? schemaErrors : checkFleetRules(manifests, files.map((f) => f.path), undefined, {});
  const wideKinds = fleetWideKinds();
  return {
    files,
    problems: secrets.problems,
    warnings: secrets.missing,
    findings,
    wide: manifests.filter((m) => wideKinds.has(String(m.object.kind))),
    objects: manifests.length,
  };
}
