// Issue 13, finding 2: teams cannot escalate through Pod Security or the Argo CD accounts' RBAC.
// Checked on the objects renderCluster writes into bootstrap/, with the RBAC objects evaluated by
// the simulator's authorizer (simulate/rbac.ts).
import { renderCluster } from '../../charts/cluster.js';
import { ChartFootprints, emptyFootprintFile } from '../../chart-renders/footprints.js';
import type { ChartRender, ChartRenderer, HelmSource } from '../../chart-renders/render.js';
import { resourceOf } from '../../primitives/kinds.js';
import { enforcedPolicy } from '../../simulate/admission/pod-security.js';
import { RbacAuthorizer } from '../../simulate/rbac.js';
import type { ClusterSpec } from '../../spec/schema.js';
import { specFor } from '../helpers/fleet.js';

type Obj = Record<string, any>;
const PSA = 'pod-security.kubernetes.io/';
const CONTROLLER = { namespace: 'argocd', name: 'argocd-application-controller' };
const SERVER = { namespace: 'argocd', name: 'argocd-server' };

const spec = (overlay: Record<string, unknown> = {}) => specFor({ environment: 'dev', ...overlay });
const bootstrap = (s: ClusterSpec, footprints?: ChartFootprints): Obj[] =>
  renderCluster(s, footprints ? { footprints } : {}).manifests.filter((m) => m.file.includes('/bootstrap/')).map((m) => m.object);
const namespaces = (objects: Obj[]) => objects.filter((o) => o.kind === 'Namespace');
const levelOf = (objects: Obj[], ns: string) => namespaces(objects).find((o) => o.metadata.name === ns)?.metadata.labels[`${PSA}enforce`];

/**
 * Footprints from a stand-in renderer: the chart of Application `application` renders `objects`,
 * every other chart nothing. The rest of synth (footprint, derivation, bootstrap) runs for real.
 */
function rendering(application: string, objects: Obj[]): ChartFootprints {
  const renderer = {
    render: (source: HelmSource): ChartRender => ({ source, objects: source.application.endsWith(`/${application}`) ? objects : [] }),
  } as unknown as ChartRenderer;
  return new ChartFootprints(emptyFootprintFile(), renderer);
}

const container = (securityContext: Obj = {}) => ({ name: 'app', image: 'ghcr.io/soft-yt/app:1', securityContext });
const RESTRICTED_CONTAINER = container({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
const deployment = (name: string, podSpec: Obj): Obj => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name },
  spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: podSpec } },
});

