import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { bundledCli } from '../helpers/cli.js';
import { GENERATED_MARKER, SERVICE_DOCS_DIR, renderServiceDocs, writeServiceDocs } from '../../pipeline/service-docs.js';
import { loadFleet } from '../../spec/load.js';
import { EXAMPLE_BACKEND } from '../../spec/observability.js';
import { EXAMPLE_OVERLAYS, REPO_ROOT } from '../helpers/fleet.js';
import { tempDir } from '../helpers/tmp.js';
import { specFor } from './helpers.js';

const tmp = () => tempDir('service-docs-');
const DASHBOARDS = 'docs/assets/grafana/platform';

describe('per-service pages', () => {
  test('the example backend\'s page names its mount path, Vault keys, metrics port and OTLP endpoint', () => {
    const page = renderServiceDocs([specFor()]).get('storefront-api.md')!;
    expect(page.startsWith(GENERATED_MARKER)).toBe(true);
    expect(page).toContain('Mount path: `/mnt/secrets`');
    expect(page).toContain('| `/mnt/secrets/db-password` | `kv/data/storefront/storefront-api` | `db_password` |');
    expect(page).toContain('on the Service port named `http`');
    expect(page).toContain('value: http://opentelemetry-collector.opentelemetry.svc:4317');
    expect(page).toContain('secretProviderClass: storefront-api-vault');
  });

  test('clusters that differ get their own section', () => {
    const injector = { ...EXAMPLE_BACKEND, vault: { ...EXAMPLE_BACKEND.vault!, delivery: 'injector' as const, mountPath: undefined } };
    const teams = [{ name: 'storefront', groups: ['g'], namespaces: ['storefront'], repos: ['ssh://git@git.company.ru/s.git'], services: [injector] }];
    const page = renderServiceDocs([specFor({}, 'a'), specFor({ teams }, 'b')]).get('storefront-api.md')!;
    expect(page.match(/^## Clusters: .*$/gm)).toEqual(['## Clusters: a', '## Clusters: b']);
    expect(page).toContain('vault.hashicorp.com/agent-inject-secret-db-password: kv/data/storefront/storefront-api');
    expect(page).toContain('Mount path: `/vault/secrets`');
  });

  test('in an Istio mesh the page tells the team which labels and container port Prometheus reaches in plaintext', () => {
    const teams = [{ name: 'storefront', groups: ['g'], namespaces: ['storefront'], repos: ['ssh://git@git.company.ru/s.git'], services: [EXAMPLE_BACKEND], mesh: true }];
    const page = renderServiceDocs([specFor({ mesh: { kind: 'istio' }, teams })]).get('storefront-api.md')!;
    expect(page).toContain('leaves container port 8080 of the pods labelled `app.kubernetes.io/name: storefront-api` open to plaintext too (PeerAuthentication `storefront/storefront-api-metrics`)');
  });

  test('writing replaces changed pages, removes generated pages no service needs, and leaves hand-written pages alone', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'old-service.md'), `${GENERATED_MARKER}\n\n# old\n`);
    writeFileSync(join(dir, 'README.md'), '# Services\n');
    const pages = renderServiceDocs([specFor()]);
    expect(writeServiceDocs(dir, pages)).toEqual({ written: ['storefront-api.md'], removed: ['old-service.md'] });
    expect(existsSync(join(dir, 'README.md'))).toBe(true);
    expect(readFileSync(join(dir, 'storefront-api.md'), 'utf8')).toBe(pages.get('storefront-api.md'));
    expect(writeServiceDocs(dir, pages)).toEqual({ written: [], removed: [] });
  });

  test('the committed pages are what the example overlays generate', async () => {
    const pages = renderServiceDocs(await loadFleet(EXAMPLE_OVERLAYS));
    expect(writeServiceDocs(join(REPO_ROOT, SERVICE_DOCS_DIR), pages, true)).toEqual({ written: [], removed: [] });
  });
});

describe('infra-synth docs and synth, as users run them', () => {
  const CLI = bundledCli('docs');

  test('--check exits 1 naming a stale page, writing nothing; a run writes it; then --check exits 0', async () => {
    const out = tmp();
    const args = ['docs', '--overlays', EXAMPLE_OVERLAYS, '--out', out];
    const stale = await execa('node', [CLI, ...args, '--check'], { reject: false, cwd: REPO_ROOT });
    // The example service's page, and the frontend page (yc-prod and vk-stage serve browser telemetry).
    expect([stale.exitCode, stale.stdout]).toEqual([1, `~ ${out}/storefront-api.md\n~ ${out}/_browser-telemetry.md\n${out}: 2 page(s) stale; run \`infra-synth docs\` and commit them`]);
    expect(existsSync(join(out, 'storefront-api.md'))).toBe(false);
    expect((await execa('node', [CLI, ...args], { cwd: REPO_ROOT })).stdout).toBe(`wrote ${out}/storefront-api.md\nwrote ${out}/_browser-telemetry.md`);
    const fresh = await execa('node', [CLI, ...args, '--check'], { reject: false, cwd: REPO_ROOT });
    expect([fresh.exitCode, fresh.stdout]).toEqual([0, `${out}: up to date (2 page(s))`]);
  });

  test('synth run where a dashboard is not JSON exits 2 with one line naming the file, and writes nothing', async () => {
    const work = tmp();
    cpSync(EXAMPLE_OVERLAYS, join(work, 'overlays'), { recursive: true });
    cpSync(join(REPO_ROOT, 'secrets'), join(work, 'secrets'), { recursive: true });
    mkdirSync(join(work, DASHBOARDS), { recursive: true });
    writeFileSync(join(work, DASHBOARDS, 'broken.json'), '{ "uid": "x", ');
    const r = await execa('node', [CLI, 'synth', '--out', 'dist'], { reject: false, cwd: work });
    expect([r.exitCode, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toMatch(/^error: docs\/assets\/grafana\/platform\/broken\.json: not valid JSON \(.+\); export the dashboard from Grafana as JSON$/);
    expect(existsSync(join(work, 'dist'))).toBe(false);
  });
});
