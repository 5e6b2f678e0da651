// Cases ported from Helm v3.19.5 pkg/strvals/parser_test.go and literal_parser_test.go: like
// upstream, results are compared through the YAML Helm prints for them.
import { marshal } from '../../../helm/encoding/yaml.js';
import {
  MAX_NESTED_NAME_LEVEL,
  parseSet,
  parseSetFile,
  parseSetJSON,
  parseSetLiteral,
  parseSetString,
  parseSetValues,
} from '../../../helm/chartutil/strvals.js';
import { int64 } from '../../../helm/template/value.js';

type Case = { str: string; expect?: Record<string, unknown>; err?: true };

const i = (n: number) => int64(n);

const setCases: Case[] = [
  { str: 'name1=null,f=false,t=true', expect: { name1: null, f: false, t: true } },
  { str: 'name1=value1', expect: { name1: 'value1' } },
  { str: 'name1=value1,name2=value2', expect: { name1: 'value1', name2: 'value2' } },
  { str: 'name1=value1,name2=value2,', expect: { name1: 'value1', name2: 'value2' } },
  { str: 'name1=value1,,,,name2=value2,', err: true },
  { str: 'name1=,name2=value2', expect: { name1: '', name2: 'value2' } },
  { str: 'leading_zeros=00009', expect: { leading_zeros: '00009' } },
  { str: 'zero_int=0', expect: { zero_int: i(0) } },
  { str: 'long_int=1234567890', expect: { long_int: i(1234567890) } },
  { str: 'boolean=true', expect: { boolean: true } },
  { str: 'is_null=null', expect: { is_null: null } },
  { str: 'name1,name2=', err: true },
  { str: 'name1,name2=value2', err: true },
  { str: 'name1,name2=value2\\', err: true },
  { str: 'name1,name2', err: true },
  { str: 'name1=one\\,two,name2=three\\,four', expect: { name1: 'one,two', name2: 'three,four' } },
  { str: 'name1=one\\=two,name2=three\\=four', expect: { name1: 'one=two', name2: 'three=four' } },
  { str: 'name1=one two three,name2=three two one', expect: { name1: 'one two three', name2: 'three two one' } },
  { str: 'outer.inner=value', expect: { outer: { inner: 'value' } } },
  { str: 'outer.middle.inner=value', expect: { outer: { middle: { inner: 'value' } } } },
  { str: 'outer.inner1=value,outer.inner2=value2', expect: { outer: { inner1: 'value', inner2: 'value2' } } },
  { str: 'outer.inner1=value,outer.middle.inner=value', expect: { outer: { inner1: 'value', middle: { inner: 'value' } } } },
  { str: 'name1.name2', err: true },
  { str: 'name1.name2,name1.name3', err: true },
  { str: 'name1.name2=', expect: { name1: { name2: '' } } },
  { str: 'name1.=name2', err: true },
  { str: 'name1.,name2', err: true },
  { str: 'name1={value1,value2}', expect: { name1: ['value1', 'value2'] } },
  { str: 'name1={value1,value2},name2={value1,value2}', expect: { name1: ['value1', 'value2'], name2: ['value1', 'value2'] } },
  { str: 'name1={1021,902}', expect: { name1: [i(1021), i(902)] } },
  { str: 'name1.name2={value1,value2}', expect: { name1: { name2: ['value1', 'value2'] } } },
  { str: 'name1={1021,902', err: true },
  { str: 'list[0]=foo', expect: { list: ['foo'] } },
  { str: 'list[0].foo=bar', expect: { list: [{ foo: 'bar' }] } },
  { str: 'list[0].foo=bar,list[0].hello=world', expect: { list: [{ foo: 'bar', hello: 'world' }] } },
  { str: 'list[0].foo=bar,list[-30].hello=world', err: true },
  { str: 'list[0]=foo,list[1]=bar', expect: { list: ['foo', 'bar'] } },
  { str: 'list[0]=foo,list[1]=bar,', expect: { list: ['foo', 'bar'] } },
  { str: 'list[0]=foo,list[3]=bar', expect: { list: ['foo', null, null, 'bar'] } },
  { str: 'list[0]=foo,list[-20]=bar', err: true },
  { str: 'illegal[0]name.foo=bar', err: true },
  { str: 'noval[0]', expect: { noval: [] } },
  { str: 'noval[0]=', expect: { noval: [''] } },
  { str: 'nested[0][0]=1', expect: { nested: [[i(1)]] } },
  { str: 'nested[1][1]=1', expect: { nested: [null, [null, i(1)]] } },
  { str: 'name1.name2[0].foo=bar,name1.name2[1].foo=bar', expect: { name1: { name2: [{ foo: 'bar' }, { foo: 'bar' }] } } },
  { str: 'name1.name2[1].foo=bar,name1.name2[0].foo=bar', expect: { name1: { name2: [{ foo: 'bar' }, { foo: 'bar' }] } } },
  { str: 'name1.name2[1].foo=bar', expect: { name1: { name2: [null, { foo: 'bar' }] } } },
  { str: ']={}].', err: true },
];

