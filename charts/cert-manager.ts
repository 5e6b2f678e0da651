import type { Chart } from 'cdk8s';
import { CHARTS } from '../catalog/versions.js';
import { Certificate } from '../constructs/certificate.js';
import { AcmeSolver, ClusterIssuer, LETS_ENCRYPT, type IssuerRef } from '../constructs/cluster-issuer.js';
import type { ClusterSpec } from '../spec/schema.js';
import { WAVES, type PlatformComponent, type SecretUse } from './component.js';

export const CERT_MANAGER_NAMESPACE = 'cert-manager';

/** API group the Yandex DNS-01 webhook serves; issuers name it in `dns01.webhook.groupName`. */
export const YANDEX_WEBHOOK_GROUP = 'acme.cloud.yandex.com';
/** The solver name the official webhook registers (its README's `yandex-solver` is wrong). */
export const YANDEX_WEBHOOK_SOLVER = 'yandex-cloud-dns';

/** Names of the ClusterIssuers a cluster may get. */
export const ISSUERS = {
  letsencryptProduction: 'letsencrypt-production',
  letsencryptStaging: 'letsencrypt-staging',
  companyCa: 'company-ca',
  selfSigned: 'selfsigned',
  localCa: 'local-ca',
  internalCa: 'internal-ca',
} as const;

/** The ClusterIssuer that signs the cluster's host certificates. */
export function hostIssuer(spec: ClusterSpec): IssuerRef {
  switch (spec.tls.issuer) {
    case 'letsencrypt':
      return { kind: 'ClusterIssuer', name: spec.tls.acme.server === 'staging' ? ISSUERS.letsencryptStaging : ISSUERS.letsencryptProduction };
    case 'company-ca':
      return { kind: 'ClusterIssuer', name: ISSUERS.companyCa };
    case 'self-signed':
      return { kind: 'ClusterIssuer', name: ISSUERS.localCa };
  }
}

/**
 * The ClusterIssuer of in-cluster service certificates (Vault's listener): a CA of this cluster
 * alone, so a certificate for `vault.vault.svc` issued here is trusted by this cluster's clients
 * and by no other cluster's. Let's Encrypt cannot issue for `.svc` names, and the company CA would
 * make one cluster's service certificate valid on every cluster (and its name constraints, if
 * any, are not known here): both get the internal CA. Dev's local CA already is one.
 */
export function internalIssuer(spec: ClusterSpec): IssuerRef {
  return { kind: 'ClusterIssuer', name: spec.tls.issuer === 'self-signed' ? ISSUERS.localCa : ISSUERS.internalCa };
}

/** The self-signed ClusterIssuer roots the local CA, the internal CA and the Linkerd trust anchor: every cluster has one of these. */
export function needsSelfSignedIssuer(spec: ClusterSpec): boolean {
  return spec.tls.issuer === 'self-signed' || spec.mesh.kind === 'linkerd' || internalIssuer(spec).name === ISSUERS.internalCa;
}

/**
 * cert-manager from its pinned chart (CRDs from the chart's templates, kept on uninstall; server-side
 * apply because the issuer CRDs exceed the client-side annotation limit), and the cluster's
 * ClusterIssuers one wave later. On Yandex with DNS-01 the official webhook comes as its own chart.
 */
