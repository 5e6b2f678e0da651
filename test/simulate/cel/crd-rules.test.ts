import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import { checkCrdValidationRules } from '../../../simulate/cel/crd-rules.js';
import type { SimObject } from '../../../simulate/model.js';
import { describeWithReferenceData, referencePath } from '../../helpers/reference-data.js';

const crdCache = new Map<string, Record<string, any>[]>();

/** The CRD for `kind` in group `group` from a file of the reference CRDs. */
function crd(file: string, group: string, kind: string): Record<string, any> {
  let docs = crdCache.get(file);
  if (!docs) {
    docs = (yaml.loadAll(readFileSync(referencePath(`crds/${file}`), 'utf8')) as Record<string, any>[]).filter(Boolean);
    crdCache.set(file, docs);
  }
  const found = docs.find((d) => d.spec?.group === group && d.spec?.names?.kind === kind);
  if (!found) throw new Error(`no CRD ${kind}.${group} in ${file}`);
  return found;
}

const sim = (object: Record<string, any>): SimObject => ({ cluster: 'c1', file: 'clusters/c1/x.yaml', object });

function gateway(listeners: Record<string, any>[]) {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'gw', namespace: 'ingress' },
    spec: { gatewayClassName: 'traefik', listeners },
  };
}

function httpRoute(backendRef: Record<string, any>) {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'web', namespace: 'apps' },
    spec: { parentRefs: [{ name: 'gw', namespace: 'ingress' }], rules: [{ backendRefs: [backendRef] }] },
  };
}

describeWithReferenceData('CRD x-kubernetes-validations rules, on the upstream CRDs', 'crds', () => {
  const gatewayCrd = () => crd('gateway-api.yaml', 'gateway.networking.k8s.io', 'Gateway');
  const routeCrd = () => crd('gateway-api.yaml', 'gateway.networking.k8s.io', 'HTTPRoute');

  test('a Gateway with two listeners of one name is denied at .spec.listeners, with the CRD message', () => {
    const l = { name: 'web', port: 80, protocol: 'HTTP' };
    const f = checkCrdValidationRules(sim(gateway([l, { ...l, port: 8080 }])), gatewayCrd());
    expect(f.map((x) => [x.path, x.message.split(': ').pop()])).toEqual([['.spec.listeners', 'Listener name must be unique within the Gateway']]);
    expect(f[0]).toMatchObject({ cluster: 'c1', file: 'clusters/c1/x.yaml', object: 'Gateway/ingress/gw', step: 'admission' });
  });

  test('the same Gateway with distinct listener names passes every rule', () => {
    const l = { name: 'web', port: 80, protocol: 'HTTP' };
    expect(checkCrdValidationRules(sim(gateway([l, { ...l, name: 'alt', port: 8080 }])), gatewayCrd())).toEqual([]);
  });

  test('an HTTPRoute backend Service without a port is denied; the rule reads the defaulted group and kind', () => {
    const f = checkCrdValidationRules(sim(httpRoute({ name: 'web' })), routeCrd());
    expect(f.map((x) => [x.path, x.message.split(': ').pop()])).toEqual([['.spec.rules[0].backendRefs[0]', 'Must have port for Service reference']]);
  });

  test('the HTTPRoute with the port passes (rules reading the escaped parentRefs namespace included)', () => {
    expect(checkCrdValidationRules(sim(httpRoute({ name: 'web', port: 80 })), routeCrd())).toEqual([]);
  });

  test('a cert-manager venafi Issuer with both tpp and cloud is denied; with one it passes', () => {
    const issuer = (venafi: Record<string, any>) => sim({
      apiVersion: 'cert-manager.io/v1', kind: 'Issuer', metadata: { name: 'v', namespace: 'apps' }, spec: { venafi: { zone: 'z', ...venafi } },
    });
    const issuerCrd = crd('cert-manager.yaml', 'cert-manager.io', 'Issuer');
    const tpp = { url: 'https://tpp.example/vedsdk', credentialsRef: { name: 's' } };
    const cloud = { apiTokenSecretRef: { name: 's', key: 'k' } };
    expect(checkCrdValidationRules(issuer({ tpp, cloud }), issuerCrd).map((x) => x.message)).toEqual([
      expect.stringContaining('exactly one of tpp, cloud, or ngts must be configured'),
    ]);
    expect(checkCrdValidationRules(issuer({ tpp }), issuerCrd)).toEqual([]);
  });

  test('a Traefik AddPrefix middleware without a leading slash is denied at its field', () => {
    const mw = (prefix: string) => sim({ apiVersion: 'traefik.io/v1alpha1', kind: 'Middleware', metadata: { name: 'm', namespace: 'a' }, spec: { addPrefix: { prefix } } });
    const mwCrd = crd('traefik.yaml', 'traefik.io', 'Middleware');
    expect(checkCrdValidationRules(mw('api'), mwCrd).map((x) => [x.path, x.message.split(': ').pop()])).toEqual([['.spec.addPrefix.prefix', "must start with a '/'"]]);
    expect(checkCrdValidationRules(mw('/api'), mwCrd)).toEqual([]);
  });

  test('an Istio VirtualService timeout under 1ms is denied by its duration() rule; 5s passes', () => {
    const vs = (timeout: string) => sim({
      apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'web', namespace: 'apps' },
      spec: { hosts: ['web'], http: [{ timeout, route: [{ destination: { host: 'web' } }] }] },
    });
    const vsCrd = crd('istio.yaml', 'networking.istio.io', 'VirtualService');
    expect(checkCrdValidationRules(vs('500us'), vsCrd).map((x) => [x.path, x.message.split(': ').pop()])).toEqual([['.spec.http[0].timeout', 'must be a valid duration greater than 1ms']]);
    expect(checkCrdValidationRules(vs('5s'), vsCrd)).toEqual([]);
  });

  test('an Istio AuthorizationPolicy rule on map values (additionalProperties) catches a wildcard label value', () => {
    const ap = (value: string) => sim({
      apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name: 'p', namespace: 'apps' },
      spec: { selector: { matchLabels: { app: value } }, action: 'ALLOW', rules: [{}] },
    });
    const apCrd = crd('istio.yaml', 'security.istio.io', 'AuthorizationPolicy');
    expect(checkCrdValidationRules(ap('web-*'), apCrd).map((x) => [x.path, x.message.split(': ').pop()])).toEqual([['.spec.selector.matchLabels.app', 'wildcard not allowed in label value match']]);
    expect(checkCrdValidationRules(ap('web'), apCrd)).toEqual([]);
  });

  test('a version the CRD does not serve has no rules to check', () => {
    const l = { name: 'web', port: 80, protocol: 'HTTP' };
    expect(checkCrdValidationRules(sim({ ...gateway([l, l]), apiVersion: 'gateway.networking.k8s.io/v9' }), gatewayCrd())).toEqual([]);
  });
});

