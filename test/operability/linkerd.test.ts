// Linkerd on a stage cluster can start: the trust-roots ConfigMap the control plane mounts is
// written in the cluster from cert-manager's anchor, every proxy the injector adds has the
// requests and memory limit require-requests-limits asks for, and the admission webhooks serve
// cert-manager's certificates instead of a pair Helm generates on every render.
import yaml from 'js-yaml';
import { renderCluster } from '../../charts/cluster.js';
import { specFor } from '../helpers/fleet.js';
import { describeWithReferenceData } from '../helpers/reference-data.js';
import { ofKind, useRealCharts, type K8sObject } from '../charts-real/real-charts.js';

const LINKERD = { cloud: 'vk', environment: 'stage', domain: 'stage.company.ru', ingress: { kind: 'traefik' }, mesh: { kind: 'linkerd' }, dns: { provider: 'none' } };
const WEBHOOK_KINDS = ['ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration'];

const podOf = (o: K8sObject): K8sObject => (o.kind === 'CronJob' ? o.spec.jobTemplate.spec.template.spec : o.spec.template.spec);
const containersOf = (o: K8sObject): K8sObject[] => [...(podOf(o).containers ?? []), ...(podOf(o).initContainers ?? [])];
/** The check of require-requests-limits (constructs/resource-policy.ts). */
const sized = (r: K8sObject | undefined) => Boolean(r?.requests?.cpu && r?.requests?.memory && r?.limits?.memory);

