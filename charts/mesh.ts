import type { Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import yaml from 'js-yaml';
import { CHARTS, IMAGES } from '../catalog/versions.js';
import { Certificate } from '../constructs/certificate.js';
import { ClusterIssuer } from '../constructs/cluster-issuer.js';
import { PeerAuthentication, PeerAuthenticationSpecMtlsMode, PeerAuthenticationSpecPortLevelMtlsMode } from '../imports/security.istio.io.js';
import type { ClusterSpec } from '../spec/schema.js';
import { CERT_MANAGER_NAMESPACE, internalIssuer, ISSUERS } from './cert-manager.js';
import { WAVES, type PlatformComponent } from './component.js';
import { ISTIO_NAMESPACE } from './ingress.js';
import { restrictedContainer, SMALL_JOB_RESOURCES } from './job-pod.js';

export const LINKERD_NAMESPACE = 'linkerd';
/** The Secret linkerd-control-plane reads its identity issuer from (scheme kubernetes.io/tls). */
export const LINKERD_IDENTITY_ISSUER_SECRET = 'linkerd-identity-issuer';
export const LINKERD_TRUST_ANCHOR_SECRET = 'linkerd-trust-anchor';
const LINKERD_TRUST_ANCHOR_ISSUER = 'linkerd-trust-anchor';
/** The ConfigMap (key ca-bundle.crt) every control-plane pod and the proxy injector read the trust anchors from. */
export const LINKERD_TRUST_ROOTS_CONFIGMAP = 'linkerd-identity-trust-roots';
const TRUST_ROOTS_SYNC = 'linkerd-trust-roots-sync';

/**
 * The chart's three admission webhooks: Service name (also the Certificate's name) and the TLS
 * Secret its Deployment mounts (templates/proxy-injector-rbac.yaml, destination-rbac.yaml).
 */
export const LINKERD_WEBHOOKS = [
  { values: 'proxyInjector', service: 'linkerd-proxy-injector', secret: 'linkerd-proxy-injector-k8s-tls' },
  { values: 'profileValidator', service: 'linkerd-sp-validator', secret: 'linkerd-sp-validator-k8s-tls' },
  { values: 'policyValidator', service: 'linkerd-policy-validator', secret: 'linkerd-policy-validator-k8s-tls' },
] as const;

/**
 * Resources of every injected proxy and of its proxy-init container (the chart uses
 * `proxy.resources` for both): require-requests-limits refuses a pod whose containers lack CPU and
 * memory requests or a memory limit, and the injector adds these containers after Argo CD and
 * the team's manifests are done with the pod. No CPU limit (it throttles; with none the proxy
 * keeps `runtime.workers.minimum`, one worker). A team overrides per workload with the
 * `config.linkerd.io/proxy-*` annotations.
 */
export const LINKERD_PROXY_RESOURCES = {
  cpu: { request: '100m' },
  memory: { request: '64Mi', limit: '256Mi' },
};

/** The control plane starts once its identity issuer Secret exists (mesh objects at -4). */
const LINKERD_CONTROL_PLANE_WAVE = -3;

/**
 * The optional mesh. Istio: the control plane comes with istiodComponents; this adds the mesh-wide
 * PeerAuthentication (STRICT in prod, PERMISSIVE elsewhere so that unmeshed tools still connect).
 * Linkerd (edge channel, the only OSS one): its CRDs and control plane from pinned charts, and the
 * trust anchor and identity issuer as cert-manager Certificates (ECDSA P-256, as Linkerd requires).
 */
export function meshComponents(spec: ClusterSpec): PlatformComponent[] {
  if (spec.mesh.kind === 'istio') {
    return [{
      name: 'mesh',
      namespace: ISTIO_NAMESPACE,
      addObjects: (chart, s) => addIstioMeshPolicy(chart, s),
    }];
  }
  if (spec.mesh.kind === 'linkerd') {
    const prod = spec.environment === 'prod';
    return [
      {
        name: 'linkerd-crds',
        namespace: LINKERD_NAMESPACE,
        helm: { chart: CHARTS.linkerdCrds, wave: WAVES.operators, serverSideApply: true, values: { installGatewayAPI: true } },
      },
      {
        name: 'mesh',
        namespace: LINKERD_NAMESPACE,
        addObjects: (chart, s) => addLinkerdIdentity(chart, s),
        objectsWave: WAVES.operatorsExtras,
        objectsSyncOptions: ['SkipDryRunOnMissingResource=true'],
      },
      {
        name: 'linkerd-control-plane',
        namespace: LINKERD_NAMESPACE,
        helm: {
          chart: CHARTS.linkerdControlPlane,
          wave: LINKERD_CONTROL_PLANE_WAVE,
          values: {
            // The issuer key pair comes from cert-manager's Secret, the trust roots from the
            // ConfigMap linkerd-identity-trust-roots, which the mesh component's Job writes from
            // the anchor (addLinkerdTrustRoots): no PEM in values.
            identity: { externalCA: true, issuer: { scheme: 'kubernetes.io/tls' } },
            proxy: { resources: LINKERD_PROXY_RESOURCES },
            // The webhooks serve cert-manager's certificates and cainjector fills their caBundle:
            // the chart would otherwise generate a new self-signed pair on every render.
            ...Object.fromEntries(LINKERD_WEBHOOKS.map((w) => [w.values, { externalSecret: true, injectCaFrom: `${LINKERD_NAMESPACE}/${w.service}` }])),
            // The heartbeat CronJob reports to linkerd.io from inside the cluster, and without a
            // fixed schedule its schedule is the render time: every Argo CD refresh would render
            // a different CronJob and show the app OutOfSync.
            disableHeartBeat: true,
            controllerReplicas: prod ? 3 : 1,
            enablePodAntiAffinity: prod,
            ...(prod ? { enablePodDisruptionBudget: true } : {}),
          },
        },
      },
    ];
  }
  return [];
}

/** The team namespaces in the cluster's mesh (`teams[].mesh`), sorted; none without a mesh. */
export function meshedNamespaces(spec: ClusterSpec): string[] {
  if (spec.mesh.kind === 'none') return [];
  return spec.teams.flatMap((t) => (t.mesh === true ? t.namespaces : Array.isArray(t.mesh) ? t.mesh : [])).sort();
}

/**
 * What puts a namespace into the cluster's mesh: Istio's injector selects namespaces by label
 * (sidecar: istio-injection, ambient: the CNI agent and ztunnel by istio.io/dataplane-mode);
 * Linkerd's by the annotation linkerd.io/inject.
 */
export function meshMembership(spec: ClusterSpec): { labels?: Record<string, string>; annotations?: Record<string, string> } {
  if (spec.mesh.kind === 'istio') {
    return { labels: spec.mesh.istioMode === 'ambient' ? { 'istio.io/dataplane-mode': 'ambient' } : { 'istio-injection': 'enabled' } };
  }
  if (spec.mesh.kind === 'linkerd') return { annotations: { 'linkerd.io/inject': 'enabled' } };
  return {};
}

/**
 * Prometheus runs outside the mesh (it scrapes every namespace, meshed or not), so under STRICT
 * mTLS the sidecar of a meshed pod refuses its plaintext scrape. The metrics port of each declared
 * service of a meshed namespace stays PERMISSIVE (plaintext or mTLS) while every other port keeps
 * the mesh's mode (UNSET inherits it). Istio applies port-level modes only to a policy with a
 * workload selector, and keys them by the container's port number: hence the service's labels,
 * which its pods must carry, and `metrics.containerPort`.
 */
export function addMetricsPortPolicies(chart: Chart, spec: ClusterSpec, namespace: string, services: readonly { name: string; podLabels: Record<string, string>; containerPort: number }[]): void {
  if (spec.mesh.kind !== 'istio' || !meshedNamespaces(spec).includes(namespace)) return;
  for (const s of services) {
    new PeerAuthentication(chart, `metrics-port-${s.name}`, {
      metadata: { name: `${s.name}-metrics`, namespace },
      spec: {
        selector: { matchLabels: s.podLabels },
        mtls: { mode: PeerAuthenticationSpecMtlsMode.UNSET },
        portLevelMtls: { [String(s.containerPort)]: { mode: PeerAuthenticationSpecPortLevelMtlsMode.PERMISSIVE } },
      },
    });
  }
}

/** Mesh-wide mTLS mode: the PeerAuthentication named `default` in the root namespace applies everywhere. */
export function addIstioMeshPolicy(chart: Chart, spec: ClusterSpec): void {
  new PeerAuthentication(chart, 'peer-authentication-default', {
    metadata: { name: 'default', namespace: ISTIO_NAMESPACE },
    spec: { mtls: { mode: spec.environment === 'prod' ? PeerAuthenticationSpecMtlsMode.STRICT : PeerAuthenticationSpecMtlsMode.PERMISSIVE } },
  });
}

/**
 * selfsigned ClusterIssuer -> trust anchor (CA, 10 years, in cert-manager's namespace) -> a CA
 * ClusterIssuer -> identity issuer (intermediate CA, renewed every 48h) in the linkerd namespace;
 * the trust-roots ConfigMap written from the anchor; the webhooks' serving certificates.
 */
export function addLinkerdIdentity(chart: Chart, spec: ClusterSpec): void {
  const anchor = new Certificate(chart, 'trust-anchor', {
    name: LINKERD_TRUST_ANCHOR_SECRET,
    namespace: CERT_MANAGER_NAMESPACE,
    secretName: LINKERD_TRUST_ANCHOR_SECRET,
    issuer: { kind: 'ClusterIssuer', name: ISSUERS.selfSigned },
    isCA: true,
    commonName: 'root.linkerd.cluster.local',
    keyAlgorithm: 'ECDSA',
    keySize: 256,
    duration: '87600h',
    renewBefore: '8760h',
    usages: ['cert sign', 'crl sign'],
    // Renewed in its ninth year with the same key: proxies still holding the old copy verify
    // the new identity issuer, so the renewal needs no bundle of two anchors (docs/overlay-edge.md).
    keepPrivateKey: true,
  });
  const anchorIssuer = ClusterIssuer.ca(chart, 'trust-anchor-issuer', { name: LINKERD_TRUST_ANCHOR_ISSUER, secretName: anchor.secretName });
  new Certificate(chart, 'identity-issuer', {
    name: LINKERD_IDENTITY_ISSUER_SECRET,
    namespace: LINKERD_NAMESPACE,
    secretName: LINKERD_IDENTITY_ISSUER_SECRET,
    issuer: anchorIssuer.ref,
    isCA: true,
    commonName: 'identity.linkerd.cluster.local',
    dnsNames: ['identity.linkerd.cluster.local'],
    keyAlgorithm: 'ECDSA',
    keySize: 256,
    duration: '48h',
    renewBefore: '25h',
    usages: ['cert sign', 'crl sign', 'server auth', 'client auth'],
  });
  addLinkerdTrustRoots(chart);
  for (const w of LINKERD_WEBHOOKS) {
    new Certificate(chart, `webhook-${w.service}`, {
      name: w.service,
      namespace: LINKERD_NAMESPACE,
      secretName: w.secret,
      issuer: internalIssuer(spec),
      dnsNames: [`${w.service}.${LINKERD_NAMESPACE}.svc`],
      keyAlgorithm: 'ECDSA',
      keySize: 256,
      duration: '2160h',
      renewBefore: '720h',
      usages: ['digital signature', 'key encipherment', 'server auth'],
    });
  }
}

/**
 * The ConfigMap linkerd-identity-trust-roots, copied from the anchor certificate. cert-manager
 * writes a CA issuer's certificate into every Secret it issues as ca.crt, so the identity issuer's
 * Secret, in the linkerd namespace, holds the anchor: a Job mounts it and applies the ConfigMap with
 * kubectl's kustomize (no shell in the image). trust-manager's Bundle would do the same, but its
 * CRD is not among the validated ones (../shared/crds). The Job is an Argo CD Sync hook after the
 * Certificates (so the mesh Application is synced only once the ConfigMap exists, and every sync
 * rewrites it); a weekly CronJob with the same pod carries a renewed anchor over within a week.
 */
function addLinkerdTrustRoots(chart: Chart): void {
  const ns = LINKERD_NAMESPACE;
  const metadata = (name: string) => ({ name, namespace: ns });
  new k8s.KubeServiceAccount(chart, 'trust-roots-sa', { metadata: metadata(TRUST_ROOTS_SYNC), automountServiceAccountToken: true });
  // Create cannot be limited by name (the name is not known at authorization); the rest can.
  new k8s.KubeRole(chart, 'trust-roots-role', {
    metadata: metadata(TRUST_ROOTS_SYNC),
    rules: [
      { apiGroups: [''], resources: ['configmaps'], resourceNames: [LINKERD_TRUST_ROOTS_CONFIGMAP], verbs: ['get', 'patch'] },
      { apiGroups: [''], resources: ['configmaps'], verbs: ['create'] },
    ],
  });
  new k8s.KubeRoleBinding(chart, 'trust-roots-binding', {
    metadata: metadata(TRUST_ROOTS_SYNC),
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: TRUST_ROOTS_SYNC },
    subjects: [{ kind: 'ServiceAccount', name: TRUST_ROOTS_SYNC, namespace: ns }],
  });
  const kustomization = {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    namespace: ns,
    generatorOptions: { disableNameSuffixHash: true, labels: { 'app.kubernetes.io/managed-by': TRUST_ROOTS_SYNC } },
    configMapGenerator: [{ name: LINKERD_TRUST_ROOTS_CONFIGMAP, files: ['ca-bundle.crt'] }],
  };
  new k8s.KubeConfigMap(chart, 'trust-roots-kustomization', { metadata: metadata(TRUST_ROOTS_SYNC), data: { 'kustomization.yaml': yaml.dump(kustomization) } });

  const pod: k8s.PodTemplateSpec = {
    spec: {
      serviceAccountName: TRUST_ROOTS_SYNC,
      restartPolicy: 'OnFailure',
      containers: [{
        name: 'apply',
        image: `${IMAGES.kubectl.repository}:${IMAGES.kubectl.tag}`,
        command: ['kubectl', 'apply', '--server-side', '--force-conflicts', `--field-manager=${TRUST_ROOTS_SYNC}`, '-k', '/bundle'],
        // kubectl's discovery cache; the image's home may not be writable.
        env: [{ name: 'HOME', value: '/tmp' }],
        volumeMounts: [{ name: 'bundle', mountPath: '/bundle', readOnly: true }, { name: 'tmp', mountPath: '/tmp' }],
        securityContext: { ...restrictedContainer(65532), readOnlyRootFilesystem: true },
        resources: SMALL_JOB_RESOURCES,
      }],
      // The kustomization and the anchor in one folder: kustomize reads files under its root only.
      // The pod waits (ContainerCreating) until cert-manager has written the issuer's Secret.
      volumes: [
        {
          name: 'bundle',
          projected: {
            sources: [
              { configMap: { name: TRUST_ROOTS_SYNC, items: [{ key: 'kustomization.yaml', path: 'kustomization.yaml' }] } },
              { secret: { name: LINKERD_IDENTITY_ISSUER_SECRET, items: [{ key: 'ca.crt', path: 'ca-bundle.crt' }] } },
            ],
          },
        },
        { name: 'tmp', emptyDir: {} },
      ],
    },
  };
  new k8s.KubeJob(chart, 'trust-roots-job', {
    metadata: {
      ...metadata(TRUST_ROOTS_SYNC),
      annotations: {
        'argocd.argoproj.io/hook': 'Sync',
        'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation',
        // After the Certificates (wave 0) are Ready.
        'argocd.argoproj.io/sync-wave': '1',
      },
    },
    spec: { backoffLimit: 6, template: pod },
  });
  new k8s.KubeCronJob(chart, 'trust-roots-cronjob', {
    metadata: metadata(TRUST_ROOTS_SYNC),
    spec: {
      schedule: '17 3 * * 1',
      concurrencyPolicy: 'Forbid',
      successfulJobsHistoryLimit: 1,
      failedJobsHistoryLimit: 3,
      jobTemplate: { spec: { backoffLimit: 3, template: pod } },
    },
  });
}