export function certManagerComponents(spec: ClusterSpec): PlatformComponent[] {
  const prod = spec.environment === 'prod';
  const rfc2136Dns01 = spec.tls.issuer === 'letsencrypt' && spec.tls.acme.challenge === 'dns01' && spec.cloud === 'onprem';
  const certManager: PlatformComponent = {
    name: 'cert-manager',
    namespace: CERT_MANAGER_NAMESPACE,
    helm: {
      chart: CHARTS.certManager,
      wave: WAVES.operators,
      serverSideApply: true,
      values: {
        crds: { enabled: true, keep: true },
        // The chart's default is kube-system, which a namespaced Argo CD does not manage.
        global: { leaderElection: { namespace: CERT_MANAGER_NAMESPACE } },
        replicaCount: prod ? 2 : 1,
        webhook: { replicaCount: prod ? 2 : 1 },
        podDisruptionBudget: { enabled: prod },
        // On-prem the public resolvers cannot see the internal zone: check propagation on BIND itself.
        ...(rfc2136Dns01 && spec.dns.rfc2136
          ? { dns01RecursiveNameservers: `${spec.dns.rfc2136.host}:${spec.dns.rfc2136.port}`, dns01RecursiveNameserversOnly: true }
          : {}),
      },
    },
    secrets: issuerSecrets(spec),
    addObjects: (chart, s) => addIssuers(chart, s),
    // Issuers right after the controller and its CRDs, before any Certificate (wave config).
    objectsWave: WAVES.operatorsExtras,
    objectsSyncOptions: ['SkipDryRunOnMissingResource=true'],
  };
  const out = [certManager];
  if (spec.cloud === 'yandex' && spec.tls.issuer === 'letsencrypt' && spec.tls.acme.challenge === 'dns01') {
    out.push({
      name: 'cert-manager-webhook-yandex',
      namespace: CERT_MANAGER_NAMESPACE,
      helm: {
        chart: CHARTS.certManagerWebhookYandex,
        // Its serving certificate is a cert-manager Certificate: after cert-manager's CRDs.
        wave: WAVES.operatorsExtras,
        // 1.0.11 vendors cert-manager v1.13 as a subchart, now behind `cert-manager.enabled`,
        // and its crds/ still hold v1.13's CRDs: they would overwrite cert-manager 1.21's, owned
        // by the cert-manager Application.
        skipCrds: true,
        values: {
          groupName: YANDEX_WEBHOOK_GROUP,
          // The solver's Deployment (its template reads `replicaCount`; unset it renders null).
          replicaCount: prod ? 2 : 1,
          // The domain-solver ClusterRoleBinding is for our cert-manager's ServiceAccount (in the
          // release namespace, which is cert-manager's).
          certManager: { serviceAccountName: 'cert-manager' },
          // No second cert-manager (it would race ours on every Certificate, and its webhooks
          // fail closed), and no ClusterIssuer with the chart's placeholder folder and key: the
          // cluster's issuers are ours (addIssuers). Both switches are new in 1.0.11; 1.0.8-1/1.0.9
          // had neither (synth's chart rules refused what they rendered).
          'cert-manager': { enabled: false },
          installClusterIssuer: { enabled: false },
        },
      },
    });
  }
  return out;
}

/**
 * The Secrets the ClusterIssuers read by name, in the cluster resource namespace (cert-manager):
 * the company CA key pair, and the DNS-01 credentials (Yandex service-account key, TSIG key).
 */
export function issuerSecrets(spec: ClusterSpec): SecretUse[] {
  const ns = CERT_MANAGER_NAMESPACE;
  if (spec.tls.issuer === 'company-ca') {
    return [{ name: spec.tls.companyCaSecret, namespace: ns, keys: ['tls.crt', 'tls.key'], type: 'kubernetes.io/tls', usedBy: `ClusterIssuer ${ISSUERS.companyCa}` }];
  }
  if (spec.tls.issuer !== 'letsencrypt' || spec.tls.acme.challenge !== 'dns01') return [];
  const usedBy = `ClusterIssuers ${ISSUERS.letsencryptStaging}, ${ISSUERS.letsencryptProduction} (DNS-01)`;
  if (spec.cloud === 'yandex' && spec.dns.yandex) {
    const ref = spec.dns.yandex.serviceAccountSecret;
    return [{ name: ref.name, namespace: ns, keys: [ref.key], usedBy }];
  }
  if (spec.dns.rfc2136) return [{ name: spec.dns.rfc2136.tsigSecret.name, namespace: ns, keys: [spec.dns.rfc2136.tsigSecret.key], usedBy }];
  return [];
}

