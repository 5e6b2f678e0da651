import { renderCluster } from '../../charts/cluster.js';
import { renderFleet } from '../../pipeline/synth.js';
import { resolveCluster } from '../../spec/load.js';
import { CLOUDS, ENVIRONMENTS, type ClusterSpec } from '../../spec/schema.js';
import { ONPREM_SITE } from '../helpers/onprem-site.js';

// Overlays other than the examples must render too: every allowed combination of cloud,
// environment, ingress and mesh, from the smallest overlay, renders and passes every schema and
// fleet rule. (Linkerd beside the Istio ingress is refused by design: two mesh control planes.)
test('every allowed cloud × environment × ingress × mesh renders and validates', async () => {
  const specs: ClusterSpec[] = [];
  for (const cloud of CLOUDS) for (const environment of ENVIRONMENTS) for (const ingress of ['istio', 'traefik']) for (const mesh of ['none', 'istio', 'linkerd']) {
    if (ingress === 'istio' && mesh === 'linkerd') continue;
    const name = `m${specs.length}`;
    const r = resolveCluster({
      name, file: `overlays/${name}.ts`,
      overlay: {
        cloud, environment, domain: `${name}.company.ru`, ingress: { kind: ingress }, mesh: { kind: mesh },
        // A prod cluster must name where its alerts go (a webhook without a token needs no Secret).
        ...(environment === 'prod' ? { observability: { alertmanager: { receivers: [{ name: 'oncall', webhook: { url: 'https://oncall.company.ru/alertmanager' } }] } } } : {}),
        ...(cloud === 'onprem' ? { infrastructure: specs.length % 2 ? 'vsphere' : 'baremetal', ...ONPREM_SITE } : {}),
        // Vault on Yandex Cloud unseals with the cluster's own KMS key, which synth requires.
        ...(cloud === 'yandex' ? { vault: { seal: { yandexcloudkms: { kmsKeyId: `abj${String(specs.length).padStart(17, '0')}` } } } } : {}),
      },
    });
    expect(r.problems).toEqual([]);
    specs.push(r.spec!);
  }
  expect(specs).toHaveLength(60);
  const { objects } = await renderFleet(specs);
  // Every object of every cluster passed the checks (none dropped on the way).
  expect(objects).toBe(specs.reduce((n, s) => n + renderCluster(s).manifests.length, 0));
});