describe('--set (strvals.ParseInto)', () => {
  test.each(setCases)('$str', ({ str, expect: want, err }) => {
    if (err) {
      expect(() => parseSetValues(str)).toThrow();
      return;
    }
    expect(marshal(parseSetValues(str))).toBe(marshal(want));
  });

  test('merges into existing values, replacing scalars and adding keys', () => {
    const base = { outer: { inner1: 'overwrite', inner2: 'value2' } };
    parseSet('outer.inner1=value1,outer.inner3=value3,outer.inner4=4', base);
    expect(marshal(base)).toBe(marshal({ outer: { inner1: 'value1', inner2: 'value2', inner3: 'value3', inner4: i(4) } }));
  });

  test('two --set flags extend the same nested list item', () => {
    const base = {};
    parseSet('listOuter[0][0].type=listValue', base);
    parseSet('listOuter[0][0].status=alive', base);
    expect(marshal(base)).toBe(marshal({ listOuter: [[{ type: 'listValue', status: 'alive' }]] }));
  });

  test('two --set flags fill different nested lists', () => {
    const base = {};
    parseSet('listOuter[0][0].type=listValue', base);
    parseSet('listOuter[1][0].status=alive', base);
    expect(marshal(base)).toBe(marshal({ listOuter: [[{ type: 'listValue' }], [{ status: 'alive' }]] }));
  });

  test('deep indices keep what an existing three-level list holds', () => {
    const base = { listOuter: [[[{ exited: 'old' }]]] };
    parseSet('listOuter[0][1][0].type=listValue', base);
    parseSet('listOuter[0][0][1].status=alive', base);
    expect(marshal(base)).toBe(marshal({ listOuter: [[[{ exited: 'old' }, { status: 'alive' }], [{ type: 'listValue' }]]] }));
  });

  test('a name nested deeper than 30 levels is refused with Helm\'s message', () => {
    const key = Array.from({ length: MAX_NESTED_NAME_LEVEL + 2 }, (_, n) => `name${n + 1}`).join('.');
    expect(() => parseSetValues(`${key}=value`)).toThrow(
      'value name nested level is greater than maximum supported nested level of 30',
    );
  });

  test('an index past 65536 is refused', () => {
    expect(() => parseSetValues('list[65537]=x')).toThrow('index of 65537 is greater than maximum supported index of 65536');
  });

  test('a key without a value names the key', () => {
    expect(() => parseSetValues('name1,name2=value2')).toThrow('key "name1" has no value (cannot end with ,)');
    expect(() => parseSetValues('name1.name2')).toThrow('key "name2" has no value');
  });

  test('indexing a string value is Go\'s recovered panic', () => {
    expect(() => parseSet('a[0]=x', { a: 'string' })).toThrow(
      'unable to parse key: interface conversion: interface {} is string, not []interface {}',
    );
  });
});

describe('--set-string (strvals.ParseIntoString)', () => {
  test.each([
    { str: 'long_int_string=1234567890', expect: { long_int_string: '1234567890' } },
    { str: 'boolean=true', expect: { boolean: 'true' } },
    { str: 'is_null=null', expect: { is_null: 'null' } },
    { str: 'zero=0', expect: { zero: '0' } },
  ])('$str', ({ str, expect: want }) => {
    expect(marshal(parseSetString(str, {}))).toBe(marshal(want));
  });

  test('merges as strings into existing values', () => {
    const base = { outer: { inner1: 'overwrite', inner2: 'value2' } };
    parseSetString('outer.inner1=1,outer.inner3=3', base);
    expect(marshal(base)).toBe(marshal({ outer: { inner1: '1', inner2: 'value2', inner3: '3' } }));
  });
});

