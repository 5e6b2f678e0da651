// synth --simulate: each rendered cluster's bootstrap and sync replayed before anything is written.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { catalogPins } from '../../cli/commands/charts-pull.js';
import { UserError } from '../../primitives/errors.js';
import { synthFleet } from '../../pipeline/synth.js';
import { useRealCharts } from '../charts-real/real-charts.js';
import { EXAMPLE_OVERLAYS } from '../helpers/fleet.js';
import { describeWithReferenceData } from '../helpers/reference-data.js';
import { tempDir } from '../helpers/tmp.js';

describeWithReferenceData('synth --simulate with the pinned charts', 'helm/charts', () => {
  const real = useRealCharts(catalogPins().map((p) => p.name));

  test('writes a cluster that simulates clean', async () => {
    const out = tempDir('simulate-out-');
    const r = await synthFleet({
      overlaysDir: EXAMPLE_OVERLAYS, clusters: ['dev'], outDir: out, simulate: true, charts: 'require', chartCache: real().cache, docsDir: join(out, 'no-docs'),
    });
    expect(r.clusters).toEqual(['dev']);
    expect(existsSync(join(out, 'clusters/dev/bootstrap/application-root.yaml'))).toBe(true);
  }, 600_000);
});

test('without the charts in the cache it refuses, names the charts and the command, and writes nothing', async () => {
  const out = tempDir('simulate-nocache-');
  const error = await synthFleet({
    overlaysDir: EXAMPLE_OVERLAYS, clusters: ['dev'], outDir: join(out, 'dist'), simulate: true, charts: 'auto',
    chartCache: { cacheDir: join(out, 'empty-cache') }, docsDir: join(out, 'no-docs'),
  }).then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(UserError);
  expect(String((error as UserError).problems)).toMatch(/^synth --simulate needs every chart in the chart cache; it lacks argo-cd 10\.1\.1, .*: run npx infra-synth charts pull$/);
  expect(existsSync(join(out, 'dist'))).toBe(false);
}, 300_000);
