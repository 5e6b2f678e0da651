import { CHARTS, type ChartPin } from '../catalog/versions.js';
import { helmRepository } from '../constructs/application-source.js';
import { IN_CLUSTER } from '../constructs/argo-application.js';
import yaml from 'js-yaml';
import { argoCdRoute, gitCredentialURL } from '../spec/argocd-access.js';
import { ANNOTATED_OUTPUTS } from '../spec/infra-outputs.js';
import { argoCdNetworkPolicies, ingressControllerNamespace } from './argocd-network.js';
import { ARGOCD_RELEASE, argoCdMetricsValues } from './argocd-metrics.js';
import type { ClusterSpec } from '../spec/schema.js';
import { WAVES, type PlatformComponent, type SecretUse } from './component.js';

/** Label by which Argo CD finds a credential template (declarative-setup.md, "Repository Credentials"). */
export const REPO_CREDS_LABEL = { 'argocd.argoproj.io/secret-type': 'repo-creds' } as const;
/** Label Argo CD requires on a Secret that argocd-cm references as `$<secret>:<key>`. */
export const ARGOCD_PART_OF_LABEL = { 'app.kubernetes.io/part-of': 'argocd' } as const;

/** Data keys of the credential template per kind (Argo CD's repository Secret fields). */
const CREDENTIAL_KEYS = { ssh: ['sshPrivateKey'], https: ['username', 'password'] } as const;

/**
 * The Secrets Argo CD reads: the Git credential template (type and url fixed by the spec, the key
 * or token from the admin) and, with SSO, the OIDC client secret.
 */
export function argoCdSecrets(spec: ClusterSpec): SecretUse[] {
  const git = spec.gitops.git;
  const url = gitCredentialURL(spec);
  const uses: SecretUse[] = [{
    name: git.credentialSecret,
    namespace: spec.argocd.namespace,
    keys: ['type', 'url', ...CREDENTIAL_KEYS[git.credential]],
    values: { type: 'git', url },
    labels: REPO_CREDS_LABEL,
    usedBy: `Argo CD (credential for ${url})`,
  }];
  const sso = spec.argocd.sso;
  if (sso) {
    uses.push({
      name: sso.clientSecret.name, namespace: spec.argocd.namespace, keys: [sso.clientSecret.key],
      labels: ARGOCD_PART_OF_LABEL, usedBy: 'Argo CD (oidc.config clientSecret)',
    });
  }
  return uses;
}

/** argocd-cm's `oidc.config`: the client secret is a `$<secret>:<key>` reference, never a value. */
export function oidcConfig(spec: ClusterSpec): string | undefined {
  const sso = spec.argocd.sso;
  if (!sso) return undefined;
  return yaml.dump({
    name: sso.name,
    issuer: sso.issuer,
    clientID: sso.clientID,
    clientSecret: `$${sso.clientSecret.name}:${sso.clientSecret.key}`,
    requestedScopes: sso.requestedScopes,
    // Ask for the groups in the ID token: RBAC (argocd-rbac-cm scopes) matches on this claim.
    requestedIDTokenClaims: { [sso.groupsClaim]: { essential: true } },
    ...(sso.rootCA ? { rootCA: sso.rootCA } : {}),
  }, { lineWidth: -1, noRefs: true, sortKeys: false });
}

/** Argo CD's documented health check for Application objects (docs/operator-manual/health.md, "Argo CD App"). */
export const APPLICATION_HEALTH_LUA = `hs = {}
hs.status = "Progressing"
hs.message = ""
if obj.status ~= nil then
  if obj.status.health ~= nil then
    hs.status = obj.status.health.status
    if obj.status.health.message ~= nil then
      hs.message = obj.status.health.message
    end
  end
end
return hs
`;

/** Prefix of the in-cluster Secret's annotations carrying the infrastructure stack's outputs. */
export const INFRA_ANNOTATION_PREFIX = 'infra.platform.company.ru/';

/**
 * The in-cluster Secret's labels, gitops-bridge's convention (docs/argocd-registration.md): where
 * the cluster is, and `enable_<component>: "true"` for each platform component it runs, so a hub's
 * ApplicationSets (and an inventory) can select clusters by them.
 */
export function clusterSecretLabels(spec: ClusterSpec, components: readonly string[]): Record<string, string> {
  const enabled = [...new Set(components)].sort().map((c) => [`enable_${c.replace(/-/g, '_')}`, 'true'] as const);
  return { cluster: spec.name, cloud: spec.cloud, env: spec.environment, region: spec.region, ...Object.fromEntries(enabled) };
}

/**
 * The in-cluster Secret's annotations: the infrastructure IDs the applied stack reported
 * (`overlays/<cluster>.outputs.json`), `infra.platform.company.ru/<output>`; none before.
 */
export function clusterSecretAnnotations(spec: ClusterSpec): Record<string, string> {
  const outputs = spec.infra.outputs ?? {};
  return Object.fromEntries(ANNOTATED_OUTPUTS.flatMap((o) => (outputs[o] ? [[`${INFRA_ANNOTATION_PREFIX}${o}`, outputs[o]] as const] : [])));
}

