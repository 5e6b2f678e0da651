// values.schema.json validation: Helm v3.19.5's jsonschema_test.go cases, and the schema cases of
// Helm's install command tests, whose goldens hold the error text byte for byte.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Chart, Metadata } from '../../../helm/chart/chart.js';
import { loadChart } from '../../../helm/chart/load.js';
import { processDependencies } from '../../../helm/chartutil/dependencies.js';
import { schemaProblems, validateAgainstSchema, validateAgainstSingleSchema } from '../../../helm/chartutil/schema.js';
import { parseSet } from '../../../helm/chartutil/strvals.js';
import { readValues, toRenderValues } from '../../../helm/chartutil/values.js';
import { describeWithReferenceData, referencePath } from '../../helpers/reference-data.js';

const subchartSchema = JSON.stringify({
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'Values',
  type: 'object',
  properties: { age: { description: 'Age', minimum: 0, type: 'integer' } },
  required: ['age'],
});

const subchartSchema2020 = JSON.stringify({
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'Values',
  type: 'object',
  properties: { data: { type: 'array', contains: { type: 'string' }, unevaluatedItems: { type: 'number' } } },
  required: ['data'],
});

function withSubchart(schema: string): Chart {
  const named = (name: string) => Object.assign(new Metadata(), { Name: name });
  const sub = new Chart(named('subchart'));
  sub.schema = new TextEncoder().encode(schema);
  const parent = new Chart(named('chrt'));
  parent.addDependency(sub);
  return parent;
}

describe('ValidateAgainstSchema (Helm\'s jsonschema tests)', () => {
  test('a subchart\'s values that satisfy its schema pass', () => {
    expect(schemaProblems(withSubchart(subchartSchema), { name: 'John', subchart: { age: 25 } })).toBe('');
  });

  test('a subchart\'s missing property is reported under its name', () => {
    expect(() => validateAgainstSchema(withSubchart(subchartSchema), { name: 'John', subchart: {} })).toThrow(
      new Error("subchart:\n- at '': missing property 'age'\n"),
    );
  });

  test('draft 2020-12: contains with a matching item passes', () => {
    expect(schemaProblems(withSubchart(subchartSchema2020), { name: 'John', subchart: { data: ['hello', 12] } })).toBe('');
  });

  test('draft 2020-12: a failed contains lists each item\'s error below it', () => {
    expect(schemaProblems(withSubchart(subchartSchema2020), { name: 'John', subchart: { data: [12] } })).toBe(
      "subchart:\n- at '/data': no items match contains schema\n  - at '/data/0': got number, want string\n",
    );
  });

  test('a subchart without values is not validated', () => {
    expect(schemaProblems(withSubchart(subchartSchema), { name: 'John' })).toBe('');
    expect(schemaProblems(withSubchart(subchartSchema), { name: 'John', subchart: null })).toBe('');
  });

  test('subchart values that are not a map are reported with their Go type', () => {
    expect(schemaProblems(withSubchart(subchartSchema), { name: 'John', subchart: 'oops' })).toBe(
      'subchart:\ninvalid type for values: expected object (map), got string\n',
    );
  });

  test('a schema document that is not an object fails the metaschema', () => {
    expect(validateAgainstSingleSchema({}, '   1E1111111           ')).toBe(
      `"file:///values.schema.json#" is not valid against metaschema: jsonschema validation failed with 'https://json-schema.org/draft/2020-12/schema#'\n- at '': got number, want boolean or object`,
    );
  });

  test('an unresolvable $ref is permissive', () => {
    const schema = '{"$schema": "https://json-schema.org/draft-07/schema#", "$ref": "urn:example:helm:schemas:v1:x"}';
    expect(validateAgainstSingleSchema({ any: 'value' }, schema)).toBe('');
  });
});

