// What the pinned charts render for a cluster: every Argo CD Application with a Helm source is
// rendered in-process (helm/, no helm binary, no network) from the chart package the lock names,
// with exactly the values, release name and namespace Argo CD will give it. This is what lets
// synth check what lands on a cluster, not only the objects it writes itself.
import { statSync } from 'node:fs';
import yaml from 'js-yaml';
import { loadChart, renderChart, seededEntropy, withEntropy, type Chart, type RenderChartOptions, type RenderResult } from '../helm/index.js';
import { unstableObjects, type UnstableObject } from './stability.js';
import { takeParsedDocument } from '../helm/action/sort.js';
import { resolveChart, type ResolveOptions } from '../helm/repo/resolve.js';
import type { Manifest } from '../primitives/manifests.js';
import { UNRENDERED_SUBCHARTS } from '../catalog/unrendered-subcharts.js';

/**
 * The Kubernetes version charts are rendered for until overlays carry one per cluster: the
 * lowest the pinned charts accept (linkerd 2026.8.3 declares kubeVersion >=1.31.0-0; cert-manager
 * 1.21 and Kyverno 1.19 ship CRDs with selectableFields, 1.30+).
 */
export const DEFAULT_KUBE_VERSION = '1.31.0';

/** Documents from this size on are parsed once per process (see ChartRenderer.largeDocuments). */
const LARGE_DOCUMENT = 16 * 1024;

const isObject = (o: unknown): o is Record<string, any> => !!o && typeof o === 'object';

/** One Helm source of an Application, as Argo CD will render it. */
export interface HelmSource {
  /** `<cluster>/<Application name>`, for errors. */
  readonly application: string;
  readonly file: string;
  readonly chart: string;
  readonly version: string;
  readonly releaseName: string;
  readonly namespace: string;
  readonly values: Record<string, unknown>;
  /** `helm.skipCrds`: Argo CD then applies none of the chart's `crds/`. */
  readonly skipCrds: boolean;
}

export interface ChartRender {
  readonly source: HelmSource;
  /** Every object the chart renders (hooks and CRDs included, as Argo CD applies them). */
  readonly objects: Record<string, any>[];
  /**
   * Subcharts the values enable that the cached package lacks, left out of this render (see
   * ChartRenderer.render): the objects are the chart's without theirs. Empty for a complete package.
   */
  readonly missingSubcharts?: readonly string[];
  /**
   * Objects a second render, at another time and with other random bytes, gives otherwise
   * (chart-renders/stability.ts). @default - none: the templates read neither the clock nor random bytes
   */
  readonly unstable?: readonly UnstableObject[];
}

export interface RenderOptions {
  /** `.Capabilities.KubeVersion`. @default - the renderer's kubeVersion, else DEFAULT_KUBE_VERSION */
  readonly kubeVersion?: string;
  /**
   * `.Capabilities.APIVersions` beyond Helm's defaults, as Argo CD passes them with
   * `--api-versions` (the cluster's, chart-renders/api-versions.ts). @default - none (`helm template` without a cluster)
   */
  readonly apiVersions?: readonly string[];
  /**
   * Defaults of a subchart the package lacks that the parent's templates read (`index .Values
   * "subchart"`), which Helm would take from the subchart's values.yaml: put under the values'
   * key of that subchart, the user's values over them. @default - catalog/unrendered-subcharts.ts
   */
  readonly missingSubchartDefaults?: (subchart: string) => Record<string, unknown> | undefined;
}

/** The Helm sources of the Applications among a cluster's manifests. */
export function helmSources(manifests: readonly Manifest[]): HelmSource[] {
  const out: HelmSource[] = [];
  for (const m of manifests) {
    const o = m.object;
    if (o.kind !== 'Application' || !String(o.apiVersion).startsWith('argoproj.io/')) continue;
    const sources: any[] = o.spec?.sources ?? (o.spec?.source ? [o.spec.source] : []);
    for (const s of sources) {
      if (!s?.chart) continue;
      out.push({
        application: `${m.cluster ?? ''}/${o.metadata?.name}`,
        file: m.file,
        chart: s.chart,
        version: String(s.targetRevision),
        releaseName: s.helm?.releaseName ?? o.metadata?.name,
        namespace: o.spec?.destination?.namespace ?? 'default',
        values: s.helm?.valuesObject ?? (s.helm?.values ? (yaml.load(s.helm.values) as Record<string, unknown>) : {}),
        skipCrds: s.helm?.skipCrds === true,
      });
    }
  }
  return out;
}

/**
 * Charts loaded in this process, by package path (+ variant), shared by every ChartRenderer: the
 * chart cache names each package by its digest, so a path always holds the same chart. Sharing
 * the Chart objects shares renderChart's results too (kept per Chart), so `synth --simulate`, whose
 * simulation renders through its own renderer, renders each chart once, not twice. Size and mtime
 * guard against a package rewritten in place outside the cache's rules.
 */
const loadedCharts = new Map<string, { readonly stamp: string; readonly chart: Chart }>();

