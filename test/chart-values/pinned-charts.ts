// The pinned charts for the chart-values tests, as synth will see them: packaged from the
// reference data into a temporary chart cache through `charts pull --from` (release overlays and
// the Yandex webhook's stand-in applied) and checked against the committed charts.lock.json.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { catalogPins } from '../../cli/commands/charts-pull.js';
import { loadChart, type Chart } from '../../helm/index.js';
import { importCharts } from '../../helm/repo/import.js';
import { resolveChart } from '../../helm/repo/resolve.js';
import type { ValuesWhere } from '../../chart-renders/values.js';
import { REPO_ROOT } from '../helpers/fleet.js';
import { referencePath } from '../helpers/reference-data.js';

export interface PinnedCharts {
  /** The pinned chart `name`, loaded once. */
  chart(name: string): Chart;
  /** Where-fields for a test value set of the pinned chart `name`. */
  where(name: string, component?: string): ValuesWhere;
  readonly cacheDir: string;
  readonly lockFile: string;
}

/** Sets up the cache in beforeAll and removes it in afterAll; call inside a describe. */
export function pinnedCharts(): PinnedCharts {
  const cacheDir = mkdtempSync(join(tmpdir(), 'infra-synth-chart-values-'));
  const lockFile = join(cacheDir, 'charts.lock.json');
  const loaded = new Map<string, Chart>();
  const version = (name: string) => {
    const pin = catalogPins().find((p) => p.name === name);
    if (!pin) throw new Error(`chart ${name} is not pinned`);
    return pin.version;
  };
  beforeAll(async () => {
    copyFileSync(join(REPO_ROOT, 'charts.lock.json'), lockFile);
    const report = await importCharts(catalogPins(), { fromDir: referencePath('helm/charts'), cacheDir, lockFile });
    expect(report.errors).toEqual([]);
  }, 300_000);
  afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));
  return {
    cacheDir,
    lockFile,
    chart(name) {
      let c = loaded.get(name);
      if (!c) {
        c = loadChart(resolveChart(name, version(name), { cacheDir, lockFile }));
        loaded.set(name, c);
      }
      return c;
    },
    where: (name, component = name) => ({ cluster: 'c1', component, chart: name, version: version(name) }),
  };
}
