// Which chart-rendered Secrets hydration may write in clear. The real charts' Secrets are in
// hydrate.test.ts; these are the edges of the rule, one each.
import { secretMaterial } from '../../pipeline/hydrate-secrets.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const secret = (fields: Record<string, unknown>, labels: Record<string, string> = {}) =>
  ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'n', labels }, ...fields });
const paths = (o: Record<string, any>) => secretMaterial(o).map((m) => m.path);
const cluster = { 'argocd.argoproj.io/secret-type': 'cluster' };
const repository = { 'argocd.argoproj.io/secret-type': 'repository' };

describe('secretMaterial', () => {
  test('a Secret without data, or with empty values, has none', () => {
    expect(paths(secret({}))).toEqual([]);
    expect(paths(secret({ data: { a: '', b: b64('  \n') }, stringData: { c: '' } }))).toEqual([]);
  });

  test('JSON without a scalar is empty (the Yandex webhook chart\'s default key.json "{}")', () => {
    expect(paths(secret({ data: { 'key.json': b64('{}\n'), b: b64('{"a": {}, "b": []}'), c: b64('null') } }))).toEqual([]);
  });

  test('any other value is material, in data (decoded) and in stringData', () => {
    expect(paths(secret({ data: { password: b64('hunter2') }, stringData: { token: 'abc' } }))).toEqual(['.data.password', '.stringData.token']);
  });

  test('JSON with a scalar anywhere is material', () => {
    expect(paths(secret({ data: { 'key.json': b64('{"private_key": {"pem": "x"}}') } }))).toEqual(['.data.key.json']);
  });

  test('an Argo CD repository Secret with only settings has none; its password is material', () => {
    const settings = { name: 'charts', url: 'cr.yandex/x', type: 'helm', enableOCI: 'true' };
    expect(paths(secret({ stringData: settings }, repository))).toEqual([]);
    expect(paths(secret({ stringData: { ...settings, password: 'p', sshPrivateKey: 'k' } }, repository))).toEqual(['.stringData.password', '.stringData.sshPrivateKey']);
  });

  test('a field Argo CD may add later is material until it is known as a setting', () => {
    expect(paths(secret({ stringData: { url: 'https://x', someNewToken: 't' } }, repository))).toEqual(['.stringData.someNewToken']);
  });

  test('the same settings without the Argo CD label are material', () => {
    expect(paths(secret({ stringData: { url: 'https://x' } }))).toEqual(['.stringData.url']);
  });

  test('an Argo CD cluster Secret whose config holds TLS settings only has none (the argo-cd chart\'s in-cluster Secret)', () => {
    const stringData = { name: 'in-cluster', server: 'https://kubernetes.default.svc', namespaces: 'a,b', clusterResources: 'true', config: '{"tlsClientConfig":{"insecure":false,"caData":"LS0t"}}' };
    expect(paths(secret({ stringData }, cluster))).toEqual([]);
  });

  test('an Argo CD cluster Secret whose config carries a bearer token or client key is material, and says which fields', () => {
    const m = secretMaterial(secret({ stringData: { server: 'https://x', config: '{"bearerToken":"t","tlsClientConfig":{"keyData":"k"}}' } }, cluster));
    expect(m).toEqual([{ path: '.stringData.config', reason: expect.stringContaining('bearerToken, tlsClientConfig.keyData') }]);
  });

  test('a cluster config that is not JSON is material', () => {
    expect(paths(secret({ stringData: { config: 'bearerToken: t' } }, cluster))).toEqual(['.stringData.config']);
  });
});
