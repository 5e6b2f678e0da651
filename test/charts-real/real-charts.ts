// Renders the pinned charts in-process, as Argo CD will render them for a cluster: the charts come
// from the reference data (`../shared/helm/charts`), packaged into a temporary cache through
// `charts pull --from` and checked against a copy of the committed charts.lock.json, as in CI
// (test/helm/fleet-charts.test.ts does the same for the whole fleet). Only the charts a suite
// names are packaged.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderCluster } from '../../charts/cluster.js';
import { catalogPins } from '../../cli/commands/charts-pull.js';
import { importCharts } from '../../helm/repo/import.js';
import { ChartRenderer, helmSources, type HelmSource } from '../../lib/chart-renders.js';
import type { ClusterSpec } from '../../spec/schema.js';
import { REPO_ROOT } from '../helpers/fleet.js';
import { referencePath } from '../helpers/reference-data.js';

export type K8sObject = Record<string, any>;

export interface RealCharts {
  /** The Helm sources of every Application synth writes for the cluster. */
  sources(spec: ClusterSpec): HelmSource[];
  /** The Helm source of the cluster's Application `application` (its name), or an error. */
  source(spec: ClusterSpec, application: string): HelmSource;
  /** Every object the chart of Application `application` renders for the cluster (CRDs and hooks included). */
  render(spec: ClusterSpec, application: string): K8sObject[];
  /** Every object the chart renders for a source (e.g. one with changed values). */
  renderSource(source: HelmSource): K8sObject[];
}

/**
 * Inside a `describeWithReferenceData(..., 'helm/charts', ...)` body: fills a temporary chart cache
 * with the named charts before the suite and removes it after. Call the returned function from
 * tests (it fails before beforeAll has run).
 */
export function useRealCharts(charts: readonly string[]): () => RealCharts {
  let real: RealCharts | undefined;
  const cacheDir = mkdtempSync(join(tmpdir(), 'infra-synth-charts-real-'));
  afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));
  beforeAll(async () => {
    // A copy of the committed lock: the test must not be able to rewrite the repository's.
    const lockFile = join(cacheDir, 'charts.lock.json');
    copyFileSync(join(REPO_ROOT, 'charts.lock.json'), lockFile);
    const pins = catalogPins().filter((p) => charts.includes(p.name));
    const unknown = charts.filter((c) => !pins.some((p) => p.name === c));
    if (unknown.length) throw new Error(`not pinned in catalog/versions.ts: ${unknown.join(', ')}`);
    const report = await importCharts(pins, { fromDir: referencePath('helm/charts'), cacheDir, lockFile });
    expect(report.errors).toEqual([]);
    const renderer = new ChartRenderer({ cacheDir, lockFile });
    const sources = (spec: ClusterSpec) => helmSources(renderCluster(spec).manifests);
    const source = (spec: ClusterSpec, application: string) => {
      const all = sources(spec);
      const s = all.find((x) => x.application === `${spec.name}/${application}`);
      if (!s) throw new Error(`${spec.name} has no Helm Application ${application} (it has: ${all.map((x) => x.application).join(', ')})`);
      return s;
    };
    const renderSource = (s: HelmSource) => renderer.render(s).objects;
    real = { sources, source, renderSource, render: (spec, application) => renderSource(source(spec, application)) };
  }, 300_000);
  return () => {
    if (!real) throw new Error('the chart cache is not ready (useRealCharts must be called in a describe body)');
    return real;
  };
}

/** The objects of a kind (and name, when given). */
export function ofKind(objects: readonly K8sObject[], kind: string, name?: string): K8sObject[] {
  return objects.filter((o) => o.kind === kind && (name === undefined || o.metadata?.name === name));
}

/** Every container image of the pods the objects run (workloads, jobs, cron jobs). */
export function imagesOf(objects: readonly K8sObject[]): string[] {
  const out = new Set<string>();
  for (const o of objects) {
    const pod = o.kind === 'Pod' ? o.spec : o.kind === 'CronJob' ? o.spec?.jobTemplate?.spec?.template?.spec : o.spec?.template?.spec;
    if (!pod || typeof pod !== 'object') continue;
    for (const c of [...(pod.containers ?? []), ...(pod.initContainers ?? []), ...(pod.ephemeralContainers ?? [])]) out.add(String(c.image));
  }
  return [...out].sort();
}
