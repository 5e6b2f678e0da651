// Loki 18.11 as the pinned chart renders it for the cluster. The reference data does not vendor
// Loki's two dependencies (minio, rollout-operator); both are disabled by their conditions in our
// values, so they are left out of Chart.yaml for the render (see renderWithoutDisabledDependencies).
import { specFor } from '../helpers/fleet.js';
import { describeWithReferenceData } from '../helpers/reference-data.js';
import { disallowedImages, imagesOf, leafPaths, ofKind, unreadPaths, useRealCharts } from './real-charts.js';
import { ONPREM_SITE } from '../helpers/onprem-site.js';

describeWithReferenceData('Loki (the pinned chart, rendered)', 'helm/charts', () => {
  const charts = useRealCharts(['loki']);
  const prod = specFor({ environment: 'prod' }, 'loki-prod');
  const distributed = specFor({ environment: 'prod', observability: { loki: { mode: 'Distributed' } } }, 'loki-distributed');
  const dev = specFor({ cloud: 'onprem', infrastructure: 'baremetal', ...ONPREM_SITE, environment: 'dev', domain: 'dev.localhost', ingress: { kind: 'traefik' }, dns: { provider: 'none' }, tls: { issuer: 'self-signed' } }, 'loki-dev');
  const render = (spec: typeof prod) => charts().renderWithoutDisabledDependencies(charts().source(spec, 'loki'));

  test.each([['prod (Monolithic, S3)', prod], ['Distributed', distributed], ['dev (filesystem)', dev]])(
    '%s: every image its pods run comes from a registry the cluster\'s Kyverno policy allows',
    (_, spec) => {
      const images = imagesOf(render(spec));
      expect(images.length).toBeGreaterThan(0);
      expect(disallowedImages(spec, images)).toEqual([]);
    },
  );

  test('no rules sidecar (the platform ships no loki_rule ConfigMaps), so no RBAC reading Secrets and nothing cluster-scoped', () => {
    for (const spec of [prod, distributed, dev]) {
      const objects = render(spec);
      expect(imagesOf(objects).filter((i) => i.includes('k8s-sidecar'))).toEqual([]);
      expect(objects.filter((o) => !o.metadata?.namespace).map((o) => `${o.kind}/${o.metadata?.name}`)).toEqual([]);
      expect([...ofKind(objects, 'Role'), ...ofKind(objects, 'RoleBinding')]).toEqual([]);
    }
  });

  test('every bucket name we set is one the chart reads, and chunks and the ruler use the cluster\'s bucket', () => {
    const source = charts().source(prod, 'loki');
    expect(unreadPaths(source, leafPaths(source.values, 'loki.storage.bucketNames'), charts().renderWithoutDisabledDependencies)).toEqual([]);
    const config = ofKind(render(prod), 'ConfigMap', 'loki')[0].data['config.yaml'] as string;
    expect(config.match(/bucketnames: (\S+)/g)).toEqual(['bucketnames: loki-prod-loki', 'bucketnames: loki-prod-loki']);
  });
});