/**
 * Argo CD itself, namespaced: it manages only the namespaces its in-cluster secret lists and has
 * no ClusterRoles of its own. After the first `helm install` at bootstrap it manages itself from
 * this Application, so an upgrade is a change of the pin in catalog/versions.ts.
 */
export function argoCdComponent(spec: ClusterSpec, managedNamespaces: readonly string[], charts: readonly ChartPin[] = [], components: readonly string[] = []): PlatformComponent {
  const replicas = spec.argocd.replicas;
  // OCI registries the platform's charts come from, declared as Helm repositories with
  // enableOCI (no credentials: anonymous pulls), one repository Secret each.
  const repositories = Object.fromEntries(
    charts.flatMap((c) => { const r = helmRepository(c); return r ? [[r.name, r] as const] : []; }).sort(([a], [b]) => a.localeCompare(b)),
  );
  const policyCsv = spec.argocd.adminGroups.map((g) => `g, ${g}, role:admin`).join('\n') + '\n';
  const sso = spec.argocd.sso;
  const oidc = oidcConfig(spec);
  // The UI is served only through the cluster's ingress, under the route's host: argocd-cm's
  // `url` (the OIDC redirect) is https://<that host>.
  const domain = argoCdRoute(spec)?.host ?? `argocd.${spec.domain}`;
  const releaseName = ARGOCD_RELEASE;
  // Each component's metrics Service and ServiceMonitor (charts/argocd-metrics.ts).
  const metrics = argoCdMetricsValues();
  const redisHa = spec.environment === 'prod';
  return {
    name: 'argo-cd',
    namespace: spec.argocd.namespace,
    secrets: argoCdSecrets(spec),
    helm: {
      chart: CHARTS.argoCd,
      releaseName,
      wave: WAVES.argocd,
      serverSideApply: true,
      values: {
        // The chart's NetworkPolicies would admit anyone to argocd-server; ours (extraObjects) do not.
        global: { domain, networkPolicy: { create: false } },
        extraObjects: argoCdNetworkPolicies({ releaseName, namespace: spec.argocd.namespace, ingressNamespace: ingressControllerNamespace(spec), redisHa }),
        // Namespaced install: no ClusterRoles; cluster-scoped rights come from the bootstrap RBAC.
        createClusterRoles: false,
        createAggregateRoles: false,
        crds: { install: true, keep: true },
        configs: {
          params: { 'server.insecure': true },
          cm: {
            'exec.enabled': false,
            'timeout.reconciliation': '180s',
            // The cluster Secret sets clusterResources: true, so the controller's cache lists every
            // kind: cluster-scoped ones it may not list (Nodes, PersistentVolumes, ...: its
            // ClusterRole holds only the platform's kinds) would fail the cache and every
            // Application with it. strict: a forbidden kind is checked with a SelfSubjectAccessReview
            // and left out. Namespaced kinds it may list in every namespace it manages (bootstrap).
            // The chart's default resource.exclusions (Endpoints, Leases, ...) stay.
            'resource.respectRBAC': 'strict',
            // Argo CD 1.8 dropped the health check of Application objects, so the root marks a
            // child Healthy as soon as it exists and syncs the next wave at once: CRs before their
            // operator's CRDs are established, policies before Kyverno answers. With this check
            // (the one Argo CD's docs give) the root waits for each wave's children to be Healthy.
            'resource.customizations.health.argoproj.io_Application': APPLICATION_HEALTH_LUA,
            // With SSO the local admin (a shared password) is off: people log in as themselves.
            ...(oidc ? { 'oidc.config': oidc, 'admin.enabled': false } : {}),
          },
          rbac: { 'policy.default': '', 'policy.csv': policyCsv, scopes: `[${sso?.groupsClaim ?? 'groups'}]` },
          // The Git server's host keys are pinned here: the chart owns argocd-ssh-known-hosts-cm, so
          // a key added by hand would be reverted by self-heal.
          ssh: { extraHosts: spec.gitops.git.knownHosts.join('\n') },
          ...(Object.keys(repositories).length ? { repositories } : {}),
          clusterCredentials: {
            'in-cluster': {
              server: IN_CLUSTER,
              namespaces: [...managedNamespaces].sort().join(','),
              clusterResources: true,
              labels: clusterSecretLabels(spec, components),
              ...(Object.keys(clusterSecretAnnotations(spec)).length ? { annotations: clusterSecretAnnotations(spec) } : {}),
              config: { tlsClientConfig: { insecure: false } },
            },
          },
        },
        controller: { replicas: 1, ...metrics.controller },
        // Reachable only through the cluster's ingress (TLS there): a ClusterIP Service, no
        // Ingress of the chart's own.
        server: { replicas, service: { type: 'ClusterIP' }, ingress: { enabled: false }, ...metrics.server },
        // SSO talks to the OIDC provider directly; Dex would be one more unused server.
        dex: { enabled: false },
        repoServer: { replicas, ...metrics.repoServer },
        applicationSet: { replicas: spec.environment === 'prod' ? 2 : 1, ...metrics.applicationSet },
        notifications: { ...metrics.notifications },
        'redis-ha': { enabled: redisHa },
      },
    },
  };
}
