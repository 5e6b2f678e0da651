// A chart must render the same objects every time: Argo CD renders it again on every new commit of
// the repo it reads and on every hard refresh, and an object that changes (a schedule taken from
// the clock, a password from random bytes) never stays Synced.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import yaml from 'js-yaml';
import { loadChart, renderChart, seededEntropy, withEntropy, type RenderResult } from '../../helm/index.js';
import { unstableObjects } from '../../chart-renders/stability.js';
import { checkChartRenders } from '../../pipeline/chart-checks.js';
import { renderCluster } from '../../charts/cluster.js';
import { specFor } from '../helpers/fleet.js';
import { tempDir } from '../helpers/tmp.js';
import { describeWithReferenceData } from '../helpers/reference-data.js';
import { useRealCharts } from '../charts-real/real-charts.js';

function writeChart(templates: Record<string, string>): string {
  const dir = tempDir('render-stability-');
  const files = { 'Chart.yaml': 'apiVersion: v2\nname: demo\nversion: 1.0.0\n', 'values.yaml': 'password: ""\n', ...templates };
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const SECRET = `apiVersion: v1
kind: Secret
metadata:
  name: demo
stringData:
  password: {{ if .Values.password }}{{ .Values.password | quote }}{{ else }}{{ randAlphaNum 16 | quote }}{{ end }}
`;
/** Go evaluates every argument of a pipeline: `default` reads random bytes even when the value is set. */
const EAGER_SECRET = SECRET.replace(/password: .*/, 'password: {{ .Values.password | default (randAlphaNum 16) | quote }}');

describe('renderChart: readsEntropy', () => {
  test('is true for a render whose templates read random bytes', () => {
    const chart = loadChart(writeChart({ 'templates/secret.yaml': SECRET }));
    expect(renderChart(chart, {}).readsEntropy).toBe(true);
  });

  test('is false once the value the template falls back from is set', () => {
    const chart = loadChart(writeChart({ 'templates/secret.yaml': SECRET }));
    expect(renderChart(chart, { values: { password: 'from-vault' } }).readsEntropy).toBe(false);
  });

  test('is true for a template that reads the clock', () => {
    const chart = loadChart(writeChart({ 'templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: demo\ndata:\n  at: {{ now | date "2006-01-02" | quote }}\n' }));
    expect(renderChart(chart, {}).readsEntropy).toBe(true);
  });

  test('is kept with a render served again from the chart\'s kept results', () => {
    const chart = loadChart(writeChart({ 'templates/secret.yaml': SECRET }));
    const first = renderChart(chart, {});
    const again = renderChart(chart, {});
    expect(again).toBe(first);
    expect(again.readsEntropy).toBe(true);
  });

  test('a fresh render is not served from the kept results', () => {
    const chart = loadChart(writeChart({ 'templates/secret.yaml': SECRET }));
    const first = renderChart(chart, {});
    expect(renderChart(chart, { fresh: true })).not.toBe(first);
  });
});

describe('unstableObjects of two renders at different times, with different random bytes', () => {
  const twoRenders = (dir: string, values: Record<string, unknown>) => {
    const chart = loadChart(dir);
    const at = (seed: string, nowMs: number) => withEntropy(seededEntropy(seed, nowMs), () => renderChart(chart, { values, fresh: true }));
    const objects = (r: RenderResult) => r.manifests.map((m) => yaml.load(m.content) as Record<string, any>);
    return unstableObjects(objects(at('a', 0)), objects(at('b', 86_400_000)));
  };

  test('a password generated when none is set is unstable', () => {
    expect(twoRenders(writeChart({ 'templates/secret.yaml': SECRET }), {})).toEqual([{ object: 'Secret/demo', path: '.stringData.password' }]);
  });

  test('a template that reads random bytes but prints the value set is stable', () => {
    const dir = writeChart({ 'templates/secret.yaml': EAGER_SECRET });
    expect(renderChart(loadChart(dir), { values: { password: 'from-vault' } }).readsEntropy).toBe(true);
    expect(twoRenders(dir, { password: 'from-vault' })).toEqual([]);
  });
});

describe('unstableObjects', () => {
  const secret = (password: string, name = 'demo') => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: 'ns' }, stringData: { password } });
  const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'demo', namespace: 'ns' }, data: { a: '1' } };

  test('names the object and the first field that differs between two renders', () => {
    expect(unstableObjects([configMap, secret('a')], [configMap, secret('b')])).toEqual([{ object: 'Secret/ns/demo', path: '.stringData.password' }]);
  });

  test('an object the second render names otherwise is unstable by its name', () => {
    expect(unstableObjects([secret('a', 'demo-x1')], [secret('a', 'demo-y2')])).toEqual([{ object: 'Secret/ns/demo-x1', path: '.metadata.name' }]);
  });

  test('equal renders have no unstable object', () => {
    expect(unstableObjects([configMap, secret('a')], [structuredClone(configMap), secret('a')])).toEqual([]);
  });
});

describeWithReferenceData('synth refuses a pinned chart that renders an object otherwise each time', 'helm/charts', () => {
  const charts = useRealCharts(['linkerd-control-plane']);
  const spec = specFor({ cloud: 'vk', environment: 'stage', domain: 'stage.company.ru', ingress: { kind: 'traefik' }, mesh: { kind: 'linkerd' }, dns: { provider: 'none' } }, 'vk-linkerd');

  test('linkerd with its default heartbeat: the CronJob whose schedule is the render time is named, at the Application', async () => {
    const source = charts().source(spec, 'linkerd-control-plane');
    const withHeartbeat = { ...source, values: { ...source.values, disableHeartBeat: false } };
    const render = charts().renderer.render(withHeartbeat);
    expect(render.unstable).toEqual([{ object: 'CronJob/linkerd/linkerd-heartbeat', path: '.spec.schedule' }]);
    const { findings } = await checkChartRenders([{ component: 'linkerd-control-plane', render }], renderCluster(spec).manifests, charts().renderer);
    expect(findings.filter((f) => f.message.includes('otherwise each time')).map((f) => `${f.object} ${f.path}: ${f.message.split(':')[0]}`))
      .toEqual(['Application/argocd/linkerd-control-plane .spec.source.helm.valuesObject: linkerd-control-plane 2026.8.3 renders CronJob/linkerd/linkerd-heartbeat otherwise each time (at .spec.schedule, its templates read the clock or random bytes)']);
  });

  test('linkerd as the platform configures it renders the same every time', () => {
    expect(charts().renderer.render(charts().source(spec, 'linkerd-control-plane')).unstable).toEqual([]);
  });
});
