// The reviewed lists of the supply-chain policy, in one place: which registries images may come
// from, which images the tool writes without a signature of ours, and which namespaces the
// policies leave alone. A change here is a security decision: it goes through review like a pin
// change in versions.ts.

/** A registry prefix images may come from, and why the platform needs it. */
export interface AllowedRegistry {
  /**
   * Image reference prefix: a registry path ending in `/`, or one repository (no trailing `/`),
   * which allows that repository at any tag or digest and nothing else.
   */
  readonly prefix: string;
  /** Which charts or images pull from it. */
  readonly reason: string;
}

/**
 * Upstream registries of the charts and images pinned in versions.ts (their default image
 * repositories at the pinned versions). The company's own registry is not listed: it comes from
 * each cluster's `imagePolicy.signedImages`. Images on Docker Hub are written both as
 * `docker.io/<ns>/...` and `<ns>/...`; both forms are derived from the `docker.io/` entry.
 */
export const UPSTREAM_REGISTRIES: readonly AllowedRegistry[] = [
  { prefix: 'quay.io/argoproj/', reason: 'argo-cd chart: Argo CD' },
  { prefix: 'ghcr.io/dexidp/', reason: 'argo-cd chart: Dex' },
  { prefix: 'public.ecr.aws/docker/library/', reason: 'argo-cd chart: Redis and HAProxy (redis-ha)' },
  { prefix: 'ecr-public.aws.com/docker/library/', reason: 'argo-cd chart: Redis (newer chart defaults) (U)' },
  { prefix: 'quay.io/jetstack/', reason: 'cert-manager chart: controller, webhook, cainjector, acmesolver' },
  { prefix: 'cr.yandex/yc-marketplace/', reason: 'cert-manager-webhook-yandex chart (Yandex Marketplace)' },
  { prefix: 'cr.yandex/yc/vault', reason: 'Yandex\'s Vault build with the yandexcloudkms seal (IMAGES.vaultYandexKms), the server on clusters that unseal with Yandex Cloud KMS' },
  { prefix: 'registry.k8s.io/external-dns/', reason: 'external-dns chart' },
  { prefix: 'ghcr.io/ismailbaskin/', reason: 'external-dns Yandex webhook sidecar (IMAGES.externalDnsYandexWebhook)' },
  { prefix: 'reg.kyverno.io/kyverno/', reason: 'kyverno chart: controllers and init containers' },
  { prefix: 'ghcr.io/kyverno/', reason: 'kyverno chart: images before the move to reg.kyverno.io (U)' },
  { prefix: 'registry.k8s.io/kubectl', reason: 'the Linkerd trust-roots Job (charts/mesh.ts); kyverno chart: cleanup and hook jobs (U)' },
  { prefix: 'docker.io/istio/', reason: 'istio charts: istiod, proxyv2, install-cni, ztunnel' },
  { prefix: 'docker.io/traefik', reason: 'traefik chart' },
  { prefix: 'cr.l5d.io/linkerd/', reason: 'linkerd charts (edge)' },
  { prefix: 'ghcr.io/open-telemetry/', reason: 'opentelemetry-collector (IMAGES.otelCollectorK8s)' },
  { prefix: 'docker.io/velero/', reason: 'velero chart and its AWS plugin (IMAGES.veleroPluginForAws)' },
  { prefix: 'quay.io/isindir/sops-secrets-operator', reason: 'sops-secrets-operator chart: the in-cluster SOPS decryptor (IMAGES.sopsSecretsOperator)' },
  { prefix: 'quay.io/prometheus/', reason: 'kube-prometheus-stack chart: Prometheus, Alertmanager, node-exporter' },
  { prefix: 'quay.io/prometheus-operator/', reason: 'kube-prometheus-stack chart: operator and config reloader' },
  { prefix: 'registry.k8s.io/kube-state-metrics/', reason: 'kube-prometheus-stack chart: kube-state-metrics' },
  { prefix: 'ghcr.io/jkroepke/kube-webhook-certgen', reason: 'kube-prometheus-stack chart (88.x): admission webhook certificate Jobs; the image moved here from registry.k8s.io/ingress-nginx when ingress-nginx retired it' },
  { prefix: 'docker.io/grafana/', reason: 'grafana, loki and tempo charts (grafana-community)' },
  { prefix: 'quay.io/kiwigrid/', reason: 'grafana and loki charts: k8s-sidecar (dashboards and datasources from ConfigMaps)' },
  { prefix: 'docker.io/library/busybox', reason: 'grafana chart: init container that fixes volume ownership (U)' },
  { prefix: 'docker.io/nginxinc/nginx-unprivileged', reason: 'loki chart: gateway (U)' },
  { prefix: 'docker.io/hashicorp/', reason: 'vault chart: server, vault-k8s injector, CSI provider; the raft snapshot CronJob (IMAGES.vault)' },
  { prefix: 'docker.io/amazon/aws-cli', reason: 'vault raft snapshot CronJob: upload to the S3-compatible store (IMAGES.awsCli)' },
  { prefix: 'registry.k8s.io/csi-secrets-store/', reason: 'secrets-store-csi-driver chart: driver and CRD jobs' },
  { prefix: 'registry.k8s.io/sig-storage/', reason: 'secrets-store-csi-driver chart: node-driver-registrar and livenessprobe' },
  { prefix: 'ghcr.io/opencost/', reason: 'opencost chart: exporter and UI' },
];

