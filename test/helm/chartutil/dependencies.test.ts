// Dependency processing (Helm's ProcessDependenciesWithMerge): what Helm's dependencies_test.go
// checks (tags, conditions, aliases, import-values in both forms), on the subchart test chart
// of Helm's command tests and on small charts built here.
import { Chart, Dependency, Metadata } from '../../../helm/chart/chart.js';
import { loadChart } from '../../../helm/chart/load.js';
import { coalesceValues } from '../../../helm/chartutil/coalesce.js';
import { processDependencies } from '../../../helm/chartutil/dependencies.js';
import { formatLogLine, setLogger } from '../../../helm/chartutil/log.js';
import { describeWithReferenceData, referencePath } from '../../helpers/reference-data.js';

/** Every chart of the tree as a dotted path, sorted, as upstream's extractChartNames. */
function chartNames(c: Chart): string[] {
  const out: string[] = [];
  const walk = (x: Chart, prefix: string) => {
    const path = prefix === '' ? x.name() : `${prefix}.${x.name()}`;
    out.push(path);
    for (const d of x.dependencies()) walk(d, path);
  };
  walk(c, '');
  return out.sort();
}

function dep(fields: Partial<Pick<Dependency, 'Name' | 'Version' | 'Condition' | 'Tags' | 'Alias' | 'ImportValues'>>): Dependency {
  return Object.assign(new Dependency(), { Version: '1.0.0', ...fields });
}

function chart(name: string, values: Record<string, unknown>, deps: Dependency[] | null, ...children: Chart[]): Chart {
  const md = new Metadata();
  md.Name = name;
  md.Version = '1.0.0';
  md.APIVersion = 'v2';
  if (deps !== null) {
    md.Dependencies = deps;
    md.dependenciesDeclared = true;
  }
  const c = new Chart(md);
  c.values = values;
  c.addDependency(...children);
  return c;
}

describeWithReferenceData('processDependencies on testcharts/subchart', 'helm/conformance/helm-template/testdata/testcharts', () => {
  const path = referencePath('helm/conformance/helm-template/testdata/testcharts/subchart');

  test.each<[string, Record<string, unknown>, string[]]>([
    ['no tags or conditions set: both subcharts', {}, ['subchart', 'subchart.subcharta', 'subchart.subchartb']],
    ['a tag with no effect', { tags: { nothinguseful: false } }, ['subchart', 'subchart.subcharta', 'subchart.subchartb']],
    ['a tag disabling the group', { tags: { 'front-end': false } }, ['subchart']],
    ['one true tag re-enables a chart of a disabled group', { tags: { 'front-end': false, subchartb: true } }, ['subchart', 'subchart.subchartb']],
    ['a condition disables one subchart', { subchartb: { enabled: false } }, ['subchart', 'subchart.subcharta']],
    ['a condition wins over tags', { subcharta: { enabled: false }, tags: { 'front-end': true } }, ['subchart', 'subchart.subchartb']],
    ['a condition re-enables a chart its tag disabled', { subchartb: { enabled: true }, tags: { 'front-end': false } }, ['subchart', 'subchart.subchartb']],
  ])('%s', (_name, values, want) => {
    expect(chartNames(processDependencies(loadChart(path), values))).toEqual(want);
  });

  test('the loaded chart is left as it was', () => {
    const loaded = loadChart(path);
    processDependencies(loaded, { subchartb: { enabled: false } });
    expect(chartNames(loaded)).toEqual(['subchart', 'subchart.subcharta', 'subchart.subchartb']);
    expect(loaded.metadata.Dependencies.map((d) => d.Enabled)).toEqual([false, false]);
  });

  test('import-values child/parent: the child table lands under the parent key, below the parent\'s own values', () => {
    const values = processDependencies(loadChart(path), {}).values!;
    expect(values['imported-chartA']).toEqual({
      SC1extra2: 1.337,
      SCAbool: false,
      SCAfloat: 3.1,
      SCAint: 55,
      SCAnested1: { SCAnested2: true },
      SCAstring: 'jabba',
      SCBbool: true,
      SCBfloat: 7.77,
      SCBint: 33,
      SCBstring: 'boba',
    });
    expect((values['overridden-chartA'] as Record<string, unknown>).SCAstring).toBe('jabbathehut');
  });

  test('import-values as a string: exports.<name> of the child merges at the top', () => {
    const values = processDependencies(loadChart(path), {}).values!;
    expect(values.SCBexported1A).toEqual({ SC1extra7: true, SCBexported1B: 1965 });
    expect(values.configmap).toEqual({ enabled: false, value: 'foo' });
  });

  test('import-values with an exports path on both sides', () => {
    const values = processDependencies(loadChart(path), {}).values!;
    expect((values.exports as Record<string, unknown>).SCBexported2).toEqual({ SCBexported2A: 'blaster' });
  });

  test('a disabled subchart imports nothing', () => {
    const values = processDependencies(loadChart(path), { subchartb: { enabled: false } }).values!;
    expect(values['imported-chartB']).toBeUndefined();
    expect(values.SCBexported1A).toEqual({ SC1extra7: true });
  });

  test('import-values entries are rewritten to child/parent pairs', () => {
    const processed = processDependencies(loadChart(path), {});
    expect(processed.metadata.Dependencies[1]!.ImportValues).toEqual([
      { child: 'SCBdata', parent: 'imported-chartB' },
      { child: 'SCBdata', parent: 'imported-chartA-B' },
      { child: 'exports.SCBexported2', parent: 'exports.SCBexported2' },
      { child: 'exports.configmap', parent: '.' },
      { child: 'exports.SCBexported1', parent: '.' },
    ]);
  });
});

