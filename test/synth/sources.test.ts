// Source files a whole-fleet synth keeps fresh beside the overlays: adding a cluster the
// README's way (write an overlay, run synth, commit) must leave CI's freshness checks green.
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { synthFleet } from '../../pipeline/synth.js';
import { BROWSER_TELEMETRY_PAGE, renderServiceDocs, writeServiceDocs } from '../../pipeline/service-docs.js';
import { loadFleet } from '../../spec/load.js';
import { EXAMPLE_OVERLAYS, REPO_ROOT } from '../helpers/fleet.js';

let repo: string;
beforeEach(() => {
  repo = mkdtempSync(join(tmpdir(), 'infra-synth-sources-'));
  cpSync(EXAMPLE_OVERLAYS, join(repo, 'overlays'), { recursive: true });
  cpSync(join(REPO_ROOT, 'secrets'), join(repo, 'secrets'), { recursive: true });
  cpSync(join(REPO_ROOT, 'docs', 'services'), join(repo, 'docs', 'services'), { recursive: true });
});
afterEach(() => rmSync(repo, { recursive: true, force: true }));

const addCluster = () => writeFileSync(
  join(repo, 'overlays', 'dev2.ts'),
  readFileSync(join(repo, 'overlays', 'dev.ts'), 'utf8').replace("domain: 'dev.localhost'", "domain: 'dev2.localhost'"),
);

test('a whole-fleet synth rewrites the service pages a new cluster changes, so docs --check passes', async () => {
  addCluster();
  const overlays = join(repo, 'overlays'), docs = join(repo, 'docs', 'services');
  const r = await synthFleet({ overlaysDir: overlays, outDir: join(repo, 'dist') });
  const stale = r.sources.filter((p) => p.startsWith(docs));
  // Every service page lists the clusters a service runs on; the example teams run on every
  // cluster. The browser-telemetry page lists only clusters with the endpoint on, which dev2 is not.
  expect(stale.sort()).toEqual(readdirSync(docs).filter((f) => f !== BROWSER_TELEMETRY_PAGE).map((f) => join(docs, f)).sort());
  for (const page of stale) expect(readFileSync(page, 'utf8')).toContain('dev2');
  const check = writeServiceDocs(docs, renderServiceDocs(await loadFleet(overlays)), true);
  expect(check).toEqual({ written: [], removed: [] });
});

test('synth --check names the stale service pages and writes none', async () => {
  addCluster();
  const docs = join(repo, 'docs', 'services');
  const before = readFileSync(join(docs, 'storefront-api.md'), 'utf8');
  const r = await synthFleet({ overlaysDir: join(repo, 'overlays'), outDir: join(repo, 'dist'), check: true });
  expect(r.sources).toContain(join(docs, 'storefront-api.md'));
  expect(readFileSync(join(docs, 'storefront-api.md'), 'utf8')).toBe(before);
});

test('a synth of some clusters leaves the service pages alone: they list the whole fleet', async () => {
  addCluster();
  const r = await synthFleet({ overlaysDir: join(repo, 'overlays'), outDir: join(repo, 'dist'), clusters: ['dev2'] });
  expect(r.sources).toEqual([]);
});
