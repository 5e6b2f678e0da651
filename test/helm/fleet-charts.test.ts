// Every pinned chart renders, in-process, with the values each example cluster gives it, the same
// objects each time, and every object it renders passes the same schema validator as the objects
// synth writes itself.
// The charts come from the reference data, packaged into a temporary cache through
// `charts pull --from` and checked against the committed charts.lock.json, as in CI.
//
// Two departures, each stated where it applies:
// - a field rendered as `null` (`annotations:` with nothing under it) is dropped before the
//   check: the API server decodes null as "not set", so kubectl and Argo CD accept it;
// - objects are validated for the Kubernetes version of the cluster that installs the chart
//   (spec.kubernetesVersion), as synth does.
// A chart whose dependencies the reference data does not vendor cannot render (Helm refuses it
// the same way): it is reported as skipped, with the missing dependencies.
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { renderCluster } from '../../charts/cluster.js';
import { catalogPins } from '../../cli/commands/charts-pull.js';
import { ChartRenderer, helmSources, type HelmSource } from '../../chart-renders/render.js';
import { loadFleet } from '../../spec/load.js';
import { importCharts } from '../../helm/repo/import.js';
import { validateSchemas } from '../../validate/schema.js';
import { EXAMPLE_OVERLAYS, REPO_ROOT } from '../helpers/fleet.js';
import { describeWithReferenceData, hasReferenceData, referencePath } from '../helpers/reference-data.js';

/** The API server's reading of a null field: not set. */
function withoutNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutNulls);
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null).map(([k, x]) => [k, withoutNulls(x)]));
  }
  return v;
}

/** Dependencies a chart folder of the reference data declares but does not vendor. */
function unvendored(folder: string): string[] {
  const dir = referencePath(`helm/charts/${folder}`);
  if (!existsSync(join(dir, 'Chart.yaml'))) return [];
  const meta = yaml.load(readFileSync(join(dir, 'Chart.yaml'), 'utf8')) as { dependencies?: { name: string }[] };
  return (meta.dependencies ?? []).map((d) => d.name).filter((n) => !existsSync(join(dir, 'charts', n)));
}

describeWithReferenceData('the example fleet\'s pinned charts', 'helm/charts', () => {
  const cacheDir = mkdtempSync(join(tmpdir(), 'infra-synth-chart-cache-'));
  // A copy of the committed lock: the test must not be able to rewrite the repository's.
  const lockFile = join(cacheDir, 'charts.lock.json');
  copyFileSync(join(REPO_ROOT, 'charts.lock.json'), lockFile);
  const lock = JSON.parse(readFileSync(lockFile, 'utf8')) as { charts: Record<string, { packagedFrom?: string }> };
  let renderer: ChartRenderer;
  const sources: HelmSource[] = [];
  const kubernetesVersions = new Map<string, string>();
  afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));

  beforeAll(async () => {
    const report = await importCharts(catalogPins(), { fromDir: referencePath('helm/charts'), cacheDir, lockFile });
    expect(report.errors).toEqual([]);
    renderer = new ChartRenderer({ cacheDir, lockFile });
    for (const spec of await loadFleet(EXAMPLE_OVERLAYS)) {
      kubernetesVersions.set(spec.name, spec.kubernetesVersion);
      sources.push(...helmSources(renderCluster(spec).manifests));
    }
  }, 300_000);

  for (const pin of hasReferenceData('helm/charts') ? catalogPins() : []) {
    const missing = unvendored(lock.charts[pin.name]?.packagedFrom ?? '');
    if (missing.length) {
      test.skip(`${pin.name} ${pin.version}: skipped: dependencies ${missing.join(', ')} are not vendored in the reference data (helm refuses the chart the same way)`, () => undefined);
      continue;
    }
    test(`${pin.name} ${pin.version} renders for every cluster that installs it, the same each time, and every object is schema-valid`, async () => {
      const mine = sources.filter((s) => s.chart === pin.name && s.version === pin.version);
      const failures: string[] = [];
      for (const s of mine) {
        let objects: Record<string, any>[];
        try {
          const render = renderer.render(s);
          objects = render.objects;
          // Argo CD renders the chart again on every new commit: an object that changes never stays Synced.
          for (const u of render.unstable ?? []) failures.push(`${s.application}: ${u.object} ${u.path}: differs from one render to the next`);
        } catch (e) {
          failures.push(`${s.application}: ${(e as Error).message.split('\n')[0]}`);
          continue;
        }
        const manifests = objects.map((o, index) => ({ file: `${s.application}`, index, object: withoutNulls(o) as Record<string, any> }));
        const kubernetesVersion = kubernetesVersions.get(s.application.split('/')[0]);
        for (const e of await validateSchemas(manifests, { kubernetesVersion })) failures.push(`${s.application}: ${e.object} ${e.path}: ${e.message}`);
      }
      expect(failures).toEqual([]);
    }, 300_000);
  }
});
