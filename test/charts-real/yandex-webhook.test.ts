// The Yandex Cloud DNS-01 webhook for cert-manager, pinned as the Marketplace OCI artifact
// 1.0.8-1 (the git chart 1.0.9 stands in for it, see ../shared/helm/charts/SOURCES.md).
// - Its Application names the registry as Argo CD 3.x wants a Helm chart from OCI: repoURL without
//   the oci:// scheme (with it, Argo CD reads a plain OCI artifact and ignores `chart`) plus
//   `chart`, and the argo-cd chart declares the registry as a Helm repository with enableOCI.
// - The pinned chart bundles cert-manager v1.13.2 with no condition, and a ClusterIssuer and a
//   Secret with placeholder values it cannot leave out (1.0.11 gates them behind
//   `cert-manager.enabled` and `installClusterIssuer.enabled`). What values can switch off is off;
//   what the chart still renders is listed here, so that it is visible and any change shows up.
import { CHARTS } from '../../catalog/versions.js';
import { CERT_MANAGER_NAMESPACE } from '../../charts/cert-manager.js';
import { renderCluster } from '../../charts/cluster.js';
import { loadFleet } from '../../spec/load.js';
import type { ClusterSpec } from '../../spec/schema.js';
import { EXAMPLE_OVERLAYS } from '../helpers/fleet.js';
import { describeWithReferenceData } from '../helpers/reference-data.js';
import { disallowedImages, imagesOf, ofKind, useRealCharts } from './real-charts.js';

const REGISTRY = 'cr.yandex/yc-marketplace/yandex-cloud';
const decode = (data: Record<string, string>) => Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()]));

