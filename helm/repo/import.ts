// `charts pull --from DIR`: the offline way to fill the cache (CI and the example fleet reach no
// chart repository). Each pinned chart is taken from DIR — a `<name>-<version>.tgz` as `helm pull`
// saves it, or a chart folder packaged deterministically (package.ts) — and checked against the
// lock like a download. A folder is found by its Chart.yaml (name and version), by the folder the
// lock says it was packaged from, or by an explicit stand-in for a version DIR does not have.
// Release overlays: `DIR/_release-overlays/<folder>/` holds files a release pipeline rewrites
// (a stamped Chart.yaml, values.yaml); the overlay whose Chart.yaml names the pinned chart and
// version replaces those files of the source folder it stands for (`<prefix>-<version>` of the
// overlay ↔ `<prefix>-<any version>` of the folder).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { vendorDependencies, type VendorContext } from './dependencies.js';
import { sha256Digest } from './digest.js';
import { ChartRepoError } from './errors.js';
import { archiveChartYaml, listLocalCharts, readChartYaml } from './local-charts.js';
import { chartFolderFiles, packageChart, type PackageFile } from './package.js';
import { fillCache, PULL_COMMAND, type ChartPin, type PullOptions, type PullReport } from './pull.js';

export const RELEASE_OVERLAYS = '_release-overlays';

export interface ImportOptions extends PullOptions {
  /** The folder holding chart folders and/or `.tgz` packages. */
  readonly fromDir: string;
  /** Chart name → folder under `fromDir` to package as the pinned version (the pin's own version is absent). */
  readonly standIns?: Readonly<Record<string, string>>;
}

interface Source {
  readonly folder: string;
  readonly overlay?: string;
}

/**
 * The package of a chart folder: release overlay applied, missing dependencies vendored from the
 * `--from` folder, Chart.yaml saying the pinned version. Dependencies found nowhere are warnings:
 * the package is still made (the folder is what it is) and the warning says what Helm will say.
 */
function packageFolder(pin: ChartPin, ctx: VendorContext, source: Source): { bytes: Uint8Array; warnings: string[] } {
  const { fromDir } = ctx;
  const files = new Map<string, Uint8Array>(chartFolderFiles(join(fromDir, source.folder)).map((f) => [f.name, f.data]));
  if (source.overlay) {
    for (const f of chartFolderFiles(join(fromDir, RELEASE_OVERLAYS, source.overlay))) files.set(f.name, f.data);
  }
  const missing: string[] = [];
  vendorDependencies(join(fromDir, source.folder), files, ctx, missing);
  const chartYaml = files.get('Chart.yaml');
  if (!chartYaml) throw new ChartRepoError(`chart ${pin.name} ${pin.version}: ${join(fromDir, source.folder)} has no Chart.yaml`);
  const text = new TextDecoder().decode(chartYaml);
  const meta = readChartYaml(text);
  if (meta.name !== pin.name) {
    throw new ChartRepoError(`chart ${pin.name} ${pin.version}: ${join(fromDir, source.folder)}/Chart.yaml names the chart ${JSON.stringify(meta.name)}, not ${pin.name}`);
  }
  // A stand-in (another version of the chart) is stamped with the pinned version, as a release
  // pipeline stamps its Chart.yaml: templates then see the version the catalog pins.
  if (meta.version !== pin.version) files.set('Chart.yaml', new TextEncoder().encode(text.replace(/^version:[^\n]*$/m, `version: ${pin.version}`)));
  const list: PackageFile[] = [...files].map(([name, data]) => ({ name, data }));
  const warnings = missing.length
    ? [`chart ${pin.name} ${pin.version}: dependencies ${missing.join(', ')} are neither in ${join(fromDir, source.folder)}/charts nor in ${fromDir}; `
      + 'packaged without them, and helm template refuses such a chart ("found in Chart.yaml, but missing in charts/ directory")']
    : [];
  return { bytes: packageChart(pin.name, list), warnings };
}

