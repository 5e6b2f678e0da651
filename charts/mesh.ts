import type { Chart } from 'cdk8s';
import { CHARTS } from '../catalog/versions.js';
import { Certificate } from '../constructs/certificate.js';
import { ClusterIssuer } from '../constructs/cluster-issuer.js';
import { PeerAuthentication, PeerAuthenticationSpecMtlsMode } from '../imports/security.istio.io.js';
import type { ClusterSpec } from '../spec/schema.js';
import { CERT_MANAGER_NAMESPACE,  ISSUERS } from './cert-manager.js';
import { WAVES, type PlatformComponent } from './component.js';
import { ISTIO_NAMESPACE } from './ingress.js';

export const LINKERD_NAMESPACE = 'linkerd';
/** The Secret linkerd-control-plane reads its identity issuer from (scheme kubernetes.io/tls). */
export const LINKERD_IDENTITY_ISSUER_SECRET = 'linkerd-identity-issuer';
export const LINKERD_TRUST_ANCHOR_SECRET = 'linkerd-trust-anchor';
const LINKERD_TRUST_ANCHOR_ISSUER = 'linkerd-trust-anchor';

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
            // ConfigMap linkerd-identity-trust-roots (ca.crt of the trust anchor): no PEM in values.
            // Nothing renders that ConfigMap yet: trust-manager's Bundle would, but its CRD is not
            // among the validated ones (../shared/crds). Until then an admin creates it once from
            // the anchor Secret's ca.crt (the anchor lives ten years).
            identity: { externalCA: true, issuer: { scheme: 'kubernetes.io/tls' } },
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

/** Mesh-wide mTLS mode: the PeerAuthentication named `default` in the root namespace applies everywhere. */
export function addIstioMeshPolicy(chart: Chart, spec: ClusterSpec): void {
  new PeerAuthentication(chart, 'peer-authentication-default', {
    metadata: { name: 'default', namespace: ISTIO_NAMESPACE },
    spec: { mtls: { mode: spec.environment === 'prod' ? PeerAuthenticationSpecMtlsMode.STRICT : PeerAuthenticationSpecMtlsMode.PERMISSIVE } },
  });
}

/**
 * selfsigned ClusterIssuer -> trust anchor (CA, 10 years, in cert-manager's namespace) -> a CA
 * ClusterIssuer -> identity issuer (intermediate CA, renewed every 48h) in the linkerd namespace.
 */
export function addLinkerdIdentity(chart: Chart, _spec: ClusterSpec): void {
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
}
