// What a team can publish and create, judged on the rendered cluster: its AppProject as Argo CD
// checks kinds, and the rendered team-hosts ValidatingPolicies evaluated in CEL as Kyverno's
// admission webhook would (simulate/admission).
import { renderCluster } from '../../charts/cluster.js';
import { checkKyvernoPolicies } from '../../simulate/admission/kyverno.js';
import { isGroupKindPermitted } from '../../simulate/project.js';
import { specFor } from '../helpers/fleet.js';

type Obj = Record<string, any>;

function rendered(overlay: Record<string, unknown>) {
  const objects = renderCluster(specFor(overlay)).manifests.map((m) => m.object as Obj);
  const policies = objects.filter((o) => o.kind === 'ValidatingPolicy' && String(o.metadata?.name).startsWith('team-hosts-'));
  if (!policies.length) throw new Error('no team-hosts ValidatingPolicy rendered');
  const project = (name: string) => objects.find((o) => o.kind === 'AppProject' && o.metadata?.name === name)!;
  /** The Deny messages creating `object` in its namespace gets. */
  const admit = (object: Obj) => checkKyvernoPolicies(
    { cluster: 'c1', file: 'team.yaml', object }, policies, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: object.metadata.namespace } },
  ).map((f) => f.message);
  return { objects, policies, project, admit };
}

const virtualService = (namespace: string, hosts: string[], destination = `api.${namespace}.svc.cluster.local`) => ({
  apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'api', namespace },
  spec: { hosts, gateways: ['istio-ingress/platform'], http: [{ route: [{ destination: { host: destination, port: { number: 8080 } } }] }] },
});
const ingressRoute = (namespace: string, match: string, serviceNamespace?: string) => ({
  apiVersion: 'traefik.io/v1alpha1', kind: 'IngressRoute', metadata: { name: 'api', namespace },
  spec: { entryPoints: ['websecure'], routes: [{ kind: 'Rule', match, services: [{ name: 'api', port: 8080, ...(serviceNamespace ? { namespace: serviceNamespace } : {}) }] }] },
});
const certificate = (namespace: string, spec: Obj) => ({
  apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: { name: 'api', namespace },
  spec: { secretName: 'api-tls', issuerRef: { kind: 'ClusterIssuer', name: 'letsencrypt-production' }, ...spec },
});

describe('team AppProject: an allow list of what a service needs', () => {
  const { project } = rendered({});
  const may = (group: string, kind: string) => isGroupKindPermitted(project('payments'), group, kind, 'x', true);

  test('a team may create the kinds of a normal service', () => {
    const kinds: [string, string][] = [
      ['apps', 'Deployment'], ['', 'Service'], ['', 'ConfigMap'], ['', 'ServiceAccount'], ['autoscaling', 'HorizontalPodAutoscaler'],
      ['policy', 'PodDisruptionBudget'], ['monitoring.coreos.com', 'ServiceMonitor'], ['batch', 'CronJob'], ['networking.istio.io', 'VirtualService'],
    ];
    expect(kinds.filter(([g, k]) => !may(g, k))).toEqual([]);
  });

  test('a team may not create SopsSecrets, Issuers, Gateways, Kyverno policies or exceptions, RBAC, quotas or Endpoints', () => {
    const kinds: [string, string][] = [
      ['isindir.github.com', 'SopsSecret'], ['cert-manager.io', 'Issuer'], ['cert-manager.io', 'CertificateRequest'],
      ['networking.istio.io', 'Gateway'], ['networking.istio.io', 'ServiceEntry'], ['networking.istio.io', 'EnvoyFilter'],
      ['policies.kyverno.io', 'ValidatingPolicy'], ['kyverno.io', 'PolicyException'], ['policies.kyverno.io', 'PolicyException'],
      ['rbac.authorization.k8s.io', 'Role'], ['rbac.authorization.k8s.io', 'RoleBinding'], ['', 'ResourceQuota'], ['', 'LimitRange'],
      ['', 'Endpoints'], ['discovery.k8s.io', 'EndpointSlice'], ['traefik.io', 'IngressRoute'], ['apps', 'DaemonSet'],
    ];
    expect(kinds.filter(([g, k]) => may(g, k))).toEqual([]);
  });

  test('a team may create no cluster-scoped kind (ClusterIssuer, ClusterRole, Kyverno policies)', () => {
    const p = project('payments');
    expect([['cert-manager.io', 'ClusterIssuer'], ['rbac.authorization.k8s.io', 'ClusterRoleBinding'], ['policies.kyverno.io', 'ValidatingPolicy']]
      .filter(([g, k]) => isGroupKindPermitted(p, g!, k!, 'x', false))).toEqual([]);
  });
});