describe('processDependencies on charts built in memory', () => {
  test('an alias renames a copy, so one chart can be included twice', () => {
    const parent = chart(
      'parent',
      {},
      [dep({ Name: 'sub', Alias: 'first' }), dep({ Name: 'sub', Alias: 'second' })],
      chart('sub', { who: 'sub' }, null),
    );
    const processed = processDependencies(parent, {});
    expect(chartNames(processed)).toEqual(['parent', 'parent.first', 'parent.second']);
    expect(processed.dependencies()[0]!.chartFullPath()).toBe('parent/charts/first');
    expect(parent.dependencies()[0]!.name()).toBe('sub');
  });

  test('an aliased subchart gets its values under the alias', () => {
    const parent = chart('parent', {}, [dep({ Name: 'sub', Alias: 'renamed' })], chart('sub', { who: 'default' }, null));
    const processed = processDependencies(parent, { renamed: { who: 'set' } });
    expect(coalesceValues(processed, { renamed: { who: 'set' } }).renamed).toEqual({ who: 'set', global: {} });
  });

  test('an alias\'s condition is read under the alias', () => {
    const parent = chart(
      'parent',
      {},
      [dep({ Name: 'sub', Alias: 'a', Condition: 'a.enabled' }), dep({ Name: 'sub', Alias: 'b', Condition: 'b.enabled' })],
      chart('sub', {}, null),
    );
    expect(chartNames(processDependencies(parent, { a: { enabled: false } }))).toEqual(['parent', 'parent.b']);
  });

  test('a subchart whose version is outside the range is kept under its own name', () => {
    const parent = chart('parent', {}, [dep({ Name: 'sub', Version: '^2.0.0', Alias: 'renamed' })], chart('sub', {}, null));
    expect(chartNames(processDependencies(parent, {}))).toEqual(['parent', 'parent.sub']);
  });

  test('in a condition list the first path that holds a bool decides', () => {
    const parent = chart('parent', {}, [dep({ Name: 'sub', Condition: 'missing.enabled,sub.enabled,other.enabled' })], chart('sub', {}, null));
    expect(chartNames(processDependencies(parent, { sub: { enabled: false }, other: { enabled: true } }))).toEqual(['parent']);
  });

  test('a condition that is not a bool is logged, with Helm\'s file:line, and ignored', () => {
    const warnings: string[] = [];
    const previous = setLogger((message, origin) => warnings.push(formatLogLine(message, origin)));
    try {
      const parent = chart('parent', {}, [dep({ Name: 'sub', Condition: 'sub.enabled' })], chart('sub', {}, null));
      expect(chartNames(processDependencies(parent, { sub: { enabled: 'no' } }))).toEqual(['parent', 'parent.sub']);
    } finally {
      setLogger(previous);
    }
    expect(warnings).toEqual(["dependencies.go:64: Warning: Condition path 'sub.enabled' for chart sub returned non-bool value"]);
  });

  test('a sub-subchart condition is read below its parent chart\'s values', () => {
    const tree = chart(
      'top',
      {},
      [dep({ Name: 'mid' })],
      chart('mid', {}, [dep({ Name: 'leaf', Condition: 'leaf.enabled' })], chart('leaf', {}, null)),
    );
    expect(chartNames(processDependencies(tree, { mid: { leaf: { enabled: false } } }))).toEqual(['top', 'top.mid']);
    expect(chartNames(processDependencies(tree, {}))).toEqual(['top', 'top.mid', 'top.mid.leaf']);
  });

  test('a chart that declares no dependencies keeps its subcharts without looking at conditions', () => {
    const tree = chart('top', {}, null, chart('sub', {}, null));
    expect(chartNames(processDependencies(tree, { sub: { enabled: false } }))).toEqual(['top', 'top.sub']);
  });

  test('import-values read the child\'s coalesced defaults', () => {
    const tree = chart(
      'top',
      { imported: { mine: 1 } },
      [dep({ Name: 'sub', ImportValues: [{ child: 'data', parent: 'imported' }, 'shared'] })],
      chart('sub', { data: { theirs: 2, mine: 0 }, exports: { shared: { fromSub: true } } }, null),
    );
    expect(processDependencies(tree, {}).values).toMatchObject({ imported: { mine: 1, theirs: 2 }, fromSub: true });
  });
});
