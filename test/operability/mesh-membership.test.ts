// The mesh covers the team namespaces the overlay names (teams[].mesh): the platform renders the
// namespaces, so it labels them; meshed pods pass the namespaces' Pod Security level (Istio's CNI
// agent instead of the privileged istio-init); and Prometheus, outside the mesh, can still scrape
// a meshed service under STRICT mTLS because its metrics port stays PERMISSIVE.
import { renderCluster } from '../../charts/cluster.js';
import { resolveCluster } from '../../spec/load.js';
import { EXAMPLE_BACKEND } from '../../spec/observability.js';
import { specFor } from '../helpers/fleet.js';
import { describeWithReferenceData } from '../helpers/reference-data.js';
import { ofKind, useRealCharts, type K8sObject } from '../charts-real/real-charts.js';

const REPO = 'ssh://git@git.company.ru/payments/deploy.git';
const payments = (mesh?: unknown) => ({ name: 'payments', groups: ['team-payments'], namespaces: ['payments', 'payments-batch'], repos: [REPO], ...(mesh === undefined ? {} : { mesh }) });
const storefront = (metrics: Record<string, unknown> = EXAMPLE_BACKEND.metrics!, mesh: unknown = true) => ({
  name: 'storefront', groups: ['team-storefront'], namespaces: ['storefront'], repos: ['ssh://git@git.company.ru/storefront/deploy.git'],
  services: [{ ...EXAMPLE_BACKEND, metrics }], mesh,
});
const istio = (teams: unknown[], mesh: Record<string, unknown> = { kind: 'istio', istioMode: 'sidecar' }) => ({ cloud: 'yandex', environment: 'prod', mesh, teams });

const objects = (overlay: Record<string, unknown>) => renderCluster(specFor(overlay, 'm1')).manifests.map((m) => m.object as K8sObject);
const namespace = (os: K8sObject[], name: string) => ofKind(os, 'Namespace', name)[0];

describe('teams[].mesh labels the team namespaces the platform renders', () => {
  test('sidecar mode: every namespace of a team with mesh: true gets istio-injection=enabled', () => {
    const os = objects(istio([payments(true)]));
    expect(namespace(os, 'payments').metadata.labels['istio-injection']).toBe('enabled');
    expect(namespace(os, 'payments-batch').metadata.labels['istio-injection']).toBe('enabled');
  });

  test('a list meshes only the namespaces it names', () => {
    const os = objects(istio([payments(['payments'])]));
    expect(namespace(os, 'payments').metadata.labels['istio-injection']).toBe('enabled');
    expect(namespace(os, 'payments-batch').metadata.labels).not.toHaveProperty('istio-injection');
  });

  test('a team without mesh, and every platform namespace, stays out', () => {
    const os = objects(istio([payments()]));
    const labelled = ofKind(os, 'Namespace').filter((n) => n.metadata.labels?.['istio-injection'] || n.metadata.labels?.['istio.io/dataplane-mode']);
    expect(labelled.map((n) => n.metadata.name)).toEqual([]);
  });

  test('ambient mode: istio.io/dataplane-mode=ambient instead of the injection label', () => {
    const os = objects({ ...istio([payments(true)], { kind: 'istio', istioMode: 'ambient' }), ingress: { kind: 'istio' } });
    expect(namespace(os, 'payments').metadata.labels).toMatchObject({ 'istio.io/dataplane-mode': 'ambient' });
    expect(namespace(os, 'payments').metadata.labels).not.toHaveProperty('istio-injection');
  });

  test('the example yc-prod meshes payments and storefront, not storefront-jobs', async () => {
    const { loadFleet } = await import('../../spec/load.js');
    const { EXAMPLE_OVERLAYS } = await import('../helpers/fleet.js');
    const yc = (await loadFleet(EXAMPLE_OVERLAYS)).find((s) => s.name === 'yc-prod')!;
    const os = renderCluster(yc).manifests.map((m) => m.object as K8sObject);
    const injected = ofKind(os, 'Namespace').filter((n) => n.metadata.labels?.['istio-injection'] === 'enabled').map((n) => n.metadata.name);
    expect(injected).toEqual(['payments', 'storefront']);
  });
});

test('the sidecar mesh\'s CNI agent runs in a privileged namespace of its own, so istio-system is not privileged', async () => {
  const { loadFleet } = await import('../../spec/load.js');
  const { EXAMPLE_OVERLAYS } = await import('../helpers/fleet.js');
  const yc = (await loadFleet(EXAMPLE_OVERLAYS)).find((s) => s.name === 'yc-prod')!;
  const rendered = renderCluster(yc);
  const cni = rendered.manifests.find((m) => m.object.kind === 'Application' && m.object.metadata.name === 'istio-cni')!.object;
  expect(cni.spec.destination.namespace).toBe('istio-cni');
  const os = rendered.manifests.map((m) => m.object as K8sObject);
  const level = (ns: string) => namespace(os, ns).metadata.labels['pod-security.kubernetes.io/enforce'];
  expect(level('istio-cni')).toBe('privileged');
  expect(level('istio-system')).not.toBe('privileged');
});

