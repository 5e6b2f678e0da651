// The ingress NetworkPolicy evaluator, on small policies whose outcome the Kubernetes docs state.
import { ingressAllowed, type PodEndpoint } from '../../simulate/network-policy.js';

const web: PodEndpoint = { namespace: 'shop', labels: { app: 'web' }, ports: [{ name: 'http', containerPort: 8080 }] };
const client = (namespace: string, labels: Record<string, string> = { app: 'client' }): PodEndpoint => ({ namespace, labels });
const policy = (spec: Record<string, unknown>, namespace = 'shop') => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'p', namespace }, spec });

test('a pod that no policy selects accepts every connection', () => {
  expect(ingressAllowed([policy({ podSelector: { matchLabels: { app: 'other' } }, policyTypes: ['Ingress'] })], client('any'), web, 8080)).toBe(true);
});

test('a default-deny policy (empty podSelector, no rules) refuses every connection', () => {
  expect(ingressAllowed([policy({ podSelector: {}, policyTypes: ['Ingress'] })], client('shop'), web, 8080)).toBe(false);
});

test('a policy in another namespace does not select the pod', () => {
  expect(ingressAllowed([policy({ podSelector: {}, policyTypes: ['Ingress'] }, 'elsewhere')], client('shop'), web, 8080)).toBe(true);
});

test('a podSelector peer admits only pods of the policy\'s own namespace', () => {
  const p = policy({ podSelector: {}, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'client' } } }] }] });
  expect(ingressAllowed([p], client('shop'), web, 8080)).toBe(true);
  expect(ingressAllowed([p], client('team'), web, 8080)).toBe(false);
});

test('namespaceSelector and podSelector in one peer must both match', () => {
  const p = policy({ podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'edge' } }, podSelector: { matchLabels: { app: 'gw' } } }] }] });
  expect(ingressAllowed([p], client('edge', { app: 'gw' }), web, 8080)).toBe(true);
  expect(ingressAllowed([p], client('edge', { app: 'other' }), web, 8080)).toBe(false);
  expect(ingressAllowed([p], client('team', { app: 'gw' }), web, 8080)).toBe(false);
});

test('a named port admits only the container port of that name', () => {
  const p = policy({ podSelector: {}, ingress: [{ ports: [{ port: 'http' }] }] });
  expect(ingressAllowed([p], client('any'), web, 8080)).toBe(true);
  expect(ingressAllowed([p], client('any'), web, 9090)).toBe(false);
});

test('a numeric port range (endPort) admits the ports inside it, for its protocol only', () => {
  const p = policy({ podSelector: {}, ingress: [{ ports: [{ port: 8000, endPort: 8100 }] }] });
  expect(ingressAllowed([p], client('any'), web, 8080)).toBe(true);
  expect(ingressAllowed([p], client('any'), web, 8101)).toBe(false);
  expect(ingressAllowed([p], client('any'), web, 8080, { protocol: 'UDP' })).toBe(false);
});

test('policies add up: a connection any selecting policy admits is allowed', () => {
  const deny = policy({ podSelector: {}, policyTypes: ['Ingress'] });
  const open = policy({ podSelector: { matchLabels: { app: 'web' } }, ingress: [{ from: [{ namespaceSelector: {} }] }] });
  expect(ingressAllowed([deny, open], client('team'), web, 8080)).toBe(true);
});

test('an Egress-only policy does not restrict ingress', () => {
  expect(ingressAllowed([policy({ podSelector: {}, policyTypes: ['Egress'] })], client('team'), web, 8080)).toBe(true);
});

test('matchExpressions: In, NotIn, Exists and DoesNotExist', () => {
  const on = (expr: Record<string, unknown>) => policy({ podSelector: {}, ingress: [{ from: [{ podSelector: { matchExpressions: [expr] } }] }] });
  expect(ingressAllowed([on({ key: 'app', operator: 'In', values: ['client'] })], client('shop'), web, 8080)).toBe(true);
  expect(ingressAllowed([on({ key: 'app', operator: 'NotIn', values: ['client'] })], client('shop'), web, 8080)).toBe(false);
  expect(ingressAllowed([on({ key: 'tier', operator: 'Exists' })], client('shop'), web, 8080)).toBe(false);
  expect(ingressAllowed([on({ key: 'tier', operator: 'DoesNotExist' })], client('shop'), web, 8080)).toBe(true);
});
