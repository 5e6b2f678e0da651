import { App, Chart } from 'cdk8s';
import yaml from 'js-yaml';
import { GrafanaDashboard } from '../../constructs/grafana-dashboard.js';
import { ServiceMonitor } from '../../constructs/service-monitor.js';
import { VaultService } from '../../constructs/vault-service.js';
import { validateSchemas } from '../../validate/schema.js';

const chart = () => new Chart(new App({ outdir: '/nonexistent' }), 'c');
const objects = (c: Chart) => c.toJson() as Record<string, any>[];
const schemaErrors = async (c: Chart) => (await validateSchemas(objects(c).map((object, i) => ({ file: `f${i}.yaml`, index: 0, object }))))
  .map((e) => `${e.object} ${e.path}: ${e.message}`);
const secrets = [{ name: 'db-password', path: 'kv/data/shop/api', key: 'password' }];

describe('ServiceMonitor', () => {
  test('scrapes the named port of the selected Service in its own namespace, valid against the prometheus-operator CRD', async () => {
    const c = chart();
    new ServiceMonitor(c, 'api', { namespace: 'shop', selector: { app: 'api' }, port: 'http' });
    const [o] = objects(c);
    expect(o.spec).toEqual({ selector: { matchLabels: { app: 'api' } }, namespaceSelector: { matchNames: ['shop'] }, endpoints: [{ port: 'http', path: '/metrics', interval: '30s' }] });
    expect(o.metadata.annotations).toBeUndefined();
    expect(await schemaErrors(c)).toEqual([]);
  });

  test('a Service from a team repository is stamped on the object as the declaration the fleet rule checks', () => {
    const c = chart();
    new ServiceMonitor(c, 'api', { namespace: 'shop', selector: { app: 'api' }, port: 'http', declaredService: { name: 'api', team: 'shop', labels: { app: 'api' }, ports: ['http'] } });
    expect(JSON.parse(objects(c)[0].metadata.annotations['platform.company.ru/declared-service'])).toEqual({ name: 'api', team: 'shop', labels: { app: 'api' }, ports: ['http'] });
  });

  test.each([
    [{ selector: {} }, 'c/m: selector: received {}; expected at least one label of the Service (an empty selector scrapes every Service of the namespace)'],
    [{ path: 'metrics' }, 'c/m: path: received "metrics"; expected an HTTP path starting with "/"'],
    [{ interval: '30' }, 'c/m: interval: received "30"; expected a duration such as 30s or 1m'],
    [{ port: 'metrics', declaredService: { name: 'api', team: 't', labels: { app: 'api' }, ports: ['http'] } }, 'c/m: port: received "metrics"; expected a port of the declared Service api (http)'],
  ])('refuses %j', (props, message) => {
    expect(() => new ServiceMonitor(chart(), 'm', { namespace: 'shop', selector: { app: 'api' }, port: 'http', ...props })).toThrow(message);
  });
});