/** An image the tool writes that no verification policy of ours covers, accepted on review. */
export interface ImageExemption {
  /** Image glob (Kyverno syntax: `*` matches any characters, `/` included). */
  readonly image: string;
  /** Why it is accepted without our signature; a reviewer reads this. */
  readonly reason: string;
}

/**
 * Platform-wide exemptions. They apply to every cluster, so one may match nothing in a given
 * cluster (the Yandex webhook runs on Yandex only); a test checks that each matches an image
 * somewhere in the example fleet, so the list cannot rot. An overlay adds cluster-only ones under
 * `imagePolicy.exemptions`, and those must match an image of that cluster (validate/image-rules.ts).
 */
export const IMAGE_EXEMPTIONS: readonly ImageExemption[] = [
  {
    image: 'ghcr.io/ismailbaskin/external-dns-yandex-webhook:*',
    reason: 'community ExternalDNS webhook for Yandex Cloud DNS; the publisher does not sign it. Pinned by tag in versions.ts, reviewed on every bump',
  },
  {
    image: 'quay.io/isindir/sops-secrets-operator:*',
    reason: 'the SOPS decryptor (one maintainer, images not cosign-signed); it holds the cluster age key, so every bump is reviewed against the upstream release notes. Pinned by tag in versions.ts',
  },
  {
    image: 'ghcr.io/open-telemetry/opentelemetry-collector-releases/opentelemetry-collector-k8s:*',
    reason: 'the upstream OpenTelemetry Collector (k8s distribution) that the collector chart requires as image.repository; not signed by our CI. Pinned by tag in versions.ts',
  },
  {
    image: 'velero/velero-plugin-for-aws:*',
    reason: "Velero's upstream AWS (S3) plugin, run as an init container; not signed by our CI. Pinned by tag in versions.ts, restore-tested on every bump (checksum bugs of 1.14.1/1.14.2)",
  },
  {
    image: 'docker.io/hashicorp/vault:*',
    reason: 'the upstream Vault CLI of the server version we run, for the raft snapshot CronJob; not signed by our CI. Pinned by tag in versions.ts',
  },
  {
    image: 'cr.yandex/yc/vault:*',
    reason: "Yandex's Vault build (the official image with a vault binary that has the yandexcloudkms seal), the server of clusters that unseal with Yandex Cloud KMS; not signed by our CI. Pinned by tag in versions.ts, diffed against the upstream release of the same version on every bump",
  },
  {
    image: 'docker.io/amazon/aws-cli:*',
    reason: 'the upstream AWS CLI that uploads Vault raft snapshots to S3-compatible storage; not signed by our CI. Pinned by tag in versions.ts',
  },
  {
    image: 'registry.k8s.io/kubectl:*',
    reason: "the Kubernetes project's kubectl image (signed by SIG Release, not by our CI) that writes Linkerd's trust-roots ConfigMap; its Role writes that one ConfigMap only. Pinned by tag in versions.ts",
  },
];

/** A namespace the policies leave alone, and why. */
export interface ExemptNamespace {
  readonly namespace: string;
  /** Which policies skip it. */
  readonly from: readonly ('signatures' | 'registries' | 'resources')[];
  readonly reason: string;
}

