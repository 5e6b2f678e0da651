import { application, clone, messages, problems } from './helpers.js';

const appProject = () => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'AppProject',
  metadata: { name: 'platform', namespace: 'argocd' },
  spec: {
    description: 'Platform components',
    sourceRepos: ['https://charts.jetstack.io', 'https://git.example.com/infra-gitops.git'],
    destinations: [{ server: 'https://kubernetes.default.svc', namespace: 'cert-manager' }],
    clusterResourceWhitelist: [{ group: 'cert-manager.io', kind: 'ClusterIssuer' }],
    namespaceResourceBlacklist: [{ group: '', kind: 'ResourceQuota' }],
    orphanedResources: { warn: true },
  },
});

const clusterIssuer = () => ({
  apiVersion: 'cert-manager.io/v1',
  kind: 'ClusterIssuer',
  metadata: { name: 'letsencrypt' },
  spec: {
    acme: {
      server: 'https://acme-v02.api.letsencrypt.org/directory',
      email: 'platform@example.com',
      privateKeySecretRef: { name: 'letsencrypt-account' },
      solvers: [{ dns01: { webhook: { groupName: 'acme.yandex.cloud', solverName: 'yandex', config: { folder: 'b1g' } } }, selector: { dnsZones: ['example.com'] } }],
    },
  },
});

const istioGateway = () => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'Gateway',
  metadata: { name: 'public', namespace: 'istio-ingress' },
  spec: {
    selector: { istio: 'ingressgateway' },
    servers: [
      { port: { number: 443, name: 'https', protocol: 'HTTPS' }, hosts: ['*.example.com'], tls: { mode: 'SIMPLE', credentialName: 'wildcard-tls' } },
      { port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['*.example.com'], tls: { httpsRedirect: true } },
    ],
  },
});

const imageValidatingPolicy = () => ({
  apiVersion: 'policies.kyverno.io/v1',
  kind: 'ImageValidatingPolicy',
  metadata: { name: 'verify-platform-images' },
  spec: {
    validationActions: ['Deny'],
    failurePolicy: 'Fail',
    matchConstraints: { resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['pods'] }] },
    matchImageReferences: [{ glob: 'registry.example.com/*' }],
    attestors: [{ name: 'platform', cosign: { key: { data: '-----BEGIN PUBLIC KEY-----\nMFkw\n-----END PUBLIC KEY-----' } } }],
    validations: [{ expression: "images.containers.map(image, verifyImageSignatures(image, [attestors.platform])).all(e, e > 0)", message: 'unsigned image' }],
  },
});

const sopsSecret = () => ({
  apiVersion: 'isindir.github.com/v1alpha3',
  kind: 'SopsSecret',
  metadata: { name: 'db', namespace: 'shop' },
  spec: { secretTemplates: [{ name: 'db', stringData: { password: 'ENC[AES256_GCM,data:abc,iv:def,tag:ghi,type:str]' } }] },
  sops: {
    age: [{ recipient: 'age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p', enc: '-----BEGIN AGE ENCRYPTED FILE-----\n...\n-----END AGE ENCRYPTED FILE-----\n' }],
    lastmodified: '2026-11-26T12:00:00Z',
    mac: 'ENC[AES256_GCM,data:m,iv:i,tag:t,type:str]',
    encrypted_regex: '^(data|stringData)$',
    version: '3.9.0',
  },
});

