import { renderCluster } from '../../charts/cluster.js';
import { resourceOf } from '../../primitives/kinds.js';
import { specFor } from '../helpers/fleet.js';

const objects = (spec = specFor()): Record<string, any>[] => renderCluster(spec).manifests.map((m) => ({ file: m.file, ...m.object }));
const find = (kind: string, name: string, spec = specFor()) => objects(spec).find((o) => o.kind === kind && o.metadata.name === name)!;

describe('a rendered cluster', () => {
  test('lays every object out as clusters/<cluster>/<folder>/<kind>-<name>.yaml', () => {
    expect(renderCluster(specFor()).files.map((f) => f.path)).toContain('clusters/c1/bootstrap/application-root.yaml');
    expect(renderCluster(specFor()).files.every((f) => /^clusters\/c1\/[a-z-]+\/[a-z]+-[a-z0-9.-]+\.yaml$/.test(f.path))).toBe(true);
  });

  test('the root Application syncs the apps folder and never cascades a delete', () => {
    const root = find('Application', 'root');
    expect(root.spec.source.path).toBe('clusters/c1/apps');
    expect(root.metadata.finalizers).toBeUndefined();
    expect(root.file).toBe('clusters/c1/bootstrap/application-root.yaml');
  });

  const namespaces = () => objects().filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name as string).sort();

  test('Argo CD is installed namespaced, without cluster roles of its own, managing the namespaces the bootstrap creates and kube-system', () => {
    const argo = find('Application', 'argo-cd');
    expect(argo.spec.source.helm.valuesObject.createClusterRoles).toBe(false);
    // kube-system is not created but managed: kube-prometheus-stack writes its exporters' Services there.
    expect(argo.spec.source.helm.valuesObject.configs.clusterCredentials['in-cluster'].namespaces).toBe([...namespaces(), 'kube-system'].sort().join(','));
  });

  test('Argo CD syncs before everything else', () => {
    const waves = objects().filter((o) => o.kind === 'Application' && o.metadata.name !== 'root')
      .map((o) => [o.metadata.name, Number(o.metadata.annotations['argocd.argoproj.io/sync-wave'])] as const);
    const argo = waves.find(([n]) => n === 'argo-cd')![1];
    expect(waves.filter(([n]) => n !== 'argo-cd').every(([, w]) => w > argo)).toBe(true);
  });

  test('the bootstrap creates a namespace for every namespace an Application deploys into', () => {
    const destinations = new Set(objects().filter((o) => o.kind === 'Application').map((o) => o.spec.destination.namespace as string));
    expect(namespaces()).toEqual([...destinations].sort());
    expect(namespaces()).toEqual(expect.arrayContaining(['argocd', 'payments', 'storefront', 'storefront-jobs']));
  });

  test('the controller is admin in managed namespaces only, through RoleBindings', () => {
    const bindings = objects().filter((o) => o.kind === 'RoleBinding' && o.roleRef.name === 'argocd-namespace-manager');
    expect(bindings.map((b) => b.metadata.namespace).sort()).toEqual(namespaces());
    expect(bindings.every((b) => b.subjects.map((s: { name: string }) => s.name).join() === 'argocd-application-controller')).toBe(true);
    const clusterWide = objects().filter((o) => o.kind === 'ClusterRoleBinding').map((b) => [b.roleRef.name, b.subjects.map((s: { name: string }) => s.name).join()]);
    expect(clusterWide).toEqual([['argocd-platform-cluster-resources', 'argocd-application-controller'], ['argocd-server-cluster-resources', 'argocd-server']]);
  });

  test('the platform project allows exactly the cluster-scoped kinds its components declare', () => {
    const platform = find('AppProject', 'platform');
    const role = find('ClusterRole', 'argocd-platform-cluster-resources');
    const kinds = platform.spec.clusterResourceWhitelist.map((k: { kind: string }) => resourceOf(k.kind));
    const granted = role.rules.filter((r: { verbs: string[] }) => r.verbs.includes('create')).flatMap((r: { resources: string[] }) => r.resources);
    expect(granted.sort()).toEqual(kinds.sort());
  });

  test('a team project allows its repositories and namespaces and no cluster-scoped kind', () => {
    const p = find('AppProject', 'storefront');
    expect(p.spec.sourceRepos).toEqual(['ssh://git@git.company.ru/storefront/deploy.git']);
    expect(p.spec.destinations.map((d: { namespace: string }) => d.namespace)).toEqual(['storefront', 'storefront-jobs']);
    expect(p.spec.clusterResourceWhitelist).toEqual([]);
    expect(p.spec.roles[0].groups).toEqual(['team-storefront']);
  });

  test('a cluster without teams has no projects folder and no team Applications', () => {
    const files = renderCluster(specFor({ teams: [] })).files.map((f) => f.path);
    expect(files.some((f) => f.includes('/projects/') || f.includes('application-team-'))).toBe(false);
  });

  test.each([
    ['dev', { prune: true, selfHeal: true }, 1],
    ['stage', { prune: true, selfHeal: true }, 1],
    ['prod', { prune: false, selfHeal: true }, 2],
  ])('%s: every Application syncs with %j; Argo CD runs %i server and repo-server replica(s)', (environment, automated, replicas) => {
    const all = objects(specFor({ environment }));
    const apps = all.filter((o) => o.kind === 'Application');
    expect(new Set(apps.map((a) => JSON.stringify(a.spec.syncPolicy.automated)))).toEqual(new Set([JSON.stringify(automated)]));
    const values = all.find((o) => o.kind === 'Application' && o.metadata.name === 'argo-cd')!.spec.source.helm.valuesObject;
    expect([values.server.replicas, values.repoServer.replicas]).toEqual([replicas, replicas]);
  });
});

