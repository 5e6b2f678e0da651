// Argo CD's cluster cache. The in-cluster cluster Secret lists the namespaces Argo CD manages and
// sets clusterResources: true, so the application controller lists and watches every API kind:
// each namespaced kind in each listed namespace, each cluster-scoped kind cluster-wide. A list it
// may not make fails the whole cache (ComparisonError on every Application) unless
// `resource.respectRBAC` is set; with "strict" a forbidden kind is checked with a
// SelfSubjectAccessReview and dropped from the cache (gitops-engine cluster cache, sync()).
// gitops-engine drops a namespaced kind for all namespaces as soon as one listed namespace
// forbids it (or, strict, fails the sync when the first namespace allows it), so the controller
// must be able to list every kind in every namespace it manages, kube-system included; cluster
// scoped, it may list exactly the kinds the platform declares, and respectRBAC leaves the rest
// (Nodes, PersistentVolumes, ...) out.
//
// Proved on what the pinned argo-cd chart renders for each example cluster (argocd-cm, the
// cluster Secret, the controller's ServiceAccount) against the bootstrap RBAC synth renders.
import yaml from 'js-yaml';
import { renderCluster } from '../../charts/cluster.js';
import { resourceOf } from '../../primitives/kinds.js';
import { loadFleet } from '../../spec/load.js';
import type { ClusterSpec } from '../../spec/schema.js';
import { EXAMPLE_OVERLAYS } from '../helpers/fleet.js';
import { describeWithReferenceData } from '../helpers/reference-data.js';
import { ofKind, useRealCharts, type K8sObject } from './real-charts.js';

interface Rule { apiGroups: string[]; resources: string[]; verbs: string[] }

/** The rules the bootstrap RBAC grants a ServiceAccount in a namespace ('' for cluster-wide). */
function grantedRules(bootstrap: readonly K8sObject[], sa: { name: string; namespace: string }, namespace: string): Rule[] {
  const bindings = bootstrap.filter((o) => (namespace ? o.kind === 'RoleBinding' && o.metadata.namespace === namespace : o.kind === 'ClusterRoleBinding'));
  return bindings
    .filter((b) => b.subjects.some((s: any) => s.kind === 'ServiceAccount' && s.name === sa.name && s.namespace === sa.namespace))
    .flatMap((b) => bootstrap.find((r) => r.kind === b.roleRef.kind && r.metadata.name === b.roleRef.name && (b.roleRef.kind === 'ClusterRole' || r.metadata.namespace === namespace))?.rules ?? []);
}

const mayList = (rules: readonly Rule[], group: string, resource: string) =>
  rules.some((r) => (r.apiGroups.includes('*') || r.apiGroups.includes(group)) && (r.resources.includes('*') || r.resources.includes(resource))
    && ['list', 'watch'].every((v) => r.verbs.includes(v) || r.verbs.includes('*')));

describeWithReferenceData('the Argo CD cluster cache (the pinned argo-cd chart, rendered)', 'helm/charts', () => {
  const charts = useRealCharts(['argo-cd']);
  let fleet: ClusterSpec[] = [];
  beforeAll(async () => {
    fleet = await loadFleet(EXAMPLE_OVERLAYS);
  });
  const each = (check: (spec: ClusterSpec, argocd: K8sObject[], bootstrap: K8sObject[]) => void) => {
    expect(fleet.length).toBeGreaterThan(0);
    for (const spec of fleet) check(spec, charts().render(spec, 'argo-cd'), renderCluster(spec).manifests.map((m) => m.object));
  };

  test('argocd-cm: the controller respects its RBAC (strict), and the chart\'s default exclusions of high-churn kinds stay', () => {
    each((spec, argocd) => {
      const [cm] = ofKind(argocd, 'ConfigMap', 'argocd-cm');
      expect([spec.name, cm.data['resource.respectRBAC']]).toEqual([spec.name, 'strict']);
      const excluded = (yaml.load(cm.data['resource.exclusions']) as { kinds: string[] }[]).flatMap((e) => e.kinds);
      expect(excluded).toEqual(expect.arrayContaining(['Endpoints', 'EndpointSlice', 'Lease', 'CertificateRequest']));
    });
  });

  test('in every namespace of the cluster Secret, the controller may list and watch every kind (kube-system read-only besides what the charts write)', () => {
    each((spec, argocd, bootstrap) => {
      const [secret] = ofKind(argocd, 'Secret').filter((s) => s.metadata.labels?.['argocd.argoproj.io/secret-type'] === 'cluster');
      expect(secret.stringData.clusterResources).toBe('true');
      const [controller] = ofKind(argocd, 'ServiceAccount', 'argocd-application-controller');
      const sa = { name: controller.metadata.name, namespace: controller.metadata.namespace };
      const namespaces = String(secret.stringData.namespaces).split(',');
      expect(namespaces).toContain('kube-system');
      const cannotList = namespaces.filter((ns) => !mayList(grantedRules(bootstrap, sa, ns), '*', '*'));
      expect([spec.name, cannotList]).toEqual([spec.name, []]);
    });
  });

  test('cluster-wide, the controller may list exactly the kinds the platform project allows; respectRBAC leaves every other cluster-scoped kind out', () => {
    each((spec, argocd, bootstrap) => {
      const [controller] = ofKind(argocd, 'ServiceAccount', 'argocd-application-controller');
      const rules = grantedRules(bootstrap, { name: controller.metadata.name, namespace: controller.metadata.namespace }, '');
      const project = bootstrap.find((o) => o.kind === 'AppProject' && o.metadata.name === 'platform')!;
      const whitelisted = project.spec.clusterResourceWhitelist.map((k: any) => `${k.group}/${resourceOf(k.kind)}`).sort();
      const listable = rules.filter((r) => r.verbs.includes('list')).flatMap((r) => r.apiGroups.flatMap((g) => r.resources.map((res) => `${g}/${res}`)));
      expect([spec.name, [...new Set(listable)].sort()]).toEqual([spec.name, whitelisted]);
      for (const [group, resource] of [['', 'nodes'], ['', 'persistentvolumes'], ['storage.k8s.io', 'storageclasses']]) expect(mayList(rules, group, resource)).toBe(false);
    });
  });
});
