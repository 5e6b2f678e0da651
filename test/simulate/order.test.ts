// Argo CD's order of one Application's tasks, as gitops-engine's syncTasks.Sort and syncPhases
// make it (the cases of gitops-engine's sync_tasks_test.go that matter here).
import { isHook, sortTasks, syncPhases, syncWave, type SyncTask } from '../../simulate/order.js';

type O = Record<string, any>;
const obj = (kind: string, name: string, extra: { ns?: string; annotations?: Record<string, string>; apiVersion?: string; spec?: O } = {}): O => ({
  apiVersion: extra.apiVersion ?? (kind === 'CustomResourceDefinition' ? 'apiextensions.k8s.io/v1' : 'v1'),
  kind,
  metadata: { name, ...(extra.ns ? { namespace: extra.ns } : {}), ...(extra.annotations ? { annotations: extra.annotations } : {}) },
  ...(extra.spec ? { spec: extra.spec } : {}),
});

function order(objects: O[], defaultNs = 'app'): string[] {
  const tasks: SyncTask<O>[] = objects.flatMap((o) => syncPhases(o).filter((p) => p !== 'SyncFail').map((phase) => ({ item: o, object: o, phase })));
  return sortTasks(tasks, (o) => o.metadata?.namespace || defaultNs).map((t) => `${t.phase}/${t.waveOverride ?? syncWave(t.object)} ${t.object.kind}/${t.object.metadata.name}`);
}

describe('Argo CD sync order', () => {
  test('phase, then wave, then Helm\'s kind order, then name; custom resources after every known kind', () => {
    expect(order([
      obj('Widget', 'a', { apiVersion: 'example.com/v1' }),
      obj('Deployment', 'b', { apiVersion: 'apps/v1' }),
      obj('ConfigMap', 'z'),
      obj('ConfigMap', 'a'),
      obj('Service', 'early', { annotations: { 'argocd.argoproj.io/sync-wave': '-1' } }),
      obj('Job', 'migrate', { apiVersion: 'batch/v1', annotations: { 'argocd.argoproj.io/hook': 'PreSync' } }),
    ])).toEqual(['PreSync/0 Job/migrate', 'Sync/-1 Service/early', 'Sync/0 ConfigMap/a', 'Sync/0 ConfigMap/z', 'Sync/0 Deployment/b', 'Sync/0 Widget/a']);
  });

  test('Helm hooks: pre-install is PreSync, post-upgrade PostSync, the hook weight is the wave; test hooks and crd-install are never hooks that run', () => {
    const pre = obj('Job', 'pre', { annotations: { 'helm.sh/hook': 'pre-install,pre-upgrade', 'helm.sh/hook-weight': '-5' } });
    const post = obj('Job', 'post', { annotations: { 'helm.sh/hook': 'post-upgrade' } });
    const test = obj('Pod', 'test', { annotations: { 'helm.sh/hook': 'test' } });
    const crd = obj('CustomResourceDefinition', 'x.example.com', { annotations: { 'helm.sh/hook': 'crd-install' } });
    expect([syncPhases(pre), syncWave(pre), syncPhases(post), syncPhases(test), isHook(test), syncPhases(crd)]).toEqual([['PreSync'], -5, ['PostSync'], [], true, ['Sync']]);
  });

  test('an Argo CD hook annotation wins over Helm\'s; Skip alone means the object is neither applied nor a hook', () => {
    const both = obj('Job', 'j', { annotations: { 'argocd.argoproj.io/hook': 'Sync', 'helm.sh/hook': 'pre-install' } });
    const skip = obj('ConfigMap', 's', { annotations: { 'argocd.argoproj.io/hook': 'Skip' } });
    expect([syncPhases(both), syncPhases(skip), isHook(skip)]).toEqual([['Sync'], [], false]);
  });

  test('a Namespace moves before the first object in it, taking its wave', () => {
    expect(order([
      obj('ConfigMap', 'cm', { ns: 'team', annotations: { 'argocd.argoproj.io/sync-wave': '-3' } }),
      obj('Namespace', 'team', { annotations: { 'argocd.argoproj.io/sync-wave': '5' } }),
    ])).toEqual(['Sync/-3 Namespace/team', 'Sync/-3 ConfigMap/cm']);
  });

  test('a CRD moves before the first custom resource of its kind, taking its phase and wave', () => {
    const crd = obj('CustomResourceDefinition', 'widgets.example.com', { annotations: { 'argocd.argoproj.io/sync-wave': '2' }, spec: { group: 'example.com', names: { kind: 'Widget' } } });
    expect(order([obj('Widget', 'w', { apiVersion: 'example.com/v1', ns: 'app', annotations: { 'argocd.argoproj.io/hook': 'PreSync' } }), crd]))
      .toEqual(['PreSync/0 CustomResourceDefinition/widgets.example.com', 'PreSync/0 Widget/w']);
  });
});
