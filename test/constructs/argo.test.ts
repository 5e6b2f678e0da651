import { Chart, Testing } from 'cdk8s';
import { ApplicationSource } from '../../constructs/application-source.js';
import { AppProject } from '../../constructs/app-project.js';
import { ArgoApplication, RESOURCES_FINALIZER } from '../../constructs/argo-application.js';
import { HelmApplication } from '../../constructs/helm-application.js';

const chart = () => new Chart(Testing.app(), 'test');
const git = ApplicationSource.gitDirectory({ repoURL: 'ssh://git@git.company.ru/platform/infra-gitops.git', targetRevision: 'main', path: 'clusters/c1/apps' });
const sync = { automated: true, prune: false, selfHeal: true };
const pin = { repoURL: 'https://charts.jetstack.io', chart: 'cert-manager', version: 'v1.21.1' };

describe('ArgoApplication', () => {
  const render = (props: Partial<ConstructorParameters<typeof ArgoApplication>[2]> = {}) => {
    const c = chart();
    new ArgoApplication(c, 'cert-manager-config', { argocdNamespace: 'argocd', project: 'platform', source: git, destinationNamespace: 'cert-manager', syncPolicy: sync, ...props });
    return c.toJson()[0];
  };

  test('carries its sync wave as a string annotation', () => {
    expect(render({ syncWave: -5 }).metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('-5');
  });

  test('cascades deletes through the resources finalizer by default', () => {
    expect(render().metadata.finalizers).toEqual([RESOURCES_FINALIZER]);
    expect(render({ cascadeDelete: false }).metadata.finalizers).toBeUndefined();
  });

  test('writes the automated policy only when automated', () => {
    expect(render().spec.syncPolicy.automated).toEqual({ prune: false, selfHeal: true });
    expect(render({ syncPolicy: { automated: false, prune: true, selfHeal: true } }).spec.syncPolicy.automated).toBeUndefined();
  });

  test('server-side apply comes first among the sync options', () => {
    expect(render({ serverSideApply: true, syncOptions: ['SkipDryRunOnMissingResource=true'] }).spec.syncPolicy.syncOptions)
      .toEqual(['ServerSideApply=true', 'SkipDryRunOnMissingResource=true']);
  });

  test('targets the cluster Argo CD runs in by default', () => {
    expect(render().spec.destination).toEqual({ namespace: 'cert-manager', server: 'https://kubernetes.default.svc' });
  });

  test('writes the Git source with repoURL, revision and path', () => {
    expect(render().spec.source).toEqual({ repoURL: 'ssh://git@git.company.ru/platform/infra-gitops.git', targetRevision: 'main', path: 'clusters/c1/apps' });
  });
});

describe('ArgoApplication props errors', () => {
  const make = (props: Record<string, unknown>) => () => new ArgoApplication(chart(), 'a', { argocdNamespace: 'argocd', project: 'platform', source: git, destinationNamespace: 'x', syncPolicy: sync, ...props } as never);

  test('a fractional wave', () => {
    expect(make({ syncWave: 1.5 })).toThrow('test/a: syncWave: received 1.5; expected an integer');
  });

  test('a namespace that is not a DNS label', () => {
    expect(make({ destinationNamespace: 'Team_A' })).toThrow('test/a: destinationNamespace: received "Team_A"; expected a DNS label (lower-case letters, digits and "-", at most 63 characters)');
  });

  test('a path that climbs out of the repository', () => {
    expect(make({ source: ApplicationSource.gitDirectory({ repoURL: 'https://x/y.git', targetRevision: 'main', path: '../etc' }) }))
      .toThrow('test/a: source.path: received "../etc"; expected a relative folder such as clusters/prod/apps');
  });
});

describe('HelmApplication', () => {
  test('installs the pinned chart with its values', () => {
    const c = chart();
    new HelmApplication(c, 'cert-manager', { argocdNamespace: 'argocd', project: 'platform', chart: pin, namespace: 'cert-manager', values: { crds: { enabled: true } }, syncPolicy: sync });
    expect(c.toJson()[0].spec.source).toEqual({
      repoURL: 'https://charts.jetstack.io', chart: 'cert-manager', targetRevision: 'v1.21.1',
      helm: { releaseName: 'cert-manager', valuesObject: { crds: { enabled: true } } },
    });
  });

  test.each(['latest', '^1.2.0', '1.x', '>=1.0.0', ''])('refuses the floating version %p', (version) => {
    expect(() => new HelmApplication(chart(), 'cm', { argocdNamespace: 'argocd', project: 'platform', chart: { ...pin, version }, namespace: 'cm', syncPolicy: sync }))
      .toThrow(`test/cm/Application: chart.version: received ${JSON.stringify(version)} for chart cert-manager; expected an exact version such as 1.2.3 (no ranges, no "latest")`);
  });
});

describe('AppProject', () => {
  const render = (props: Partial<ConstructorParameters<typeof AppProject>[2]> = {}) => {
    const c = chart();
    new AppProject(c, 'payments', { argocdNamespace: 'argocd', description: 'd', sourceRepos: ['https://b.git', 'https://a.git'], destinationNamespaces: ['payments'], ...props });
    return c.toJson()[0];
  };

  test('allows no cluster-scoped kind unless listed, and says so explicitly', () => {
    expect(render().spec.clusterResourceWhitelist).toEqual([]);
  });

  test('limits destinations to its namespaces in the local cluster', () => {
    expect(render().spec.destinations).toEqual([{ namespace: 'payments', server: 'https://kubernetes.default.svc' }]);
  });

  test('sorts and dedupes its repositories', () => {
    expect(render({ sourceRepos: ['https://b.git', 'https://a.git', 'https://b.git'] }).spec.sourceRepos).toEqual(['https://a.git', 'https://b.git']);
  });

  test('turns a role into Argo CD policy lines scoped to the project', () => {
    const role = render({ roles: [{ name: 'developer', description: 'd', groups: ['team-payments'], actions: ['sync', 'get'], logs: true }] }).spec.roles[0];
    expect(role.groups).toEqual(['team-payments']);
    expect(role.policies).toEqual([
      'p, proj:payments:developer, applications, get, payments/*, allow',
      'p, proj:payments:developer, applications, sync, payments/*, allow',
      'p, proj:payments:developer, logs, get, payments/*, allow',
    ]);
  });

  test('refuses two roles of one name', () => {
    const role = { name: 'dev', description: 'd', groups: ['g'], actions: ['get' as const] };
    expect(() => render({ roles: [role, role] })).toThrow('test/payments: roles[1].name: received "dev"; expected a name not used by another role of the project');
  });
});