/** The ClusterIssuers (and the local CA) that the spec implies. */
export function addIssuers(chart: Chart, spec: ClusterSpec): void {
  if (spec.tls.issuer === 'letsencrypt') {
    const solver = acmeSolver(spec).forZones([spec.domain]);
    for (const [name, server] of [[ISSUERS.letsencryptStaging, LETS_ENCRYPT.staging], [ISSUERS.letsencryptProduction, LETS_ENCRYPT.production]] as const) {
      ClusterIssuer.acme(chart, name, { server, email: spec.tls.acme.email, solvers: [solver] });
    }
  }
  if (spec.tls.issuer === 'company-ca') {
    // The company CA's key pair arrives as a SopsSecret (secrets/<cluster>/cert-manager/), which
    // sops-secrets-operator decrypts in the cluster; synth fails when that file is missing.
    ClusterIssuer.ca(chart, ISSUERS.companyCa, { secretName: spec.tls.companyCaSecret });
  }
  if (needsSelfSignedIssuer(spec)) ClusterIssuer.selfSigned(chart, ISSUERS.selfSigned);
  if (spec.tls.issuer === 'self-signed') {
    // selfSigned -> a CA certificate -> a CA issuer: every host certificate then chains to one
    // local root that a developer can trust once, instead of one self-signed leaf per host.
    const ca = new Certificate(chart, 'local-ca-certificate', {
      name: 'local-ca',
      namespace: CERT_MANAGER_NAMESPACE,
      secretName: 'local-ca',
      issuer: { kind: 'ClusterIssuer', name: ISSUERS.selfSigned },
      isCA: true,
      commonName: `${spec.name} local CA`,
      keyAlgorithm: 'ECDSA',
      keySize: 256,
      duration: '87600h',
    });
    ClusterIssuer.ca(chart, ISSUERS.localCa, { secretName: ca.secretName });
  }
  if (internalIssuer(spec).name === ISSUERS.internalCa) {
    // The same root -> CA pair for in-cluster services only; its key never leaves cert-manager's
    // namespace, and clients trust it through the ca.crt that cert-manager writes next to each
    // certificate it issues.
    const ca = new Certificate(chart, 'internal-ca-certificate', {
      name: ISSUERS.internalCa,
      namespace: CERT_MANAGER_NAMESPACE,
      secretName: ISSUERS.internalCa,
      issuer: { kind: 'ClusterIssuer', name: ISSUERS.selfSigned },
      isCA: true,
      commonName: `${spec.name} internal services CA`,
      keyAlgorithm: 'ECDSA',
      keySize: 256,
      duration: '87600h',
    });
    ClusterIssuer.ca(chart, ISSUERS.internalCa, { secretName: ca.secretName });
  }
}

function acmeSolver(spec: ClusterSpec): AcmeSolver {
  if (spec.tls.acme.challenge === 'http01') return AcmeSolver.http01Ingress(spec.ingress.kind);
  if (spec.cloud === 'yandex' && spec.dns.yandex) {
    return AcmeSolver.dns01Webhook({
      groupName: YANDEX_WEBHOOK_GROUP,
      solverName: YANDEX_WEBHOOK_SOLVER,
      config: { folder: spec.dns.yandex.folderId, serviceAccountSecretRef: { ...spec.dns.yandex.serviceAccountSecret } },
    });
  }
  if (spec.dns.rfc2136) {
    const r = spec.dns.rfc2136;
    return AcmeSolver.dns01Rfc2136({
      nameserver: `${r.host}:${r.port}`,
      tsigKeyName: r.tsigKeyName,
      tsigAlgorithm: r.tsigAlgorithm.replace('-', '').toUpperCase(),
      tsigSecret: r.tsigSecret,
    });
  }
  // spec/rules.ts refuses DNS-01 without a solver; reaching this is a bug in the rules.
  throw new Error(`${spec.name}: DNS-01 without a solver passed the spec rules`);
}
