// `.Capabilities` and the top-level render values, with the cases of Helm v3.19.5
// pkg/chartutil/capabilities_test.go and values_test.go.
import { Chart, Metadata } from '../../../helm/chart/chart.js';
import {
  checkKubeVersion,
  DEFAULT_API_VERSIONS,
  defaultCapabilities,
  isCompatibleRange,
  parseKubeVersion,
  VersionSet,
} from '../../../helm/chartutil/capabilities.js';
import { NoTableError, NoValueError, pathValue, readValues, table, toRenderValues } from '../../../helm/chartutil/values.js';
import { GoInt } from '../../../helm/template/value.js';

describe('Capabilities', () => {
  test('VersionSet.Has is an exact match', () => {
    const vs = new VersionSet(['v1', 'apps/v1']);
    expect(vs.Has('apps/v1')).toBe(true);
    expect(vs.Has('Spanish/inquisition')).toBe(false);
  });

  test('the default version set has core v1, apps/v1 and the CRD API', () => {
    const vs = defaultCapabilities().APIVersions;
    expect(['v1', 'apps/v1', 'apiextensions.k8s.io/v1', 'apiextensions.k8s.io/v1beta1'].every((v) => vs.Has(v))).toBe(true);
    expect(DEFAULT_API_VERSIONS[0]).toBe('v1');
    expect(new Set(DEFAULT_API_VERSIONS).size).toBe(DEFAULT_API_VERSIONS.length);
  });

  test('--api-versions are added, kinds included', () => {
    const caps = defaultCapabilities(undefined, ['helm.k8s.io/test', 'apps/v1/Deployment']);
    expect(caps.APIVersions.Has('helm.k8s.io/test')).toBe(true);
    expect(caps.APIVersions.Has('apps/v1/Deployment')).toBe(true);
  });

  test('the default Kubernetes version is v1.20.0', () => {
    const kv = defaultCapabilities().KubeVersion;
    expect([kv.String(), kv.Version, kv.GitVersion(), kv.Major, kv.Minor]).toEqual(['v1.20.0', 'v1.20.0', 'v1.20.0', '1', '20']);
  });

  test('the Helm version is v3.19', () => {
    expect(defaultCapabilities().HelmVersion.Version).toBe('v3.19');
  });

  test.each<[string, string, string, string]>([
    ['v1.16.0', 'v1.16.0', '1', '16'],
    ['1.29', 'v1.29', '1', '29'],
    ['v1.28+', 'v1.28', '1', '28'],
  ])('ParseKubeVersion(%p) is %p', (input, version, major, minor) => {
    const kv = parseKubeVersion(input);
    expect([kv.Version, kv.Major, kv.Minor]).toEqual([version, major, minor]);
  });

  test.each([['1', 'illegal version string "1"'], ['x.y', 'could not parse "x.y" as version'], ['01.2', 'illegal zero-prefixed version component "01" in "01.2"']])(
    'ParseKubeVersion(%p) fails: %s',
    (input, message) => {
      expect(() => parseKubeVersion(input)).toThrow(message);
    },
  );

  test('a chart\'s kubeVersion constraint is checked with Helm\'s message', () => {
    const md = Object.assign(new Metadata(), { Name: 'demo', KubeVersion: '>=1.25.0-0' });
    expect(() => checkKubeVersion(new Chart(md), defaultCapabilities())).toThrow(
      'chart requires kubeVersion: >=1.25.0-0 which is incompatible with Kubernetes v1.20.0',
    );
    expect(() => checkKubeVersion(new Chart(md), defaultCapabilities('1.29.3'))).not.toThrow();
  });

  test('IsCompatibleRange is false when either side does not parse', () => {
    expect(isCompatibleRange('~1.2.0', '1.2.9')).toBe(true);
    expect(isCompatibleRange('not a range', '1.2.0')).toBe(false);
    expect(isCompatibleRange('^1.0.0', 'garbage')).toBe(false);
  });
});

describe('values', () => {
  test('ReadValues of an empty document is an empty map', () => {
    expect(readValues('')).toEqual({});
    expect(readValues('# only a comment\n')).toEqual({});
  });

  test('ReadValues numbers are float64 and nested maps stay maps', () => {
    expect(readValues('a: 1\nb:\n  c: [1, two]\n')).toEqual({ a: 1, b: { c: [1, 'two'] } });
  });

  test('Table walks a dotted path and names the missing segment', () => {
    const v = { a: { b: { c: 1 } } };
    expect(table(v, 'a.b')).toEqual({ c: 1 });
    expect(() => table(v, 'a.x.c')).toThrow(new NoTableError('x'));
    expect(() => table(v, 'a.b.c')).toThrow('"c" is not a table');
  });

  test('PathValue returns leaves, not tables', () => {
    const v = { chapter: { one: { title: 'Loomings' } }, top: null };
    expect(pathValue(v, 'chapter.one.title')).toBe('Loomings');
    expect(pathValue(v, 'top')).toBeNull();
    expect(() => pathValue(v, 'chapter.one')).toThrow(new NoValueError('one'));
    expect(() => pathValue(v, '')).toThrow('YAML path cannot be empty');
  });

  test('ToRenderValues builds .Values, .Release, .Chart and .Capabilities', () => {
    const md = Object.assign(new Metadata(), { Name: 'demo', Version: '1.0.0' });
    const chart = new Chart(md);
    chart.values = { replicas: 1, image: { tag: 'a' } };
    const caps = defaultCapabilities();
    const top = toRenderValues(chart, { image: { tag: 'b' } }, { name: 'rel', namespace: 'ns', isInstall: true }, caps);
    expect(top.Values).toEqual({ replicas: 1, image: { tag: 'b' } });
    expect(top.Chart).toBe(md);
    expect(top.Capabilities).toBe(caps);
    const release = top.Release as Record<string, unknown>;
    expect(release).toMatchObject({ Name: 'rel', Namespace: 'ns', IsInstall: true, IsUpgrade: false, Service: 'Helm' });
    expect(release.Revision).toEqual(new GoInt(1n, 'int'));
  });
});
