// Cases ported from Helm v3.19.5 pkg/chartutil/coalesce_test.go (the same chart tree and
// values); upstream reads values through templates like {{.pequod.ahab.name}}, we read the
// same paths directly (a missing key is "<no value>").
import { Chart, Metadata } from '../../../helm/chart/chart.js';
import { coalesceTables, coalesceValues, mergeTables, mergeValues } from '../../../helm/chartutil/coalesce.js';
import { setLogger } from '../../../helm/chartutil/log.js';
import { deepCopy, readValues } from '../../../helm/chartutil/values.js';
import { formatValue } from '../../../helm/template/fmt.js';

function chart(name: string, values: Record<string, unknown>, ...deps: Chart[]): Chart {
  const md = new Metadata();
  md.Name = name;
  const c = new Chart(md);
  c.values = values;
  c.addDependency(...deps);
  return c;
}

/** What `{{.a.b.c}}` prints for a plain value tree. */
function at(values: Record<string, unknown>, path: string): string {
  let current: unknown = values;
  for (const key of path.split('.')) {
    if (current === null || typeof current !== 'object' || !Object.prototype.hasOwnProperty.call(current, key)) return '<no value>';
    current = (current as Record<string, unknown>)[key];
  }
  return current === undefined ? '<no value>' : formatValue(current);
}

const userValuesYaml = `
top: yup
bottom: null
right: Null
left: NULL
front: ~
back: ""
nested:
  boat: null

global:
  name: Ishmael
  subject: Queequeg
  nested:
    boat: true

pequod:
  boat: null
  global:
    name: Stinky
    harpooner: Tashtego
    nested:
      boat: false
      sail: true
      foo2: null
  ahab:
    scope: whale
    boat: null
    nested:
      foo: true
      boat: null
    object: null
`;

function mobyForCoalesce(): Chart {
  return chart(
    'moby',
    {
      back: 'exists', bottom: 'exists', front: 'exists', left: 'exists', name: 'moby',
      nested: { boat: true }, override: 'bad', right: 'exists', scope: 'moby', top: 'nope',
      global: { nested2: { l0: 'moby' } },
      pequod: { boat: 'maybe', ahab: { boat: 'maybe', nested: { boat: 'maybe' } } },
    },
    chart(
      'pequod',
      { name: 'pequod', scope: 'pequod', global: { nested2: { l1: 'pequod' } }, boat: false, ahab: { boat: false, nested: { boat: false } } },
      chart('ahab', {
        global: { nested: { foo: 'bar', foo2: 'bar2' }, nested2: { l2: 'ahab' } },
        scope: 'ahab', name: 'ahab', boat: true, nested: { foo: false, boat: true }, object: { foo: 'bar' },
      }),
    ),
    chart('spouter', { scope: 'spouter', global: { nested2: { l1: 'spouter' } } }),
  );
}

function mobyForMerge(): Chart {
  return chart(
    'moby',
    {
      back: 'exists', bottom: 'exists', front: 'exists', left: 'exists', name: 'moby',
      nested: { boat: true }, override: 'bad', right: 'exists', scope: 'moby', top: 'nope',
      global: { nested2: { l0: 'moby' } },
    },
    chart(
      'pequod',
      { name: 'pequod', scope: 'pequod', global: { nested2: { l1: 'pequod' } } },
      chart('ahab', {
        global: { nested: { foo: 'bar' }, nested2: { l2: 'ahab' } },
        scope: 'ahab', name: 'ahab', boat: true, nested: { foo: false, bar: true },
      }),
    ),
    chart('spouter', { scope: 'spouter', global: { nested2: { l1: 'spouter' } } }),
  );
}

// Paths and what they print, the same for CoalesceValues and MergeValues.
const expectations: [string, string][] = [
  ['top', 'yup'], ['back', ''], ['name', 'moby'], ['global.name', 'Ishmael'], ['global.subject', 'Queequeg'],
  ['global.harpooner', '<no value>'], ['pequod.name', 'pequod'], ['pequod.ahab.name', 'ahab'],
  ['pequod.ahab.scope', 'whale'], ['pequod.ahab.nested.foo', 'true'], ['pequod.ahab.global.name', 'Ishmael'],
  ['pequod.ahab.global.nested.foo', 'bar'], ['pequod.ahab.global.subject', 'Queequeg'],
  ['pequod.ahab.global.harpooner', 'Tashtego'], ['pequod.global.name', 'Ishmael'],
  ['pequod.global.nested.foo', '<no value>'], ['pequod.global.subject', 'Queequeg'], ['spouter.global.name', 'Ishmael'],
  ['spouter.global.harpooner', '<no value>'], ['global.nested.boat', 'true'], ['pequod.global.nested.boat', 'true'],
  ['spouter.global.nested.boat', 'true'], ['pequod.global.nested.sail', 'true'], ['spouter.global.nested.sail', '<no value>'],
  ['global.nested2.l0', 'moby'], ['global.nested2.l1', '<no value>'], ['global.nested2.l2', '<no value>'],
  ['pequod.global.nested2.l0', 'moby'], ['pequod.global.nested2.l1', 'pequod'], ['pequod.global.nested2.l2', '<no value>'],
  ['pequod.ahab.global.nested2.l0', 'moby'], ['pequod.ahab.global.nested2.l1', 'pequod'],
  ['pequod.ahab.global.nested2.l2', 'ahab'], ['spouter.global.nested2.l0', 'moby'],
  ['spouter.global.nested2.l1', 'spouter'], ['spouter.global.nested2.l2', '<no value>'],
];

