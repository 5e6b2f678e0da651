// The charts a local folder offers (for `charts pull --from`): chart folders and `.tgz` packages
// directly under it, with the name and version their Chart.yaml gives.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadArchiveFiles } from '../chart/archive.js';

export interface ChartYaml {
  readonly name?: string;
  readonly version?: string;
  /** Chart.yaml `dependencies` (apiVersion v2), as text fields. */
  readonly dependencies?: readonly DeclaredDependency[];
}

export interface DeclaredDependency {
  readonly name: string;
  readonly version: string;
  readonly repository: string;
}

/** Chart.yaml (or a v1 requirements.yaml) read for names and versions only. */
export function readChartYaml(text: string): ChartYaml {
  // failsafe: every scalar stays text, so `version: 1.10` is not the number 1.1.
  const doc = parse(text, { schema: 'failsafe' }) as Record<string, unknown> | null;
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const deps = Array.isArray(doc?.dependencies) ? doc.dependencies as Record<string, unknown>[] : [];
  return {
    name: str(doc?.name),
    version: str(doc?.version),
    dependencies: deps.flatMap((d) => (str(d?.name) ? [{ name: str(d.name)!, version: str(d.version) ?? '', repository: str(d.repository) ?? '' }] : [])),
  };
}

export interface LocalChart {
  /** The folder or `.tgz` name under the listed folder. */
  readonly entry: string;
  readonly kind: 'folder' | 'tgz';
  readonly name: string;
  readonly version: string;
}

/** The Chart.yaml inside a chart archive, or undefined when it is none. */
export function archiveChartYaml(bytes: Uint8Array): ChartYaml | undefined {
  try {
    const file = loadArchiveFiles(bytes).find((f) => f.name === 'Chart.yaml');
    return file ? readChartYaml(new TextDecoder().decode(file.data)) : undefined;
  } catch {
    return undefined;
  }
}

/** Chart folders (not `_…`/`.…`) and `.tgz` files directly under `dir`, sorted by entry name. */
export function listLocalCharts(dir: string): LocalChart[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).sort().flatMap((entry): LocalChart[] => {
    if (entry.startsWith('_') || entry.startsWith('.')) return [];
    let chart: ChartYaml | undefined;
    let kind: LocalChart['kind'];
    if (entry.endsWith('.tgz')) {
      kind = 'tgz';
      chart = archiveChartYaml(readFileSync(join(dir, entry)));
    } else {
      kind = 'folder';
      if (!existsSync(join(dir, entry, 'Chart.yaml'))) return [];
      try {
        chart = readChartYaml(readFileSync(join(dir, entry, 'Chart.yaml'), 'utf8'));
      } catch {
        chart = undefined;
      }
    }
    return chart?.name ? [{ entry, kind, name: chart.name, version: chart.version ?? '' }] : [];
  });
}
