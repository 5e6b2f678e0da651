import type { Manifest } from '../lib/manifests.js';
import { checkFleetRules } from './fleet-rules.js';
import type { Finding } from './finding.js';

export { formatFinding, type Finding } from './finding.js';

/**
 * Validates a rendered tree: every object against the schema of its kind, then the fleet rules.
 * `files` lists every file of the tree (for rules about folders).
 */
export async function validateTree(manifests: readonly Manifest[], files: Iterable<string>): Promise<Finding[]> {
  return [...checkFleetRules(manifests, files)];
}
