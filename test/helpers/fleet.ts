import { join } from 'node:path';
import { resolveCluster } from '../../spec/load.js';
import type { ClusterSpec } from '../../spec/schema.js';

export const REPO_ROOT = join(import.meta.dirname, '..', '..');
export const EXAMPLE_OVERLAYS = join(REPO_ROOT, 'overlays');

/** A receiver for test overlays: a prod cluster must alert someone (spec/observability.ts). */
export const TEST_ALERT_RECEIVER = { name: 'platform', webhook: { url: 'https://alerts.company.ru/hook' } };

/** The overlay with TEST_ALERT_RECEIVER when it is prod (the default) and names no receivers of its own. */
export function withTestReceiver(overlay: Record<string, any>): Record<string, any> {
  if ((overlay.environment ?? 'prod') !== 'prod' || overlay.observability?.alertmanager?.receivers) return overlay;
  const o = overlay.observability ?? {};
  return { ...overlay, observability: { ...o, alertmanager: { ...o.alertmanager, receivers: [TEST_ALERT_RECEIVER] } } };
}

/** A valid spec from a minimal overlay plus overrides (defaults applied), for chart tests. */
export function specFor(overlay: Record<string, unknown> = {}, name = 'c1'): ClusterSpec {
  const r = resolveCluster({
    name,
    file: `overlays/${name}.ts`,
    overlay: withTestReceiver({
      cloud: 'vk', environment: 'prod', domain: 'prod.company.ru',
      secrets: { ageRecipients: ['age190vd7ndvmhuc23dvgfpznujeuwufj92f0lpajhlfl52rky3kdprsnqz0pm'] },
      ...overlay,
    }),
  });
  if (!r.spec) throw new Error(r.problems.join('\n'));
  return r.spec;
}
