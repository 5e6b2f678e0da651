import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../primitives/errors.js';
import { DASHBOARDS_DIR, loadDashboards } from '../../spec/dashboards.js';
import { REPO_ROOT } from '../helpers/fleet.js';
import { tempDir } from '../helpers/tmp.js';
import { find, objectsFor } from './helpers.js';

/** A repository root with docs/assets/grafana holding the given files. */
function repo(files: Record<string, string>): string {
  const root = tempDir('dashboards-');
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, DASHBOARDS_DIR, path, '..'), { recursive: true });
    writeFileSync(join(root, DASHBOARDS_DIR, path), text);
  }
  return root;
}
const ok = (uid: string, title = `Dashboard ${uid}`) => JSON.stringify({ uid, title, panels: [] });
const problems = (root: string): readonly string[] => {
  try { loadDashboards(DASHBOARDS_DIR, root); } catch (e) { if (e instanceof UserError) return e.problems; throw e; }
  throw new Error('loaded');
};

describe('dashboards as code', () => {
  test('the repository ships at least two dashboards, each with a title and a unique uid', () => {
    const ds = loadDashboards(DASHBOARDS_DIR, REPO_ROOT);
    expect(ds.map((d) => d.file).sort()).toEqual([
      'docs/assets/grafana/cost/opencost.json', 'docs/assets/grafana/platform/argocd-sync.json',
      'docs/assets/grafana/platform/backups.json', 'docs/assets/grafana/platform/cluster-overview.json',
    ]);
    expect(new Set(ds.map((d) => d.uid)).size).toBe(ds.length);
  });

  test('every dashboard becomes a ConfigMap next to Grafana, labelled for the sidecar, in the folder of its sub-folder', () => {
    const cm = find(objectsFor(), 'ConfigMap', 'dashboard-platform-argocd-sync', 'monitoring');
    expect(cm.metadata.labels).toEqual({ grafana_dashboard: '1' });
    expect(cm.metadata.annotations.grafana_folder).toBe('platform');
    expect(JSON.parse(cm.data['dashboard-platform-argocd-sync.json']).uid).toBe('platform-argocd-sync');
  });

  test('a file at the root goes to the General folder', () => {
    const [d] = loadDashboards(DASHBOARDS_DIR, repo({ 'top.json': ok('top') }));
    expect([d.folder, d.name, d.uid]).toEqual(['General', 'top', 'top']);
  });

  test('a file that is not JSON is refused, naming the file', () => {
    expect(problems(repo({ 'platform/broken.json': '{ "uid": "x", ' }))).toEqual([
      expect.stringMatching(/^docs\/assets\/grafana\/platform\/broken\.json: not valid JSON \(.+\); export the dashboard from Grafana as JSON$/),
    ]);
  });

  test('a dashboard without a title or uid is refused, naming the file and field', () => {
    expect(problems(repo({ 'a.json': JSON.stringify({ uid: 'a' }), 'b.json': JSON.stringify({ title: 'B' }) }))).toEqual([
      'docs/assets/grafana/a.json: title: missing; expected the dashboard\'s title (a non-empty string)',
      'docs/assets/grafana/b.json: uid: missing; expected a stable uid of at most 40 letters, digits, "-" or "_" (links and alerts point at it)',
    ]);
  });

  test('a uid Grafana would refuse is refused', () => {
    expect(problems(repo({ 'a.json': ok('has spaces') }))).toEqual([
      'docs/assets/grafana/a.json: uid: received "has spaces"; expected a stable uid of at most 40 letters, digits, "-" or "_" (links and alerts point at it)',
    ]);
  });

  test('two files with one uid are refused, naming both', () => {
    expect(problems(repo({ 'x/one.json': ok('same'), 'y/two.json': ok('same') }))).toEqual([
      'docs/assets/grafana/y/two.json: uid: "same" is already the uid of docs/assets/grafana/x/one.json; every dashboard needs its own',
    ]);
  });

  test('folders do not nest', () => {
    expect(problems(repo({ 'a/b/c.json': ok('c') }))).toEqual([
      expect.stringMatching(/^docs\/assets\/grafana\/a\/b\/c\.json: dashboards sit at most one folder deep/),
    ]);
  });

  test('synth run outside the repository root says where the dashboards are read from', () => {
    expect(problems(tempDir('empty-'))).toEqual([
      'docs/assets/grafana: no dashboards folder here; run synth from the repository root (Grafana dashboards are read from docs/assets/grafana/)',
    ]);
  });
});

describe('dashboard ConfigMap names', () => {
  test('folder and file name become a DNS label', async () => {
    const { dashboardConfigMapName } = await import('../../charts/monitoring.js');
    expect(dashboardConfigMapName('platform', 'argo_cd.v2')).toBe('dashboard-platform-argo-cd-v2');
    expect(dashboardConfigMapName('General', 'top')).toBe('dashboard-top');
    expect(dashboardConfigMapName('f', 'x'.repeat(80))).toHaveLength(63);
  });

  test('two files that would become one ConfigMap fail synth, naming both', async () => {
    const { monitoringComponents } = await import('../../charts/monitoring.js');
    const { App, Chart } = await import('cdk8s');
    const { specFor } = await import('./helpers.js');
    const root = repo({ 'p/a_b.json': ok('one'), 'p/a-b.json': ok('two') });
    const dashboards = loadDashboards(DASHBOARDS_DIR, root);
    const kps = monitoringComponents(specFor())[0];
    expect(() => kps.addObjects!(new Chart(new App({ outdir: '/nonexistent' }), 'x'), specFor(), undefined, { dashboards })).toThrow(
      new UserError('docs/assets/grafana/p/a_b.json: file name: becomes ConfigMap dashboard-p-a-b, as docs/assets/grafana/p/a-b.json does; rename one of them'),
    );
  });
});
