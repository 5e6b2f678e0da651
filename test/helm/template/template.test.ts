// The Template API as Helm drives it: options, error texts Helm parses, argument checking
// against Go signatures, re-entrant execution from functions, clones and deep recursion.
import { goFunc } from '../../../helm/template/func.js';
import { ExecError, ParseError, Template, TemplateError } from '../../../helm/template/template.js';
import { GoInt, GoStruct, int } from '../../../helm/template/value.js';

function run(text: string, data: unknown, setup: (t: Template) => void = () => undefined): string {
  const t = Template.new('t');
  setup(t);
  return t.parse(text).execute(data);
}

function errorOf(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
}

describe('execution', () => {
  test('trim markers, variables, range over sorted keys, else with', () => {
    const out = run('{{- $x := 1 -}}\n  {{ range $k, $v := . }}{{ $k }}={{ $v }};{{ end }} {{ with 0 }}no{{ else with $x }}{{ . }}{{ end }}', { b: 2, a: 1 });
    expect(out).toBe('a=1;b=2; 1');
  });

  test('break and continue; range over an int counts from 0', () => {
    expect(run('{{ range 5 }}{{ if eq . 1 }}{{ continue }}{{ end }}{{ if eq . 3 }}{{ break }}{{ end }}{{ . }}{{ end }}', null)).toBe('02');
  });

  test('values read from YAML are float64: big ones print in Go exponent form', () => {
    expect(run('{{ .n }} {{ .m }}', { n: 1000000, m: 1500 })).toBe('1e+06 1500');
  });

  test('a missing key prints <no value>; missingkey=zero gives nil, so a field of it is a nil pointer', () => {
    expect(run('{{ .a }}', {})).toBe('<no value>');
    const err = errorOf(() => run('x\n  {{ .Values.a.b }}', { Values: {} }, (t) => t.option('missingkey=zero')));
    expect(err).toBeInstanceOf(ExecError);
    // Go places a field chain at its second field (the parser's chain node position).
    expect(err.message).toBe('template: t:2:12: executing "t" at <.Values.a.b>: nil pointer evaluating interface {}.b');
  });

  test('a field of a scalar names the static type: interface {} for map and slice elements', () => {
    expect(errorOf(() => run('{{ range .l }}{{ .foo }}{{ end }}', { l: ['a'] })).message)
      .toBe('template: t:1:17: executing "t" at <.foo>: can\'t evaluate field foo in type interface {}');
    expect(errorOf(() => run('{{ .a.foo }}', { a: 'x' })).message)
      .toBe('template: t:1:5: executing "t" at <.a.foo>: can\'t evaluate field foo in type interface {}');
    expect(errorOf(() => run('{{ with .a }}{{ .foo }}{{ end }}', { a: 'x' })).message)
      .toBe('template: t:1:16: executing "t" at <.foo>: can\'t evaluate field foo in type string');
  });

  test('missingkey=error names the key', () => {
    const err = errorOf(() => run('{{ .a }}', {}, (t) => t.option('missingkey=error')));
    expect(err.message).toBe('template: t:1:3: executing "t" at <.a>: map has no entry for key "a"');
  });

  test('and/or short-circuit and return an operand', () => {
    expect(run('{{ or .a "dflt" }} {{ and 1 0 }} {{ if and false (fail) }}x{{ end }}', {}, (t) => t.funcs({ fail: () => { throw new Error('evaluated'); } })))
      .toBe('dflt 0 ');
  });

  test('comparison of int and float64 is an error, int and uint compare by value', () => {
    const err = errorOf(() => run('{{ eq .n 1 }}', { n: 1 }));
    expect(err.message).toBe('template: t:1:3: executing "t" at <eq .n 1>: error calling eq: incompatible types for comparison: float64 and int');
    expect(run('{{ eq .u 3 }}', { u: new GoInt(3n, 'uint') })).toBe('true');
  });

  test('html, js and urlquery escape as Go does', () => {
    expect(run('{{ html "<a href=\'x\'>&</a>" }}|{{ js "it\'s <b>" }}|{{ urlquery "a b&c/é" }}', null))
      .toBe('&lt;a href=&#39;x&#39;&gt;&amp;&lt;/a&gt;|it\\\'s \\u003Cb\\u003E|a+b%26c%2F%C3%A9');
  });

  test('index, slice and len count in Go terms', () => {
    expect(run('{{ index .l 1 }} {{ slice .l 1 }} {{ len .s }} {{ index .m "k" }}', { l: ['a', 'b', 'c'], s: 'héllo', m: { k: 'v' } }))
      .toBe('b [b c] 6 v');
    expect(errorOf(() => run('{{ index .l 5 }}', { l: [] })).message).toContain('error calling index: index out of range: 5');
  });
});

