// What a render thread reports of the chart footprints it used: the main thread keeps every
// cluster's report until the end, so a footprint's content travels only where
// charts.footprints.json needs it.
import { join } from 'node:path';
import { mergeFootprints } from '../../chart-renders/footprints.js';
import { renderBatch } from '../../pipeline/render-batch.js';
import { chartCacheWith } from '../helpers/chart-cache.js';
import { REPO_ROOT, specFor } from '../helpers/fleet.js';
import { describeWithReferenceData } from '../helpers/reference-data.js';

test('a footprint read from charts.footprints.json is reported without its content', async () => {
  const r = await renderBatch([specFor({}, 'a'), specFor({ domain: 'b.company.ru' }, 'b')], { charts: 'off', footprintsFile: join(REPO_ROOT, 'charts.footprints.json') });
  expect(r.footprints.length).toBeGreaterThan(0);
  expect(r.footprints.filter((f) => f.rendered || f.footprint !== undefined)).toEqual([]);
});

describeWithReferenceData('footprints of rendered charts', 'helm/charts', () => {
  const { cacheDir, lockFile } = chartCacheWith(['cert-manager']);

  test('carry their content once per hash, and merge into the same file as every footprint in full', async () => {
    // Other Kubernetes versions: other render keys, the same footprint.
    const specs = ['1.32', '1.33', '1.34'].map((kubernetesVersion, i) => specFor({ kubernetesVersion, domain: `c${i}.company.ru` }, `c${i}`));
    const r = await renderBatch(specs, { chartCache: { cacheDir, lockFile }, charts: 'auto' });
    const rendered = r.footprints.filter((f) => f.rendered);
    const hashes = [...new Set(rendered.map((f) => f.hash))];
    expect(rendered.length).toBeGreaterThan(hashes.length);
    // Each hash's content once: the first report of it.
    expect(rendered.filter((f) => f.footprint !== undefined).map((f) => f.hash)).toEqual(hashes);
    // Every render's key is still there, pointing at content the merge has.
    const merged = mergeFootprints(r.footprints);
    expect(Object.keys(merged.renders).sort()).toEqual([...new Set(rendered.map((f) => f.key))].sort());
    for (const entry of Object.values(merged.renders)) expect(merged.footprints[entry.footprint]).toBeDefined();
  }, 300_000);
});
