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
    overlay: withAlertReceiver({
      cloud: 'vk', environment: 'prod', domain: 'prod.company.ru',
      secrets: { ageRecipients: ['age190vd7ndvmhuc23dvgfpznujeuwufj92f0lpajhlfl52rky3kdprsnqz0pm'] },
      ...overlay,
    }),
  });
  if (!r.spec) throw new Error(r.problems.join('\n'));
  return r.spec;
}

/** A webhook receiver needing no Secret, the least a prod cluster must name for its alerts. */
export const TEST_ALERT_RECEIVER = { name: 'oncall', webhook: { url: 'https://oncall.company.ru/alertmanager' } };

/**
 * The overlay with an alert receiver when it names none: synth refuses a prod cluster whose alerts
 * reach nobody, which is not what most tests are about.
 */
export function withAlertReceiver<T extends Record<string, any>>(overlay: T): T {
  const observability = (overlay.observability ?? {}) as Record<string, any>;
  if (observability.alertmanager?.receivers) return overlay;
  return { ...overlay, observability: { ...observability, alertmanager: { ...(observability.alertmanager ?? {}), receivers: [TEST_ALERT_RECEIVER] } } };
}