describe('Istio cluster: a team publishes only its own names', () => {
  const { admit, objects } = rendered({ ingress: { kind: 'istio' } });

  test('a team VirtualService for vault.<domain> is denied', () => {
    expect(admit(virtualService('payments', ['vault.prod.company.ru']))).toEqual([expect.stringContaining('a VirtualService may name only the names of team payments')]);
  });

  test('a team VirtualService for the Argo CD host is denied', () => {
    expect(admit(virtualService('payments', ['argocd.prod.company.ru']))).toEqual([expect.stringContaining('a VirtualService may name only')]);
  });

  test('a team VirtualService for a name under its own subdomain is admitted', () => {
    expect(admit(virtualService('payments', ['api.payments.prod.company.ru']))).toEqual([]);
  });

  test('the host the overlay serves from a team namespace is that team\'s (shop → storefront), not another team\'s', () => {
    expect(admit(virtualService('storefront', ['shop.prod.company.ru']))).toEqual([]);
    expect(admit(virtualService('payments', ['shop.prod.company.ru'], 'api.payments.svc.cluster.local'))).toEqual([expect.stringContaining('a VirtualService may name only')]);
  });

  test('a wildcard over the cluster domain is denied', () => {
    expect(admit(virtualService('payments', ['*.prod.company.ru']))).toEqual([expect.stringContaining('a VirtualService may name only')]);
  });

  test('a team VirtualService on its own host that sends traffic to Vault\'s Service is denied', () => {
    expect(admit(virtualService('payments', ['api.payments.prod.company.ru'], 'vault.vault.svc.cluster.local')))
      .toEqual([expect.stringContaining('sends traffic only to Services of its namespaces payments')]);
  });

  test('a mesh VirtualService in a team namespace may not take over another namespace\'s Service name', () => {
    expect(admit(virtualService('payments', ['vault.vault.svc.cluster.local']))).toEqual([expect.stringContaining('a VirtualService may name only')]);
    expect(admit(virtualService('payments', ['api']))).toEqual([]);
  });

  test('the platform\'s own VirtualServices (in the gateway namespace) are not judged by the team policies', () => {
    const platformRoutes = objects.filter((o) => o.kind === 'VirtualService');
    expect(platformRoutes.map((o) => o.spec.hosts[0])).toContain('argocd.prod.company.ru');
    expect(platformRoutes.flatMap((o) => admit(o))).toEqual([]);
  });
});

describe('Traefik cluster: allowCrossNamespace does not let a team publish others', () => {
  const { admit } = rendered({ ingress: { kind: 'traefik' } });

  test('a team IngressRoute for vault.<domain> is denied', () => {
    expect(admit(ingressRoute('payments', 'Host(`vault.prod.company.ru`)'))).toEqual([expect.stringContaining('names may be only the names of team payments')]);
  });

  test('a team IngressRoute for its own host, with paths, is admitted', () => {
    expect(admit(ingressRoute('payments', 'Host(`api.payments.prod.company.ru`) && (PathPrefix(`/api`) || PathPrefix(`/healthz`))'))).toEqual([]);
  });

  test('a team IngressRoute whose rule can match without its host (|| outside a group) is denied', () => {
    expect(admit(ingressRoute('payments', 'Host(`api.payments.prod.company.ru`) || PathPrefix(`/`)'))).toEqual([expect.stringContaining('an IngressRoute rule is Host(`name`) first')]);
    expect(admit(ingressRoute('payments', 'PathPrefix(`/v1/sys`)'))).toEqual([expect.stringContaining('an IngressRoute rule is Host(`name`) first')]);
  });

  test('a team IngressRoute on its own host that points at a Service in the vault namespace is denied', () => {
    expect(admit(ingressRoute('payments', 'Host(`api.payments.prod.company.ru`)', 'vault')))
      .toEqual([expect.stringContaining('sends traffic only to Services (kind Service) of its namespaces payments')]);
  });
});

describe('certificates in team namespaces: own names, the cluster\'s issuer, server use', () => {
  const { admit } = rendered({ tls: { issuer: 'letsencrypt' } });

  test('a team Certificate for its own name from the cluster issuer is admitted', () => {
    expect(admit(certificate('payments', { dnsNames: ['api.payments.prod.company.ru'] }))).toEqual([]);
  });

  test('a team Certificate for vault.<domain> is denied', () => {
    expect(admit(certificate('payments', { dnsNames: ['vault.prod.company.ru'] }))).toEqual([expect.stringContaining('a Certificate may name only the names of team payments')]);
  });

  test('a team Certificate that is a CA, or for client auth, is denied', () => {
    expect(admit(certificate('payments', { dnsNames: ['api.payments.prod.company.ru'], isCA: true }))).toEqual([expect.stringContaining('not a CA')]);
    expect(admit(certificate('payments', { dnsNames: ['api.payments.prod.company.ru'], usages: ['client auth'] }))).toEqual([expect.stringContaining('not a CA, usages only')]);
  });

  test('a team Certificate from another issuer than the cluster\'s (company-ca on a Let\'s Encrypt cluster) is denied', () => {
    expect(admit(certificate('payments', { dnsNames: ['api.payments.prod.company.ru'], issuerRef: { kind: 'ClusterIssuer', name: 'company-ca' } })))
      .toEqual([expect.stringContaining('issued by the ClusterIssuer letsencrypt-production')]);
  });
});

test('a team whose subdomain would cover a platform host is refused at synth (team "grafana")', () => {
  expect(() => rendered({
    teams: [{ name: 'grafana', groups: ['g'], namespaces: ['grafana-team'], repos: ['ssh://git@git.company.ru/g/deploy.git'] }],
  })).toThrow(/subdomains.*grafana\.prod\.company\.ru.*platform's host grafana\.prod\.company\.ru/);
});

test('the team fence runs at admission only (the reports controller need not list route kinds), failing closed', () => {
  const { policies } = rendered({});
  expect(policies.map((p) => [p.metadata.name, p.spec.evaluation, p.spec.failurePolicy, p.spec.validationActions])).toEqual([
    ['team-hosts-payments', { background: { enabled: false } }, 'Fail', ['Deny']],
    ['team-hosts-storefront', { background: { enabled: false } }, 'Fail', ['Deny']],
  ]);
});
