// The two permission models a sync passes: the AppProject (as argo-cd's app_project_types.go
// checks it) and the controller's Kubernetes RBAC.
import { filepathMatch, gobwasMatch } from '../../simulate/glob.js';
import { isDestinationPermitted, isGroupKindPermitted, isSourcePermitted, normalizeGitUrl } from '../../simulate/project.js';
import { RbacAuthorizer } from '../../simulate/rbac.js';

const SERVER = 'https://kubernetes.default.svc';
const project = (spec: Record<string, any>) => ({ apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name: 'p' }, spec });

describe('AppProject checks', () => {
  test('namespaced kinds: an absent whitelist allows all, an empty one none; the blacklist wins', () => {
    expect(isGroupKindPermitted(project({}), 'apps', 'Deployment', 'd', true)).toBe(true);
    expect(isGroupKindPermitted(project({ namespaceResourceWhitelist: [] }), 'apps', 'Deployment', 'd', true)).toBe(false);
    const p = project({ namespaceResourceBlacklist: [{ group: '', kind: 'ResourceQuota' }, { group: 'rbac.authorization.k8s.io', kind: '*' }] });
    expect([isGroupKindPermitted(p, '', 'ResourceQuota', 'q', true), isGroupKindPermitted(p, 'rbac.authorization.k8s.io', 'RoleBinding', 'r', true), isGroupKindPermitted(p, '', 'ConfigMap', 'c', true)]).toEqual([false, false, true]);
  });

  test('cluster-scoped kinds: nothing without a whitelist; a whitelist entry may name objects by glob', () => {
    expect(isGroupKindPermitted(project({}), 'rbac.authorization.k8s.io', 'ClusterRole', 'x', false)).toBe(false);
    const p = project({ clusterResourceWhitelist: [{ group: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'team-*' }] });
    expect([isGroupKindPermitted(p, 'rbac.authorization.k8s.io', 'ClusterRole', 'team-a', false), isGroupKindPermitted(p, 'rbac.authorization.k8s.io', 'ClusterRole', 'admin', false)]).toEqual([true, false]);
  });

  test('destinations: server and namespace globs; a !namespace entry allows every other namespace and denies that one', () => {
    const p = project({ destinations: [{ server: SERVER, namespace: 'team-*' }, { server: '*', namespace: '!team-secret' }] });
    expect(['team-a', 'team-secret', 'other'].map((ns) => isDestinationPermitted(p, { server: SERVER }, ns))).toEqual([true, false, true]);
  });

  test('source repositories are compared normalized: case, .git, scp-style SSH', () => {
    expect(normalizeGitUrl('git@Git.Example.com:team/Deploy.git')).toBe('git@git.example.com/team/deploy');
    const p = project({ sourceRepos: ['ssh://git@git.example.com/team/*'] });
    expect([isSourcePermitted(p, 'git@git.example.com:team/deploy.git'), isSourcePermitted(p, 'ssh://git@git.example.com/team/sub/deploy.git'), isSourcePermitted(p, 'https://charts.example.com')]).toEqual([true, false, false]);
    expect(isSourcePermitted(project({ sourceRepos: ['*'] }), 'https://anything.example.com/x')).toBe(true);
  });

  test('glob dialects: filepath.Match has no braces; gobwas has them and ** crosses separators', () => {
    expect([filepathMatch('*.io', 'cert-manager.io'), filepathMatch('{a,b}', 'a'), filepathMatch('[', 'x')]).toEqual([true, false, false]);
    expect([gobwasMatch('{dev,prod}-*', 'prod-x'), gobwasMatch('a/*', 'a/b/c', '/'), gobwasMatch('a/**', 'a/b/c', '/')]).toEqual([true, false, true]);
  });
});

describe('RBAC', () => {
  const sa = { namespace: 'argocd', name: 'controller' };
  const subject = { kind: 'ServiceAccount', name: 'controller', namespace: 'argocd' };
  const rbac = (...objects: Record<string, any>[]) => new RbacAuthorizer(objects.map((o) => ({ apiVersion: 'rbac.authorization.k8s.io/v1', ...o })));
  const crb = (role: string) => ({ kind: 'ClusterRoleBinding', metadata: { name: role }, roleRef: { kind: 'ClusterRole', name: role }, subjects: [subject] });

  test('a RoleBinding to a ClusterRole grants it in the binding\'s namespace only', () => {
    const a = rbac({ kind: 'ClusterRole', metadata: { name: 'all' }, rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }] },
      { kind: 'RoleBinding', metadata: { name: 'b', namespace: 'team' }, roleRef: { kind: 'ClusterRole', name: 'all' }, subjects: [subject] });
    const req = (namespace: string) => ({ verb: 'patch', group: 'apps', resource: 'deployments', namespace, name: 'd' });
    expect([a.allows(sa, req('team')), a.allows(sa, req('other')), a.allows(sa, req(''))]).toEqual([true, false, false]);
  });

  test('an aggregated ClusterRole has the rules of every ClusterRole its selectors match', () => {
    const a = rbac({ kind: 'ClusterRole', metadata: { name: 'agg' }, aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'example.com/aggregate': 'true' } }] } },
      { kind: 'ClusterRole', metadata: { name: 'part', labels: { 'example.com/aggregate': 'true' } }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['list'] }] },
      crb('agg'));
    expect([a.allows(sa, { verb: 'list', group: '', resource: 'configmaps', namespace: 'x' }), a.allows(sa, { verb: 'list', group: '', resource: 'secrets', namespace: 'x' })]).toEqual([true, false]);
  });

  test('resourceNames allow only requests for those names, never create or list', () => {
    const a = rbac({ kind: 'ClusterRole', metadata: { name: 'one' }, rules: [{ apiGroups: [''], resources: ['configmaps'], resourceNames: ['cfg'], verbs: ['get', 'create', 'list'] }] }, crb('one'));
    const req = (verb: string, name?: string) => a.allows(sa, { verb, group: '', resource: 'configmaps', namespace: 'x', ...(name ? { name } : {}) });
    expect([req('get', 'cfg'), req('get', 'other'), req('create'), req('list')]).toEqual([true, false, false, false]);
  });

  test('subresources need their own rule or a wildcard of that shape', () => {
    const a = rbac({ kind: 'ClusterRole', metadata: { name: 's' }, rules: [{ apiGroups: ['apps'], resources: ['deployments', '*/scale'], verbs: ['update'] }] }, crb('s'));
    const req = (resource: string) => a.allows(sa, { verb: 'update', group: 'apps', resource, namespace: 'x', name: 'd' });
    expect([req('deployments'), req('deployments/scale'), req('deployments/status')]).toEqual([true, true, false]);
  });

  test('the serviceaccounts group and the cluster-admin default role are honoured; another ServiceAccount is not', () => {
    const a = rbac({ kind: 'ClusterRoleBinding', metadata: { name: 'g' }, roleRef: { kind: 'ClusterRole', name: 'cluster-admin' }, subjects: [{ kind: 'Group', name: 'system:serviceaccounts:argocd' }] });
    expect([a.allows(sa, { verb: 'delete', group: '', resource: 'nodes', namespace: '' }), a.allows({ namespace: 'other', name: 'controller' }, { verb: 'delete', group: '', resource: 'nodes', namespace: '' })]).toEqual([true, false]);
  });
});