describeWithReferenceData('Linkerd starts on a cluster with cert-manager identity', 'helm/charts', () => {
  const charts = useRealCharts(['linkerd-control-plane']);
  const spec = specFor(LINKERD, 'vk-linkerd');
  const platform = () => renderCluster(spec).manifests.map((m) => m.object as K8sObject);
  const controlPlane = () => charts().render(spec, 'linkerd-control-plane');
  const inLinkerd = (kind: string, name?: string) => ofKind(platform(), kind, name).filter((o) => o.metadata.namespace === 'linkerd');

  test('the ConfigMap every control-plane pod mounts is not rendered by the chart (externalCA) but written by a Job of the mesh objects', () => {
    const cp = controlPlane();
    const mounted = new Set(cp.filter((o) => o.kind === 'Deployment').flatMap((d) => (podOf(d).volumes ?? []).map((v: K8sObject) => v.configMap?.name)).filter(Boolean));
    expect(mounted).toContain('linkerd-identity-trust-roots');
    expect(ofKind(cp, 'ConfigMap', 'linkerd-identity-trust-roots')).toEqual([]);

    const [job] = inLinkerd('Job');
    const [kustomizationMap] = inLinkerd('ConfigMap', job.metadata.name);
    const kustomization = yaml.load(kustomizationMap.data['kustomization.yaml']) as K8sObject;
    expect(kustomization).toMatchObject({
      namespace: 'linkerd',
      generatorOptions: { disableNameSuffixHash: true },
      configMapGenerator: [{ name: 'linkerd-identity-trust-roots', files: ['ca-bundle.crt'] }],
    });
    const [container] = podOf(job).containers;
    const dir = container.command[container.command.indexOf('-k') + 1];
    expect(container.command.slice(0, 2)).toEqual(['kubectl', 'apply']);
    const mount = container.volumeMounts.find((m: K8sObject) => m.mountPath === dir);
    const volume = podOf(job).volumes.find((v: K8sObject) => v.name === mount.name);
    expect(volume.projected.sources).toEqual(expect.arrayContaining([
      { secret: { name: 'linkerd-identity-issuer', items: [{ key: 'ca.crt', path: 'ca-bundle.crt' }] } },
      { configMap: { name: kustomizationMap.metadata.name, items: [{ key: 'kustomization.yaml', path: 'kustomization.yaml' }] } },
    ]));
  });

  test('the Secret the Job copies carries the anchor: the identity issuer is signed by the anchor\'s CA issuer', () => {
    const anchor = ofKind(platform(), 'Certificate', 'linkerd-trust-anchor')[0];
    const [anchorIssuer] = ofKind(platform(), 'ClusterIssuer', 'linkerd-trust-anchor');
    const [issuer] = inLinkerd('Certificate', 'linkerd-identity-issuer');
    expect(anchorIssuer.spec.ca.secretName).toBe(anchor.spec.secretName);
    expect(issuer.spec).toMatchObject({ secretName: 'linkerd-identity-issuer', issuerRef: { kind: 'ClusterIssuer', name: 'linkerd-trust-anchor' } });
  });

  test('the Job is a Sync hook after the Certificates, re-run on every sync, and a weekly CronJob runs the same pod', () => {
    const [job] = inLinkerd('Job');
    expect(job.metadata.annotations).toMatchObject({ 'argocd.argoproj.io/hook': 'Sync', 'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation' });
    expect(Number(job.metadata.annotations['argocd.argoproj.io/sync-wave'])).toBeGreaterThan(0);
    const [cron] = inLinkerd('CronJob');
    expect(podOf(cron)).toEqual(podOf(job));
  });

  test('the Job may write that one ConfigMap and read nothing else', () => {
    const [job] = inLinkerd('Job');
    const [binding] = inLinkerd('RoleBinding').filter((b) => b.subjects.some((s: K8sObject) => s.name === podOf(job).serviceAccountName));
    const [role] = inLinkerd('Role', binding.roleRef.name);
    expect(role.rules).toEqual([
      { apiGroups: [''], resources: ['configmaps'], resourceNames: ['linkerd-identity-trust-roots'], verbs: ['get', 'patch'] },
      { apiGroups: [''], resources: ['configmaps'], verbs: ['create'] },
    ]);
  });

  test('the trust anchor keeps its key when cert-manager renews it', () => {
    const [anchor] = ofKind(platform(), 'Certificate', 'linkerd-trust-anchor');
    expect(anchor.spec.privateKey.rotationPolicy).toBe('Never');
  });

  test('the proxy and proxy-init containers the chart renders have CPU and memory requests and a memory limit', () => {
    const containers = controlPlane().filter((o) => o.kind === 'Deployment').flatMap(containersOf)
      .filter((c) => ['linkerd-proxy', 'linkerd-init'].includes(c.name));
    expect(containers.length).toBeGreaterThan(0);
    expect(containers.filter((c) => !sized(c.resources)).map((c) => c.name)).toEqual([]);
  });

  test('the injector injects the same resources into team pods (linkerd-config values)', () => {
    const [config] = ofKind(controlPlane(), 'ConfigMap', 'linkerd-config');
    const proxy = (yaml.load(config.data.values) as K8sObject).proxy;
    expect(proxy.resources.cpu.request).toBeTruthy();
    expect(proxy.resources.memory.request).toBeTruthy();
    expect(proxy.resources.memory.limit).toBeTruthy();
  });

  test('the chart renders no object that changes with the render time: no heartbeat CronJob, whose default schedule is `now`', () => {
    // Argo CD renders the chart again on every refresh: a time-dependent object never stays Synced.
    expect(ofKind(controlPlane(), 'CronJob').map((o) => o.metadata.name)).toEqual([]);
    expect(controlPlane().filter((o) => JSON.stringify(o).includes('heartbeat')).map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([]);
  });

  test('the chart renders no webhook Secret and no caBundle: cainjector fills each from a cert-manager Certificate', () => {
    const cp = controlPlane();
    expect(ofKind(cp, 'Secret')).toEqual([]);
    const webhooks = cp.filter((o) => WEBHOOK_KINDS.includes(o.kind));
    expect(webhooks).toHaveLength(3);
    for (const w of webhooks) {
      expect(w.webhooks.map((h: K8sObject) => h.clientConfig.caBundle)).toEqual(w.webhooks.map(() => undefined));
      const [ns, name] = w.metadata.annotations['cert-manager.io/inject-ca-from'].split('/');
      const [cert] = ofKind(platform(), 'Certificate', name).filter((c) => c.metadata.namespace === ns);
      // The Certificate names the webhook's Service, and writes the Secret its Deployment mounts.
      const service = w.webhooks[0].clientConfig.service;
      expect(cert.spec.dnsNames).toEqual([`${service.name}.${service.namespace}.svc`]);
      const mountsIt = cp.filter((o) => o.kind === 'Deployment').some((d) => podOf(d).volumes?.some((v: K8sObject) => v.secret?.secretName === cert.spec.secretName));
      expect({ webhook: w.metadata.name, mounted: mountsIt }).toEqual({ webhook: w.metadata.name, mounted: true });
    }
  });
});