describeWithReferenceData('the Yandex DNS-01 webhook (the pinned chart, rendered)', 'helm/charts', () => {
  const charts = useRealCharts(['cert-manager-webhook-yandex', 'argo-cd']);
  let yc: ClusterSpec;
  beforeAll(async () => {
    yc = (await loadFleet(EXAMPLE_OVERLAYS)).find((s) => s.name === 'yc-prod')!;
  });
  const application = () => renderCluster(yc).manifests.find((m) => m.object.kind === 'Application' && m.object.metadata.name === 'cert-manager-webhook-yandex')!.object;
  const objects = () => charts().render(yc, 'cert-manager-webhook-yandex');
  const names = (list: Record<string, any>[]) => list.map((o) => `${o.kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name}`).sort();

  test('the Application reads the chart from the registry path without oci://, with chart, and skips the bundled cert-manager v1.13 CRDs', () => {
    expect(CHARTS.certManagerWebhookYandex.repoURL).toBe(`oci://${REGISTRY}/cert-manager-webhook-yandex`);
    expect(application().spec.source).toMatchObject({
      repoURL: REGISTRY, chart: 'cert-manager-webhook-yandex', targetRevision: CHARTS.certManagerWebhookYandex.version, helm: { skipCrds: true },
    });
    // Argo CD applies none of the chart's crds/ ...
    expect(ofKind(objects(), 'CustomResourceDefinition')).toEqual([]);
    // ... which are the subchart's cert-manager v1.13 copies of the CRDs the cert-manager
    // Application (1.21) owns.
    const crds = ofKind(charts().renderSource({ ...charts().source(yc, 'cert-manager-webhook-yandex'), skipCrds: false }), 'CustomResourceDefinition');
    expect(crds.map((c) => c.metadata.name).sort()).toEqual([
      'certificaterequests.cert-manager.io', 'certificates.cert-manager.io', 'challenges.acme.cert-manager.io',
      'clusterissuers.cert-manager.io', 'issuers.cert-manager.io', 'orders.acme.cert-manager.io',
    ]);
    expect(new Set(crds.map((c) => c.metadata.labels?.['app.kubernetes.io/version']))).toEqual(new Set(['v1.13.2']));
  });

  test('the platform project permits that repository, and the argo-cd chart renders its repository Secret (type helm, enableOCI)', () => {
    const project = renderCluster(yc).manifests.find((m) => m.object.kind === 'AppProject' && m.object.metadata.name === 'platform')!.object;
    expect(project.spec.sourceRepos).toContain(REGISTRY);
    expect(project.spec.sourceRepos.filter((r: string) => r.startsWith('oci://'))).toEqual([]);
    const secrets = ofKind(charts().render(yc, 'argo-cd'), 'Secret').filter((s) => s.metadata.labels?.['argocd.argoproj.io/secret-type'] === 'repository');
    expect(secrets.map((s) => ({ name: s.metadata.name, namespace: s.metadata.namespace, data: decode(s.data) }))).toEqual([{
      name: 'argocd-repo-cr-yandex-yc-marketplace-yandex-cloud',
      namespace: 'argocd',
      data: { name: 'cr-yandex-yc-marketplace-yandex-cloud', url: REGISTRY, type: 'helm', enableOCI: 'true' },
    }]);
  });

  test('of the bundled cert-manager only its webhook runs: no second controller, cainjector or startupapicheck; nothing in kube-system but the auth-reader RoleBinding', () => {
    const o = objects();
    const replicas = Object.fromEntries(ofKind(o, 'Deployment').map((d) => [d.metadata.name, d.spec.replicas]));
    expect(replicas).toEqual({
      'cert-manager-webhook-yandex': 0, // the bundled v1.13 controller
      'cert-manager-webhook-yandex-webhook': 1, // the bundled v1.13 webhook (its webhook configurations fail closed)
      'cert-manager-webhook-yandex-yc': 2, // the DNS-01 solver itself (prod)
    });
    expect(ofKind(o, 'Job')).toEqual([]);
    expect(names(o.filter((x) => x.metadata?.namespace === 'kube-system'))).toEqual([
      'RoleBinding/kube-system/cert-manager-webhook-yandex-yc:webhook-authentication-reader',
    ]);
    expect(names(ofKind(o, 'Role'))).toEqual([
      `Role/${CERT_MANAGER_NAMESPACE}/cert-manager-webhook-yandex-webhook:dynamic-serving`,
      `Role/${CERT_MANAGER_NAMESPACE}/cert-manager-webhook-yandex:leaderelection`,
    ]);
    expect(disallowedImages(yc, imagesOf(o))).toEqual([]);
  });

  test('what the pinned chart cannot leave out: ClusterIssuer yc-clusterissuer and Secret cm-sa-creds with placeholder values, and v1.13 webhook configurations', () => {
    const o = objects();
    const [issuer] = ofKind(o, 'ClusterIssuer');
    expect(issuer.metadata.name).toBe('yc-clusterissuer');
    expect(issuer.spec.acme).toMatchObject({ email: 'string', server: 'https://acme-staging-v02.api.letsencrypt.org/directory' });
    expect(issuer.spec.acme.solvers[0].dns01.webhook.config).toEqual({ folder: 'string', serviceAccountSecretRef: { name: 'cm-sa-creds', key: 'key.json' } });
    const [secret] = ofKind(o, 'Secret');
    expect([secret.metadata.name, decode(secret.data)]).toEqual(['cm-sa-creds', { 'key.json': '{}\n' }]);
    expect(names([...ofKind(o, 'ValidatingWebhookConfiguration'), ...ofKind(o, 'MutatingWebhookConfiguration')])).toEqual([
      'MutatingWebhookConfiguration//cert-manager-webhook-yandex-webhook', 'ValidatingWebhookConfiguration//cert-manager-webhook-yandex-webhook',
    ]);
    // Every cluster-scoped kind it renders (CRDs aside, skipped) is one the component declares.
    const component = renderCluster(yc).manifests.find((m) => m.object.kind === 'AppProject' && m.object.metadata.name === 'platform')!.object;
    const allowed = new Set(component.spec.clusterResourceWhitelist.map((k: any) => `${k.group}/${k.kind}`));
    const clusterScoped = o.filter((x) => !x.metadata?.namespace && x.kind !== 'CustomResourceDefinition' && x.kind !== 'ServiceAccount');
    expect(clusterScoped.map((x) => `${String(x.apiVersion).includes('/') ? String(x.apiVersion).split('/')[0] : ''}/${x.kind}`).filter((k) => !allowed.has(k))).toEqual([]);
  });
});
