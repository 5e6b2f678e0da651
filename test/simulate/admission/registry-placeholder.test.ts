// The registry policy as rendered, evaluated in CEL (simulate/admission): Istio's gateway
// Deployment carries the injection placeholder `image: auto`, which Kyverno's autogen checks in
// the template before injection fills it in.
import { Chart, Testing } from 'cdk8s';
import { RegistryPolicy } from '../../../constructs/registry-policy.js';
import { checkKyvernoPolicies } from '../../../simulate/admission/kyverno.js';

const policy = () => {
  const c = new Chart(Testing.app(), 'test');
  new RegistryPolicy(c, 'registries', { allowedPrefixes: ['docker.io/istio/'], action: 'Enforce' });
  return c.toJson()[0];
};
const deployment = (image: string) => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'istio-ingressgateway', namespace: 'istio-ingress' },
  spec: { selector: { matchLabels: { istio: 'ingressgateway' } }, template: { metadata: { labels: { istio: 'ingressgateway' } }, spec: { containers: [{ name: 'istio-proxy', image }] } } },
});
const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'istio-ingress', labels: { 'kubernetes.io/metadata.name': 'istio-ingress' } } };
const check = (image: string) => checkKyvernoPolicies({ cluster: 'c', file: 'f.yaml', object: deployment(image) }, [policy()], ns);

test('the Istio gateway Deployment with the injection placeholder image is admitted', () => {
  expect(check('auto')).toEqual([]);
});

test('a Deployment with an image from a registry not allowed is still denied', () => {
  expect(check('docker.io/evil/miner:1').map((f) => f.message)).toEqual([expect.stringContaining('not allowed: docker.io/evil/miner:1')]);
});
