import { App, Chart } from 'cdk8s';
import { SopsSecretPolicy, type SopsSecretPolicyProps } from '../../constructs/sops-secret-policy.js';

const render = (props: Partial<SopsSecretPolicyProps>) => {
  const chart = new Chart(new App({ outdir: '/nonexistent' }), 'c', { namespace: 'kyverno' });
  new SopsSecretPolicy(chart, 'sops', { namespaces: ['cert-manager'], writer: { namespace: 'argocd', name: 'argocd-application-controller' }, ...props });
  return chart.toJson()[0] as Record<string, any>;
};

describe('SopsSecretPolicy', () => {
  test('is cluster-scoped and lists each namespace once, sorted', () => {
    const policy = render({ namespaces: ['vault', 'cert-manager', 'vault'] });
    expect(policy.metadata.namespace).toBeUndefined();
    expect(policy.spec.variables).toContainEqual({ name: 'namespaces', expression: '["cert-manager", "vault"]' });
  });

  test('no namespace at all is refused, naming the field', () => {
    expect(() => render({ namespaces: [] })).toThrow('c/sops: namespaces: received []; expected at least one namespace (the platform\'s, e.g. cert-manager)');
  });

  test('a namespace that is not a DNS label is refused, naming the field', () => {
    expect(() => render({ namespaces: ['Cert_Manager'] })).toThrow(/^c\/sops: namespaces\[0\]: received "Cert_Manager"; expected a DNS label/);
  });

  test('a writer that is not a ServiceAccount name is refused, naming the field', () => {
    expect(() => render({ writer: { namespace: 'argocd', name: 'Argo CD' } })).toThrow(/^c\/sops: writer\.name: received "Argo CD"; expected a lower-case DNS name/);
  });
});