describe('CRD x-kubernetes-validations rules, on crafted CRDs', () => {
  const crdWith = (rules: Record<string, any>[], extra: Record<string, any> = {}) => ({
    metadata: { name: 'things.example.com' },
    spec: {
      group: 'example.com', names: { kind: 'Thing', plural: 'things' },
      versions: [{ name: 'v1', schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', 'x-kubernetes-validations': rules, properties: { n: { type: 'integer' }, ...extra } } } } } }],
    },
  });
  const thing = (spec: Record<string, any>) => sim({ apiVersion: 'example.com/v1', kind: 'Thing', metadata: { name: 't' }, spec });

  test('a rule that does not compile is reported as such, not passed', () => {
    const [f] = checkCrdValidationRules(thing({ n: 1 }), crdWith([{ rule: 'self.n >' }]));
    expect(f?.message).toMatch(/things\.example\.com rule "self\.n >" does not compile/);
  });

  test('a rule that fails to evaluate is reported as such, not passed', () => {
    const [f] = checkCrdValidationRules(thing({}), crdWith([{ rule: 'self.n > 0' }]));
    expect(f?.message).toMatch(/could not be evaluated: .*n/);
  });

  test('messageExpression, fieldPath and reason shape the finding', () => {
    const [f] = checkCrdValidationRules(thing({ n: 0 }), crdWith([{
      rule: 'self.n > 0', messageExpression: "'n must be positive, is ' + string(self.n)", fieldPath: '.n', reason: 'FieldValueInvalid',
    }]));
    expect(f).toMatchObject({ path: '.spec.n', message: expect.stringMatching(/\(FieldValueInvalid\): n must be positive, is 0$/) });
  });

  test('transition rules (oldSelf) are skipped on create', () => {
    expect(checkCrdValidationRules(thing({ n: 0 }), crdWith([{ rule: 'self.n == oldSelf.n' }]))).toEqual([]);
  });

  test('a reserved-word property is read through its escaped name', () => {
    const c = crdWith([{ rule: "self.__namespace__ == 'ok'" }], { namespace: { type: 'string' } });
    expect(checkCrdValidationRules(thing({ namespace: 'ok' }), c)).toEqual([]);
    expect(checkCrdValidationRules(thing({ namespace: 'no' }), c)).toHaveLength(1);
  });
});
