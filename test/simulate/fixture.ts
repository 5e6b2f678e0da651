// A small rendered tree that simulates clean, in the shape synth writes (bootstrap/, apps/, one
// folder per Application), with Argo CD as a directory source so that no chart cache is needed:
//   wave -10 argo-cd   its CRDs, argocd-cm, the in-cluster cluster Secret, the controller's Role
//   wave -5  operator  the CRD of widgets.example.com
//   wave  0  config    a Widget and a ConfigMap in namespace demo
// Each test changes one thing (a file's objects, a wave) and reads the findings.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import yaml from 'js-yaml';
import { tempDir } from '../helpers/tmp.js';

export type K8sObject = Record<string, any>;
export type Tree = Record<string, K8sObject[]>;

export const REPO = 'ssh://git@git.example.com/platform/gitops.git';
const C = 'clusters/c';
const SERVER = 'https://kubernetes.default.svc';
const CONTROLLER = { kind: 'ServiceAccount', name: 'argocd-application-controller', namespace: 'argocd' };
const VERBS = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];

const crd = (group: string, kind: string, plural: string, scope = 'Namespaced'): K8sObject => ({
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: `${plural}.${group}` },
  spec: {
    group, scope,
    names: { kind, plural, singular: kind.toLowerCase(), listKind: `${kind}List` },
    versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
  },
});

export const application = (name: string, wave: number, path: string, extra: { project?: string; namespace?: string; syncOptions?: string[]; repoURL?: string } = {}): K8sObject => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Application',
  metadata: { name, namespace: 'argocd', annotations: { 'argocd.argoproj.io/sync-wave': String(wave) } },
  spec: {
    project: extra.project ?? 'platform',
    source: { repoURL: extra.repoURL ?? REPO, path, targetRevision: 'main' },
    destination: { server: SERVER, namespace: extra.namespace ?? 'demo' },
    syncPolicy: { automated: { prune: true, selfHeal: true }, ...(extra.syncOptions ? { syncOptions: extra.syncOptions } : {}) },
  },
});

const namespace = (name: string): K8sObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });

/** argocd-cm as the argo-cd chart renders it, with the settings a test names. */
export function argocdCm(data: Record<string, string>): K8sObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'argocd-cm', namespace: 'argocd' }, data };
}

export const HEALTHY_ARGOCD_CM = {
  'resource.respectRBAC': 'strict',
  'resource.customizations.health.argoproj.io_Application': 'hs = {}\nhs.status = "Healthy"\nreturn hs\n',
};

export const configMap = (name: string, ns: string): K8sObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns }, data: { k: 'v' } });

export const widget = (name: string, ns: string): K8sObject => ({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name, namespace: ns }, spec: { size: 1 } });

/** The cluster-scoped rights of the controller: exactly the kinds the platform writes there. */
export function clusterRole(verbs = VERBS): K8sObject {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'argocd-cluster' },
    rules: [{ apiGroups: ['apiextensions.k8s.io'], resources: ['customresourcedefinitions'], verbs }],
  };
}

/** A clean tree: every Application syncs, every check passes. */
export function cleanTree(): Tree {
  return {
    [`${C}/bootstrap/application-root.yaml`]: [{
      ...application('root', 0, `${C}/apps`, { namespace: 'argocd' }),
      metadata: { name: 'root', namespace: 'argocd' },
    }],
    [`${C}/bootstrap/appproject-platform.yaml`]: [{
      apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name: 'platform', namespace: 'argocd' },
      spec: {
        sourceRepos: [REPO],
        destinations: ['argocd', 'demo'].map((ns) => ({ server: SERVER, namespace: ns })),
        clusterResourceWhitelist: [{ group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition' }],
      },
    }],
    [`${C}/bootstrap/clusterrole-argocd-cluster.yaml`]: [clusterRole()],
    [`${C}/bootstrap/clusterrole-argocd-namespace-manager.yaml`]: [{
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'argocd-namespace-manager' },
      rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }],
    }],
    [`${C}/bootstrap/clusterrolebinding-argocd-cluster.yaml`]: [{
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'argocd-cluster' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'argocd-cluster' }, subjects: [CONTROLLER],
    }],
    [`${C}/bootstrap/namespace-demo.yaml`]: [namespace('demo')],
    ...Object.fromEntries(['argocd', 'demo'].map((ns) => [`${C}/bootstrap/rolebinding-${ns}.argocd-namespace-manager.yaml`, [{
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'argocd-namespace-manager', namespace: ns },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'argocd-namespace-manager' }, subjects: [CONTROLLER],
    }]])),
    [`${C}/apps/application-argo-cd.yaml`]: [application('argo-cd', -10, `${C}/argocd`, { namespace: 'argocd' })],
    [`${C}/apps/application-operator.yaml`]: [application('operator', -5, `${C}/operator`)],
    [`${C}/apps/application-config.yaml`]: [application('config', 0, `${C}/config`)],
    [`${C}/argocd/crds.yaml`]: [crd('argoproj.io', 'Application', 'applications'), crd('argoproj.io', 'AppProject', 'appprojects')],
    [`${C}/argocd/configmap-argocd-cm.yaml`]: [argocdCm(HEALTHY_ARGOCD_CM)],
    [`${C}/argocd/secret-cluster.yaml`]: [{
      apiVersion: 'v1', kind: 'Secret', metadata: { name: 'argocd-cluster-in-cluster', namespace: 'argocd', labels: { 'argocd.argoproj.io/secret-type': 'cluster' } },
      type: 'Opaque', stringData: { name: 'in-cluster', server: SERVER, namespaces: 'argocd,demo', clusterResources: 'true' },
    }],
    [`${C}/operator/crd-widgets.yaml`]: [crd('example.com', 'Widget', 'widgets')],
    [`${C}/config/widget-w1.yaml`]: [widget('w1', 'demo')],
    [`${C}/config/configmap-cm1.yaml`]: [configMap('cm1', 'demo')],
  };
}

/** Writes a tree into a new temp folder; returns its root. */
export function writeTree(tree: Tree): string {
  const root = tempDir('simulate-');
  for (const [file, objects] of Object.entries(tree)) {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), objects.map((o) => yaml.dump(o)).join('---\n'));
  }
  return root;
}

/** Removes a file of a written tree. */
export function removeFile(root: string, file: string): void {
  rmSync(join(root, file));
}

/** Sets the sync wave of an Application of the tree (in place). */
export function setWave(tree: Tree, app: string, wave: number): Tree {
  tree[`${C}/apps/application-${app}.yaml`][0].metadata.annotations['argocd.argoproj.io/sync-wave'] = String(wave);
  return tree;
}

export const CLUSTER_DIR = C;