describe('--set-json (strvals.ParseJSON)', () => {
  test('JSON scalars, replacing an existing key', () => {
    const base = { outer: { inner1: 'overwrite', inner2: 'value2' } };
    parseSetJSON('outer.inner1="1",outer.inner3=3,outer.inner4=true,outer.inner5="true"', base);
    expect(marshal(base)).toBe(marshal({ outer: { inner1: '1', inner2: 'value2', inner3: 3, inner4: true, inner5: 'true' } }));
  });

  test('JSON objects and arrays replace whole values', () => {
    const base = { outer: { inner1: { x: 'overwrite' }, inner2: 'value2', inner3: ['overwrite'] } };
    parseSetJSON(
      'outer.inner1={"a":"1","b":2,"c":[1,2,3]},outer.inner3=["new value 1","new value 2"],outer.inner4={"aa":"1","bb":2,"cc":[1,2,3]},outer.inner5=[{"A":"1","B":2,"C":[1,2,3]}]',
      base,
    );
    expect(marshal(base)).toBe(
      marshal({
        outer: {
          inner1: { a: '1', b: 2, c: [1, 2, 3] },
          inner2: 'value2',
          inner3: ['new value 1', 'new value 2'],
          inner4: { aa: '1', bb: 2, cc: [1, 2, 3] },
          inner5: [{ A: '1', B: 2, C: [1, 2, 3] }],
        },
      }),
    );
  });

  test('an empty value is null; a list index inside a JSON value can be set after it', () => {
    const base = { outer: { inner1: { x: 'overwrite' }, inner2: 'value2' } };
    parseSetJSON('outer.inner1=,outer.inner3={"aa":"1","bb":2,"cc":[1,2,3]},outer.inner3.cc[1]=null', base);
    expect(marshal(base)).toBe(marshal({ outer: { inner1: null, inner2: 'value2', inner3: { aa: '1', bb: 2, cc: [1, null, 3] } } }));
  });

  test('a stray bracket after a JSON value is an error', () => {
    expect(() =>
      parseSetJSON('outer.inner5={"A":"1","B":2,"C":[1,2,3]}]', {}),
    ).toThrow('key "]" has no value');
  });
});

describe('--set-file (strvals.ParseIntoFile)', () => {
  test('the value is what the reader returns for the path', () => {
    const seen: string[] = [];
    const got = parseSetFile('name1=path1', {}, (path) => {
      seen.push(path);
      return 'value1';
    });
    expect(seen).toEqual(['path1']);
    expect(got).toEqual({ name1: 'value1' });
  });
});

describe('--set-literal (strvals.ParseLiteral)', () => {
  test.each<Case>([
    { str: 'name', err: true },
    { str: 'name=', expect: { name: '' } },
    { str: 'name=value', expect: { name: 'value' } },
    { str: 'long_int_string=1234567890', expect: { long_int_string: '1234567890' } },
    { str: 'boolean=true', expect: { boolean: 'true' } },
    { str: 'is_null=null', expect: { is_null: 'null' } },
    { str: 'zero=0', expect: { zero: '0' } },
    { str: 'name1=null,name2=value2', expect: { name1: 'null,name2=value2' } },
    { str: 'name1=value,,,tail', expect: { name1: 'value,,,tail' } },
    { str: 'leading_zeros=00009', expect: { leading_zeros: '00009' } },
    { str: 'name=one two three', expect: { name: 'one two three' } },
    { str: 'outer.inner=value', expect: { outer: { inner: 'value' } } },
    { str: 'outer.middle.inner=value', expect: { outer: { middle: { inner: 'value' } } } },
    { str: 'name1.name2', err: true },
    { str: 'name1.name2=', expect: { name1: { name2: '' } } },
    { str: 'name1.=name2', err: true },
    { str: 'name1.,name2', err: true },
    { str: 'name1={value1,value2}', expect: { name1: '{value1,value2}' } },
    { str: 'list[0]=foo', expect: { list: ['foo'] } },
    { str: 'list[0].foo=bar', expect: { list: [{ foo: 'bar' }] } },
    { str: 'list[-30].hello=world', err: true },
    { str: 'list[3]=bar', expect: { list: [null, null, null, 'bar'] } },
    { str: 'illegal[0]name.foo=bar', err: true },
  ])('$str', ({ str, expect: want, err }) => {
    if (err) {
      expect(() => parseSetLiteral(str, {})).toThrow();
      return;
    }
    expect(marshal(parseSetLiteral(str, {}))).toBe(marshal(want));
  });
});
