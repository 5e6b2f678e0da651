import { allowedImagePrefixes, exemptNamespaces, globPrefix } from '../../catalog/policy.js';

describe('allowedImagePrefixes', () => {
  test('a registry path allows everything under it', () => {
    expect(allowedImagePrefixes(['quay.io/jetstack/'])).toEqual(['quay.io/jetstack/']);
  });

  test('a single repository allows that repository at any tag or digest, not a look-alike name', () => {
    expect(allowedImagePrefixes(['registry.k8s.io/kubectl'])).toEqual(['registry.k8s.io/kubectl:', 'registry.k8s.io/kubectl@']);
  });

  test('Docker Hub entries also allow the short form Kubernetes leaves unnormalized', () => {
    expect(allowedImagePrefixes(['docker.io/velero/', 'docker.io/traefik'])).toEqual(['docker.io/traefik:', 'docker.io/traefik@', 'docker.io/velero/', 'traefik:', 'traefik@', 'velero/']);
  });
});

describe('globPrefix', () => {
  test.each([['ghcr.io/soft-yt/*', 'ghcr.io/soft-yt/'], ['ghcr.io/soft-yt/app', 'ghcr.io/soft-yt/app'], ['cr.company.ru/*/apps', 'cr.company.ru/']])('%s → %s', (glob, prefix) => {
    expect(globPrefix(glob)).toBe(prefix);
  });
});

describe('exemptNamespaces', () => {
  test('kube-system and Kyverno skip every policy; platform namespaces skip only the resources rule', () => {
    expect(exemptNamespaces('registries')).toEqual(['kube-node-lease', 'kube-public', 'kube-system', 'kyverno']);
    expect(exemptNamespaces('signatures')).toEqual(['kube-node-lease', 'kube-public', 'kube-system', 'kyverno']);
    expect(exemptNamespaces('resources')).toEqual(expect.arrayContaining(['argocd', 'cert-manager', 'kube-system', 'kyverno', 'monitoring']));
    expect(exemptNamespaces('resources')).not.toContain('default');
  });

  test('extra namespaces (a renamed Argo CD namespace) are added once, sorted', () => {
    expect(exemptNamespaces('registries', ['gitops', 'kyverno'])).toEqual(['gitops', 'kube-node-lease', 'kube-public', 'kube-system', 'kyverno']);
  });
});
