import { clone, configMap, deployment, messages, problems, service } from './helpers.js';

describe('Kubernetes 1.28 objects', () => {
  test('valid Deployment, Service, ConfigMap, Namespace, ServiceAccount, Secret and RBAC objects pass', async () => {
    const objects = [
      deployment(),
      service(),
      configMap(),
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { 'istio-injection': 'enabled' } } },
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'web', namespace: 'shop' }, automountServiceAccountToken: false },
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'shop' }, type: 'Opaque', data: { password: 'aHVudGVyMg==' }, stringData: { user: 'admin' } },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'reader', namespace: 'shop' }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch'] }] },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'reader', namespace: 'shop' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'reader' }, subjects: [{ kind: 'ServiceAccount', name: 'web', namespace: 'shop' }] },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'node-reader' }, rules: [{ apiGroups: [''], resources: ['nodes'], verbs: ['get'] }, { nonResourceURLs: ['/metrics'], verbs: ['get'] }] },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'node-reader' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'node-reader' }, subjects: [{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'sre' }] },
      { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web', namespace: 'shop' }, spec: { minAvailable: '50%', selector: { matchLabels: { app: 'web' } } } },
      { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web', namespace: 'shop' }, spec: { ingressClassName: 'traefik', rules: [{ host: 'shop.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { name: 'http' } } } }] } }] } },
    ];
    expect(await problems(...objects)).toEqual([]);
  });

  test('an unknown field is reported with its full path', async () => {
    const d = deployment();
    d.spec.template.spec.containers[0].imagePullPolicyy = 'Always';
    expect(await messages(d)).toEqual(['.spec.template.spec.containers[0].imagePullPolicyy: unknown field "imagePullPolicyy"; did you mean "imagePullPolicy"?']);
  });

  test('an unknown top-level field is reported', async () => {
    expect(await messages({ ...configMap(), spec: {} })).toEqual(['.spec: unknown field "spec"; valid fields: apiVersion, binaryData, data, immutable, kind, metadata']);
  });

  test('a value of the wrong type is reported with the expected type and the value received', async () => {
    const d = deployment();
    d.spec.replicas = 'two';
    expect(await messages(d)).toEqual(['.spec.replicas: expected integer; got string "two"']);
  });

  test('a missing required field is reported at the path where it belongs', async () => {
    const d = deployment();
    delete d.spec.template.spec.containers[0].name;
    delete d.spec.selector;
    expect(await messages(d)).toEqual([
      '.spec.selector: missing required field "selector"',
      '.spec.template.spec.containers[0].name: missing required field "name"',
    ]);
  });

  test('an unknown kind is an error', async () => {
    expect(await messages({ apiVersion: 'v1', kind: 'ConfigMapp', metadata: { name: 'x' } })).toEqual([
      '.kind: unknown apiVersion/kind "v1" "ConfigMapp": no Kubernetes 1.28 schema or CRD in validate/generated defines it; did you mean "ConfigMap"?',
    ]);
  });

  test('a known kind under an apiVersion that does not serve it names the apiVersions that do', async () => {
    const [m] = await messages({ ...deployment(), apiVersion: 'extensions/v1beta1' });
    expect(m).toBe('.apiVersion: unknown apiVersion/kind "extensions/v1beta1" "Deployment": no Kubernetes 1.28 schema or CRD in validate/generated defines it; Deployment exists in apiVersion "apps/v1"');
  });

  test('missing apiVersion and kind are reported without looking up a schema', async () => {
    expect(await messages({ metadata: { name: 'x' } })).toEqual(['.apiVersion: missing required field "apiVersion"', '.kind: missing required field "kind"']);
  });

  test('int-or-string ports accept a number and a name', async () => {
    const s = service();
    expect(s.spec.ports.map((p: any) => typeof p.targetPort)).toEqual(['string', 'number']);
    expect(await problems(s)).toEqual([]);
  });

  test('an int-or-string field rejects other types with one message', async () => {
    const s = service();
    s.spec.ports[0].targetPort = true;
    expect(await messages(s)).toEqual(['.spec.ports[0].targetPort: expected string or integer; got boolean true']);
  });

  test('a quantity must have the shape the API server parses', async () => {
    const d = deployment();
    d.spec.template.spec.containers[0].resources.limits.memory = 'lots';
    expect(await messages(d)).toEqual(['.spec.template.spec.containers[0].resources.limits.memory: must be a quantity such as "500m", "1Gi" or "2"; got string "lots"']);
  });

  test('an int32 field rejects a number beyond 32 bits', async () => {
    const d = deployment();
    d.spec.replicas = 3_000_000_000;
    expect(await messages(d)).toEqual(['.spec.replicas: must be a 32-bit integer (-2147483648..2147483647); got integer 3000000000']);
  });

  test('Secret data must be base64', async () => {
    const [m] = await messages({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { password: 'hunter2' } });
    expect(m).toBe('.data.password: must be base64-encoded data (standard alphabet, padded); got string "hunter2"');
  });

  test('a map key that is not an identifier is quoted in the path', async () => {
    const c = configMap();
    c.metadata.labels = { 'app.kubernetes.io/name': 1 };
    expect(await messages(c)).toEqual(['.metadata.labels["app.kubernetes.io/name"]: expected string; got integer 1']);
  });

  test('an object without metadata.name fails', async () => {
    const c = configMap();
    delete c.metadata.name;
    expect(await messages(c)).toEqual(['.metadata.name: missing required field "name"']);
  });

  test('generateName stands in for name, as the API server allows on create', async () => {
    const c = configMap();
    delete c.metadata.name;
    c.metadata.generateName = 'web-config-';
    expect(await problems(c)).toEqual([]);
  });

  test('a List kind (ListMeta) needs no name', async () => {
    expect(await problems({ apiVersion: 'v1', kind: 'ConfigMapList', metadata: {}, items: [configMap()] })).toEqual([]);
  });

  test('null is rejected where the schema does not allow it, as kubeconform does', async () => {
    const c = clone(configMap());
    c.data['app.yaml'] = null;
    expect(await messages(c)).toEqual(['.data["app.yaml"]: expected string; got null']);
  });

  test('an RFC 3339 date-time is required where the schema says date-time', async () => {
    const c = configMap();
    c.metadata.creationTimestamp = '2024-02-30T10:00:00Z';
    expect(await messages(c)).toEqual(['.metadata.creationTimestamp: must be an RFC 3339 date-time such as "2024-01-31T12:00:00Z"; got string "2024-02-30T10:00:00Z"']);
    c.metadata.creationTimestamp = '2024-02-29T10:00:00.5+03:00';
    expect(await problems(c)).toEqual([]);
  });

  test('errors name cluster, file and object on one line', async () => {
    const d = deployment();
    d.spec.paused = 'no';
    expect(await problems(configMap(), d)).toEqual(['c1: clusters/c1/test/1.yaml: Deployment/shop/web: .spec.paused: expected boolean; got string "no"']);
  });
});
