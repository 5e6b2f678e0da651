// `infra-synth diff` compares what the Applications' Helm charts render: a chart bump or a values
// change lists the chart objects that change, per cluster and Application. The charts are the
// real Yandex webhook chart at two versions from the reference data, packaged into a temporary
// cache the way `charts pull --from` does; each version is locked in its own lock, as the base
// and head commits of a bump would lock them.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { catalogPins } from '../../cli/commands/charts-pull.js';
import { diffTrees, renderJson, renderMarkdown, renderTerminal, type DiffReport } from '../../diff/index.js';
import { GITHUB_COMMENT_LIMIT } from '../../diff/markdown.js';
import { importCharts } from '../../helm/repo/import.js';
import { z } from 'zod';
import { execa } from 'execa';
import { bundledCli } from '../helpers/cli.js';
import { EXAMPLE_OVERLAYS, REPO_ROOT } from '../helpers/fleet.js';
import { FOOTPRINTS_FILE } from '../../chart-renders/footprints.js';
import { renderFleet } from '../../pipeline/synth.js';
import { loadFleet } from '../../spec/load.js';
import { describeWithReferenceData, referencePath } from '../helpers/reference-data.js';
import { cleanupTempDirs, configMap, tempDir, tree } from './helpers.js';

const CHART = 'cert-manager-webhook-yandex';
const OLD = '1.0.9';
const NEW = '1.0.11';
/** The webhook's Deployment: the chart's fullname template appends `-yc`. */
const WEBHOOK_DEPLOYMENT = `${CHART}-yc`;

/** The yc-prod Application of the webhook, as synth writes it, with the version and values given. */
function webhookApp(version: string, values: Record<string, unknown> = {}, cluster = 'yc-prod'): Record<string, unknown> {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name: CHART, namespace: 'argocd', labels: { cluster, env: 'prod' },
      finalizers: ['resources-finalizer.argocd.argoproj.io'],
    },
    spec: {
      project: 'platform',
      destination: { server: 'https://kubernetes.default.svc', namespace: 'cert-manager' },
      source: {
        repoURL: 'cr.yandex/yc-marketplace/yandex-cloud', chart: CHART, targetRevision: version,
        helm: {
          releaseName: CHART,
          skipCrds: true,
          valuesObject: {
            'cert-manager': { cainjector: { enabled: false }, global: { leaderElection: { namespace: 'cert-manager' } }, replicaCount: 0, startupapicheck: { enabled: false } },
            certManager: { serviceAccountName: 'cert-manager' },
            groupName: 'acme.cloud.yandex.com',
            replicaCount: 2,
            ...values,
          },
        },
      },
      syncPolicy: { automated: { prune: false, selfHeal: true } },
    },
  };
}

/** A rendered tree whose clusters each hold the webhook Application (and the file path synth uses). */
function fleet(apps: Record<string, Record<string, unknown>>): string {
  return tree(Object.fromEntries(Object.entries(apps).map(([cluster, app]) => [`clusters/${cluster}/apps/application-${CHART}.yaml`, [app]])));
}

