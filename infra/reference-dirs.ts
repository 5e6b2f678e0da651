// Where the upstream reference data of the infra checks is: `$INFRA_SYNTH_SHARED/infra/...`, else
// `../shared/infra/...` beside the repository (the folder holding overlays/). Kept apart from
// pipeline/infra-stacks.ts so that `validate` finds the data without loading synth's renderers.
import { dirname, join, resolve } from 'node:path';

function sharedDir(overlaysDir: string): string {
  return resolve(process.env.INFRA_SYNTH_SHARED ?? join(dirname(resolve(overlaysDir)), '..', 'shared'));
}

/** The providers' reference schemas (OpenTofu). */
export function providerSchemasDir(overlaysDir: string): string {
  return join(sharedDir(overlaysDir), 'infra', 'terraform');
}

/** The folder of the infra checks' reference data: crossplane/ and capi/ (CRDs), terraform/ (provider schemas). */
export function infraReferenceDir(overlaysDir: string): string {
  return join(sharedDir(overlaysDir), 'infra');
}
