// The one version catalog: every Helm chart and image the platform renders, pinned exactly.
// Renovate bumps these lines (see renovate.json: one regex manager per line shape); nothing else
// in the code base may name a chart version or an image tag.

/** A Helm chart at an exact version in a Helm repository. */
export interface ChartPin {
  readonly repoURL: string;
  readonly chart: string;
  readonly version: string;
}

/** A container image pinned by tag (and digest where the publisher signs by digest). */
export interface ImagePin {
  readonly repository: string;
  readonly tag: string;
}

export const CHARTS = {
  argoCd: { repoURL: 'https://argoproj.github.io/argo-helm', chart: 'argo-cd', version: '10.1.1' },
  certManager: { repoURL: 'https://charts.jetstack.io', chart: 'cert-manager', version: 'v1.21.1' },
  externalDns: { repoURL: 'https://kubernetes-sigs.github.io/external-dns/', chart: 'external-dns', version: '1.21.1' },
  kyverno: { repoURL: 'https://kyverno.github.io/kyverno/', chart: 'kyverno', version: '3.9.0' },
  istioBase: { repoURL: 'https://istio-release.storage.googleapis.com/charts', chart: 'base', version: '1.30.4' },
  istiod: { repoURL: 'https://istio-release.storage.googleapis.com/charts', chart: 'istiod', version: '1.30.4' },
  istioGateway: { repoURL: 'https://istio-release.storage.googleapis.com/charts', chart: 'gateway', version: '1.30.4' },
  // Ambient mode only: the node agent (CNI) and the per-node ztunnel proxy.
  istioCni: { repoURL: 'https://istio-release.storage.googleapis.com/charts', chart: 'cni', version: '1.30.4' },
  ztunnel: { repoURL: 'https://istio-release.storage.googleapis.com/charts', chart: 'ztunnel', version: '1.30.4' },
  traefik: { repoURL: 'https://traefik.github.io/charts', chart: 'traefik', version: '41.3.0' },
  // The official Yandex Cloud DNS-01 webhook (yandex-cloud/cert-manager-webhook-yandex) as Yandex
  // Marketplace publishes it; the GitHub repo publishes no chart repository. 1.0.11 (the repo's
  // master) is the first that can switch its bundled cert-manager and ClusterIssuer off; 1.0.8-1,
  // the Marketplace's documented version, renders both. (U) that the Marketplace registry serves
  // 1.0.11: check the listing when the mirror is filled, else publish the chart from the repo's
  // master into the company registry and point repoURL there.
  certManagerWebhookYandex: { repoURL: 'oci://cr.yandex/yc-marketplace/yandex-cloud/cert-manager-webhook-yandex', chart: 'cert-manager-webhook-yandex', version: '1.0.11' },
  // Linkerd's OSS releases are edge only (stable needs a Buoyant licence); chart version = edge-26.8.3.
  linkerdCrds: { repoURL: 'https://helm.linkerd.io/edge', chart: 'linkerd-crds', version: '2026.8.3' },
  linkerdControlPlane: { repoURL: 'https://helm.linkerd.io/edge', chart: 'linkerd-control-plane', version: '2026.8.3' },
  kubePrometheusStack: { repoURL: 'https://prometheus-community.github.io/helm-charts', chart: 'kube-prometheus-stack', version: '88.5.3' },
  loki: { repoURL: 'https://grafana-community.github.io/helm-charts', chart: 'loki', version: '18.11.0' },
  tempo: { repoURL: 'https://grafana-community.github.io/helm-charts', chart: 'tempo', version: '2.2.4' },
  otelCollector: { repoURL: 'https://open-telemetry.github.io/opentelemetry-helm-charts', chart: 'opentelemetry-collector', version: '0.170.0' },
  vault: { repoURL: 'https://helm.releases.hashicorp.com', chart: 'vault', version: '0.34.1' },
  secretsStoreCsi: { repoURL: 'https://kubernetes-sigs.github.io/secrets-store-csi-driver/charts', chart: 'secrets-store-csi-driver', version: '1.6.0' },
  velero: { repoURL: 'https://vmware-tanzu.github.io/helm-charts', chart: 'velero', version: '12.1.0' },
  opencost: { repoURL: 'https://opencost.github.io/opencost-helm-chart', chart: 'opencost', version: '2.5.17' },
  sopsSecretsOperator: { repoURL: 'https://isindir.github.io/sops-secrets-operator/', chart: 'sops-secrets-operator', version: '0.28.0' },
} as const satisfies Record<string, ChartPin>;