describeWithReferenceData('diff of what the charts render', 'helm/charts', () => {
  const cli = bundledCli('chart-diff');
  const cacheDir = mkdtempSync(join(tmpdir(), 'infra-synth-chart-diff-'));
  const oldLock = join(cacheDir, 'old.lock.json');
  const newLock = join(cacheDir, 'new.lock.json');
  afterAll(() => {
    rmSync(cacheDir, { recursive: true, force: true });
    cleanupTempDirs();
  });
  beforeAll(async () => {
    const pin = catalogPins().find((p) => p.name === CHART)!;
    for (const [version, lockFile] of [[OLD, oldLock], [NEW, newLock]]) {
      const report = await importCharts([{ ...pin, version }], { fromDir: referencePath('helm/charts'), cacheDir, lockFile });
      expect(report.errors).toEqual([]);
    }
  }, 120_000);

  /** The diff with the cache above; the head's lock names the new version only, as after a bump. */
  const diff = (base: string, head: string, chartLock = newLock) => diffTrees({ base, head, chartCache: cacheDir, chartLock });

  const webhookDiff = (r: DiffReport) => {
    const comp = r.charts?.clusters.find((c) => c.name === 'yc-prod')?.components.find((c) => c.name === CHART);
    if (!comp) throw new Error(`no chart diff of yc-prod/${CHART}: ${JSON.stringify(r.charts)}`);
    return comp;
  };

  test('a version bump lists the chart objects that change, the Deployment image among them', async () => {
    const r = await diff(fleet({ 'yc-prod': webhookApp(OLD) }), fleet({ 'yc-prod': webhookApp(NEW) }));
    const comp = webhookDiff(r);
    expect(comp).toMatchObject({ chart: CHART, versions: { base: OLD, head: NEW }, source: ['version'] });
    const deployment = comp.objects.find((o) => o.kind === 'Deployment' && o.name === WEBHOOK_DEPLOYMENT);
    expect(deployment?.change).toBe('changed');
    expect(deployment?.fields.map((f) => f.path)).toContain(`spec.template.spec.containers[name=${CHART}].image`);
    expect(deployment?.patch).toMatch(/^\+ +image: .*:1\.0\.4$/m);
    expect(deployment?.patch).toMatch(/^- +image: .*:1\.0\.2$/m);
    // The tree itself shows only the Application's one field.
    expect(r.clusters[0].components[0].objects[0].fields.map((f) => f.path)).toEqual(['spec.source.targetRevision']);
  });

  test('the version bump is in the Markdown comment: a collapsed section per cluster and Application, listing the objects', async () => {
    const r = await diff(fleet({ 'yc-prod': webhookApp(OLD) }), fleet({ 'yc-prod': webhookApp(NEW) }));
    const md = renderMarkdown(r);
    const section = md.slice(md.indexOf('## What the charts render'));
    expect(section).toContain('### `yc-prod` (prod)');
    expect(section).toContain(`<details><summary><code>${CHART}</code> — chart <code>${CHART}</code> <code>${OLD}</code> → <code>${NEW}</code>:`);
    expect(section).toMatch(new RegExp(`- \\*\\*changed\\*\\* \`Deployment/cert-manager/${WEBHOOK_DEPLOYMENT}\` \\(\`apps/v1\`\\)`));
    expect(md).toMatch(/\*\*Charts\*\*: the 1 changed Helm source renders \*\*\d+\*\* added · \*\*\d+\*\* changed · \*\*\d+\*\* removed objects/);
  });

  test('the terminal and JSON formats carry the same chart objects', async () => {
    const r = await diff(fleet({ 'yc-prod': webhookApp(OLD) }), fleet({ 'yc-prod': webhookApp(NEW) }));
    const json = JSON.parse(renderJson(r)) as DiffReport;
    expect(json.charts).toEqual(r.charts);
    const term = renderTerminal(r, { color: false });
    expect(term).toContain(`yc-prod [prod]: what the charts render`);
    expect(term).toContain(`${CHART} (chart ${CHART} ${OLD} → ${NEW})`);
    for (const o of webhookDiff(r).objects) expect(term).toContain(`${o.ref} (${o.apiVersion})`);
  });

  test('--format json carries `charts` in the documented shape (checked strictly), with counts that add up', async () => {
    const count = z.number().int().nonnegative();
    const object = z.strictObject({
      change: z.enum(['added', 'changed', 'removed']), apiVersion: z.string(), kind: z.string(), namespace: z.string().optional(),
      name: z.string(), ref: z.string(), files: z.strictObject({}),
      fields: z.array(z.strictObject({ path: z.string(), change: z.enum(['added', 'changed', 'removed']), secret: z.boolean() })),
      deletion: z.enum(['pruned', 'operator-prune', 'by-hand']).optional(), patch: z.string(),
    });
    const charts = z.strictObject({
      summary: z.strictObject({ sources: count, compared: count, notCompared: count, added: count, changed: count, removed: count }),
      clusters: z.array(z.strictObject({
        name: z.string(), prod: z.boolean(), added: count, changed: count, removed: count,
        components: z.array(z.strictObject({
          name: z.string(), chart: z.string(), versions: z.strictObject({ base: z.string().optional(), head: z.string().optional() }),
          source: z.union([z.enum(['added', 'removed']), z.array(z.enum(['kubeVersion', 'version', 'values', 'releaseName', 'namespace', 'skipCrds', 'package']))]),
          added: count, changed: count, removed: count, objects: z.array(object),
        })),
      })),
      notCompared: z.array(z.strictObject({
        cluster: z.string(), application: z.string(), chart: z.string(), version: z.string(), side: z.enum(['base', 'head']),
        reason: z.enum(['not-cached', 'render-failed', 'subcharts-missing']), message: z.string(),
      })),
    });
    const r = await diff(fleet({ 'yc-prod': webhookApp(OLD) }), fleet({ 'yc-prod': webhookApp(NEW) }));
    const parsed = charts.parse((JSON.parse(renderJson(r)) as { charts: unknown }).charts);
    const comp = parsed.clusters[0].components[0];
    expect(comp.changed).toBe(comp.objects.filter((o) => o.change === 'changed').length);
    expect(parsed.summary).toMatchObject({ sources: 1, compared: 1, notCompared: 0, changed: comp.changed });
  });

  test('a values-only change lists what the values change, and nothing else', async () => {
    const r = await diff(fleet({ 'yc-prod': webhookApp(NEW) }), fleet({ 'yc-prod': webhookApp(NEW, { replicaCount: 3 }) }));
    const comp = webhookDiff(r);
    expect(comp.source).toEqual(['values']);
    expect(comp.versions).toEqual({ base: NEW, head: NEW });
    expect(comp.objects.map((o) => [o.change, o.ref, o.fields.map((f) => f.path)])).toEqual([
      ['changed', `Deployment/cert-manager/${WEBHOOK_DEPLOYMENT}`, ['spec.replicas']],
    ]);
    expect(r.summary.hasChanges).toBe(true);
  });

  test('a Secret the chart renders says which key changed and never shows a value', async () => {
    const secretOf = (json: string) => webhookApp(NEW, { config: { folder_id: 'b1g', email: 'a@b.c', server: 'https://acme', auth: { json } } });
    const r = await diff(fleet({ 'yc-prod': secretOf('{"private_key": "old-key-material"}') }), fleet({ 'yc-prod': secretOf('{"private_key": "new-key-material"}') }));
    const secret = webhookDiff(r).objects.find((o) => o.kind === 'Secret');
    expect(secret?.fields).toEqual([{ path: 'data["key.json"]', change: 'changed', secret: true }]);
    const chartText = renderJson({ ...r, clusters: [] }) + renderMarkdown({ ...r, clusters: [] }) + renderTerminal({ ...r, clusters: [] }, { color: false });
    for (const plain of ['old-key-material', 'new-key-material']) {
      expect(chartText).not.toContain(Buffer.from(`{"private_key": "${plain}"}`).toString('base64'));
    }
    expect(secret?.patch).toContain('<secret: new value hidden>');
  });

  test('an object the chart no longer renders is removed as its Application syncs: prune off waits for an operator, prune on prunes', async () => {
    const off = { installClusterIssuer: { enabled: false } };
    const withPrune = (app: Record<string, any>) => ({ ...app, spec: { ...app.spec, syncPolicy: { automated: { prune: true, selfHeal: true } } } });
    const r = await diff(
      fleet({ 'yc-prod': webhookApp(NEW), 'yc-dev': withPrune(webhookApp(NEW, {}, 'yc-dev')) }),
      fleet({ 'yc-prod': webhookApp(NEW, off), 'yc-dev': withPrune(webhookApp(NEW, off, 'yc-dev')) }),
    );
    const removed = (cluster: string) => r.charts!.clusters.find((c) => c.name === cluster)!.components[0].objects
      .filter((o) => o.change === 'removed').map((o) => [o.kind, o.deletion]);
    expect(removed('yc-prod')).toEqual([['ClusterIssuer', 'operator-prune'], ['Secret', 'operator-prune']]);
    expect(removed('yc-dev')).toEqual([['ClusterIssuer', 'pruned'], ['Secret', 'pruned']]);
    // As loud in the comment as the tree's own deletions (a removed CRD takes its resources along).
    const md = renderMarkdown(r);
    expect(md).toContain("> [!CAUTION]\n> **4 objects are no longer rendered by their Application's chart**:\n");
    expect(md).toMatch(/^> - `yc-prod` \(prod\) \/ `cert-manager-webhook-yandex`: `ClusterIssuer\/[^`]+`, `Secret\/cert-manager\/[^`]+` — prune off: stays until an operator syncs with prune$/m);
    expect(renderTerminal(r, { color: false })).toContain('4 chart object(s) no longer rendered:\n  2 pruned by Argo CD on the next sync');
  });

  test('an Application removed with the resources finalizer takes its chart objects with it, as it goes itself', async () => {
    // The root Application syncs apps/ with prune: the webhook Application is pruned, and its
    // finalizer makes Argo CD delete what it deployed.
    const root = {
      apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'root', namespace: 'argocd' },
      spec: { source: { path: 'clusters/yc-prod/apps' }, syncPolicy: { automated: { prune: true } } },
    };
    const r = await diff(
      tree({ 'clusters/yc-prod/bootstrap/root.yaml': [root], [`clusters/yc-prod/apps/application-${CHART}.yaml`]: [webhookApp(NEW)] }),
      tree({ 'clusters/yc-prod/bootstrap/root.yaml': [root], 'clusters/yc-prod/apps/other.yaml': [configMap('keep', {})] }),
    );
    expect(r.clusters[0].components.flatMap((c) => c.objects).find((o) => o.kind === 'Application')?.deletion).toBe('pruned');
    const comp = webhookDiff(r);
    expect(comp).toMatchObject({ source: 'removed', versions: { base: NEW }, added: 0, changed: 0 });
    expect(comp.removed).toBeGreaterThan(0);
    expect(new Set(comp.objects.map((o) => o.deletion))).toEqual(new Set(['pruned']));
  });

  test('a cluster whose Kubernetes version changes has its charts rendered and compared again', async () => {
    // synth records the version on the root Application in bootstrap/ (validate/tree-versions.ts).
    const root = (version: string) => ({
      apiVersion: 'argoproj.io/v1alpha1', kind: 'Application',
      metadata: { name: 'root', namespace: 'argocd', annotations: { 'platform.company.ru/kubernetes-version': version } },
      spec: { source: { path: 'clusters/yc-prod/apps' } },
    });
    const side = (version: string) => tree({ 'clusters/yc-prod/bootstrap/root.yaml': [root(version)], [`clusters/yc-prod/apps/application-${CHART}.yaml`]: [webhookApp(NEW)] });
    const same = await diff(side('1.33'), side('1.33'));
    expect(same.charts?.summary.compared).toBe(0);
    const bumped = await diff(side('1.33'), side('1.34'));
    expect(bumped.charts?.summary).toMatchObject({ compared: 1, notCompared: 0 });
  });

  test('a source that is the same on both sides is not rendered (so a version missing from the cache costs nothing)', async () => {
    const same = webhookApp('9.9.9');
    const r = await diff(
      tree({ [`clusters/yc-prod/apps/application-${CHART}.yaml`]: [same], 'clusters/yc-prod/x/cm.yaml': [configMap('a', { k: '1' })] }),
      tree({ [`clusters/yc-prod/apps/application-${CHART}.yaml`]: [same], 'clusters/yc-prod/x/cm.yaml': [configMap('a', { k: '2' })] }),
    );
    expect(r.charts?.summary).toEqual({ sources: 1, compared: 0, notCompared: 0, added: 0, changed: 0, removed: 0 });
    expect(r.charts?.notCompared).toEqual([]);
  });

  test('a version that is not in the chart cache is a clear line, not a crash, and the rest is still compared', async () => {
    const r = await diff(
      fleet({ 'yc-prod': webhookApp(OLD), 'yc-stage': webhookApp(OLD, {}, 'yc-stage') }),
      fleet({ 'yc-prod': webhookApp('1.0.12'), 'yc-stage': webhookApp(NEW, {}, 'yc-stage') }),
    );
    expect(r.charts?.notCompared).toEqual([{
      cluster: 'yc-prod', application: CHART, chart: CHART, version: '1.0.12', side: 'head', reason: 'not-cached',
      message: `chart ${CHART} 1.0.12 is not in the chart cache (${cacheDir}): its objects were not compared; ` +
        'run npx infra-synth charts pull (for a version the current catalog no longer pins: at a commit that pins it)',
    }]);
    expect(r.charts?.clusters.map((c) => c.name)).toEqual(['yc-stage']);
    const md = renderMarkdown(r);
    expect(md).toContain('> [!WARNING]\n> **1 chart source was not fully compared**');
    expect(md).toContain(`> - chart ${CHART} 1.0.12 is not in the chart cache (${cacheDir}): its objects were not compared; run npx infra-synth charts pull`);
    expect(renderTerminal(r, { color: false })).toContain(`warning: yc-prod/${CHART} (head): chart ${CHART} 1.0.12 is not in the chart cache`);
  });

  test('a chart that fails to render with the new values is a clear line, not a crash', async () => {
    const r = await diff(fleet({ 'yc-prod': webhookApp(NEW) }), fleet({ 'yc-prod': webhookApp(NEW, { image: 'not-a-map' }) }));
    expect(r.charts?.notCompared).toHaveLength(1);
    expect(r.charts?.notCompared[0]).toMatchObject({ cluster: 'yc-prod', application: CHART, side: 'head', reason: 'render-failed' });
    expect(r.charts?.notCompared[0].message).toMatch(new RegExp(`^chart ${CHART} ${NEW.replace(/\./g, '\\.')} did not render: .+; its objects were not compared$`));
    expect(r.charts?.clusters).toEqual([]);
  });

  test('the base version of a bump is found in the cache when no lock names it', async () => {
    // The head lock names the new version only, and a directory base has no lock: the old
    // version's package is found by its Chart.yaml.
    const r = await diff(fleet({ 'yc-prod': webhookApp(OLD) }), fleet({ 'yc-prod': webhookApp(NEW) }), newLock);
    expect(r.charts?.notCompared).toEqual([]);
    expect(r.charts?.summary.compared).toBe(1);
  });

  test('the CLI renders charts from --chart-cache, and --no-charts compares the trees only', async () => {
    const base = fleet({ 'yc-prod': webhookApp(OLD) });
    const head = fleet({ 'yc-prod': webhookApp(NEW) });
    // A working directory without a lock: both versions are found by their Chart.yaml.
    const run = (...args: string[]) => execa('node', [cli, 'diff', '--base', base, '--head', head, '--format', 'json', ...args], { cwd: tempDir(), reject: false });
    const withCharts = await run('--chart-cache', cacheDir);
    expect(withCharts.exitCode).toBe(1);
    expect(JSON.parse(withCharts.stdout).charts.clusters[0].components[0]).toMatchObject({ name: CHART, versions: { base: OLD, head: NEW } });
    const without = await run('--chart-cache', cacheDir, '--no-charts');
    expect(without.exitCode).toBe(1);
    expect(JSON.parse(without.stdout)).not.toHaveProperty('charts');
  });

  test('the example yc-prod, its webhook bumped from 1.0.9 to 1.0.11 as synth renders it, lists the changed webhook objects', async () => {
    // The tree synth writes for yc-prod (written here, so that no file of the repository changes),
    // and the same tree with the webhook Application one version back.
    const head = tempDir();
    const { files } = await renderFleet(await loadFleet(EXAMPLE_OVERLAYS, ['yc-prod']), { charts: { footprintsFile: join(REPO_ROOT, FOOTPRINTS_FILE) } });
    for (const f of files) {
      mkdirSync(dirname(join(head, f.path)), { recursive: true });
      writeFileSync(join(head, f.path), f.content);
    }
    const base = tempDir();
    cpSync(head, base, { recursive: true });
    const app = join(base, `clusters/yc-prod/apps/application-${CHART}.yaml`);
    const text = readFileSync(app, 'utf8');
    expect(text).toContain(`targetRevision: ${NEW}`);
    writeFileSync(app, text.replace(`targetRevision: ${NEW}`, `targetRevision: ${OLD}`));

    const r = await diff(base, head);
    expect(r.clusters.flatMap((c) => c.components.flatMap((comp) => comp.objects.map((o) => [o.ref, o.fields.map((f) => f.path)])))).toEqual([
      [`Application/argocd/${CHART}`, ['spec.source.targetRevision']],
    ]);
    expect(r.charts?.notCompared).toEqual([]);
    const deployment = webhookDiff(r).objects.find((o) => o.kind === 'Deployment' && o.name === WEBHOOK_DEPLOYMENT);
    expect(deployment?.fields.map((f) => f.path)).toContain(`spec.template.spec.containers[name=${CHART}].image`);
  }, 120_000);

  test('with many clusters changing, the comment stays within 64 KiB and summarises Applications by kind', async () => {
    const clusters = Array.from({ length: 60 }, (_, i) => `yc-prod-${String(i).padStart(2, '0')}`);
    const started = performance.now();
    const r = await diff(
      fleet(Object.fromEntries(clusters.map((c) => [c, webhookApp(OLD, {}, c)]))),
      fleet(Object.fromEntries(clusters.map((c) => [c, webhookApp(NEW, {}, c)]))),
    );
    // Equal sources render once: sixty clusters cost about one render per side.
    expect(performance.now() - started).toBeLessThan(20_000);
    expect(r.charts?.clusters).toHaveLength(60);
    const md = renderMarkdown(r);
    expect(md.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(md).toMatch(/Too many to list within the comment limit; by kind: .*`Deployment` ~\d+/);
    expect(md).toContain('✂️ **Details cut**');
    // Every cluster's section is still there, summarised when not listed.
    for (const c of clusters) expect(md).toContain(`### \`${c}\` (prod)`);
  }, 60_000);
});
