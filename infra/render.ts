// The fleet's infrastructure stacks: spec → stack (from-spec.ts) → the overlay's backend → files,
// each stack checked against the JSON-syntax rules and, when the reference schemas are at hand,
// against the providers' schemas. Called by lib/synth.ts.
import type { ClusterSpec } from '../spec/schema.js';
import type { OutputFile } from '../writer/types.js';
import type { InfraBackend, NotAutomated } from './backend.js';
import { stackFromSpec } from './from-spec.js';
import { InfraPropError } from './model.js';
import { OpenTofuBackend } from './tofu/backend.js';
import type { ProviderSchemas } from './tofu/provider-schemas.js';
import { checkStack } from './validate-tree.js';
import type { Finding } from '../validate/finding.js';

/** The backends an overlay's `infra.backend` selects (a Crossplane backend joins here). */
export const BACKENDS: Readonly<Record<string, InfraBackend>> = { opentofu: new OpenTofuBackend() };

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
export function renderInfra(specs: readonly ClusterSpec[], schemas?: ProviderSchemas): InfraFleetRender {
  const files: OutputFile[] = [];
  const notAutomated = new Map<string, readonly NotAutomated[]>();
  const problems: string[] = [];
  const findings: Finding[] = [];
  for (const spec of specs) {
    let stackFiles: OutputFile[];
    try {
      const stack = stackFromSpec(spec);
      if (!stack) continue;
      const r = BACKENDS[spec.infra.backend].render(stack);
      stackFiles = r.files;
      notAutomated.set(spec.name, r.notAutomated);
    } catch (e) {
      if (e instanceof InfraPropError) { problems.push(`${spec.name}: ${e.message}`); continue; }
      throw e;
    }
    findings.push(...checkStack(spec.name, stackFiles, schemas));
    files.push(...stackFiles);
  }
  return { files, notAutomated, problems, findings };
}
