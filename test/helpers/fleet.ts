import { join } from 'node:path';
import { resolveCluster } from '../../spec/load.js';
import type { ClusterSpec } from '../../spec/schema.js';

export const REPO_ROOT = join(import.meta.dirname, '..', '..');
export const EXAMPLE_OVERLAYS = join(REPO_ROOT, 'overlays');

/** A valid spec from a minimal overlay plus overrides (defaults applied), for chart tests. */
export function specFor(overlay: Record<string, unknown> = {}, name = 'c1'): ClusterSpec {
  const r = resolveCluster({
    name,
    file: `overlays/${name}.ts`,
    overlay: {
      cloud: 'vk', environment: 'prod', domain: 'prod.company.ru',
      secrets: { ageRecipients: ['age190vd7ndvmhuc23dvgfpznujeuwufj92f0lpajhlfl52rky3kdprsnqz0pm'] },
      ...overlay,
    },
  });
  if (!r.spec) throw new Error(r.problems.join('\n'));
  return r.spec;
}
