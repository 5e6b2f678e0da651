import type { Chart } from 'cdk8s';
import {
  IMAGE_EXEMPTIONS, UPSTREAM_REGISTRIES, allowedImagePrefixes, exemptNamespaces, globPrefix, upstreamRegistriesFor,
} from '../catalog/policy.js';
import { CHARTS } from '../catalog/versions.js';
import type { GroupKind } from '../constructs/app-project.js';
import { ImageVerificationPolicy } from '../constructs/image-verification-policy.js';
import { RegistryPolicy } from '../constructs/registry-policy.js';
import { ResourcePolicy } from '../constructs/resource-policy.js';
import { SopsSecretPolicy } from '../constructs/sops-secret-policy.js';
import type { ClusterSpec } from '../spec/schema.js';
import { WAVES, type ClusterFacts, type PlatformComponent } from './component.js';

export const KYVERNO_NAMESPACE = 'kyverno';

/** The CEL-era policy kinds (Kyverno ≥ 1.17); the deprecated ClusterPolicy is not rendered. */
export const POLICY_KINDS: readonly GroupKind[] = [
  { group: 'policies.kyverno.io', kind: 'ImageValidatingPolicy' },
  { group: 'policies.kyverno.io', kind: 'ValidatingPolicy' },
];

/** Names of the rendered policies. */
export const POLICIES = {
  signatures: 'verify-image-signatures',
  registries: 'restrict-image-registries',
  resources: 'require-requests-limits',
  sopsSecrets: 'restrict-sops-secrets',
} as const;

/** The argo-cd chart's application controller ServiceAccount (release `argocd`, charts/argocd.ts). */
const ARGOCD_CONTROLLER_ACCOUNT = 'argocd-application-controller';

/**
 * Kyverno from its pinned chart, and the cluster's supply-chain policies one wave later (they need
 * the policies.kyverno.io CRDs and a running admission controller):
 * - image signatures (and SBOM attestations) for the company's images, from `imagePolicy`;
 * - images from allowed registries only (the company's and the charts' upstream ones);
 * - requests and memory limits on every workload outside the platform's namespaces.
 * All three enforce or audit together, by `imagePolicy.action` (Enforce in prod and stage); the
 * image policies have twins on `kubectl debug` requests. And, always enforced:
 * - SopsSecrets only from the platform Argo CD and only in platform namespaces (SopsSecretPolicy).
 */
export function kyvernoComponent(spec: ClusterSpec): PlatformComponent {
  // Stage enforces like prod: with failurePolicy Fail a single admission replica would block every
  // pod while it restarts, so both run Kyverno's HA count (3: leader election plus one spare).
  const ha = spec.environment !== 'dev';
  const controllers = ha ? 2 : 1;
  return {
    name: 'kyverno',
    namespace: KYVERNO_NAMESPACE,
    helm: {
      chart: CHARTS.kyverno,
      wave: WAVES.operators,
      // The policies.kyverno.io CRDs exceed the client-side last-applied annotation; Kyverno's docs
      // recommend server-side apply over Replace.
      serverSideApply: true,
      ignoreDifferences: [
        // Aggregated ClusterRoles: their rules are filled in by the aggregation controller.
        { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole', managedFieldsManagers: ['clusterrole-aggregation-controller'] },
        // Kyverno updates its own CRDs at start-up (labels, conversion settings).
        { group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition', managedFieldsManagers: ['kyverno'] },
      ],
      values: {
        crds: { install: true },
        admissionController: {
          replicas: ha ? 3 : 1,
          // Drains take one replica at a time: two keep answering (the webhook fails closed when enforcing).
          podDisruptionBudget: ha ? { enabled: true, minAvailable: 2 } : { enabled: false },
        },
        backgroundController: { replicas: controllers },
        cleanupController: { replicas: controllers },
        reportsController: { replicas: controllers },
        config: {
          // No webhook call for the control plane's and Kyverno's own pods: a broken policy or a
          // Kyverno outage must not stop them from recovering.
          webhooks: {
            namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['kube-system', KYVERNO_NAMESPACE] }] },
          },
          excludeKyvernoNamespace: true,
          // This list REMOVES namespaces from Kyverno's default resource filters (which already skip
          // kube-system, kube-public and kube-node-lease): it stays empty on purpose.
          resourceFiltersExcludeNamespaces: [],
        },
        features: {
          // Exemptions are reviewed in catalog/policy.ts, not created in the cluster by anyone.
          policyExceptions: { enabled: false },
          // Respect each policy's failurePolicy (Fail when enforcing).
          forceFailurePolicyIgnore: { enabled: false },
        },
      },
    },
    addObjects: addPolicies,
    // The registry allowlist holds the reviewed registries of the images the cluster runs.
    readsClusterImages: true,
    objectsWave: WAVES.operatorsExtras,
    // The policy CRDs arrive with the chart in the wave before.
    objectsSyncOptions: ['SkipDryRunOnMissingResource=true'],
  };
}

function addPolicies(chart: Chart, spec: ClusterSpec, cluster?: ClusterFacts): void {
  const p = spec.imagePolicy;
  const signer = p.signer.mode === 'keyless'
    ? { keyless: p.signer.keyless!, rekorURL: p.signer.rekorURL }
    : { publicKey: p.signer.publicKey!, rekorURL: p.signer.rekorURL, ignoreTlog: p.signer.ignoreTlog };
  new ImageVerificationPolicy(chart, POLICIES.signatures, {
    images: p.signedImages,
    signer,
    action: p.action,
    requireSbom: p.sbom,
    requireDigest: p.requireDigest,
    excludeNamespaces: exemptNamespaces('signatures'),
    exemptions: [
      ...IMAGE_EXEMPTIONS.map((e) => ({ ...e, source: 'catalog/policy.ts' })),
      ...p.exemptions.map((e, i) => ({ ...e, source: `imagePolicy.exemptions[${i}]` })),
    ],
  });
  new RegistryPolicy(chart, POLICIES.registries, {
    // Without the cluster's images (a policy rendered on its own), every reviewed registry.
    allowedPrefixes: allowedImagePrefixes([
      ...p.signedImages.map(globPrefix),
      ...(cluster ? upstreamRegistriesFor(cluster.images) : UPSTREAM_REGISTRIES).map((r) => r.prefix),
    ]),
    action: p.action,
    excludeNamespaces: exemptNamespaces('registries'),
  });
  new ResourcePolicy(chart, POLICIES.resources, {
    action: p.action,
    excludeNamespaces: exemptNamespaces('resources', [spec.argocd.namespace]),
  });
  new SopsSecretPolicy(chart, POLICIES.sopsSecrets, {
    // Without the cluster's components (a policy rendered on its own), Argo CD's namespace only.
    namespaces: cluster?.platformNamespaces ?? [spec.argocd.namespace],
    writer: { namespace: spec.argocd.namespace, name: ARGOCD_CONTROLLER_ACCOUNT },
  });
}