function stampOf(path: string): string {
  try {
    const st = statSync(path);
    return `${st.size}:${st.mtimeMs}`;
  } catch {
    return 'missing';
  }
}

function cachedChart(key: string, stamp: string, load: () => Chart): Chart {
  const hit = loadedCharts.get(key);
  if (hit && hit.stamp === stamp) return hit.chart;
  const chart = load();
  loadedCharts.set(key, { stamp, chart });
  return chart;
}

/** Renders Helm sources; charts are loaded once per package and process. */
export class ChartRenderer {
  /**
   * Large documents parsed once: a chart's CRDs (megabytes for argo-cd or kyverno) come out
   * byte-identical for every cluster and release, and parsing them was most of a render.
   */
  private readonly largeDocuments = new Map<string, Record<string, any>[]>();

  constructor(
    private readonly options: ResolveOptions & { readonly kubeVersion?: string } = {},
  ) {}

  render(source: HelmSource, options: RenderOptions = {}): ChartRender {
    const path = resolveChart(source.chart, source.version, this.options);
    const { chart, missingSubcharts } = this.chartFor(path, source.values);
    let values = source.values;
    for (const name of missingSubcharts) {
      const defaults = (options.missingSubchartDefaults ?? catalogSubchartDefaults(source.chart))(name);
      if (defaults) values = { ...values, [name]: mergeValues(defaults, values[name]) };
    }
    const renderOptions: RenderChartOptions = {
      releaseName: source.releaseName,
      namespace: source.namespace,
      values,
      kubeVersion: options.kubeVersion ?? this.options.kubeVersion ?? DEFAULT_KUBE_VERSION,
      // A chart that never reads them renders the same without: renderChart's cache then serves
      // a cluster's renders before and after its CRDs are known (charts/cluster.ts) from one render.
      apiVersions: options.apiVersions?.length && (readsApiVersions(chart) || mentionsCapabilities(values)) ? options.apiVersions : undefined,
      includeCrds: !source.skipCrds,
    };
    const r = renderChart(chart, renderOptions);
    const objects = this.objectsOf(r);
    return { source, objects, missingSubcharts, unstable: r.readsEntropy ? this.unstable(chart, renderOptions, r, objects) : [] };
  }

  /** Every object of a render, as Argo CD applies them (CRDs, manifests, hooks; no test hooks). */
  private objectsOf(r: RenderResult): Record<string, any>[] {
    const objects: Record<string, any>[] = [];
    for (const doc of r.crds) objects.push(...this.parse(doc.content));
    for (const doc of [...r.manifests, ...r.hooks]) {
      // Each manifest and hook is one document the renderer already parsed (with js-yaml too)
      // to read its head; it hands that value over once, to the first caller.
      const parsed = takeParsedDocument(doc);
      const docs = parsed.found ? [parsed.value].filter(isObject) : this.parse(doc.content);
      objects.push(...docs.filter((o) => !isHelmTestHook(o)));
    }
    return objects;
  }

  /**
   * What a render that read the clock or random bytes renders otherwise the next time: the same
   * chart rendered again, a day and a half later and with other random bytes. Once per render
   * result (renderChart keeps results per chart and values).
   */
  private unstable(chart: Chart, options: RenderChartOptions, first: RenderResult, objects: readonly Record<string, any>[]): readonly UnstableObject[] {
    let found = unstableByRender.get(first);
    if (!found) {
      const later = seededEntropy('infra-synth: the next render', Date.now() + RERENDER_AFTER_MS);
      const again = withEntropy(later, () => renderChart(chart, { ...options, fresh: true }));
      found = unstableObjects(objects, this.objectsOf(again));
      unstableByRender.set(first, found);
    }
    return found;
  }

  /** The chart a source renders from, loaded (as loadChart returns it, all declared dependencies kept). */
  loadedChart(source: HelmSource): Chart {
    const path = resolveChart(source.chart, source.version, this.options);
    return cachedChart(path, stampOf(path), () => loadChart(path));
  }

  /**
   * The loaded chart, without the declared dependencies its package lacks. A chart packaged
   * offline from reference folders (`charts pull --from`) can lack subcharts; Helm refuses such a
   * chart even where the values disable them. A disabled subchart renders nothing, so leaving it
   * out renders exactly what Helm renders with it vendored; an enabled one is left out too and
   * named in `missingSubcharts`, so that callers know the render is partial.
   */
  private chartFor(path: string, values: Record<string, unknown>): { chart: Chart; missingSubcharts: string[] } {
    const stamp = stampOf(path);
    const chart = cachedChart(path, stamp, () => loadChart(path));
    const vendored = new Set(chart.dependencies().map((d) => d.name()));
    const absent = chart.metadata.Dependencies.filter((d) => !vendored.has(d.Name));
    if (!absent.length) return { chart, missingSubcharts: [] };
    const defaults = (chart.values ?? {}) as Record<string, unknown>;
    const missingSubcharts = absent.filter((d) => conditionValue(d.Condition, values, defaults) !== false).map((d) => d.Name).sort();
    const variant = cachedChart(`${path}\0${missingSubcharts.join(',')}`, stamp, () => {
      const c = loadChart(path);
      c.metadata.Dependencies = c.metadata.Dependencies.filter((d) => vendored.has(d.Name));
      return c;
    });
    return { chart: variant, missingSubcharts };
  }