describe('validator messages', () => {
  const check = (schema: object, values: Record<string, unknown>) => validateAgainstSingleSchema(values, JSON.stringify(schema));

  test.each<[string, object, Record<string, unknown>, string]>([
    ['type', { properties: { a: { type: 'string' } } }, { a: 1 }, "- at '/a': got number, want string\n"],
    ['integer', { properties: { a: { type: 'integer' } } }, { a: 1.5 }, "- at '/a': got number, want integer\n"],
    ['several types', { properties: { a: { type: ['string', 'null'] } } }, { a: true }, "- at '/a': got boolean, want null or string\n"],
    ['enum', { properties: { a: { enum: ['x', 'y'] } } }, { a: 'z' }, "- at '/a': value must be one of 'x', 'y'\n"],
    ['const', { properties: { a: { const: 3 } } }, { a: 4 }, "- at '/a': value must be 3\n"],
    ['pattern', { properties: { a: { pattern: '^v[0-9]+$' } } }, { a: 'x1' }, "- at '/a': 'x1' does not match pattern '^v[0-9]+$'\n"],
    ['maxLength', { properties: { a: { maxLength: 2 } } }, { a: 'abc' }, "- at '/a': maxLength: got 3, want 2\n"],
    ['maximum', { properties: { a: { maximum: 10 } } }, { a: 10.5 }, "- at '/a': maximum: got 10.5, want 10\n"],
    ['additionalProperties', { additionalProperties: false, properties: { a: {} } }, { a: 1, c: 2, b: 3 }, "- at '': additional properties 'b', 'c' not allowed\n"],
    ['missing properties', { required: ['a', 'b'] }, {}, "- at '': missing properties 'a', 'b'\n"],
    ['minItems', { properties: { a: { minItems: 2 } } }, { a: [1] }, "- at '/a': minItems: got 1, want 2\n"],
    ['a key with a slash', { properties: { 'a/b': { type: 'string' } } }, { 'a/b': 1 }, "- at '/a~1b': got number, want string\n"],
    [
      'anyOf',
      { properties: { a: { anyOf: [{ type: 'string' }, { type: 'boolean' }] } } },
      { a: 1 },
      "- at '/a': anyOf failed\n  - at '/a': got number, want string\n  - at '/a': got number, want boolean\n",
    ],
    [
      'oneOf with two matches',
      { properties: { a: { oneOf: [{ type: 'number' }, { minimum: 0 }] } } },
      { a: 1 },
      "- at '/a': oneOf failed, subschemas 0, 1 matched\n",
    ],
    [
      'a $ref with one error shows only the error',
      { definitions: { port: { type: 'integer', maximum: 65535 } }, properties: { p: { $ref: '#/definitions/port' } }, $schema: 'http://json-schema.org/draft-07/schema#' },
      { p: 70000 },
      "- at '/p': maximum: got 70000, want 65535\n",
    ],
    [
      'several errors in the only failing object are listed flat',
      { properties: { a: { type: 'object', properties: { x: { type: 'string' }, y: { type: 'string' } } } } },
      { a: { x: 1, y: 2 } },
      "- at '/a/x': got number, want string\n- at '/a/y': got number, want string\n",
    ],
    [
      'several errors in one of several failing objects are grouped under it',
      { properties: { a: { properties: { x: { type: 'string' }, y: { type: 'string' } } }, b: { type: 'string' } } },
      { a: { x: 1, y: 2 }, b: 3 },
      "- at '/a': validation failed\n  - at '/a/x': got number, want string\n  - at '/a/y': got number, want string\n- at '/b': got number, want string\n",
    ],
    ['format in draft-07', { $schema: 'http://json-schema.org/draft-07/schema#', properties: { a: { format: 'ipv4' } } }, { a: '1.2.3' }, "- at '/a': '1.2.3' is not valid ipv4: invalid ipv4\n"],
    [
      'propertyNames (v6 reports it at the root)',
      { properties: { a: { propertyNames: { pattern: '^x' } } } },
      { a: { y: 1 } },
      "- at '': invalid propertyName 'y'\n  - at '': 'y' does not match pattern '^x'\n",
    ],
    ['format is not asserted in 2020-12', { properties: { a: { format: 'ipv4' } } }, { a: '1.2.3' }, ''],
  ])('%s', (_name, schema, values, want) => {
    expect(check(schema, values)).toBe(want);
  });
});

describeWithReferenceData('schema cases of Helm\'s install command tests', 'helm/conformance/helm-template/testdata', () => {
  const testdata = referencePath('helm/conformance/helm-template/testdata');
  const golden = (name: string) => readFileSync(join(testdata, 'output', name), 'utf8');

  /** What `helm install` prints: the render values (which validate), or `Error: INSTALLATION FAILED: ...`. */
  function install(chartDir: string, sets: string[] = [], valuesFiles: string[] = []): string {
    const values: Record<string, unknown> = {};
    for (const file of valuesFiles) Object.assign(values, readValues(readFileSync(join(testdata, file), 'utf8')));
    for (const s of sets) parseSet(s, values);
    const chart = processDependencies(loadChart(join(testdata, chartDir)), values);
    try {
      toRenderValues(chart, values, { name: 'schema', namespace: 'default', isInstall: true });
      return 'ok';
    } catch (e) {
      return `Error: INSTALLATION FAILED: ${(e as Error).message}\n`;
    }
  }

  test('install with schema file, with errors', () => {
    expect(install('testcharts/chart-with-schema-negative')).toBe(golden('schema-negative.txt'));
  });

  test('install with schema file, extra values from yaml, with errors', () => {
    expect(install('testcharts/chart-with-schema', [], ['testcharts/chart-with-schema/extra-values.yaml'])).toBe(golden('schema-negative.txt'));
  });

  test('install with schema file, extra values from cli, with errors', () => {
    expect(install('testcharts/chart-with-schema', ['age=-5'])).toBe(golden('schema-negative-cli.txt'));
  });

  test('install with schema file and schematized subchart, with errors', () => {
    expect(install('testcharts/chart-with-schema-and-subchart')).toBe(golden('subchart-schema-negative.txt'));
  });

  test('install with schema file and schematized subchart, extra values from cli, with errors', () => {
    expect(install('testcharts/chart-with-schema-and-subchart', ['lastname=doe', 'subchart-with-schema.age=-25'])).toBe(
      golden('subchart-schema-cli-negative.txt'),
    );
  });

  test('install with schema file and schematized subchart, extra values from cli', () => {
    expect(install('testcharts/chart-with-schema-and-subchart', ['lastname=doe', 'subchart-with-schema.age=25'])).toBe('ok');
  });

  test('install with schema file', () => {
    expect(install('testcharts/chart-with-schema')).toBe('ok');
  });
});
