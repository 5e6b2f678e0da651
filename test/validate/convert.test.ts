// The schema conversion in scripts/gen-schemas.mjs, on constructs the shipped CRDs do not all
// use (x-kubernetes-embedded-resource), checked by compiling the result with ajv as the
// generator does.
import Ajv from 'ajv';
import { convert, convertCrdRoot } from '../../scripts/gen-schemas.mjs';

const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

function compile(schema: unknown) {
  const ajv = new Ajv.default({ strict: false, allErrors: true });
  const v = ajv.compile({
    definitions: { [OBJECT_META]: { type: 'object', properties: { name: { type: 'string' }, labels: { type: 'object', additionalProperties: { type: 'string' } } }, additionalProperties: false } },
    ...schema as object,
  });
  return (data: unknown) => (v(data) ? [] : v.errors!.map((e) => `${e.instancePath} ${e.keyword} ${JSON.stringify(e.params)}`));
}

const crd = (spec: unknown) => convertCrdRoot({ type: 'object', properties: { spec } }, 'test');

describe('schema conversion', () => {
  test('an embedded resource accepts apiVersion, kind and ObjectMeta metadata and requires apiVersion and kind', () => {
    const v = compile(crd({ type: 'object', properties: { template: { type: 'object', 'x-kubernetes-embedded-resource': true, 'x-kubernetes-preserve-unknown-fields': true } } }));
    const obj = (template: unknown) => ({ apiVersion: 'x/v1', kind: 'X', metadata: { name: 'a' }, spec: { template } });
    expect(v(obj({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', labels: { a: 'b' } }, data: { k: 'v' } }))).toEqual([]);
    expect(v(obj({ apiVersion: 'v1', metadata: { name: 'c' } }))).toEqual(['/spec/template required {"missingProperty":"kind"}']);
    expect(v(obj({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { nmae: 'c' } }))).toEqual(['/spec/template/metadata additionalProperties {"additionalProperty":"nmae"}']);
  });

  test('a CRD object schema without properties keeps no fields, as the API server prunes them', () => {
    const v = compile(crd({ type: 'object' }));
    expect(v({ spec: {} })).toEqual([]);
    expect(v({ spec: { a: 1 } })).toEqual(['/spec additionalProperties {"additionalProperty":"a"}']);
  });

  test('a core object schema without properties is free-form (RawExtension, FieldsV1)', () => {
    expect(convert({ type: 'object' }, { crd: false, junctor: false }, 'x')).toEqual({ type: 'object' });
  });

  test('x-kubernetes-preserve-unknown-fields keeps listed properties checked and others open', () => {
    const v = compile(crd({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { n: { type: 'integer' } } }));
    expect(v({ spec: { n: 1, other: { deep: true } } })).toEqual([]);
    expect(v({ spec: { n: 'one' } })).toEqual(['/spec/n type {"type":"integer"}']);
  });

  test('subschemas of anyOf/oneOf/not are not closed: they only constrain declared properties', () => {
    const v = compile(crd({ type: 'object', properties: { a: { type: 'string' }, b: { type: 'string' } }, oneOf: [{ required: ['a'] }, { properties: { b: { enum: ['x'] } } }] }));
    expect(v({ spec: { a: 'y', b: 'z' } })).toEqual([]);
  });

  test('x-kubernetes-int-or-string becomes one type list', () => {
    const s = convert({ 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] }, { crd: true, junctor: false }, 'x');
    expect(s).toEqual({ type: ['integer', 'string'] });
  });

  test('nullable adds null to the type and to an enum', () => {
    expect(convert({ type: 'string', enum: ['a'], nullable: true }, { crd: true, junctor: false }, 'x')).toEqual({ type: ['string', 'null'], enum: ['a', null] });
  });

  test('a Go (?i) pattern becomes case-insensitive character classes', () => {
    const s = convert({ type: 'string', pattern: '^(?i)(abort|warn)?$' }, { crd: true, junctor: false }, 'x');
    expect(s.pattern).toBe('^([aA][bB][oO][rR][tT]|[wW][aA][rR][nN])?$');
  });

  test('an unknown schema keyword or format stops the generator instead of being ignored', () => {
    expect(() => convert({ type: 'string', 'x-new-thing': 1 }, { crd: true, junctor: false }, 'k.spec')).toThrow('k.spec: unsupported schema keyword "x-new-thing"');
    expect(() => convert({ type: 'string', format: 'uuid' }, { crd: true, junctor: false }, 'k.spec')).toThrow('k.spec: format "uuid" is neither checked nor ignored in validate/formats.js');
  });

  test('CRD metadata becomes ObjectMeta whatever the CRD declares', () => {
    const root = convertCrdRoot({ type: 'object', properties: { metadata: { type: 'object' } } }, 'test');
    expect(root.properties.metadata).toEqual({ $ref: `#/definitions/${OBJECT_META}` });
    expect(root.additionalProperties).toBe(false);
  });
});