  private parse(content: string): Record<string, any>[] {
    const cached = this.largeDocuments.get(content);
    if (cached) return copyParsed(cached) as Record<string, any>[];
    const objects = yaml.loadAll(content).filter(isObject);
    if (content.length >= LARGE_DOCUMENT) this.largeDocuments.set(content, copyParsed(objects) as Record<string, any>[]);
    return objects;
  }
}

/** How much later the second render of a stability check runs: a day, an hour and a minute apart in every field of a date. */
const RERENDER_AFTER_MS = (36 * 60 + 7) * 60 * 1000;
const unstableByRender = new WeakMap<RenderResult, readonly UnstableObject[]>();

const apiVersionReaders = new WeakMap<Chart, boolean>();
const decoder = new TextDecoder();
/**
 * Whether any template of the chart or its subcharts could read `.Capabilities.APIVersions`: it
 names `APIVersions`, or hands `.Capabilities` on whole (to a helper, `toYaml`); or a default
 * value does (a string the chart may pass to `tpl`). Only template text can reach the
 * capabilities, so a chart without either renders the same for any set (given values that do
 * not mention them either: mentionsCapabilities).
 */
export function readsApiVersions(chart: Chart): boolean {
  let reads = apiVersionReaders.get(chart);
  if (reads === undefined) {
    reads = chart.templates.some((t) => mentionsCapabilities(decoder.decode(t.data)))
      || mentionsCapabilities(chart.values ?? {})
      || chart.dependencies().some(readsApiVersions);
    apiVersionReaders.set(chart, reads);
  }
  return reads;
}

/** Whether template text (or values, as JSON) could read `.Capabilities.APIVersions`. */
function mentionsCapabilities(text: string | Record<string, unknown>): boolean {
  const s = typeof text === 'string' ? text : JSON.stringify(text, (_k, v) => (typeof v === 'bigint' ? String(v) : v)) ?? '';
  return /APIVersions|Capabilities(?!\s*\.\s*(?:KubeVersion|HelmVersion)\b)/.test(s);
}

/** The defaults catalog/unrendered-subcharts.ts records for a chart's subcharts. */
const catalogSubchartDefaults = (chart: string) => (subchart: string) =>
  UNRENDERED_SUBCHARTS.find((u) => u.chart === chart && u.subchart === subchart)?.defaultsReadByParent;

/**
 * Helm test hooks (`helm.sh/hook: test`, and the old test-success/test-failure) belong to no sync
 * phase: Argo CD never applies them, so they are not part of what a cluster receives.
 */
function isHelmTestHook(o: Record<string, any>): boolean {
  const hook = o.metadata?.annotations?.['helm.sh/hook'];
  if (typeof hook !== 'string' || hook.trim() === '') return false;
  return hook.split(',').map((h) => h.trim()).every((h) => h === 'test' || h === 'test-success' || h === 'test-failure');
}

/** `over` on top of `under`, maps merged key by key (as Helm coalesces a subchart's defaults under the parent's values). */
function mergeValues(under: Record<string, unknown>, over: unknown): Record<string, unknown> {
  if (!isObject(over) || Array.isArray(over)) return under;
  const out: Record<string, unknown> = { ...under };
  for (const [k, v] of Object.entries(over)) out[k] = isObject(v) && !Array.isArray(v) && isObject(under[k]) ? mergeValues(under[k] as Record<string, unknown>, v) : v;
  return out;
}

/** A dependency's `condition` (comma-separated paths): the first boolean in the user values, else the chart's defaults, as Helm looks it up. */
function conditionValue(condition: string | undefined, user: Record<string, unknown>, defaults: Record<string, unknown>): boolean | undefined {
  for (const path of (condition ?? '').split(',').map((p) => p.trim()).filter(Boolean)) {
    for (const values of [user, defaults]) {
      const v = path.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), values);
      if (typeof v === 'boolean') return v;
    }
  }
  return undefined;
}

/**
 * A deep copy of what js-yaml parsed: plain objects, arrays and scalars are copied here (several
 * times faster than structuredClone on a megabyte CRD); anything else (a timestamp's Date, a
 * !!binary buffer) by structuredClone.
 */
function copyParsed(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) {
    const out = new Array(v.length);
    for (let i = 0; i < v.length; i++) out[i] = copyParsed(v[i]);
    return out;
  }
  if (Object.getPrototypeOf(v) !== Object.prototype) return structuredClone(v);
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) {
    const value = copyParsed((v as Record<string, unknown>)[k]);
    // js-yaml defines a `__proto__` key as an own property; assigning it would set the prototype.
    if (k === '__proto__') Object.defineProperty(out, k, { value, enumerable: true, writable: true, configurable: true });
    else out[k] = value;
  }
  return out;
}