export function importCharts(pins: readonly ChartPin[], options: ImportOptions): Promise<PullReport> {
  const { fromDir } = options;
  if (!existsSync(fromDir) || !statSync(fromDir).isDirectory()) {
    return Promise.reject(new ChartRepoError(`--from ${fromDir}: no such folder`));
  }
  const available = listLocalCharts(fromDir);
  const folders = available.filter((c) => c.kind === 'folder');
  const overlays = listLocalCharts(join(fromDir, RELEASE_OVERLAYS));
  const ctx: VendorContext = { fromDir, available };

  const overlayFor = (pin: ChartPin) => overlays.find((o) => o.name === pin.name && o.version === pin.version)?.entry;

  const locate = (pin: ChartPin, packagedFrom: string | undefined): Source | { tgz: string } => {
    const what = `chart ${pin.name} ${pin.version}`;
    const overlay = overlayFor(pin);
    const standIn = options.standIns?.[pin.name];
    if (standIn !== undefined) {
      if (!existsSync(join(fromDir, standIn, 'Chart.yaml'))) throw new ChartRepoError(`${what}: the stand-in ${join(fromDir, standIn)} is no chart folder (no Chart.yaml)`);
      return { folder: standIn, overlay };
    }
    if (packagedFrom !== undefined) {
      if (packagedFrom.endsWith('.tgz') && existsSync(join(fromDir, packagedFrom))) return { tgz: packagedFrom };
      if (existsSync(join(fromDir, packagedFrom, 'Chart.yaml'))) return { folder: packagedFrom, overlay };
    }
    const tgz = `${pin.name}-${pin.version}.tgz`;
    if (existsSync(join(fromDir, tgz))) return { tgz };
    const named = folders.filter((f) => f.name === pin.name);
    const exact = named.find((f) => f.version === pin.version);
    if (exact) return { folder: exact.entry, overlay };
    if (overlay) {
      const suffix = `-${pin.version}`;
      const prefix = overlay.endsWith(suffix) ? `${overlay.slice(0, -suffix.length)}-` : undefined;
      const base = named.filter((f) => (prefix ? f.entry.startsWith(prefix) : true));
      if (base.length === 1) return { folder: base[0].entry, overlay };
    }
    const others = named.map((f) => `${f.entry} (${f.version || 'no version'})`).join(', ');
    throw new ChartRepoError(
      `${what}: ${fromDir} has no ${tgz} and no chart folder of ${pin.name} ${pin.version}${others ? ` (it has ${others})` : ''}; `
      + `to package another folder as this version run: ${PULL_COMMAND} --from ${fromDir} --stand-in ${pin.name}=FOLDER`,
    );
  };

  return fillCache(
    pins,
    options,
    async (pin, locked) => {
      const packagedFrom = locked?.source === 'local' && locked.version === pin.version ? locked.packagedFrom : undefined;
      const source = locate(pin, packagedFrom);
      if ('tgz' in source) {
        const bytes = readFileSync(join(fromDir, source.tgz));
        checkArchive(pin, join(fromDir, source.tgz), bytes);
        return { bytes, digest: sha256Digest(bytes), origin: `the package ${join(fromDir, source.tgz)}`, entry: { version: pin.version, repository: pin.repository, source: 'local', packagedFrom: source.tgz } };
      }
      const { bytes, warnings } = packageFolder(pin, ctx, source);
      return { bytes, digest: sha256Digest(bytes), warnings, origin: `the package of ${join(fromDir, source.folder)}`, entry: { version: pin.version, repository: pin.repository, source: 'local', packagedFrom: source.folder } };
    },
    (pin, locked) => locked.repository === pin.repository && (options.standIns?.[pin.name] ?? locked.packagedFrom) === locked.packagedFrom,
    (pin) => `${PULL_COMMAND} --from ${fromDir} --chart ${pin.name} --relock`,
  );
}

/** A `.tgz` taken as is must at least be the chart it is named after. */
function checkArchive(pin: ChartPin, path: string, bytes: Uint8Array): void {
  const chart = archiveChartYaml(bytes);
  if (!chart) throw new ChartRepoError(`chart ${pin.name} ${pin.version}: ${path} is not a chart archive`);
  if (chart.name !== pin.name || chart.version !== pin.version) {
    throw new ChartRepoError(`chart ${pin.name} ${pin.version}: ${basename(path)} holds ${chart.name ?? '?'} ${chart.version ?? '?'}`);
  }
}