describe('objects a chart writes outside its namespace', () => {
  // The Yandex DNS-01 webhook is an aggregated API server: its chart binds a Role in kube-system;
  // kube-prometheus-stack writes its exporters' Services there (CoreDNS's on every cluster).
  const yandex = () => specFor({ cloud: 'yandex', dns: { provider: 'yandex-webhook' }, tls: { issuer: 'letsencrypt', acme: { challenge: 'dns01' } } });

  test('get exactly those kinds there, through a Role, and kube-system is neither created nor handed over', () => {
    const all = objects(yandex());
    const role = all.find((o) => o.kind === 'Role' && o.metadata.namespace === 'kube-system')!;
    expect(role.rules).toEqual([
      // Read everything (Argo CD's cache lists every kind in each namespace it manages), write only these.
      { apiGroups: ['*'], resources: ['*'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: [''], resources: ['services'], verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'] },
      { apiGroups: ['rbac.authorization.k8s.io'], resources: ['rolebindings'], verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'] },
      { apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles'], verbs: ['bind'] },
    ]);
    expect(all.some((o) => o.kind === 'Namespace' && o.metadata.name === 'kube-system')).toBe(false);
    expect(all.some((o) => o.kind === 'RoleBinding' && o.metadata.namespace === 'kube-system' && o.roleRef.name === 'argocd-namespace-manager')).toBe(false);
  });

  test('are in Argo CD\'s namespaces and the platform project, and the chart\'s Application says so', () => {
    const all = objects(yandex());
    const argo = all.find((o) => o.kind === 'Application' && o.metadata.name === 'argo-cd')!;
    expect(argo.spec.source.helm.valuesObject.configs.clusterCredentials['in-cluster'].namespaces.split(',')).toContain('kube-system');
    const platform = all.find((o) => o.kind === 'AppProject' && o.metadata.name === 'platform')!;
    expect(platform.spec.destinations.map((d: { namespace: string }) => d.namespace)).toContain('kube-system');
    const webhook = all.find((o) => o.kind === 'Application' && o.metadata.name === 'cert-manager-webhook-yandex')!;
    expect(webhook.metadata.annotations['platform.company.ru/foreign-namespaces']).toBe('kube-system');
  });
});
