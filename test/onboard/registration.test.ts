// Registration in Argo CD (gitops-bridge's convention): the in-cluster Secret says where the
// cluster is and which platform components it runs as labels, and carries the applied stack's
// IDs as annotations.
import { platformComponents } from '../../charts/cluster.js';
import type { ClusterSpec } from '../../spec/schema.js';
import { specFor } from '../helpers/fleet.js';

function inCluster(spec: ClusterSpec): { labels: Record<string, string>; annotations?: Record<string, string> } {
  const argocd = platformComponents(spec).find((c) => c.name === 'argo-cd')!;
  const configs = (argocd.helm!.values as { configs: { clusterCredentials: Record<string, { labels: Record<string, string>; annotations?: Record<string, string> }> } }).configs;
  return configs.clusterCredentials['in-cluster'];
}

test('the in-cluster Secret is labelled with the cluster\'s place and enable_<component> for each component it runs', () => {
  const spec = specFor();
  const { labels } = inCluster(spec);
  expect(labels).toMatchObject({ cluster: 'c1', cloud: 'vk', env: 'prod', region: spec.region, enable_cert_manager: 'true', enable_velero: 'true' });
  const components = platformComponents(spec).filter((c) => c.name !== 'argo-cd').map((c) => `enable_${c.name.replace(/-/g, '_')}`);
  expect(Object.keys(labels).filter((l) => l.startsWith('enable_')).sort()).toEqual([...new Set(components)].sort());
});

test('a component the cluster does not run has no enable_ label', () => {
  expect(inCluster(specFor({ mesh: { kind: 'none' } })).labels).not.toHaveProperty('enable_mesh');
  expect(inCluster(specFor({ ingress: { kind: 'traefik' }, mesh: { kind: 'linkerd' } })).labels).toHaveProperty('enable_mesh', 'true');
});

test('the in-cluster Secret carries the applied stack\'s IDs as annotations, and none before the outputs are captured', () => {
  const spec = specFor();
  expect(inCluster(spec).annotations).toBeUndefined();
  const applied = { ...spec, infra: { ...spec.infra, outputs: { cluster_id: 'vk-cluster-0001', dns_zone_id: 'zone-0001', bucket_names: { a: 'platform-velero' } } } };
  expect(inCluster(applied).annotations).toEqual({
    'infra.platform.company.ru/cluster_id': 'vk-cluster-0001',
    'infra.platform.company.ru/dns_zone_id': 'zone-0001',
  });
});
