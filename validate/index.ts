import type { Manifest } from '../primitives/manifests.js';
import { checkFleetRules } from './fleet-rules.js';
import type { Finding } from './finding.js';
import { validateSchemas, type SchemaOptions } from './schema.js';

export { formatFinding, type Finding } from './finding.js';

/**
 * Validates a rendered tree: every object against the schema of its kind, then the fleet rules.
 * `files` lists every file of the tree (for rules about folders). Fleet rules read objects the
 * schemas have passed, so that a rule never trips over a malformed object: with schema errors,
 * only those are reported.
 */
export async function validateTree(manifests: readonly Manifest[], files: Iterable<string>, options: SchemaOptions = {}): Promise<Finding[]> {
  const schemaErrors = await validateSchemas(manifests, options);
  if (schemaErrors.length) return schemaErrors;
  return checkFleetRules(manifests, files);
}
