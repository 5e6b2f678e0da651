// How the template scan finds the key paths a chart reads without a default, and what it hands
// on whole: one construct per test, on a small chart made in memory (the real charts are in the
// other tests). The last tests pin the scan's known limits.
import { loadFiles } from '../../helm/chart/load.js';
import { checkChartValues, explainKeyPath } from '../../chart-renders/values.js';

const encode = (s: string) => new TextEncoder().encode(s);

/** A chart with `values.yaml` `defaults` and one template `body`. */
function chartWith(body: string, defaults = 'enabled: true\n', extra: Record<string, string> = {}) {
  return loadFiles([
    { name: 'Chart.yaml', data: encode('apiVersion: v2\nname: demo\nversion: 1.0.0\n') },
    { name: 'values.yaml', data: encode(defaults) },
    { name: 'templates/a.yaml', data: encode(body) },
    ...Object.entries(extra).map(([name, text]) => ({ name, data: encode(text) })),
  ]);
}
const where = { cluster: 'c1', component: 'demo', chart: 'demo', version: '1.0.0' };
const why = (body: string, path: string, defaults?: string, extra?: Record<string, string>) =>
  explainKeyPath(chartWith(body, defaults, extra), {}, path.split('.'));

test('.Values.a.b with no default is read', () => {
  expect(why('x: {{ .Values.foo.bar }}', 'foo.bar')).toBe('read');
  expect(why('x: {{ .Values.foo.bar }}', 'foo.baz')).toBeNull();
});

test('$.Values, $root.Values and (.Values.a).b are read', () => {
  expect(why('{{ $.Values.a.b }}', 'a.b')).toBe('read');
  expect(why('{{ $root := . }}{{ $root.Values.a.b }}', 'a.b')).toBe('read');
  expect(why('{{ (.Values.global).hub }}', 'global.hub')).toBe('read');
});

test('index and dig with literal keys are read', () => {
  expect(why('{{ index .Values "redis-ha" "enabled" }}', 'redis-ha.enabled')).toBe('read');
  expect(why('{{ dig "storage" "bucketNames" "chunks" "" .Values.loki }}', 'loki.storage.bucketNames.chunks')).toBe('read');
});

test('inside with, .b is the with-path\'s b; else returns to the outer dot', () => {
  const body = '{{ with .Values.a }}{{ .b }}{{ else }}{{ .Values.c }}{{ end }}';
  expect(why(body, 'a.b')).toBe('read');
  expect(why(body, 'c')).toBe('read');
});

test('a variable bound to a values path carries it', () => {
  expect(why('{{ $x := .Values.a }}{{ $x.b.c }}', 'a.b.c')).toBe('read');
});

test('include follows the named template with its argument as the dot, also through dict', () => {
  const helpers = { 'templates/_h.tpl': '{{ define "env" }}{{ .extraEnv }}{{ end }}{{ define "aff" }}{{ .component.affinity }}{{ end }}' };
  const body = '{{ include "env" .Values.server }}{{ include "aff" (dict "ctx" . "component" .Values.repo) }}';
  expect(why(body, 'server.extraEnv', undefined, helpers)).toBe('read');
  expect(why(body, 'repo.affinity', undefined, helpers)).toBe('read');
  expect(why(body, 'server.other', undefined, helpers)).toBeNull();
});

test('toYaml, tpl and range hand a path on whole', () => {
  expect(why('{{ toYaml .Values.a | nindent 2 }}', 'a.anything')).toBe('a: the chart passes it on whole (toYaml in templates/a.yaml)');
  expect(why('{{ .Values.a | toYaml }}', 'a.anything')).toBe('a: the chart passes it on whole (toYaml in templates/a.yaml)');
  expect(why('{{ tpl (toYaml .Values.a) $ }}', 'a.anything')).toBe('a: the chart passes it on whole (toYaml in templates/a.yaml)');
  expect(why('{{ range $k, $v := .Values.a }}{{ $k }}{{ end }}', 'a.anything')).toBe('a: the chart passes it on whole (range in templates/a.yaml)');
  expect(why('{{ with .Values.a }}{{ toYaml . }}{{ end }}', 'a.anything')).toBe('a: the chart passes it on whole (toYaml in templates/a.yaml)');
});

test('template strings in values.yaml (rendered through tpl) are scanned too', () => {
  expect(why('{{ tpl .Values.config . }}', 'extra.key', 'config: |\n  key: {{ .Values.extra.key }}\n')).toBe('read');
});

test('the root and global are never handed on whole, whatever a helper does with them', () => {
  const chart = chartWith('{{ toYaml .Values }}{{ include "x" (dict "global" .Values.global) }}{{ toYaml .Values.global }}');
  expect(checkChartValues(chart, { nosuch: 1, global: { nosuch: 1 } }, where).map((p) => p.path)).toEqual(['nosuch', 'global.nosuch']);
});

test('global: {} in the defaults does not make every global free-form', () => {
  const chart = chartWith('{{ .Values.global.hub }}', 'global: {}\n');
  expect(checkChartValues(chart, { global: { hub: 'h', hbu: 'h' } }, where).map((p) => [p.path, p.suggestion])).toEqual([['global.hbu', 'global.hub']]);
});

test('limit: a key computed at run time is not seen (index .Values $name)', () => {
  expect(why('{{ $name := "a" }}{{ index .Values $name "b" }}', 'a.b')).toBeNull();
});