describe('VaultService', () => {
  test('csi: a ServiceAccount and a SecretProviderClass whose objects are a YAML string, valid against the CSI CRD', async () => {
    const c = chart();
    const v = new VaultService(c, 'api', { service: 'api', namespace: 'shop', delivery: 'csi', secrets });
    const spc = objects(c).find((o) => o.kind === 'SecretProviderClass')!;
    expect(spc.metadata).toEqual({ name: 'api-vault', namespace: 'shop', annotations: { 'platform.company.ru/consumer-service-account': 'api' } });
    expect(spc.spec.provider).toBe('vault');
    expect(spc.spec.parameters.roleName).toBe('shop-api');
    expect(spc.spec.parameters.vaultKubernetesMountPath).toBe('kubernetes');
    expect(yaml.load(spc.spec.parameters.objects)).toEqual([{ objectName: 'db-password', secretPath: 'kv/data/shop/api', secretKey: 'password' }]);
    expect(objects(c).find((o) => o.kind === 'ServiceAccount')!.metadata.name).toBe('api');
    expect(v.mountPath).toBe('/mnt/secrets');
    expect(v.podVolume).toEqual({ name: 'vault-secrets', csi: { driver: 'secrets-store.csi.k8s.io', readOnly: true, volumeAttributes: { secretProviderClass: 'api-vault' } } });
    expect(await schemaErrors(c)).toEqual([]);
  });

  test('the Vault role is bound to exactly the ServiceAccount and namespace, and the policy reads only the service\'s paths', () => {
    const v = new VaultService(chart(), 'api', { service: 'api', namespace: 'shop', delivery: 'csi', serviceAccount: 'api-sa', ttl: '30m', secrets });
    expect(v.vaultRole).toEqual({ bound_service_account_names: ['api-sa'], bound_service_account_namespaces: ['shop'], audience: 'vault', token_policies: ['shop-api'], token_ttl: '30m' });
    expect(v.vaultPolicy).toBe('path "kv/data/shop/api" {\n  capabilities = ["read"]\n}\n');
  });

  test('injector: no SecretProviderClass; the pod-template annotations render one file per secret under /vault/secrets', () => {
    const c = chart();
    const v = new VaultService(c, 'api', { service: 'api', namespace: 'shop', delivery: 'injector', secrets });
    expect(objects(c).map((o) => o.kind)).toEqual(['ServiceAccount']);
    expect(v.mountPath).toBe('/vault/secrets');
    expect(v.podAnnotations).toEqual({
      'vault.hashicorp.com/agent-inject': 'true',
      'vault.hashicorp.com/role': 'shop-api',
      'vault.hashicorp.com/auth-path': 'auth/kubernetes',
      'vault.hashicorp.com/agent-inject-secret-db-password': 'kv/data/shop/api',
      'vault.hashicorp.com/agent-inject-template-db-password': '{{- with secret "kv/data/shop/api" -}}{{ .Data.data.password }}{{- end -}}',
    });
    expect(v.vaultRole.audience).toBeUndefined();
  });

  test.each([
    [{ delivery: 'injector', mountPath: '/secrets' }, 'c/v: mountPath: received "/secrets"; expected /vault/secrets (Vault Agent\'s fixed directory) or nothing'],
    [{ mountPath: 'relative' }, 'c/v: mountPath: received "relative"; expected an absolute directory such as /mnt/secrets'],
    [{ secrets: [] }, 'c/v: secrets: received []; expected at least one { name, path, key }'],
    [{ secrets: [{ name: 'a', path: 'kv/shop/api', key: 'k' }] }, 'c/v: secrets[0].path: received "kv/shop/api"; expected a KV v2 API path such as kv/data/team/service'],
  ])('refuses %j', (props, message) => {
    expect(() => new VaultService(chart(), 'v', { service: 'api', namespace: 'shop', delivery: 'csi', secrets, ...props } as any)).toThrow(message);
  });
});

describe('GrafanaDashboard', () => {
  test('a ConfigMap the sidecar loads into the folder', async () => {
    const c = chart();
    new GrafanaDashboard(c, 'dashboard-x', { namespace: 'monitoring', folder: 'platform', uid: 'x', json: '{"uid":"x","title":"X"}' });
    const [o] = objects(c);
    expect(o.metadata.labels).toEqual({ grafana_dashboard: '1' });
    expect(o.metadata.annotations.grafana_folder).toBe('platform');
    expect(o.data).toEqual({ 'dashboard-x.json': '{"uid":"x","title":"X"}' });
    expect(await schemaErrors(c)).toEqual([]);
  });

  test('a uid that disagrees with the JSON is refused', () => {
    expect(() => new GrafanaDashboard(chart(), 'd', { namespace: 'monitoring', uid: 'y', json: '{"uid":"x","title":"X"}' }))
      .toThrow('c/d: uid: received "y"; expected the uid the JSON states ("x")');
  });
});
