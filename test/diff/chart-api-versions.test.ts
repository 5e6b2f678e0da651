// The chart diff renders each chart with the API versions the cluster serves, as synth and Argo CD
// do: velero's ServiceMonitor is gated on `.Capabilities.APIVersions.Has "monitoring.coreos.com/v1"`,
// so a change to it shows in a PR's diff only when the cluster installs that CRD.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { catalogPins } from '../../cli/commands/charts-pull.js';
import { diffTrees, type DiffReport } from '../../diff/index.js';
import { importCharts } from '../../helm/repo/import.js';
import { describeWithReferenceData, referencePath } from '../helpers/reference-data.js';
import { cleanupTempDirs, tree } from './helpers.js';

const CHART = 'velero';

/** A velero Application whose ServiceMonitor carries the given label. */
function veleroApp(version: string, label: string): Record<string, unknown> {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: CHART, namespace: 'argocd', labels: { cluster: 'c1', env: 'prod' } },
    spec: {
      project: 'platform',
      destination: { server: 'https://kubernetes.default.svc', namespace: 'velero' },
      source: {
        repoURL: 'https://vmware-tanzu.github.io/helm-charts', chart: CHART, targetRevision: version,
        helm: { releaseName: CHART, valuesObject: { metrics: { enabled: true, serviceMonitor: { enabled: true, additionalLabels: { team: label } } } } },
      },
      syncPolicy: { automated: { prune: true, selfHeal: true } },
    },
  };
}

/** The ServiceMonitor CRD as discovery sees it: group, kind, a served version. */
const SERVICE_MONITOR_CRD = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'servicemonitors.monitoring.coreos.com' },
  spec: {
    group: 'monitoring.coreos.com', scope: 'Namespaced',
    names: { kind: 'ServiceMonitor', plural: 'servicemonitors', singular: 'servicemonitor', listKind: 'ServiceMonitorList' },
    versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
  },
};

describeWithReferenceData('the chart diff sees the CRDs the cluster installs', 'helm/charts', () => {
  const cacheDir = mkdtempSync(join(tmpdir(), 'infra-synth-chart-apis-'));
  const lockFile = join(cacheDir, 'lock.json');
  let version = '';
  afterAll(() => {
    rmSync(cacheDir, { recursive: true, force: true });
    cleanupTempDirs();
  });
  beforeAll(async () => {
    const pin = catalogPins().find((p) => p.name === CHART)!;
    version = pin.version;
    const report = await importCharts([pin], { fromDir: referencePath('helm/charts'), cacheDir, lockFile });
    expect(report.errors).toEqual([]);
  }, 120_000);

  const sides = (withCrd: boolean, label: string) => tree({
    [`clusters/c1/apps/application-${CHART}.yaml`]: [veleroApp(version, label)],
    ...(withCrd ? { 'clusters/c1/bootstrap/customresourcedefinition-servicemonitors.monitoring.coreos.com.yaml': [SERVICE_MONITOR_CRD] } : {}),
  });
  const serviceMonitor = (r: DiffReport) => r.charts?.clusters.find((c) => c.name === 'c1')?.components.find((c) => c.name === CHART)?.objects.find((o) => o.kind === 'ServiceMonitor');

  test('with the ServiceMonitor CRD in the cluster, a change to velero\'s ServiceMonitor is in the diff', async () => {
    const r = await diffTrees({ base: sides(true, 'a'), head: sides(true, 'b'), chartCache: cacheDir, chartLock: lockFile });
    expect(serviceMonitor(r)?.change).toBe('changed');
  }, 60_000);

  test('without it the chart renders no ServiceMonitor, so there is none to compare', async () => {
    const r = await diffTrees({ base: sides(false, 'a'), head: sides(false, 'b'), chartCache: cacheDir, chartLock: lockFile });
    expect(serviceMonitor(r)).toBeUndefined();
  }, 60_000);
});
