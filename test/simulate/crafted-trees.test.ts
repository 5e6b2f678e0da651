// Crafted trees, one fault each: the simulation reports it at the step where a real cluster would
// fail, and nothing once it is fixed.
import { simulateTree } from '../../simulate/index.js';
import { formatSimFinding } from '../../simulate/report.js';
import {
  application, argocdCm, CLUSTER_DIR as C, cleanTree, clusterRole, configMap, HEALTHY_ARGOCD_CM, setWave, widget, writeTree, type Tree,
} from './fixture.js';

const noCharts = { render: () => { throw new Error('no chart in a crafted tree'); } };

async function findings(tree: Tree): Promise<string[]> {
  const report = await simulateTree(writeTree(tree), { admission: null, charts: noCharts });
  return report.clusters.flatMap((c) => c.findings.map(formatSimFinding));
}

describe('simulate: crafted trees', () => {
  test('the clean tree simulates clean, every Application synced wave by wave', async () => {
    const report = await simulateTree(writeTree(cleanTree()), { admission: null, charts: noCharts });
    const [c] = report.clusters;
    expect(c.findings).toEqual([]);
    expect(c.waves).toEqual([-10, -5, 0]);
    expect(c.steps.map((s) => s.step)).toEqual(['install argo-cd', 'bootstrap', 'argo-cd cluster cache', 'root', 'wave -10: argo-cd', 'wave -5: operator', 'wave 0: config']);
    expect(c.applications).toBe(4);
  });

  test('a namespace created by a later wave than its objects: the earlier sync fails with namespace not found', async () => {
    const tree = cleanTree();
    tree[`${C}/config/configmap-cm1.yaml`] = [configMap('cm1', 'late')];
    tree[`${C}/apps/application-late.yaml`] = [application('late', 5, `${C}/late`)];
    tree[`${C}/late/namespace-late.yaml`] = [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'late' } }];
    const [project] = tree[`${C}/bootstrap/appproject-platform.yaml`];
    project.spec.destinations.push({ server: 'https://kubernetes.default.svc', namespace: 'late' });
    project.spec.clusterResourceWhitelist.push({ group: '', kind: 'Namespace' });
    tree[`${C}/argocd/secret-cluster.yaml`][0].stringData.namespaces = 'argocd,demo,late';
    // A RoleBinding in a namespace that does not exist yet would fail too: the controller's rights come cluster-wide here.
    tree[`${C}/bootstrap/clusterrolebinding-argocd-cluster.yaml`][0].roleRef.name = 'argocd-namespace-manager';
    expect(await findings(tree)).toEqual([
      `[wave 0: config] c: ${C}/config/configmap-cm1.yaml: ConfigMap/late/cm1: .metadata.namespace: namespaces "late" not found; it is created later, at [wave 5: late]`,
      `[wave 5: root] c: ${C}/bootstrap/application-root.yaml: Application/argocd/root: wave 5 never starts: the root waits for the earlier waves' Applications to be Healthy (argocd-cm resource.customizations.health.argoproj.io_Application), and Application config (wave 0) fails at [wave 0: config]: namespaces "late" not found; it is created later, at [wave 5: late]`,
    ]);
    expect(await findings(setWave(tree, 'late', -7))).toEqual([]);
  });

  test('a CR whose CRD comes in a later wave: the sync fails before applying anything; fixed by the wave order', async () => {
    const tree = setWave(cleanTree(), 'operator', 5);
    expect(await findings(tree)).toEqual([
      `[wave 0: config] c: ${C}/config/widget-w1.yaml: Widget/demo/w1: .kind: the server could not find the requested resource: no CRD serves example.com/Widget when config syncs; it is created later, at [wave 5: operator] (or set SkipDryRunOnMissingResource=true)`,
      `[wave 5: root] c: ${C}/bootstrap/application-root.yaml: Application/argocd/root: wave 5 never starts: the root waits for the earlier waves' Applications to be Healthy (argocd-cm resource.customizations.health.argoproj.io_Application), and Application config (wave 0) fails at [wave 0: config]: the server could not find the requested resource: no CRD serves example.com/Widget when config syncs; it is created later, at [wave 5: operator] (or set SkipDryRunOnMissingResource=true)`,
    ]);
    expect(await findings(setWave(tree, 'operator', -5))).toEqual([]);
  });

  test('SkipDryRunOnMissingResource only moves the failure to the apply when the CRD is still missing then', async () => {
    const tree = setWave(cleanTree(), 'operator', 5);
    tree[`${C}/apps/application-config.yaml`] = [application('config', 0, `${C}/config`, { syncOptions: ['SkipDryRunOnMissingResource=true'] })];
    const out = await findings(tree);
    expect(out[0]).toBe(
      `[wave 0: config] c: ${C}/config/widget-w1.yaml: Widget/demo/w1: .kind: no matches for kind "Widget" in version "example.com/v1": the dry run was skipped, but no CRD serves example.com/Widget when it is applied; it is created later, at [wave 5: operator]`,
    );
    expect(out).toHaveLength(2); // and wave 5 never starts
  });

  test('an Application writing outside its project: the sync is refused naming the namespace', async () => {
    const tree = cleanTree();
    tree[`${C}/config/configmap-cm1.yaml`] = [configMap('cm1', 'kube-system')];
    expect(await findings(tree)).toEqual([
      `[wave 0: config] c: ${C}/config/configmap-cm1.yaml: ConfigMap/kube-system/cm1: .metadata.namespace: namespace kube-system is not permitted in project 'platform'`,
    ]);
    tree[`${C}/config/configmap-cm1.yaml`] = [configMap('cm1', 'demo')];
    expect(await findings(tree)).toEqual([]);
  });

  test('a cluster-scoped kind the project does not whitelist is refused, and the waves after it stall', async () => {
    const tree = cleanTree();
    tree[`${C}/bootstrap/appproject-platform.yaml`][0].spec.clusterResourceWhitelist = [];
    const out = await findings(tree);
    expect(out.slice(0, 3)).toEqual([
      `[wave -10: argo-cd] c: ${C}/argocd/crds.yaml: CustomResourceDefinition/applications.argoproj.io: .kind: resource apiextensions.k8s.io:CustomResourceDefinition is not permitted in project platform`,
      `[wave -10: argo-cd] c: ${C}/argocd/crds.yaml: CustomResourceDefinition/appprojects.argoproj.io: .kind: resource apiextensions.k8s.io:CustomResourceDefinition is not permitted in project platform`,
      `[wave -5: root] c: ${C}/bootstrap/application-root.yaml: Application/argocd/root: wave -5 never starts: the root waits for the earlier waves' Applications to be Healthy (argocd-cm resource.customizations.health.argoproj.io_Application), and Application argo-cd (wave -10) fails at [wave -10: argo-cd]: resource apiextensions.k8s.io:CustomResourceDefinition is not permitted in project platform`,
    ]);
    expect(out).toContain(`[wave -5: operator] c: ${C}/operator/crd-widgets.yaml: CustomResourceDefinition/widgets.example.com: .kind: resource apiextensions.k8s.io:CustomResourceDefinition is not permitted in project platform`);
  });

  test('a verb the controller lacks: the sync fails at the object that needs it', async () => {
    const tree = cleanTree();
    tree[`${C}/bootstrap/clusterrole-argocd-cluster.yaml`] = [clusterRole(['create', 'delete', 'get', 'list', 'update', 'watch'])];
    const out = await findings(tree);
    expect(out[0]).toBe(
      `[wave -10: argo-cd] c: ${C}/argocd/crds.yaml: CustomResourceDefinition/applications.argoproj.io: the application controller (ServiceAccount argocd/argocd-application-controller) may not patch customresourcedefinitions.apiextensions.k8s.io cluster-wide; a sync needs get, create, patch, delete`,
    );
    tree[`${C}/bootstrap/clusterrole-argocd-cluster.yaml`] = [clusterRole()];
    expect(await findings(tree)).toEqual([]);
  });

  test('a ClusterRole granting what the controller does not hold needs escalate on clusterroles (RBAC escalation prevention)', async () => {
    const tree = cleanTree();
    tree[`${C}/bootstrap/appproject-platform.yaml`][0].spec.clusterResourceWhitelist.push({ group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' });
    const [role] = tree[`${C}/bootstrap/clusterrole-argocd-cluster.yaml`];
    role.rules.push({ apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'] });
    tree[`${C}/operator/clusterrole-widget-reader.yaml`] = [{
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'widget-reader' },
      rules: [{ apiGroups: [''], resources: ['nodes'], verbs: ['get'] }],
    }];
    expect((await findings(tree))[0]).toBe(
      `[wave -5: operator] c: ${C}/operator/clusterrole-widget-reader.yaml: ClusterRole/widget-reader: .rules: the application controller (ServiceAccount argocd/argocd-application-controller) may not grant get on nodes in API group(s) "", which it does not hold, without escalate on clusterroles.rbac.authorization.k8s.io`,
    );
    role.rules.push({ apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], verbs: ['escalate'] });
    expect(await findings(tree)).toEqual([]);
  });

  test('with the Application health check, an unhealthy child stalls the next wave, which the report names', async () => {
    const tree = cleanTree();
    tree[`${C}/operator/configmap-outside.yaml`] = [configMap('outside', 'kube-system')];
    expect(await findings(tree)).toEqual([
      `[wave -5: operator] c: ${C}/operator/configmap-outside.yaml: ConfigMap/kube-system/outside: .metadata.namespace: namespace kube-system is not permitted in project 'platform'`,
      `[wave 0: root] c: ${C}/bootstrap/application-root.yaml: Application/argocd/root: wave 0 never starts: the root waits for the earlier waves' Applications to be Healthy (argocd-cm resource.customizations.health.argoproj.io_Application), and Application operator (wave -5) fails at [wave -5: operator]: namespace kube-system is not permitted in project 'platform'`,
      // The simulation goes on as if someone unblocked the wave: what would fail next.
      `[wave 0: config] c: ${C}/config/widget-w1.yaml: Widget/demo/w1: .kind: the server could not find the requested resource: no CRD serves example.com/Widget when config syncs; it comes from [wave -5: operator], which fails (or set SkipDryRunOnMissingResource=true)`,
    ]);
  });

  test('without the Application health check, a later wave that needs an earlier child\'s CRD does not wait for it', async () => {
    const tree = cleanTree();
    tree[`${C}/argocd/configmap-argocd-cm.yaml`] = [argocdCm({ 'resource.respectRBAC': 'strict' })];
    expect(await findings(tree)).toEqual([
      `[wave 0: config] c: ${C}/config/widget-w1.yaml: Widget/demo/w1: needs its CRD (example.com/Widget) from Application operator (wave -5), but the root does not wait for operator to be Healthy before wave 0: argocd-cm has no resource.customizations.health.argoproj.io_Application (Argo CD has no built-in health for Applications), so both sync at once and this fails whenever operator is not done first`,
    ]);
    tree[`${C}/argocd/configmap-argocd-cm.yaml`] = [argocdCm(HEALTHY_ARGOCD_CM)];
    expect(await findings(tree)).toEqual([]);
  });

  test('an Application that needs a CRD another Application of the same wave creates races it, health check or not', async () => {
    const tree = setWave(cleanTree(), 'operator', 0);
    // config sorts before operator: in the simulation's order the CRD is not there yet.
    expect(await findings(tree)).toEqual([
      `[wave 0: config] c: ${C}/config/widget-w1.yaml: Widget/demo/w1: .kind: the server could not find the requested resource: no CRD serves example.com/Widget when config syncs; it is created later, at [wave 0: operator] (or set SkipDryRunOnMissingResource=true)`,
    ]);
    // operator sorts first by name: the simulation's order works, the race is still reported.
    tree[`${C}/apps/application-config.yaml`][0].metadata.name = 'z-config';
    expect(await findings(tree)).toEqual([
      `[wave 0: z-config] c: ${C}/config/widget-w1.yaml: Widget/demo/w1: needs its CRD (example.com/Widget) from Application operator, which syncs in the same wave 0: the two sync at once, and this fails whenever operator is not done first (move one to another wave)`,
    ]);
  });

  test('without resource.respectRBAC the cluster cache fails on the first kind the controller may not list', async () => {
    const tree = cleanTree();
    tree[`${C}/argocd/configmap-argocd-cm.yaml`] = [argocdCm({ 'resource.customizations.health.argoproj.io_Application': HEALTHY_ARGOCD_CM['resource.customizations.health.argoproj.io_Application'] })];
    expect(await findings(tree)).toEqual([
      `[argo-cd cluster cache] c: ${C}/argocd/configmap-argocd-cm.yaml: ServiceAccount/argocd/argocd-application-controller: the application controller may not list componentstatuses cluster-wide (built-in): argocd-cm does not set resource.respectRBAC, so one forbidden list fails the whole cache, and every Application shows ComparisonError`,
    ]);
  });

  test('with respectRBAC strict, a kind an Application writes but the controller may not list is out of the cache', async () => {
    const tree = cleanTree();
    tree[`${C}/bootstrap/appproject-platform.yaml`][0].spec.clusterResourceWhitelist.push({ group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' });
    tree[`${C}/config/clusterrole-reader.yaml`] = [{ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'reader' }, rules: [] }];
    expect(await findings(tree)).toEqual([
      `[wave 0: config] c: ${C}/config/clusterrole-reader.yaml: ClusterRole/reader: .kind: clusterroles.rbac.authorization.k8s.io is not in Argo CD's cluster cache (the controller may not list and watch it cluster-wide, and resource.respectRBAC drops the kind): the Application never sees it live and stays OutOfSync`,
    ]);
  });

  test('CreateNamespace=true: the controller creates the destination namespace, which needs create on namespaces', async () => {
    const tree = cleanTree();
    tree[`${C}/apps/application-config.yaml`] = [application('config', 0, `${C}/config`, { namespace: 'fresh', syncOptions: ['CreateNamespace=true'] })];
    tree[`${C}/config/configmap-cm1.yaml`] = [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm1' }, data: { k: 'v' } }];
    delete tree[`${C}/config/widget-w1.yaml`];
    tree[`${C}/bootstrap/appproject-platform.yaml`][0].spec.destinations.push({ server: 'https://kubernetes.default.svc', namespace: 'fresh' });
    tree[`${C}/argocd/secret-cluster.yaml`][0].stringData.namespaces = 'argocd,demo,fresh';
    // No RoleBinding can exist in a namespace before it does: the controller reads everywhere and writes ConfigMaps cluster-wide.
    const [binding] = tree[`${C}/bootstrap/clusterrolebinding-argocd-cluster.yaml`];
    tree[`${C}/bootstrap/clusterrolebinding-argocd-everywhere.yaml`] = [{ ...binding, metadata: { name: 'argocd-everywhere' }, roleRef: { ...binding.roleRef, name: 'argocd-everywhere' } }];
    const everywhere = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'argocd-everywhere' }, rules: [
      { apiGroups: ['*'], resources: ['*'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: [''], resources: ['configmaps'], verbs: ['*'] },
    ] };
    tree[`${C}/bootstrap/clusterrole-argocd-everywhere.yaml`] = [everywhere];
    expect(await findings(tree)).toEqual([
      `[wave 0: config] c: ${C}/apps/application-config.yaml: Namespace/fresh: the application controller (ServiceAccount argocd/argocd-application-controller) may not create namespaces cluster-wide; a sync needs create`,
    ]);
    everywhere.rules.push({ apiGroups: [''], resources: ['namespaces'], verbs: ['create'] });
    expect(await findings(tree)).toEqual([]);
  });

  test('a kind argocd-cm excludes is never applied, and its Application says so', async () => {
    const tree = cleanTree();
    tree[`${C}/argocd/configmap-argocd-cm.yaml`] = [argocdCm({ ...HEALTHY_ARGOCD_CM, 'resource.exclusions': '- apiGroups: ["example.com"]\n  kinds: ["*"]\n' })];
    expect(await findings(tree)).toEqual([
      `[wave 0: config] c: ${C}/config/widget-w1.yaml: Widget/demo/w1: .kind: example.com/Widget is excluded by argocd-cm resource.exclusions/inclusions: Argo CD never applies it`,
    ]);
  });

  test('an Application whose project does not exist yet is refused', async () => {
    const tree = cleanTree();
    tree[`${C}/apps/application-config.yaml`] = [application('config', 0, `${C}/config`, { project: 'team' })];
    expect(await findings(tree)).toEqual([
      `[wave 0: config] c: ${C}/apps/application-config.yaml: Application/argocd/config: .spec.project: AppProject "team" does not exist in namespace argocd when this Application syncs: Argo CD refuses to sync it`,
    ]);
  });

  test('bootstrap/ is applied file by file: a namespace whose file sorts after its objects\' is not there yet', async () => {
    const tree = cleanTree();
    tree[`${C}/bootstrap/configmap-settings.yaml`] = [configMap('settings', 'zz-late')];
    tree[`${C}/bootstrap/namespace-zz-late.yaml`] = [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'zz-late' } }];
    expect(await findings(tree)).toEqual([
      `[bootstrap] c: ${C}/bootstrap/configmap-settings.yaml: ConfigMap/zz-late/settings: .metadata.namespace: namespaces "zz-late" not found (kubectl applies bootstrap/ file by file, and ${C}/bootstrap/namespace-zz-late.yaml comes after ${C}/bootstrap/configmap-settings.yaml)`,
    ]);
  });

  test('a source in another repository is reported as not simulated, not as a failure', async () => {
    const tree = cleanTree();
    tree[`${C}/apps/application-team.yaml`] = [application('team', 10, 'deploy/team', { repoURL: 'ssh://git@git.example.com/team/deploy.git' })];
    tree[`${C}/bootstrap/appproject-platform.yaml`][0].spec.sourceRepos.push('ssh://git@git.example.com/team/*');
    const report = await simulateTree(writeTree(tree), { admission: null, charts: noCharts });
    expect(report.clusters[0].findings).toEqual([]);
    expect(report.clusters[0].notSimulated).toEqual(['team: source ssh://git@git.example.com/team/deploy.git deploy/team (another repository)']);
  });

  test('an object that breaks its schema fails the dry run, before anything is applied', async () => {
    const tree = cleanTree();
    tree[`${C}/config/widget-w1.yaml`] = [widget('w1', 'demo'), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'bad', namespace: 'demo' }, data: { k: 1 } }];
    expect(await findings(tree)).toEqual([
      `[wave 0: config] c: ${C}/config/widget-w1.yaml: ConfigMap/demo/bad: .data.k: schema: expected string; got integer 1`,
    ]);
  });
});

describe('simulate: the admission chain is asked at each apply', () => {
  test('a privileged Pod in a namespace that enforces Pod Security restricted is refused at its Application\'s step', async () => {
    const tree = cleanTree();
    tree[`${C}/bootstrap/namespace-demo.yaml`][0].metadata.labels = { 'pod-security.kubernetes.io/enforce': 'restricted' };
    tree[`${C}/config/pod-p.yaml`] = [{
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'demo' },
      spec: { containers: [{ name: 'c', image: 'registry.example.com/app@sha256:' + 'a'.repeat(64), securityContext: { privileged: true } }] },
    }];
    const report = await simulateTree(writeTree(tree), { charts: noCharts });
    const [first] = report.clusters[0].findings;
    expect([first.step, first.object]).toEqual(['wave 0: config', 'Pod/demo/p']);
    expect(first.message).toMatch(/restricted/);
    delete tree[`${C}/bootstrap/namespace-demo.yaml`][0].metadata.labels;
    expect((await simulateTree(writeTree(tree), { charts: noCharts })).clusters[0].findings).toEqual([]);
  });
});