describe('Pod Security Admission labels', () => {
  test('every namespace the bootstrap creates enforces, warns and audits a level pinned to the cluster\'s Kubernetes version', () => {
    const s = spec();
    const minor = s.kubernetesVersion.split('.')[1];
    const all = namespaces(bootstrap(s));
    expect(all.length).toBeGreaterThan(5);
    for (const ns of all) {
      const labels = ns.metadata.labels;
      for (const mode of ['enforce', 'warn', 'audit']) {
        expect([ns.metadata.name, mode, labels[`${PSA}${mode}`]]).toEqual([ns.metadata.name, mode, expect.stringMatching(/^(restricted|baseline|privileged)$/)]);
        expect([ns.metadata.name, labels[`${PSA}${mode}-version`]]).toEqual([ns.metadata.name, `v1.${minor}`]);
      }
      expect(labels[`${PSA}audit`]).toBe('restricted');
    }
  });

  test('team namespaces enforce restricted', () => {
    const s = spec();
    const objects = bootstrap(s);
    const teamNamespaces = s.teams.flatMap((t) => t.namespaces);
    expect(teamNamespaces.length).toBeGreaterThan(0);
    for (const ns of teamNamespaces) expect([ns, levelOf(objects, ns)]).toEqual([ns, 'restricted']);
  });

  test('a platform namespace enforces the strictest level all its chart\'s pods pass: restricted pods keep it restricted', () => {
    const objects = bootstrap(spec(), rendering('sops-secrets-operator', [deployment('operator', { securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } }, containers: [RESTRICTED_CONTAINER] })]));
    expect(levelOf(objects, 'sops')).toBe('restricted');
  });

  test('a pod running as root with default capabilities raises its namespace to baseline, not further', () => {
    const objects = bootstrap(spec(), rendering('sops-secrets-operator', [
      deployment('operator', { securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } }, containers: [RESTRICTED_CONTAINER] }),
      deployment('rooted', { containers: [container()] }),
    ]));
    expect(levelOf(objects, 'sops')).toBe('baseline');
  });

  test('a crafted privileged pod with a hostPath volume raises its namespace to privileged, and only that namespace', () => {
    const privileged = deployment('node-agent', { containers: [container({ privileged: true })], volumes: [{ name: 'host', hostPath: { path: '/' } }] });
    const before = bootstrap(spec(), rendering('sops-secrets-operator', []));
    const after = bootstrap(spec(), rendering('sops-secrets-operator', [privileged]));
    expect([levelOf(before, 'sops'), levelOf(after, 'sops')]).toEqual(['restricted', 'privileged']);
    const others = (objects: Obj[]) => namespaces(objects).filter((n) => n.metadata.name !== 'sops').map((n) => [n.metadata.name, n.metadata.labels[`${PSA}enforce`]]);
    expect(others(after)).toEqual(others(before));
  });

  test('the namespace each pod lands in is the one raised: the release namespace, or the object\'s own', () => {
    const privileged = { ...deployment('elsewhere', { containers: [container()], hostNetwork: true }), metadata: { name: 'elsewhere', namespace: 'kyverno' } };
    const objects = bootstrap(spec(), rendering('sops-secrets-operator', [privileged]));
    expect([levelOf(objects, 'sops'), levelOf(objects, 'kyverno')]).toEqual(['restricted', 'privileged']);
  });

  test('the committed footprints (charts off) give the example charts\' levels: node agents\' namespaces privileged, the servers\' baseline, Argo CD and Kyverno restricted', () => {
    const objects = bootstrap(spec({ cloud: 'yandex', dns: { provider: 'yandex-webhook' }, tls: { issuer: 'letsencrypt', acme: { challenge: 'dns01' } }, vault: { csi: true } }));
    // node-exporter (hostNetwork, hostPID, hostPath) and the log collector (hostPath), the Secrets
    // Store CSI driver and Vault's CSI provider, Velero's node agent (hostPath).
    for (const ns of ['monitoring-agents', 'secrets-store-csi', 'velero']) expect([ns, levelOf(objects, ns)]).toEqual([ns, 'privileged']);
    for (const ns of ['monitoring', 'vault']) expect([ns, levelOf(objects, ns)]).toEqual([ns, 'baseline']);
    for (const ns of ['argocd', 'kyverno']) expect([ns, levelOf(objects, ns)]).toEqual([ns, 'restricted']);
    // What the API server parses from the labels is what was written.
    expect(enforcedPolicy(namespaces(objects).find((n) => n.metadata.name === 'argocd')).level).toBe('restricted');
  });
});

describe('footprints read from the committed file', () => {
  test('values no render recorded take, per namespace, the most permissive level and every ClusterRole any recorded render of the chart version has', () => {
    const footprint = (podSecurity: Record<string, 'restricted' | 'baseline' | 'privileged'>, clusterRoles: string[]) => ({ objects: [], crds: [], images: [], podSecurity, clusterRoles, boundClusterRoles: clusterRoles });
    const file = {
      footprintsVersion: emptyFootprintFile().footprintsVersion,
      renders: { a: { chart: 'widget', version: '1.0.0', footprint: 'fa' }, b: { chart: 'widget', version: '1.0.0', footprint: 'fb' } },
      footprints: { fa: footprint({ '': 'restricted', 'kube-system': 'baseline' }, ['widget-a']), fb: footprint({ '': 'privileged' }, ['widget-b']) },
    };
    const source: HelmSource = { application: 'c1/widget', file: 'apps/application-widget.yaml', chart: 'widget', version: '1.0.0', releaseName: 'widget', namespace: 'widget', values: { unrecorded: true }, skipCrds: false };
    const { footprint: found } = new ChartFootprints(file, undefined, 'charts.footprints.json', true).of(source, '1.33.0');
    expect([found.podSecurity, found.clusterRoles]).toEqual([{ '': 'privileged', 'kube-system': 'baseline' }, ['widget-a', 'widget-b']]);
  });
});

