// Renders the pinned charts in-process, as Argo CD will render them for a cluster: the charts come
// from the reference data (`../shared/helm/charts`), packaged into a temporary cache through
// `charts pull --from` and checked against a copy of the committed charts.lock.json, as in CI
// (test/helm/fleet-charts.test.ts does the same for the whole fleet). Only the charts a suite
// names are packaged.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderCluster } from '../../charts/cluster.js';
import { ALLOWED_PREFIXES_VARIABLE } from '../../constructs/registry-policy.js';
import { catalogPins } from '../../cli/commands/charts-pull.js';
import { importCharts } from '../../helm/repo/import.js';
import yaml from 'js-yaml';
import { loadChart, renderChart } from '../../helm/index.js';
import { resolveChart } from '../../helm/repo/resolve.js';
import { ChartRenderer, DEFAULT_KUBE_VERSION, helmSources, type HelmSource } from '../../chart-renders/render.js';
import type { ClusterSpec } from '../../spec/schema.js';
import { REPO_ROOT } from '../helpers/fleet.js';
import { referencePath } from '../helpers/reference-data.js';

export type K8sObject = Record<string, any>;

export interface RealCharts {
  /** The renderer over the temporary cache (for renderCluster's footprints). */
  readonly renderer: ChartRenderer;
  /** The temporary cache and its lock. */
  readonly cache: { readonly cacheDir: string; readonly lockFile: string };
  /** The Helm sources of every Application synth writes for the cluster. */
  sources(spec: ClusterSpec): HelmSource[];
  /** The Helm source of the cluster's Application `application` (its name), or an error. */
  source(spec: ClusterSpec, application: string): HelmSource;
  /** Every object the chart of Application `application` renders for the cluster (CRDs and hooks included). */
  render(spec: ClusterSpec, application: string): K8sObject[];
  /** Every object the chart renders for a source (e.g. one with changed values). */
  renderSource(source: HelmSource): K8sObject[];
  /**
   * As renderSource, for a chart whose reference folder does not vendor some dependencies (loki,
   * kube-prometheus-stack): the missing ones are left out of Chart.yaml where the source's values
   * disable them by their condition. Helm refuses a chart with a declared dependency missing even
   * when it is disabled, but a disabled one renders nothing, so the output is what Helm prints
   * once the dependencies are vendored. A missing dependency the values enable stays declared, and
   * the render fails as Helm's would.
   */
  renderWithoutDisabledDependencies(source: HelmSource): K8sObject[];
}

/** The boolean at a dotted path of the user values, else of the chart's defaults (Helm's condition lookup). */
function conditionValue(paths: string, user: Record<string, unknown>, defaults: Record<string, unknown>): boolean | undefined {
  for (const path of paths.split(',').map((p) => p.trim()).filter(Boolean)) {
    for (const values of [user, defaults]) {
      const v = path.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), values);
      if (typeof v === 'boolean') return v;
    }
  }
  return undefined;
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
    const renderWithoutDisabledDependencies = (s: HelmSource) => {
      const chart = loadChart(resolveChart(s.chart, s.version, { cacheDir, lockFile }));
      const vendored = new Set(chart.dependencies().map((d) => d.name()));
      chart.metadata.Dependencies = chart.metadata.Dependencies.filter(
        (d) => vendored.has(d.Name) || conditionValue(d.Condition, s.values, chart.values ?? {}) !== false,
      );
      const r = renderChart(chart, {
        releaseName: s.releaseName, namespace: s.namespace, values: s.values, kubeVersion: DEFAULT_KUBE_VERSION, includeCrds: true,
      });
      return [...r.crds, ...r.manifests, ...r.hooks].flatMap((d) => yaml.loadAll(d.content)).filter((o): o is K8sObject => !!o && typeof o === 'object');
    };
    real = {
      renderer, cache: { cacheDir, lockFile }, sources, source, renderSource, renderWithoutDisabledDependencies,
      render: (spec, application) => renderSource(source(spec, application)),
    };
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

/** Every leaf path (dotted) under `path` of a values object. */
export function leafPaths(values: Record<string, unknown>, path: string): string[] {
  const at = path.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), values);
  if (!at || typeof at !== 'object' || Array.isArray(at)) return at === undefined ? [] : [path];
  return Object.keys(at).flatMap((k) => leafPaths(values, `${path}.${k}`));
}

/**
 * The value paths the chart does not read: those whose value, changed to a sentinel string,
 * changes nothing the chart renders.
 */
export function unreadPaths(source: HelmSource, paths: readonly string[], render: (s: HelmSource) => K8sObject[]): string[] {
  const before = JSON.stringify(render(source));
  return paths.filter((path) => {
    // A JSON copy: structuredClone's objects come from another realm under jest's VM modules, and
    // the renderer (rightly) refuses values that are not plain objects of its own.
    const values = JSON.parse(JSON.stringify(source.values)) as Record<string, unknown>;
    const keys = path.split('.');
    const parent = keys.slice(0, -1).reduce<Record<string, any>>((o, k) => o[k], values as Record<string, any>);
    parent[keys[keys.length - 1]] = `sentinel-${keys.join('-')}`;
    return JSON.stringify(render({ ...source, values })) === before;
  });
}

/** The registry prefixes the cluster's Kyverno registry policy allows (read back from the rendered policy). */
export function allowedImagePrefixes(spec: ClusterSpec): string[] {
  for (const m of renderCluster(spec).manifests) {
    const v = m.object.kind === 'ValidatingPolicy' ? (m.object.spec?.variables ?? []).find((x: any) => x.name === ALLOWED_PREFIXES_VARIABLE) : undefined;
    if (v) return JSON.parse(v.expression);
  }
  throw new Error(`${spec.name}: no registry policy rendered`);
}

/** The images among `images` that no allowed prefix admits. */
export function disallowedImages(spec: ClusterSpec, images: readonly string[]): string[] {
  const prefixes = allowedImagePrefixes(spec);
  return images.filter((i) => !prefixes.some((p) => i.startsWith(p)));
}