describe('function arguments are checked against the Go signature', () => {
  const upper = goFunc({ params: ['string'] }, (s: string) => s.toUpperCase());
  const repeat = goFunc({ params: ['int', 'string'] }, (n: GoInt, s: string) => s.repeat(n.toNumber()));

  test('untyped literals take the parameter type', () => {
    expect(run('{{ repeat 3 "ab" }}', null, (t) => t.funcs({ repeat }))).toBe('ababab');
  });

  test('a literal of another kind is refused before the call', () => {
    expect(errorOf(() => run('{{ upper 3 }}', null, (t) => t.funcs({ upper }))).message)
      .toBe('template: t:1:9: executing "t" at <3>: expected string; found 3');
  });

  test('a value of another type is refused with both type names', () => {
    expect(errorOf(() => run('{{ repeat .n "x" }}', { n: 2 }, (t) => t.funcs({ repeat }))).message)
      .toBe('template: t:1:10: executing "t" at <.n>: wrong type for value; expected int; got float64');
    expect(errorOf(() => run('{{ .missing | upper }}', {}, (t) => t.funcs({ upper }))).message)
      .toBe('template: t:1:14: executing "t" at <upper>: invalid value; expected string');
  });

  test('arity errors and errors thrown by the function', () => {
    expect(errorOf(() => run('{{ upper "a" "b" }}', null, (t) => t.funcs({ upper }))).message)
      .toBe('template: t:1:3: executing "t" at <upper>: wrong number of args for upper: want 1 got 2');
    const boom = goFunc({ params: [], results: 2 }, () => { throw new Error('boom'); });
    expect(errorOf(() => run('{{ boom }}', null, (t) => t.funcs({ boom }))).message)
      .toBe('template: t:1:3: executing "t" at <boom>: error calling boom: boom');
  });
});

test('call invokes a function value with checked arguments', () => {
  const add = goFunc({ params: ['int', 'int'] }, (a: GoInt, b: GoInt) => int(a.value + b.value));
  expect(run('{{ call .f 1 2 }}', { f: add })).toBe('3');
  expect(errorOf(() => run('{{ call .f 1 }}', { f: add })).message)
    .toBe('template: t:1:3: executing "t" at <call .f 1>: error calling call: wrong number of args for .f: got 1 want 2');
  expect(errorOf(() => run('{{ call .f "a" 1 }}', { f: add })).message)
    .toBe('template: t:1:3: executing "t" at <call .f "a" 1>: error calling call: arg 0: value has type string; should be int');
  expect(errorOf(() => run('{{ call .g }}', { g: 1 })).message)
    .toBe('template: t:1:3: executing "t" at <call .g>: error calling call: non-function .g of type float64');
});

describe('structs: fields and methods (Helm\'s .Release, .Capabilities, .Files)', () => {
  class Version extends GoStruct {
    static override goMethods: readonly string[] = ['String', 'Has', 'Twice'];
    readonly goTypeName = '*chartutil.KubeVersion';
    Major = '1';
    minor = '31';
    String(): string { return `v${this.Major}.${this.minor}`; }
    Has(x: string): boolean { return x === 'apps/v1'; }
    Twice(s: string): string { return s + s; }
  }
  // A method declares its Go signature like a function does.
  goFunc({ params: ['string'] }, Version.prototype.Twice);
  const data = (): Record<string, unknown> => ({ V: new Version() });

  test('fields, methods with arguments or a piped final argument, and fmt through String()', () => {
    expect(run('{{ .V.Major }} {{ .V.Has "apps/v1" }} {{ "x" | .V.Twice }} {{ .V }} {{ printf "%s|%v" .V .V }}', data()))
      .toBe('1 true xx v1.31 v1.31|v1.31');
  });

  test('unexported and unknown fields, and method arity', () => {
    expect(errorOf(() => run('{{ .V.minor }}', data())).message)
      .toBe('template: t:1:5: executing "t" at <.V.minor>: minor is an unexported field of struct type interface {}');
    expect(errorOf(() => run('{{ with .V }}{{ .Nope }}{{ end }}', data())).message)
      .toBe('template: t:1:16: executing "t" at <.Nope>: can\'t evaluate field Nope in type *chartutil.KubeVersion');
    expect(errorOf(() => run('{{ .V.Twice }}', data())).message)
      .toBe('template: t:1:5: executing "t" at <.V.Twice>: wrong number of args for Twice: want 1 got 0');
    expect(errorOf(() => run('{{ .V.Major 1 }}', data())).message)
      .toBe('template: t:1:5: executing "t" at <.V.Major>: Major has arguments but cannot be invoked as function');
  });
});

