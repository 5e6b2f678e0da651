import type { TreeObject } from './tree.js';

/**
 * Which clusters are production, so that their changes are read first. The rule:
 * a cluster is prod when its name contains `prod` (`prod-eu-1`, `yc-production`; `preprod`
 * too — listing a staging cluster early costs nothing, missing a prod one does), or when any of
 * its Argo CD `Application` or `Namespace` objects, on either side, carries the label
 * `env: prod` (or `<prefix>/env: prod`, e.g. `platform.example.com/env: prod`).
 */
export function prodClusters(objects: Iterable<TreeObject>, clusterNames: Iterable<string>): Set<string> {
  const prod = new Set<string>();
  for (const name of clusterNames) if (name.toLowerCase().includes('prod')) prod.add(name);
  for (const o of objects) {
    if (prod.has(o.cluster) || (o.kind !== 'Application' && o.kind !== 'Namespace')) continue;
    const labels = o.object.metadata?.labels;
    if (labels && typeof labels === 'object' && Object.entries(labels).some(([k, v]) => isEnvLabel(k) && v === 'prod')) {
      prod.add(o.cluster);
    }
  }
  return prod;
}

function isEnvLabel(key: string): boolean {
  return key === 'env' || key.endsWith('/env');
}
