import { z } from 'zod';
import { KUBERNETES_VERSIONS } from '../validate/generated/k8s-versions.js';
import type { Cloud } from './schema.js';

// The Kubernetes version of a cluster's control plane. It picks what synth validates against
// (validate/k8s-versions.ts: apiVersions and fields that version lacks are errors) and is the
// `.Capabilities.KubeVersion` the charts are rendered with (kubeVersionOf).

/**
 * `MAJOR.MINOR`, a string (`'1.33'`; the number 1.30 would be 1.3): one of the versions
 * validate/generated has schemas for (1.28 … 1.36, from ../shared/schemas). Managed clouds pick
 * the patch release themselves, so the overlay names the minor version only.
 */
export const kubernetesVersionSchema = z.enum(KUBERNETES_VERSIONS as [string, ...string[]]);

/**
 * The default version per cloud: what each cloud's managed Kubernetes offers new clusters in
 * December 2026. (U) marks what could not be checked against the cloud's own documentation
 * (its version table was not reachable); check it there before relying on it.
 * The pinned charts need at least 1.31: linkerd's edge chart declares kubeVersion >=1.31, and
 * cert-manager 1.21's and Kyverno 1.19's CRDs use selectableFields (honoured by default from 1.31).
 */
export const DEFAULT_KUBERNETES_VERSIONS = {
  /** Yandex Managed Service for Kubernetes, REGULAR release channel (U). */
  yandex: '1.33',
  /** Cloud.ru (SberCloud) Evolution Managed Kubernetes (U). */
  sber: '1.32',
  /** VK Cloud Containers, second-generation (managed) clusters (U). */
  vk: '1.32',
  /**
   * Our choice for kubeadm clusters in the company's data centres: a release in upstream support
   * in December 2026 (1.35: December 2025 to about February 2027), one behind the newest.
   */
  onprem: '1.35',
} as const satisfies Record<Cloud, string>;

/**
 * The full semantic version a cluster reports, for Helm's `.Capabilities.KubeVersion`
 * (`kubeVersion` of the chart renderer) and charts' `kubeVersion` constraints: `1.33` → `1.33.0`.
 * The patch is 0: the overlay names no patch, and no pinned chart's constraint looks at it.
 */
export function kubeVersionOf(spec: { readonly kubernetesVersion: string }): string {
  return `${spec.kubernetesVersion}.0`;
}
