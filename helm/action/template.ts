// `helm template` as a function: load the chart, merge user values as helm's -f/--set do,
// install client-only, and print what helm prints; or, in unit mode, render only the named
// templates as helm-unittest does.
import { readFileSync } from 'node:fs';
import { type Chart } from '../chart/chart.js';
import type { LookupFunction } from '../engine/engine.js';
import { loadChart } from '../chart/load.js';
import { parseSet, parseSetString } from '../chartutil/strvals.js';
import { unmarshal } from '../encoding/yaml.js';
import { isMap } from '../template/value.js';
import { handOverParsedDocument, type Hook, type Manifest } from './sort.js';
import { installChart, mergeMaps } from './install.js';
import { templateOutput } from './render.js';
import { renderUnit } from './unit.js';
import { tracingEntropy } from '../sprig/random.js';

export interface RenderChartOptions {
  /** Default `release-name` (`RELEASE-NAME` in unit mode), as helm template. */
  readonly releaseName?: string;
  /** Default `default` (`NAMESPACE` in unit mode). */
  readonly namespace?: string;
  /** Values merged after the values files and before --set (like one more -f file). */
  readonly values?: Record<string, unknown>;
  readonly valuesFiles?: readonly string[];
  readonly set?: readonly string[];
  readonly setString?: readonly string[];
  readonly kubeVersion?: string;
  readonly apiVersions?: readonly string[];
  readonly includeCrds?: boolean;
  readonly isUpgrade?: boolean;
  readonly showOnly?: readonly string[];
  readonly skipTests?: boolean;
  readonly noHooks?: boolean;
  /** Render as helm-unittest: only the `showOnly` templates and the partials, any release name. */
  readonly unit?: boolean;
  /** A cluster for the `lookup` function (helm-unittest's kubernetesProvider); default: none, `{}`. */
  readonly lookup?: LookupFunction;
  /**
   * Render even when a result for these values and options is kept, and keep none: a render under
   * another entropy source (to see what changes from one render to the next). @default false
   */
  readonly fresh?: boolean;
}

/** One printed document: its `# Source:` path, its text and what Helm read of it. */
export interface RenderedManifest {
  source: string;
  content: string;
  kind?: string;
  /** The `helm.sh/hook` annotation of a hook. */
  hook?: string;
}

export interface RenderResult {
  manifests: RenderedManifest[];
  hooks: RenderedManifest[];
  crds: RenderedManifest[];
  notes: string;
  /** Exactly what `helm template` writes to stdout. */
  output: string;
  /**
   * The templates read the clock or random bytes (`now`, `randAlphaNum`, `genCA`, `uuidv4`, …):
   * rendered again, the chart gives other bytes.
   */
  readsEntropy: boolean;
}

/** Bad input (a chart, a values file, a flag, a template that fails), naming the file at fault. */
export class ChartInputError extends Error {
  override name = 'ChartInputError';
  constructor(readonly file: string, message: string) {
    super(message);
  }
}

/** pkg/cli/values Options.MergeValues: -f files, then `values`, then --set, then --set-string. */
export function mergeUserValues(options: Pick<RenderChartOptions, 'valuesFiles' | 'values' | 'set' | 'setString'>): Record<string, unknown> {
  let base: Record<string, unknown> = {};
  for (const file of options.valuesFiles ?? []) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new ChartInputError(file, (e as NodeJS.ErrnoException).code === 'ENOENT' ? `open ${file}: no such file or directory` : (e as Error).message);
    }
    let current: unknown;
    try {
      current = unmarshal(text);
    } catch (e) {
      throw new ChartInputError(file, `failed to parse ${file}: ${(e as Error).message}`);
    }
    if (current !== null && current !== undefined && !isMap(current)) {
      throw new ChartInputError(
        file,
        `failed to parse ${file}: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${Array.isArray(current) ? 'array' : typeof current === 'string' ? 'string' : 'number'} into Go value of type map[string]interface {}`,
      );
    }
    base = mergeMaps(base, (current ?? {}) as Record<string, unknown>);
  }
  if (options.values) base = mergeMaps(base, options.values);
  for (const s of options.set ?? []) {
    try {
      parseSet(s, base);
    } catch (e) {
      throw new ChartInputError('--set', `failed parsing --set data: ${(e as Error).message}`);
    }
  }
  for (const s of options.setString ?? []) {
    try {
      parseSetString(s, base);
    } catch (e) {
      throw new ChartInputError('--set-string', `failed parsing --set-string data: ${(e as Error).message}`);
    }
  }
  return base;
}