/**
 * Namespaces exempt from the policies, explicitly. Kyverno's webhooks also skip kube-system and
 * Kyverno's own namespace (charts/kyverno.ts), so a broken policy can never lock out the control
 * plane or the policy engine itself.
 */
export const EXEMPT_NAMESPACES: readonly ExemptNamespace[] = [
  { namespace: 'kube-system', from: ['signatures', 'registries', 'resources'], reason: "the cloud's managed add-ons (CNI, CSI, DNS) pull from the provider's registries" },
  { namespace: 'kube-public', from: ['signatures', 'registries', 'resources'], reason: 'Kubernetes system namespace, no workloads' },
  { namespace: 'kube-node-lease', from: ['signatures', 'registries', 'resources'], reason: 'Kubernetes system namespace, no workloads' },
  { namespace: 'kyverno', from: ['signatures', 'registries', 'resources'], reason: 'the policy engine itself: a bad policy must not block its own recovery' },
  // Platform namespaces: the upstream charts do not set requests and limits on every container
  // (jobs, init containers, sidecars); their images are still limited to the allowed registries.
  ...['argocd', 'cert-manager', 'external-dns', 'istio-system', 'istio-cni', 'istio-ingress', 'traefik', 'linkerd', 'monitoring', 'monitoring-agents', 'vault', 'velero', 'sops', 'opentelemetry', 'opencost', 'secrets-store-csi']
    .map((namespace) => ({ namespace, from: ['resources'] as const, reason: 'platform namespace: upstream chart defaults, sized by the platform team' })),
];

/** Namespaces a policy skips. */
export function exemptNamespaces(policy: ExemptNamespace['from'][number], extra: readonly string[] = []): string[] {
  return [...new Set([...EXEMPT_NAMESPACES.filter((n) => n.from.includes(policy)).map((n) => n.namespace), ...extra])].sort();
}

/** The in-toto predicate type of a CycloneDX SBOM (`cosign attest --type cyclonedx`, as Syft output is attested). */
export const CYCLONEDX_PREDICATE = 'https://cyclonedx.org/bom';

/** The public Sigstore transparency log. */
export const PUBLIC_REKOR = 'https://rekor.sigstore.dev';

/**
 * The prefixes an image reference may start with, as written in a pod spec (Kubernetes does not
 * normalize references): a repository entry becomes `repo:` and `repo@`, and a Docker Hub entry
 * also gets its short form (`velero/...` for `docker.io/velero/...`).
 */
export function allowedImagePrefixes(prefixes: readonly string[]): string[] {
  const out = new Set<string>();
  for (const p of prefixes) {
    const forms = p.startsWith('docker.io/') ? [p, p.slice('docker.io/'.length)] : [p];
    for (const f of forms) {
      if (f.endsWith('/')) out.add(f);
      else { out.add(`${f}:`); out.add(`${f}@`); }
    }
  }
  return [...out].sort();
}

/** An image reference in its long form, as registries resolve it: `grafana/loki:3` → `docker.io/grafana/loki:3`, `busybox` → `docker.io/library/busybox`. */
export function longImageForm(ref: string): string {
  const first = ref.split('/')[0];
  const hasRegistry = ref.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (hasRegistry) return ref;
  return ref.includes('/') ? `docker.io/${ref}` : `docker.io/library/${ref}`;
}

/** Whether a reviewed prefix (a registry path ending in `/`, or one repository) admits an image. */
export function prefixAdmits(prefix: string, image: string): boolean {
  const long = longImageForm(image);
  if (prefix.endsWith('/')) return long.startsWith(prefix);
  return long === prefix || long.startsWith(`${prefix}:`) || long.startsWith(`${prefix}@`);
}

/**
 * The reviewed upstream registries a cluster needs: those that admit an image the cluster's
 * charts and objects run. The allowlist a cluster gets is derived from what it runs; the review
 * stays here (an image no entry admits is refused by the registry policy and reported by synth).
 */
export function upstreamRegistriesFor(images: readonly string[]): AllowedRegistry[] {
  return UPSTREAM_REGISTRIES.filter((r) => images.some((i) => prefixAdmits(r.prefix, i)));
}

/** The registry prefix a signed-image glob implies: `ghcr.io/soft-yt/*` → `ghcr.io/soft-yt/`. */
export function globPrefix(glob: string): string {
  const star = glob.indexOf('*');
  return star < 0 ? glob : glob.slice(0, star);
}
