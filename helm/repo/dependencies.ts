// `helm dependency build` for the offline import: a chart folder whose Chart.yaml (or v1
// requirements.yaml) declares dependencies that its charts/ folder lacks gets them from the
// `--from` folder (highest version satisfying the constraint) or, for `file://` repositories,
// from the referenced folder, vendored as `charts/<name>-<version>.tgz` as Helm writes them.
// Helm refuses to render a chart with a declared dependency missing ("found in Chart.yaml, but
// missing in charts/ directory"), so what cannot be found is reported.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { newConstraint, newVersion, type Version } from '../semver/index.js';
import { chartFolderFiles, packageChart } from './package.js';
import { archiveChartYaml, readChartYaml, type DeclaredDependency, type LocalChart } from './local-charts.js';

export interface VendorContext {
  /** The `--from` folder and the charts it offers. */
  readonly fromDir: string;
  readonly available: readonly LocalChart[];
}

function declared(files: ReadonlyMap<string, Uint8Array>): readonly DeclaredDependency[] {
  const text = (name: string) => (files.has(name) ? new TextDecoder().decode(files.get(name)) : undefined);
  const chart = text('Chart.yaml');
  const fromChart = chart ? readChartYaml(chart).dependencies ?? [] : [];
  const requirements = text('requirements.yaml');
  return fromChart.length || !requirements ? fromChart : readChartYaml(requirements).dependencies ?? [];
}

/** Names of the subcharts charts/ holds, as folders or archives (Helm matches dependencies by chart name). */
function present(files: ReadonlyMap<string, Uint8Array>): Set<string> {
  const names = new Set<string>();
  for (const [path, data] of files) {
    const folder = /^charts\/[^/]+\/Chart\.yaml$/.test(path) ? readChartYaml(new TextDecoder().decode(data)).name : undefined;
    const archive = /^charts\/[^/]+\.tgz$/.test(path) ? archiveChartYaml(data)?.name : undefined;
    if (folder) names.add(folder);
    if (archive) names.add(archive);
  }
  return names;
}

function satisfies(constraint: string, version: string): Version | undefined {
  try {
    const v = newVersion(version);
    return newConstraint(constraint || '*').check(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/** The files of a chart folder with its own missing dependencies vendored; warnings appended to `missing`. */
export function folderWithDependencies(dir: string, ctx: VendorContext, missing: string[], depth = 0): Map<string, Uint8Array> {
  const files = new Map(chartFolderFiles(dir).map((f) => [f.name, f.data] as const));
  vendorDependencies(dir, files, ctx, missing, depth);
  return files;
}

/** Adds the declared dependencies `files` lacks under charts/; what cannot be found goes to `missing` as `name version`. */
export function vendorDependencies(chartDir: string, files: Map<string, Uint8Array>, ctx: VendorContext, missing: string[], depth = 0): void {
  const have = present(files);
  for (const dep of declared(files)) {
    if (have.has(dep.name)) continue;
    let source: string | undefined;
    if (dep.repository.startsWith('file://')) {
      const dir = resolve(chartDir, dep.repository.slice('file://'.length));
      if (existsSync(join(dir, 'Chart.yaml'))) source = dir;
    } else if (dep.repository !== '') {
      const best = ctx.available
        .filter((c) => c.name === dep.name)
        .map((c) => ({ c, v: satisfies(dep.version, c.version) }))
        .filter((x): x is { c: LocalChart; v: Version } => x.v !== undefined)
        .sort((a, b) => b.v.compare(a.v))[0];
      if (best) source = join(ctx.fromDir, best.c.entry);
    }
    if (!source || depth > 8) {
      missing.push(`${dep.name} ${dep.version || '*'}`);
      continue;
    }
    const bytes = source.endsWith('.tgz')
      ? readFileSync(source)
      : packageChart(dep.name, [...folderWithDependencies(source, ctx, missing, depth + 1)].map(([name, data]) => ({ name, data })));
    const version = archiveChartYaml(bytes)?.version ?? dep.version;
    files.set(`charts/${dep.name}-${version}.tgz`, bytes);
    have.add(dep.name);
  }
}