function loadForRender(chart: Chart | string): { chart: Chart; file: string } {
  if (typeof chart !== 'string') return { chart, file: chart.name() };
  try {
    return { chart: loadChart(chart), file: chart };
  } catch (e) {
    throw new ChartInputError(chart, (e as Error).message);
  }
}

function describeManifest(m: Manifest): RenderedManifest {
  const described = { source: m.name, content: m.content, kind: m.head.kind || undefined };
  handOverParsedDocument(m, described);
  return described;
}

function describeHook(h: Hook): RenderedManifest {
  const described = { source: h.path, content: h.manifest, kind: h.kind || undefined, hook: h.events.join(',') };
  handOverParsedDocument(h, described);
  return described;
}

/**
 * Render a chart (a loaded Chart or a chart dir/.tgz path) as `helm template` does. A loaded
 * chart's renders are kept: the same values and options give the same (shared) result.
 */
export function renderChart(chartOrPath: Chart | string, options: RenderChartOptions = {}): RenderResult {
  // Helm reads the values before the chart, so a bad values file is reported first.
  const values = mergeUserValues(options);
  const { chart, file } = loadForRender(chartOrPath);
  // A loaded chart rendered again with the same values and capabilities renders the same:
  // the result is kept with the chart (not with a cluster to look objects up in).
  const key = typeof chartOrPath === 'string' || options.lookup || options.fresh ? undefined : renderKey(values, options);
  const cached = key === undefined ? undefined : renders.get(chart)?.get(key);
  if (cached) return cached;
  const traced = tracingEntropy(() => render(chart, file, values, options));
  const result: RenderResult = Object.assign(traced.result, { readsEntropy: traced.read });
  if (key !== undefined) {
    let byKey = renders.get(chart);
    if (!byKey) renders.set(chart, (byKey = new Map()));
    if (byKey.size >= RENDERS_PER_CHART) byKey.clear();
    byKey.set(key, result);
  }
  return result;
}

const RENDERS_PER_CHART = 64;
const renders = new WeakMap<Chart, Map<string, RenderResult>>();

// The merged values and every option that changes the output; Go ints (bigint) as text.
function renderKey(values: Record<string, unknown>, options: RenderChartOptions): string {
  const { valuesFiles: _files, values: _values, set: _set, setString: _setString, lookup: _lookup, fresh: _fresh, ...rest } = options;
  return JSON.stringify([values, rest], (_k, v) => (typeof v === 'bigint' ? `${v}n` : v));
}

function render(chart: Chart, file: string, values: Record<string, unknown>, options: RenderChartOptions): Omit<RenderResult, 'readsEntropy'> {
  if (options.unit) {
    try {
      return renderUnit(chart, values, options);
    } catch (e) {
      throw new ChartInputError(file, (e as Error).message);
    }
  }
  let release;
  try {
    release = installChart(chart, {
      releaseName: options.releaseName ?? 'release-name',
      namespace: options.namespace,
      values,
      kubeVersion: options.kubeVersion,
      apiVersions: options.apiVersions,
      includeCrds: options.includeCrds,
      isUpgrade: options.isUpgrade,
      dryRun: true,
      lookup: options.lookup,
    });
  } catch (e) {
    throw new ChartInputError(file, (e as Error).message);
  }
  const printOptions = { disableHooks: options.noHooks, skipTests: options.skipTests, showOnly: options.showOnly };
  // The printed text is built (and its megabytes flattened) only when read: callers that take
  // the documents (chart-renders/render) never read it. --show-only can fail, so it is printed now.
  let output: string | undefined;
  if ((options.showOnly ?? []).length > 0) {
    try {
      output = templateOutput(release, printOptions);
    } catch (e) {
      throw new ChartInputError(file, (e as Error).message);
    }
  }
  return {
    manifests: release.manifests.map(describeManifest),
    hooks: options.noHooks ? [] : release.hooks.filter((h) => !(options.skipTests && h.events.includes('test'))).map(describeHook),
    crds: release.crds.map((c) => ({ ...c, kind: 'CustomResourceDefinition' })),
    notes: release.notes,
    get output(): string {
      return (output ??= templateOutput(release, printOptions));
    },
  };
}