describe('Prometheus scrapes meshed services under STRICT mTLS', () => {
  test('a scraped service of a meshed namespace gets a PeerAuthentication leaving its metrics container port PERMISSIVE', () => {
    const os = objects(istio([storefront()]));
    const [monitor] = ofKind(os, 'ServiceMonitor', 'storefront-api');
    const policies = ofKind(os, 'PeerAuthentication').filter((p) => p.metadata.namespace === 'storefront');
    expect(policies).toHaveLength(1);
    expect(policies[0].spec).toEqual({
      // The pods the ServiceMonitor's Service selects carry the same labels (docs/services).
      selector: { matchLabels: monitor.spec.selector.matchLabels },
      mtls: { mode: 'UNSET' },
      portLevelMtls: { 8080: { mode: 'PERMISSIVE' } },
    });
  });

  test('an unmeshed namespace gets no PeerAuthentication (nothing to open)', () => {
    const os = objects(istio([storefront(EXAMPLE_BACKEND.metrics!, false)]));
    expect(ofKind(os, 'PeerAuthentication').filter((p) => p.metadata.namespace === 'storefront')).toEqual([]);
  });
});

describeWithReferenceData('meshed team pods pass Pod Security restricted', 'helm/charts', () => {
  const charts = useRealCharts(['istiod', 'cni']);
  const spec = specFor(istio([payments(true)]), 'm2');

  test('sidecar mode installs the Istio CNI agent and the injector uses it (no istio-init with NET_ADMIN)', () => {
    const injector = ofKind(charts().render(spec, 'istiod'), 'ConfigMap', 'istio-sidecar-injector')[0];
    expect(JSON.parse(injector.data.values).pilot.cni.enabled).toBe(true);
    expect(ofKind(charts().render(spec, 'istio-cni'), 'DaemonSet', 'istio-cni-node')).toHaveLength(1);
  });

  test('the injected containers declare seccompProfile RuntimeDefault, as restricted requires of each container without a pod-level one', () => {
    const injector = ofKind(charts().render(spec, 'istiod'), 'ConfigMap', 'istio-sidecar-injector')[0];
    expect(JSON.parse(injector.data.values).global.proxy.seccompProfile).toEqual({ type: 'RuntimeDefault' });
  });

  test('the injected containers keep the chart\'s CPU and memory requests and memory limit (require-requests-limits)', () => {
    const injector = ofKind(charts().render(spec, 'istiod'), 'ConfigMap', 'istio-sidecar-injector')[0];
    const { resources } = JSON.parse(injector.data.values).global.proxy;
    expect([resources.requests.cpu, resources.requests.memory, resources.limits.memory].every(Boolean)).toBe(true);
  });
});

describe('a bad teams[].mesh gets one line naming the field', () => {
  const problemsOf = (overlay: Record<string, unknown>) => resolveCluster({
    name: 'c1', file: 'overlays/c1.ts',
    overlay: { domain: 'prod.company.ru', secrets: { ageRecipients: ['age190vd7ndvmhuc23dvgfpznujeuwufj92f0lpajhlfl52rky3kdprsnqz0pm'] }, observability: { alertmanager: { receivers: [{ name: 'o', webhook: { url: 'https://o.company.ru/' } }] } }, ...overlay },
  }).problems;

  test('a mesh field on a cluster without a mesh', () => {
    expect(problemsOf(istio([payments(true)], { kind: 'none' }))).toEqual(['overlays/c1.ts: teams[0].mesh: received true but mesh.kind is "none"; set mesh.kind to "istio", or leave the team out of the mesh']);
  });

  test('a namespace the team does not own', () => {
    expect(problemsOf(istio([payments(['payments', 'shop'])]))).toEqual(['overlays/c1.ts: teams[0].mesh[1]: received "shop", not a namespace of team "payments" (payments, payments-batch)']);
  });

  test('a scraped service of an Istio-meshed namespace without its metrics container port', () => {
    const [problem] = problemsOf(istio([storefront({ port: 'http' })]));
    expect(problem).toMatch(/^overlays\/c1\.ts: teams\[0\]\.services\[0\]\.metrics\.containerPort: missing; namespace "storefront" is in the Istio mesh/);
  });

  test('Linkerd: refused until linkerd-cni is pinned (proxy-init needs NET_ADMIN, which restricted refuses)', () => {
    const [problem] = problemsOf({ cloud: 'vk', environment: 'stage', ingress: { kind: 'traefik' }, mesh: { kind: 'linkerd' }, teams: [payments(true)] });
    expect(problem).toMatch(/^overlays\/c1\.ts: teams\[0\]\.mesh: received true on a Linkerd cluster; Linkerd's proxy-init container needs NET_ADMIN and NET_RAW/);
  });
});
