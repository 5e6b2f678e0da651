// The cluster's Kubernetes version: an overlay field with a default per cloud, refused when no
// schemas exist for it, and given to the chart renderer as a full version.
import { resolveCluster, loadFleet } from '../../spec/load.js';
import { DEFAULT_KUBERNETES_VERSIONS, kubeVersionOf } from '../../spec/kubernetes-version.js';
import { compareVersions } from '../../validate/k8s-versions.js';
import { EXAMPLE_OVERLAYS } from '../helpers/fleet.js';
import { ONPREM_SITE } from '../helpers/onprem-site.js';

const min = (cloud: string, extra: Record<string, unknown> = {}) => ({
  cloud, environment: 'prod', domain: 'x.company.ru', ...(cloud === 'onprem' ? { infrastructure: 'vsphere', ...ONPREM_SITE } : {}), ...extra,
});
const expected = 'expected one of "1.28", "1.29", "1.30", "1.31", "1.32", "1.33", "1.34", "1.35", "1.36"';
const resolve = (overlay: Record<string, unknown>) => resolveCluster({ name: 'c1', file: 'overlays/c1.ts', overlay });

test('each cloud has its own default version', () => {
  const versions = Object.fromEntries(['yandex', 'sber', 'vk', 'onprem'].map((cloud) => [cloud, resolve(min(cloud)).spec!.kubernetesVersion]));
  expect(versions).toEqual({ yandex: '1.33', sber: '1.32', vk: '1.32', onprem: '1.35' });
});

test('an overlay sets its own version', () => {
  expect(resolve(min('yandex', { kubernetesVersion: '1.34' })).spec!.kubernetesVersion).toBe('1.34');
});

test('a version without schemas is refused, naming the versions that have them', () => {
  expect(resolve(min('yandex', { kubernetesVersion: '1.27' })).problems).toEqual([`overlays/c1.ts: kubernetesVersion: received "1.27"; ${expected}`]);
});

test('a patch version is refused: the field is MAJOR.MINOR', () => {
  expect(resolve(min('vk', { kubernetesVersion: '1.32.4' })).problems).toEqual([`overlays/c1.ts: kubernetesVersion: received "1.32.4"; ${expected}`]);
});

test('a number is refused: the field is a string (1.30 as a number is 1.3)', () => {
  expect(resolve(min('vk', { kubernetesVersion: 1.3 })).problems).toEqual([`overlays/c1.ts: kubernetesVersion: received 1.3; ${expected}`]);
});

test('the chart renderer gets a full semantic version', () => {
  expect(kubeVersionOf(resolve(min('yandex')).spec!)).toBe('1.33.0');
});

// linkerd's edge chart declares kubeVersion >=1.31; cert-manager 1.21's and Kyverno 1.19's CRDs
// use selectableFields, honoured by default from 1.31.
test('every default and every example cluster runs at least 1.31, which the pinned charts need', async () => {
  const specs = await loadFleet(EXAMPLE_OVERLAYS);
  const versions = [...Object.values(DEFAULT_KUBERNETES_VERSIONS), ...specs.map((s) => s.kubernetesVersion)];
  expect(specs.length).toBeGreaterThanOrEqual(5);
  expect(versions.filter((v) => compareVersions(v, '1.31') < 0)).toEqual([]);
});