describe('the Argo CD accounts\' RBAC', () => {
  const rbacOf = (objects: Obj[]) => new RbacAuthorizer(objects);
  const clusterRolesOf = (objects: Obj[], sa: { name: string }) => {
    const names = objects.filter((o) => o.kind === 'ClusterRoleBinding' && o.subjects.some((s: Obj) => s.name === sa.name)).map((b) => b.roleRef.name);
    return objects.filter((o) => o.kind === 'ClusterRole' && names.includes(o.metadata.name));
  };

  test('no ClusterRole bound cluster-wide to an Argo CD account allows bind or escalate without resourceNames', () => {
    const objects = bootstrap(spec());
    for (const sa of [CONTROLLER, SERVER]) {
      const rules = clusterRolesOf(objects, sa).flatMap((r) => r.rules);
      const open = rules.filter((r: Obj) => r.verbs.some((v: string) => ['bind', 'escalate', '*'].includes(v)) && !r.resourceNames?.length);
      expect([sa.name, open]).toEqual([sa.name, []]);
    }
    const rbac = rbacOf(objects);
    expect(['bind', 'escalate'].map((verb) => rbac.allows(CONTROLLER, { verb, group: 'rbac.authorization.k8s.io', resource: 'clusterroles', namespace: '', name: 'cluster-admin-copy' }))).toEqual([false, false]);
  });

  test('the controller may escalate exactly the ClusterRoles the charts render and bind exactly those their bindings name', () => {
    const rbacGroup = 'rbac.authorization.k8s.io/v1';
    const objects = bootstrap(spec(), rendering('sops-secrets-operator', [
      { apiVersion: rbacGroup, kind: 'ClusterRole', metadata: { name: 'widget' }, rules: [{ apiGroups: [''], resources: ['nodes'], verbs: ['get'] }] },
      { apiVersion: rbacGroup, kind: 'ClusterRoleBinding', metadata: { name: 'widget' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'widget' }, subjects: [] },
      { apiVersion: rbacGroup, kind: 'ClusterRoleBinding', metadata: { name: 'widget-view' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' }, subjects: [] },
    ]));
    const rules = clusterRolesOf(objects, CONTROLLER).flatMap((r) => r.rules).filter((r: Obj) => r.verbs.includes('bind') || r.verbs.includes('escalate'));
    expect(rules).toEqual([
      { apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], verbs: ['escalate'], resourceNames: ['widget'] },
      { apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], verbs: ['bind'], resourceNames: ['view', 'widget'] },
    ]);
  });

  test('a chart that renders a ClusterRole is synced server-side, so that escalate by name applies to its creation', () => {
    const clusterRole = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'widget' }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['list'] }] };
    const syncOptions = (footprints: ChartFootprints) => renderCluster(spec(), { footprints }).manifests
      .find((m) => m.object.kind === 'Application' && m.object.metadata.name === 'sops-secrets-operator')!.object.spec.syncPolicy.syncOptions ?? [];
    expect(syncOptions(rendering('sops-secrets-operator', []))).not.toContain('ServerSideApply=true');
    expect(syncOptions(rendering('sops-secrets-operator', [clusterRole]))).toContain('ServerSideApply=true');
  });

  test('argocd-server is bound to none of the controller\'s roles, has no create on any cluster-scoped kind, and may get, patch and delete them as upstream', () => {
    const objects = bootstrap(spec());
    const rbac = rbacOf(objects);
    const platform = objects.find((o) => o.kind === 'AppProject' && o.metadata.name === 'platform')!;
    const resources = platform.spec.clusterResourceWhitelist.map((k: Obj) => ({ group: k.group, resource: resourceOf(k.kind) }));
    expect(resources.length).toBeGreaterThan(3);
    for (const { group, resource } of resources) {
      const may = (verb: string) => rbac.allows(SERVER, { verb, group, resource, namespace: '', name: verb === 'create' ? '' : 'x' });
      expect([resource, ['create', 'update', 'get', 'patch', 'delete'].map(may)]).toEqual([resource, [false, false, true, true, true]]);
    }
    const controllerRoles = new Set(objects.filter((o) => (o.kind === 'ClusterRoleBinding' || o.kind === 'RoleBinding') && o.subjects.some((s: Obj) => s.name === CONTROLLER.name)).map((b) => b.roleRef.name));
    const serverRoles = objects.filter((o) => (o.kind === 'ClusterRoleBinding' || o.kind === 'RoleBinding') && o.subjects.some((s: Obj) => s.name === SERVER.name)).map((b) => b.roleRef.name);
    expect(serverRoles.filter((r) => controllerRoles.has(r))).toEqual([]);
  });

  test('in a managed namespace argocd-server may read, patch and delete what the UI shows, read logs and start a Job, and create nothing else', () => {
    const rbac = rbacOf(bootstrap(spec()));
    const may = (verb: string, group: string, resource: string) => rbac.allows(SERVER, { verb, group, resource, namespace: 'payments', name: verb === 'create' ? '' : 'x' });
    expect([may('get', 'apps', 'deployments'), may('patch', 'apps', 'deployments'), may('delete', '', 'pods'), may('get', '', 'pods/log'), may('create', 'batch', 'jobs')]).toEqual([true, true, true, true, true]);
    expect([may('create', 'apps', 'deployments'), may('create', 'rbac.authorization.k8s.io', 'rolebindings'), may('create', '', 'pods/exec'), may('list', '', 'secrets'), may('update', '', 'configmaps')]).toEqual([false, false, false, false, false]);
  });
});
