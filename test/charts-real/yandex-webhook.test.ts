// The Yandex Cloud DNS-01 webhook for cert-manager, pinned at 1.0.11 (the repository's master,
// see ../shared/helm/charts/SOURCES.md): the first version whose bundled cert-manager v1.13 and
// ClusterIssuer can be switched off (`cert-manager.enabled`, `installClusterIssuer.enabled`);
// 1.0.8-1/1.0.9 rendered a second cert-manager and a ClusterIssuer with placeholder values.
// - Its Application names the registry as Argo CD 3.x wants a Helm chart from OCI: repoURL without
//   the oci:// scheme (with it, Argo CD reads a plain OCI artifact and ignores `chart`) plus
//   `chart`, and the argo-cd chart declares the registry as a Helm repository with enableOCI.
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

  test('the Application reads the chart from the registry path without oci://, with chart; the chart renders no CRDs (they came with the bundled cert-manager, now off)', () => {
    expect(CHARTS.certManagerWebhookYandex.repoURL).toBe(`oci://${REGISTRY}/cert-manager-webhook-yandex`);
    expect(application().spec.source).toMatchObject({
      repoURL: REGISTRY, chart: 'cert-manager-webhook-yandex', targetRevision: CHARTS.certManagerWebhookYandex.version, helm: { skipCrds: true },
    });
    // skipCrds stays, so that switching the bundled cert-manager back on could never overwrite
    // the CRDs the cert-manager Application (1.21) owns with v1.13 copies.
    expect(ofKind(charts().renderSource({ ...charts().source(yc, 'cert-manager-webhook-yandex'), skipCrds: false }), 'CustomResourceDefinition')).toEqual([]);
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

  test('only the DNS-01 solver runs: no second cert-manager, no Job; nothing in kube-system but the auth-reader RoleBinding', () => {
    const o = objects();
    const replicas = Object.fromEntries(ofKind(o, 'Deployment').map((d) => [d.metadata.name, d.spec.replicas]));
    expect(replicas).toEqual({ 'cert-manager-webhook-yandex-yc': 2 }); // prod: two solver replicas
    expect(ofKind(o, 'Job')).toEqual([]);
    expect(names(o.filter((x) => x.metadata?.namespace === 'kube-system'))).toEqual([
      'RoleBinding/kube-system/cert-manager-webhook-yandex-yc:webhook-authentication-reader',
    ]);
    expect(disallowedImages(yc, imagesOf(o))).toEqual([]);
  });

  test('no ClusterIssuer and no credentials Secret with placeholder values: the cluster\'s issuers are the platform\'s own; the Issuers left sign only the webhook\'s serving certificate', () => {
    const o = objects();
    expect(ofKind(o, 'ClusterIssuer')).toEqual([]);
    expect(ofKind(o, 'Secret')).toEqual([]);
    expect(names([...ofKind(o, 'ValidatingWebhookConfiguration'), ...ofKind(o, 'MutatingWebhookConfiguration')])).toEqual([]);
    expect(names(ofKind(o, 'Issuer'))).toEqual([
      `Issuer/${CERT_MANAGER_NAMESPACE}/cert-manager-webhook-yandex-yc-ca`, `Issuer/${CERT_MANAGER_NAMESPACE}/cert-manager-webhook-yandex-yc-selfsign`,
    ]);
  });
});
