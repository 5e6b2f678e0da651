// Helm engine behaviour beyond the upstream tables: .Files as a map, gobwas globs, library
// charts, subchart scoping, <no value>, strict mode and Helm's error wording.
import { Chart, Metadata } from '../../../helm/chart/chart.js';
import { Engine } from '../../../helm/engine/engine.js';
import { Files } from '../../../helm/engine/files.js';
import { compileGlob } from '../../../helm/engine/glob.js';

const encoder = new TextEncoder();

function chart(name: string, templates: Record<string, string>, opts: { type?: string; files?: Record<string, string> } = {}): Chart {
  const c = new Chart(Object.assign(new Metadata(), { Name: name, Version: '0.1.0', Type: opts.type ?? '' }));
  c.templates = Object.entries(templates).map(([n, data]) => ({ name: n, data: encoder.encode(data) }));
  c.files = Object.entries(opts.files ?? {}).map(([n, data]) => ({ name: n, data: encoder.encode(data) }));
  return c;
}

const values = (v: Record<string, unknown> = {}) => ({ Values: v, Release: { Name: 'r', Namespace: 'ns' } });

describe('gobwas globs', () => {
  test.each([
    ['story/**', 'story/a/b.txt', true],
    ['story/*', 'story/a/b.txt', false],
    ['**/captain.txt', 'ship/captain.txt', true],
    ['dashboards/*.{json,yaml}', 'dashboards/x.yaml', true],
    ['file?.txt', 'file1.txt', true],
    ['file?.txt', 'file/.txt', false],
    ['[!a]x', 'bx', true],
    ['a\\*', 'a*', true],
  ])('%s matches %s: %s', (pattern, name, want) => {
    expect(compileGlob(pattern)!.test(name)).toBe(want);
  });

  test('a pattern gobwas refuses compiles to nothing (Helm then matches everything)', () => {
    expect(compileGlob('[')).toBeNull();
    const files = new Files([{ name: 'a', data: 'x' }, { name: 'b/c', data: 'y' }]);
    expect(files.Glob('[').entries().map(([n]) => n)).toEqual(['a', 'b/c']);
  });
});

describe('.Files', () => {
  const files = new Files([
    { name: 'conf/a.conf', data: 'A=1\n' },
    { name: 'conf/b.conf', data: 'B=2' },
    { name: 'other.txt', data: 'o' },
  ]);

  test('AsConfig and AsSecrets key by base name, as toYaml prints them', () => {
    expect(files.Glob('conf/*').AsConfig()).toBe('a.conf: |\n  A=1\nb.conf: B=2');
    expect(files.Glob('conf/*').AsSecrets()).toBe('a.conf: QT0xCg==\nb.conf: Qj0y');
  });

  test('a missing file is empty, and has no lines', () => {
    expect(files.Get('nope')).toBe('');
    expect(files.GetBytes('nope')).toEqual(new Uint8Array());
    expect(files.Lines('nope')).toEqual([]);
  });

  test('templates range over a glob and index it like the map it is', () => {
    const c = chart('c', {
      'templates/cm.yaml':
        '{{ range $path, $bytes := .Files.Glob "conf/*" }}{{ $path }}={{ $.Files.Get $path | trim }};{{ end }}' +
        '{{ len (.Files.Glob "conf/*") }} {{ index .Files "other.txt" | toString }} {{ if .Files.Glob "none/*" }}yes{{ else }}no{{ end }}',
    }, { files: { 'conf/a.conf': 'A=1\n', 'conf/b.conf': 'B=2', 'other.txt': 'o' } });
    expect(new Engine().render(c, values())['c/templates/cm.yaml']).toBe('conf/a.conf=A=1;conf/b.conf=B=2;2 o no');
  });
});

describe('Engine.render', () => {
  test('a subchart sees its own values table, .Template names its file, partials are not rendered', () => {
    const parent = chart('p', {
      'templates/a.yaml': '{{ .Values.x }} {{ .Template.BasePath }} {{ include "sub.name" . }}',
      'templates/_helpers.tpl': '{{ define "p.name" }}p{{ end }}',
    });
    parent.addDependency(chart('sub', {
      'templates/b.yaml': '{{ .Values.y }} {{ .Template.Name }} {{ .Chart.Name }} {{ .Chart.IsRoot }}',
      'templates/_helpers.tpl': '{{ define "sub.name" }}from-sub{{ end }}',
    }));
    const out = new Engine().render(parent, values({ x: 1, sub: { y: 2 } }));
    expect(out).toEqual({
      'p/templates/a.yaml': '1 p/templates from-sub',
      'p/charts/sub/templates/b.yaml': '2 p/charts/sub/templates/b.yaml sub false',
    });
  });

  test('a library chart contributes only its partials', () => {
    const parent = chart('p', { 'templates/a.yaml': '{{ include "lib.x" . }}' });
    parent.addDependency(chart('lib', { 'templates/_x.tpl': '{{ define "lib.x" }}lx{{ end }}', 'templates/y.yaml': 'never' }, { type: 'library' }));
    expect(new Engine().render(parent, values())).toEqual({ 'p/templates/a.yaml': 'lx' });
  });

  test('a missing value prints nothing (Helm blanks <no value>); strict mode names the key', () => {
    const c = chart('c', { 'templates/a.yaml': 'v={{ .Values.missing }}' });
    expect(new Engine().render(c, values())['c/templates/a.yaml']).toBe('v=');
    expect(() => new Engine({ strict: true }).render(c, values())).toThrow(
      'template: c/templates/a.yaml:1:12: executing "c/templates/a.yaml" at <.Values.missing>: map has no entry for key "missing"',
    );
  });

  test('parse errors and required/fail are reworded as Helm words them', () => {
    expect(() => new Engine().render(chart('c', { 'templates/a.yaml': 'x\n{{ nope }}' }), values())).toThrow(
      'parse error at (c/templates/a.yaml:2): function "nope" not defined',
    );
    expect(() => new Engine().render(chart('c', { 'templates/a.yaml': '{{ fail "boom" }}' }), values())).toThrow(
      'execution error at (c/templates/a.yaml:1:3): boom',
    );
    expect(new Engine({ lintMode: true }).render(chart('c', { 'templates/a.yaml': '[{{ required "r" .Values.x }}]' }), values()))
      .toEqual({ 'c/templates/a.yaml': '[]' });
  });

  test('tpl sees the defines in its text, the parent set does not keep them', () => {
    const c = chart('c', {
      'templates/a.yaml': '{{ tpl "{{ define \\"t\\" }}in-tpl{{ end }}{{ include \\"t\\" . }}" . }}',
      'templates/b.yaml': '{{ if (not (empty (include "exists" .))) }}leak{{ else }}ok{{ end }}',
      'templates/_e.tpl': '{{ define "exists" }}{{ end }}',
    });
    expect(new Engine().render(c, values())).toEqual({ 'c/templates/a.yaml': 'in-tpl', 'c/templates/b.yaml': 'ok' });
  });

  test('lookup returns an empty map without a cluster, the cluster\'s object with one', () => {
    const c = chart('c', { 'templates/a.yaml': '{{ (lookup "v1" "Secret" "ns" "s").metadata }}' });
    expect(new Engine().render(c, values())['c/templates/a.yaml']).toBe('');
    const lookup = () => ({ metadata: { name: 's' } });
    expect(new Engine({ lookup }).render(c, values())['c/templates/a.yaml']).toBe('map[name:s]');
  });
});