describe('CRD objects', () => {
  test('valid Application, AppProject, ClusterIssuer, Istio Gateway, ImageValidatingPolicy and SopsSecret pass', async () => {
    expect(await problems(application(), appProject(), clusterIssuer(), istioGateway(), imageValidatingPolicy(), sopsSecret())).toEqual([]);
  });

  test('preserve-unknown-fields areas accept anything (Application helm.valuesObject)', async () => {
    const a = application();
    a.spec.source.helm.valuesObject = { anything: { nested: [1, 'two', { three: null }] }, 'weird key': true };
    expect(await problems(a)).toEqual([]);
  });

  test('a typo in an Application field fails with its path', async () => {
    const a = application();
    a.spec.source.helm.valueObject = {};
    expect(await messages(a)).toEqual(['.spec.source.helm.valueObject: unknown field "valueObject"; did you mean "valuesObject"?']);
  });

  test('a typo in an AppProject fails', async () => {
    const p = appProject();
    (p.spec as any).sourceRepo = [];
    expect(await messages(p)).toEqual(['.spec.sourceRepo: unknown field "sourceRepo"; did you mean "sourceRepos"?']);
  });

  test('a typo in a ClusterIssuer fails', async () => {
    const c: any = clusterIssuer();
    c.spec.acme.privateKeySecretRef.nmae = 'x';
    expect(await messages(c)).toEqual(['.spec.acme.privateKeySecretRef.nmae: unknown field "nmae"; did you mean "name"?']);
  });

  test('a wrong type in an Istio Gateway fails', async () => {
    const g: any = istioGateway();
    g.spec.servers[0].port.number = '443';
    expect(await messages(g)).toEqual(['.spec.servers[0].port.number: expected integer; got string "443"']);
  });

  test('an enum violation lists the allowed values', async () => {
    const p: any = imageValidatingPolicy();
    p.spec.failurePolicy = 'Abort';
    expect(await messages(p)).toEqual(['.spec.failurePolicy: must be one of "Ignore", "Fail"; got string "Abort"']);
  });

  test('a oneOf of required fields is one message naming the fields', async () => {
    const p: any = imageValidatingPolicy();
    p.spec.matchImageReferences = [{}];
    expect(await messages(p)).toEqual(['.spec.matchImageReferences[0]: must set exactly one of the fields "glob", "expression"']);
  });

  test('two mutually exclusive fields are named (Kyverno: exactly one of; Istio: at most one of)', async () => {
    const p: any = imageValidatingPolicy();
    p.spec.matchImageReferences = [{ glob: 'a/*', expression: 'true' }];
    expect(await messages(p)).toEqual(['.spec.matchImageReferences[0]: must set exactly one of the fields "glob", "expression"; got "glob", "expression"']);
    const dr = {
      apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'web', namespace: 'shop' },
      spec: { host: 'web', trafficPolicy: { loadBalancer: { simple: 'ROUND_ROBIN', consistentHash: { useSourceIp: true } } } },
    };
    expect(await messages(dr)).toEqual(['.spec.trafficPolicy.loadBalancer: must set at most one of the fields "simple", "consistentHash"; got "simple", "consistentHash"']);
    delete (dr.spec.trafficPolicy.loadBalancer as any).simple;
    expect(await problems(dr)).toEqual([]);
  });

  test('a typo in a SopsSecret fails, in spec and in the sops block', async () => {
    const s: any = sopsSecret();
    s.spec.secretTemplates[0].strngData = {};
    s.sops.unencrypted_suffix = '_unencrypted';
    expect(await messages(s)).toEqual(['.sops.unencrypted_suffix: unknown field "unencrypted_suffix"; did you mean "encrypted_suffix"?', '.spec.secretTemplates[0].strngData: unknown field "strngData"; did you mean "stringData"?']);
  });

  test('CRD metadata is checked as ObjectMeta: an unknown field fails', async () => {
    const a: any = application();
    a.metadata.label = { team: 'platform' };
    expect(await messages(a)).toEqual(['.metadata.label: unknown field "label"; did you mean "labels"?']);
  });

  test('CRD metadata is checked as ObjectMeta: wrong types fail', async () => {
    const a: any = application();
    a.metadata.annotations['argocd.argoproj.io/sync-wave'] = -10;
    expect(await messages(a)).toEqual(['.metadata.annotations["argocd.argoproj.io/sync-wave"]: expected string; got integer -10']);
  });

  test('a CRD object without metadata.name fails', async () => {
    const c: any = clusterIssuer();
    delete c.metadata.name;
    expect(await messages(c)).toEqual(['.metadata.name: missing required field "name"']);
  });

  test('a CRD object without metadata fails', async () => {
    const c: any = clusterIssuer();
    delete c.metadata;
    expect(await messages(c)).toEqual(['.metadata: missing required field "metadata" (with at least "name")']);
  });

  test('a CRD version that is not served by the CRD is unknown', async () => {
    const [m] = await messages({ ...clusterIssuer(), apiVersion: 'cert-manager.io/v1alpha2' });
    expect(m).toBe('.apiVersion: unknown apiVersion/kind "cert-manager.io/v1alpha2" "ClusterIssuer": no Kubernetes 1.28 schema or CRD in validate/generated defines it; ClusterIssuer exists in apiVersion "cert-manager.io/v1"');
  });

  test('every served version of a CRD is known (Istio Gateway v1, v1beta1, v1alpha3)', async () => {
    const versions = ['networking.istio.io/v1', 'networking.istio.io/v1beta1', 'networking.istio.io/v1alpha3'];
    expect(await problems(...versions.map((apiVersion) => ({ ...istioGateway(), apiVersion })))).toEqual([]);
  });

  test('a CRD int-or-string field accepts an integer and a string', async () => {
    const ok = (value: unknown) => ({
      apiVersion: 'traefik.io/v1alpha1', kind: 'IngressRoute', metadata: { name: 'r', namespace: 'n' },
      spec: { routes: [{ match: 'Host(`a.example.com`)', kind: 'Rule', services: [{ name: 'web', port: value }] }] },
    });
    expect(await problems(ok(80), ok('http'))).toEqual([]);
    expect(await messages(ok(false))).toEqual(['.spec.routes[0].services[0].port: expected integer or string; got boolean false']);
  });

  test('alternatives that differ by format collapse into one message (Gateway API addresses)', async () => {
    const gw = (value: string) => ({
      apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'g', namespace: 'n' },
      spec: { gatewayClassName: 'istio', addresses: [{ type: 'IPAddress', value }], listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }] },
    });
    expect(await problems(gw('10.0.0.1'), gw('fd00::1'))).toEqual([]);
    expect(await messages(gw('not-an-ip'))).toEqual([
      '.spec.addresses[0].value: must be an IPv4 address such as "10.0.0.1" or an IPv6 address such as "fd00::1"; got string "not-an-ip" (closest of 2 allowed forms)',
    ]);
  });

  test('nullable fields accept null, others do not (Velero Schedule)', async () => {
    const schedule = (template: Record<string, unknown>) => ({
      apiVersion: 'velero.io/v1', kind: 'Schedule', metadata: { name: 'daily', namespace: 'velero' },
      spec: { schedule: '0 3 * * *', template: { ttl: '720h0m0s', ...template } },
    });
    expect(await problems(schedule({ excludedNamespaces: null, defaultVolumesToFsBackup: null }))).toEqual([]);
    expect(await messages(schedule({ storageLocation: null }))).toEqual(['.spec.template.storageLocation: expected string; got null']);
  });

  test('a field that is neither nullable nor open rejects null', async () => {
    const a = clone(application());
    a.spec.source.helm.valuesObject = null;
    expect(await messages(a)).toEqual(['.spec.source.helm.valuesObject: expected object; got null']);
  });
});