describe('CoalesceValues', () => {
  const user = readValues(userValuesYaml);
  const before = deepCopy(user);
  const v = coalesceValues(mobyForCoalesce(), user);

  test.each(expectations.concat([['pequod.ahab.global.nested.foo2', '<no value>']]))('.%s prints %p', (path, want) => {
    expect(at(v, path)).toBe(want);
  });

  test('a user null removes the default at the top level', () => {
    for (const key of ['bottom', 'right', 'left', 'front']) expect(Object.keys(v)).not.toContain(key);
  });

  test('a user null removes a nested default', () => {
    expect(Object.keys(v.nested as object)).not.toContain('boat');
  });

  test('a user null removes a subchart default', () => {
    expect(Object.keys(v.pequod as object)).not.toContain('boat');
  });

  test('a user null removes defaults two subcharts down, maps included', () => {
    const ahab = (v.pequod as Record<string, Record<string, unknown>>).ahab!;
    expect(Object.keys(ahab)).not.toContain('boat');
    expect(Object.keys(ahab.nested as object)).not.toContain('boat');
    expect(Object.keys(ahab)).not.toContain('object');
  });

  test('the values passed in are not changed', () => {
    expect(user).toEqual(before);
  });
});

describe('MergeValues', () => {
  const user = readValues(userValuesYaml);
  const before = deepCopy(user);
  const v = mergeValues(mobyForMerge(), user);

  test.each(expectations)('.%s prints %p', (path, want) => {
    expect(at(v, path)).toBe(want);
  });

  test('user nulls stay as nulls', () => {
    for (const key of ['bottom', 'right', 'left', 'front']) expect(v[key]).toBeNull();
    expect(Object.keys(v.nested as object)).toContain('boat');
  });

  test('subchart defaults next to nulls stay', () => {
    const ahab = (v.pequod as Record<string, Record<string, unknown>>).ahab!;
    expect(Object.keys(ahab)).toContain('boat');
    expect(Object.keys(ahab.nested as object)).toContain('bar');
  });

  test('the values passed in are not changed', () => {
    expect(user).toEqual(before);
  });
});

function tables(): { dst: Record<string, unknown>; src: Record<string, unknown> } {
  return {
    dst: {
      name: 'Ishmael',
      address: { street: '123 Spouter Inn Ct.', city: 'Nantucket', country: null },
      details: { friends: ['Tashtego'] },
      boat: 'pequod',
      hole: null,
    },
    src: {
      occupation: 'whaler',
      address: { state: 'MA', street: '234 Spouter Inn Ct.', country: 'US' },
      details: 'empty',
      boat: { mast: true },
      hole: 'black',
    },
  };
}

describe('CoalesceTables and MergeTables', () => {
  test('CoalesceTables: dst wins, src fills gaps, dst nulls delete', () => {
    const { dst, src } = tables();
    coalesceTables(dst, src);
    expect(dst).toEqual({
      name: 'Ishmael',
      occupation: 'whaler',
      address: { street: '123 Spouter Inn Ct.', city: 'Nantucket', state: 'MA' },
      details: { friends: ['Tashtego'] },
      boat: 'pequod',
    });
  });

  test('MergeTables: as CoalesceTables, but dst nulls stay', () => {
    const { dst, src } = tables();
    mergeTables(dst, src);
    expect(dst).toEqual({
      name: 'Ishmael',
      occupation: 'whaler',
      address: { street: '123 Spouter Inn Ct.', city: 'Nantucket', state: 'MA', country: null },
      details: { friends: ['Tashtego'] },
      boat: 'pequod',
      hole: null,
    });
  });

  test('a null src leaves dst as it is', () => {
    const dst = { name: 'Ishmael', hole: 'black', nilval: null };
    expect(coalesceTables(dst, null)).toEqual({ name: 'Ishmael', hole: 'black', nilval: null });
    expect(mergeTables(dst, null)).toEqual({ name: 'Ishmael', hole: 'black', nilval: null });
  });
});

describe('coalescing warnings', () => {
  test('type conflicts are logged with Helm\'s texts', () => {
    const warnings: string[] = [];
    const previous = setLogger((m) => warnings.push(m));
    try {
      const c = chart(
        'level1',
        { name: 'moby' },
        chart(
          'level2',
          { name: 'pequod' },
          chart('level3', { name: 'ahab', boat: true, spear: { tip: true, sail: { cotton: true } } }),
        ),
      );
      coalesceValues(c, { level2: { level3: { boat: { mast: true }, spear: { tip: { sharp: true }, sail: true } } } });
    } finally {
      setLogger(previous);
    }
    expect(warnings).toContain('warning: skipped value for level1.level2.level3.boat: Not a table.');
    expect(warnings).toContain('warning: destination for level1.level2.level3.spear.tip is a table. Ignoring non-table value (true)');
    expect(warnings).toContain('warning: cannot overwrite table with non table for level1.level2.level3.spear.sail (map[cotton:true])');
  });

  test('a subchart key that is not a map is a type mismatch error', () => {
    const c = chart('parent', {}, chart('sub', {}));
    expect(() => coalesceValues(c, { sub: 'text' })).toThrow('type mismatch on sub: %!t(string=text)');
  });
});