export const IMAGES = {
  externalDnsYandexWebhook: { repository: 'ghcr.io/ismailbaskin/external-dns-yandex-webhook', tag: '1.0.0' },
  otelCollectorK8s: { repository: 'ghcr.io/open-telemetry/opentelemetry-collector-releases/opentelemetry-collector-k8s', tag: '0.158.0' },
  veleroPluginForAws: { repository: 'velero/velero-plugin-for-aws', tag: 'v1.14.0' },
  // The sops-secrets-operator chart's own image (its appVersion), written into the values so that policies see it.
  sopsSecretsOperator: { repository: 'quay.io/isindir/sops-secrets-operator', tag: '0.21.1' },
  // Vault raft snapshot CronJob: the CLI of the server version the vault chart runs (app 2.0.4).
  vault: { repository: 'docker.io/hashicorp/vault', tag: '2.0.4' },
  // Vault's server on clusters that unseal with Yandex Cloud KMS: Yandex's build (the official image
  // with a vault binary that has the yandexcloudkms seal; github.com/yandex-cloud/vault, tag
  // v1.21.4+yckms, its newest). (U) tag as published on cr.yandex, to be checked on the mirror.
  vaultYandexKms: { repository: 'cr.yandex/yc/vault', tag: '1.21.4' },
  // Uploads the snapshot to the cloud's S3-compatible store (reads an AWS credentials file). (U) tag to be checked on the mirror.
  awsCli: { repository: 'docker.io/amazon/aws-cli', tag: '2.27.50' },
  // Writes the Linkerd trust anchor into the ConfigMap the control plane reads (charts/mesh.ts);
  // the image has kubectl and no shell. (U) tag to be checked on the mirror.
  kubectl: { repository: 'registry.k8s.io/kubectl', tag: 'v1.33.4' },
} as const satisfies Record<string, ImagePin>;

// What management clusters run (infra/crossplane/): synth writes them into Applications and
// packages but never renders them, so they are not in CHARTS (whose charts synth renders and checks).
export const MANAGEMENT_CHARTS = {
  // The chart's version is Crossplane's: core v2.3.4, whose CRDs the management tree is checked against.
  crossplane: { repoURL: 'https://charts.crossplane.io/stable', chart: 'crossplane', version: '2.3.4' },
} as const satisfies Record<string, ChartPin>;

export const CROSSPLANE_PACKAGES = {
  // Yandex's provider as its publish script pushes it (hack/publish_upbound.sh); v0.14.0 is the
  // newest tag and the one whose CRDs the managed resources are checked against. (U) that
  // xpkg.upbound.io serves it to Russian clients: mirror it into the company registry.
  providerYc: { repository: 'xpkg.upbound.io/yandexcloud/crossplane-provider-yc', tag: 'v0.14.0' },
} as const satisfies Record<string, ImagePin>;

/** Exact versions only: a semver, optionally with a leading v; no ranges, no `latest`. */
export const EXACT_VERSION = /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

/**
 * Cluster API providers a management cluster runs for its vSphere clusters, as `clusterctl init`
 * takes them (`--core cluster-api:<version>` ...). The versions are those whose CRDs the CAPI
 * objects are checked against (../shared/infra/capi/). CAPV v1.16.1 is built against CAPI v1.13;
 * CAPI v1.14 still serves the v1beta2 contract it uses, but CAPV's CI has not tested the pair (U).
 * Renovate does not bump them: they move with the reference CRDs the objects are checked against.
 */
export const CLUSTER_API_PROVIDERS = {
  core: { name: 'cluster-api', version: 'v1.14.0' },
  bootstrap: { name: 'kubeadm', version: 'v1.14.0' },
  controlPlane: { name: 'kubeadm', version: 'v1.14.0' },
  infrastructure: { name: 'vsphere', version: 'v1.16.1' },
} as const;

/**
 * kube-vip as a static pod on the control-plane machines of a Cluster API vSphere cluster: it holds
 * the control plane's VIP (infra.vsphere.controlPlaneEndpoint). The tag is the one CAPV's kube-vip
 * flavour pins; mirror it into the company registry with the other images.
 */
export const KUBE_VIP_IMAGE = { repository: 'ghcr.io/kube-vip/kube-vip', tag: 'v0.6.4' } as const satisfies ImagePin;
