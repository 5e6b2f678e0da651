import { KUBERNETES_VERSION_ANNOTATION } from '../primitives/annotations.js';
import type { Manifest } from '../primitives/manifests.js';
import { KUBERNETES_VERSIONS, OLDEST_KUBERNETES_VERSION, isKnownVersion } from './k8s-versions.js';

export interface RecordedVersions {
  /** Cluster name → the Kubernetes version (MAJOR.MINOR) its tree records. */
  readonly versions: ReadonlyMap<string, string>;
  /**
   * One line per cluster that records no usable version (it is then validated for
   * OLDEST_KUBERNETES_VERSION, validateSchemas' default), naming the file and what to do.
   */
  readonly warnings: string[];
}

/**
 * The Kubernetes version each cluster of a rendered tree was rendered for: synth records it on
 * the cluster's root Application in `bootstrap/` (KUBERNETES_VERSION_ANNOTATION), so that
 * validating the tree alone (`infra-synth validate DIR`) checks each cluster for its own version.
 */
export function recordedKubernetesVersions(manifests: readonly Manifest[]): RecordedVersions {
  const versions = new Map<string, string>();
  const warnings: string[] = [];
  const clusters = [...new Set(manifests.flatMap((m) => (m.cluster !== undefined ? [m.cluster] : [])))].sort();
  for (const cluster of clusters) {
    const carrier = manifests.find((m) => m.cluster === cluster && m.file.startsWith(`clusters/${cluster}/bootstrap/`)
      && m.object.kind === 'Application' && m.object.metadata?.annotations?.[KUBERNETES_VERSION_ANNOTATION] !== undefined);
    const fallback = `validated for Kubernetes ${OLDEST_KUBERNETES_VERSION}, the oldest with schemas`;
    if (!carrier) {
      warnings.push(`clusters/${cluster}: records no Kubernetes version (annotation ${KUBERNETES_VERSION_ANNOTATION} on the root Application in bootstrap/); ${fallback} — render the tree with the current synth to record it`);
      continue;
    }
    const value = carrier.object.metadata.annotations[KUBERNETES_VERSION_ANNOTATION];
    if (typeof value === 'string' && isKnownVersion(value)) versions.set(cluster, value);
    else warnings.push(`${carrier.file}: .metadata.annotations["${KUBERNETES_VERSION_ANNOTATION}"]: ${JSON.stringify(value)} is not a Kubernetes version with schemas (one of ${KUBERNETES_VERSIONS.join(', ')}); ${fallback}`);
  }
  return { versions, warnings };
}
