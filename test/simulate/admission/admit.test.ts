import { App, Chart } from 'cdk8s';
import { RegistryPolicy } from '../../../constructs/registry-policy.js';
import { admit } from '../../../simulate/admission/index.js';
import type { SimObject } from '../../../simulate/model.js';

const registryPolicy = () => {
  const c = new Chart(new App({ outdir: '/nonexistent' }), 'c');
  new RegistryPolicy(c, 'restrict-image-registries', { allowedPrefixes: ['cr.company.ru/'], action: 'Enforce' });
  return c.toJson() as Record<string, any>[];
};

const pod = (namespace: string): SimObject => ({
  cluster: 'c1', file: 'clusters/c1/apps/pod.yaml',
  object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace }, spec: { containers: [{ name: 'app', image: 'docker.io/x:1' }] } },
});

describe('admit', () => {
  const namespaces = new Map([
    ['restricted', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'restricted', labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } } }],
    ['open', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'open' } }],
  ]);

  test('Pod Security Admission first, then the Kyverno policies, each with its reason', () => {
    const f = admit(pod('restricted'), { namespaces, policies: registryPolicy() });
    expect(f.map((x) => x.message.split(':')[0])).toEqual(['the pod is forbidden in namespace restricted', 'denied by Kyverno ValidatingPolicy restrict-image-registries']);
  });

  test('the namespace\'s own labels decide Pod Security: an unlabelled one only meets the policies', () => {
    expect(admit(pod('open'), { namespaces, policies: registryPolicy() }).map((x) => x.message.split(':')[0])).toEqual(['denied by Kyverno ValidatingPolicy restrict-image-registries']);
  });

  test('with no policies applied yet and a privileged namespace, everything is admitted', () => {
    expect(admit(pod('open'), { namespaces, policies: [] })).toEqual([]);
  });
});
