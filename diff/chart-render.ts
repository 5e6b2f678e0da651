// Renders a Helm source from a package chosen by the diff (chart-packages.ts), through
// lib/chart-renders' ChartRenderer, so that the diff sees exactly what synth's own chart checks
// see. ChartRenderer finds a package through a lock file; the diff's packages are not all in the
// repository's lock (the base of a bump), so each renderer here gets a lock of its own, in a
// temporary folder, naming the packages it renders: one version per chart, as a lock can hold,
// and a second version of a chart gets a second renderer.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeLock, type LockedChart } from '../helm/repo/lock.js';
import { UNRENDERED_SUBCHARTS } from '../catalog/unrendered-subcharts.js';
import { ChartRenderer, type HelmSource } from '../chart-renders/render.js';
import type { FoundPackage } from './chart-packages.js';
import { canonicalJson } from './tree.js';

export interface PackageRendererOptions {
  /** The chart cache the packages are in. */
  readonly cacheDir: string;
  /** Where the renderers' lock files go. @default os.tmpdir() */
  readonly tmpDir?: string;
}

export interface PackageRender {
  /** Every object the chart renders (hooks and CRDs included, as Argo CD applies them). */
  readonly objects: Record<string, any>[];
  /** Subcharts the values enable that the package lacks: their objects are not among `objects`. */
  readonly missingSubcharts: readonly string[];
}

interface LockedRenderer {
  readonly charts: Record<string, LockedChart>;
  readonly file: string;
  readonly renderer: ChartRenderer;
}

export class PackageRenderer {
  private dir?: string;
  private readonly renderers: LockedRenderer[] = [];
  /**
   * Renders by package and source (without the Application's name): many clusters give a chart
   * the same values, and the objects are only read afterwards, so one render serves them all.
   */
  private readonly renders = new Map<string, PackageRender | { readonly error: unknown }>();

  constructor(private readonly options: PackageRendererOptions) {}

  /**
   * What the chart renders for `source` from the package `pkg`, as synth renders it, for
   * `.Capabilities.KubeVersion` `kubeVersion` (default: the ChartRenderer's, DEFAULT_KUBE_VERSION
   * of chart-renders/render.ts) and `.Capabilities.APIVersions` `apiVersions` beyond Helm's
   * defaults (chart-renders/api-versions.ts). Throws what the chart throws.
   */
  render(source: HelmSource, pkg: FoundPackage, kubeVersion?: string, apiVersions?: readonly string[]): PackageRender {
    const key = canonicalJson([pkg.digest, source.releaseName, source.namespace, source.skipCrds, source.values, kubeVersion ?? null, apiVersions ?? null]);
    let r = this.renders.get(key);
    if (!r) {
      try {
        const out = this.rendererFor(source, pkg).render(source, {
          kubeVersion,
          apiVersions,
          // As synth's footprints render: what the parent reads of a subchart the package lacks.
          missingSubchartDefaults: (name) => UNRENDERED_SUBCHARTS.find((u) => u.chart === source.chart && u.subchart === name)?.defaultsReadByParent,
        });
        r = { objects: out.objects, missingSubcharts: out.missingSubcharts ?? [] };
      } catch (error) {
        // A chart that fails for these values fails for every cluster that gives them.
        r = { error };
      }
      this.renders.set(key, r);
    }
    if ('error' in r) throw r.error;
    return r;
  }

  /** Removes the lock files. */
  dispose(): void {
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
    this.dir = undefined;
  }

  private rendererFor(source: HelmSource, pkg: FoundPackage): ChartRenderer {
    const entry: LockedChart = { version: source.version, repository: 'infra-synth diff', digest: pkg.digest, source: 'local' };
    const fits = (r: LockedRenderer) => {
      const have = r.charts[source.chart];
      return !have || (have.version === entry.version && have.digest === entry.digest);
    };
    let r = this.renderers.find(fits);
    if (!r) {
      this.dir ??= mkdtempSync(join(this.options.tmpDir ?? tmpdir(), 'infra-synth-diff-charts-'));
      const file = join(this.dir, `charts-${this.renderers.length}.lock.json`);
      r = {
        charts: {},
        file,
        renderer: new ChartRenderer({ cacheDir: this.options.cacheDir, lockFile: file }),
      };
      this.renderers.push(r);
    }
    if (!r.charts[source.chart]) {
      r.charts[source.chart] = entry;
      writeLock(r.file, { charts: r.charts });
    }
    return r.renderer;
  }
}