describe('template sets', () => {
  test('a function may execute another template of the set while the set executes', () => {
    const t = Template.new('root');
    t.funcs({ include: goFunc({ params: ['string', 'interface{}'] }, (name: string, data: unknown) => t.executeTemplate(name, data)) });
    t.parse('{{ define "inner" }}[{{ . }}]{{ end }}{{ include "inner" 1 | printf "%s!" }}');
    expect(t.execute(null)).toBe('[1]!');
  });

  test('a clone takes new definitions without changing the original', () => {
    const t = Template.new('root').parse('{{ define "x" }}old{{ end }}{{ template "x" }}');
    const c = t.clone();
    c.new('extra').parse('{{ define "x" }}new{{ end }}');
    expect(c.execute(null)).toBe('new');
    expect(t.execute(null)).toBe('old');
  });

  test('executeTemplate of an unknown name and definedTemplates', () => {
    const t = Template.new('root').parse('{{ define "a" }}{{ end }}');
    const err = errorOf(() => t.executeTemplate('nope', null));
    expect(err).toBeInstanceOf(TemplateError);
    expect(err.message).toBe('template: no template "nope" associated with template "root"');
    expect(t.lookup('a')?.name()).toBe('a');
    expect(t.templates().map((x) => x.name()).sort()).toEqual(['a', 'root']);
  });

  test('errors in a defined template name the file it was parsed from', () => {
    const t = Template.new('root');
    t.new('chart/templates/_helpers.tpl').parse('{{ define "h" }}\n{{ .a.b }}{{ end }}');
    t.new('chart/templates/x.yaml').parse('{{ template "h" .Values }}');
    t.option('missingkey=zero');
    expect(errorOf(() => t.executeTemplate('chart/templates/x.yaml', { Values: {} })).message)
      .toBe('template: chart/templates/_helpers.tpl:2:5: executing "h" at <.a.b>: nil pointer evaluating interface {}.b');
  });

  test('unbounded recursion fails with Go\'s depth error instead of overflowing', () => {
    const t = Template.new('root').parse('{{ define "r" }}{{ template "r" . }}{{ end }}{{ template "r" . }}');
    const err = errorOf(() => t.execute(null));
    expect(err).toBeInstanceOf(ExecError);
    expect(err.message).toMatch(/exceeded maximum template depth \(100000\)$/);
  });

  test('parse errors carry the template name and line', () => {
    const err = errorOf(() => Template.new('chart/x.yaml').parse('a\n{{ if }}'));
    expect(err).toBeInstanceOf(ParseError);
    expect(err.message).toBe('template: chart/x.yaml:2: missing value for if');
    expect(errorOf(() => Template.new('t').parse('{{ nofunc }}')).message).toBe('template: t:1: function "nofunc" not defined');
  });

  test('custom delimiters leave the default ones as text', () => {
    expect(run('[[- .a -]] {{ .a }}', { a: 1 }, (t) => t.delims('[[', ']]'))).toBe('1{{ .a }}');
  });

  test('options', () => {
    expect(() => Template.new('t').option('missingkey=bogus')).toThrow('unrecognized option: missingkey=bogus');
    expect(run('{{ . }}', int(7), (t) => t.option('missingkey=default'))).toBe('7');
  });
});
