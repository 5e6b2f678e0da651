// A temporary chart cache holding some of the pinned charts, packaged from the reference data as
// CI does (charts pull), for tests that render a few real charts; the rest come from the
// committed footprints (synth --charts auto). Call it inside describeWithReferenceData.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { catalogPins } from '../../cli/commands/charts-pull.js';
import { importCharts } from '../../helm/repo/import.js';
import { REPO_ROOT } from './fleet.js';
import { referencePath } from './reference-data.js';

/** Registers the cache's setup and removal with the enclosing describe; returns where it is. */
export function chartCacheWith(charts: readonly string[]): { cacheDir: string; lockFile: string } {
  const cacheDir = mkdtempSync(join(tmpdir(), 'infra-synth-chart-cache-'));
  const lockFile = join(cacheDir, 'charts.lock.json');
  afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));
  beforeAll(async () => {
    copyFileSync(join(REPO_ROOT, 'charts.lock.json'), lockFile);
    const report = await importCharts(catalogPins().filter((p) => charts.includes(p.name)), { fromDir: referencePath('helm/charts'), cacheDir, lockFile });
    expect(report.errors).toEqual([]);
  }, 120_000);
  return { cacheDir, lockFile };
}
