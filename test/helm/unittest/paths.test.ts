import { buildSetValue, getValuesOfPath } from '../../../helm/unittest/paths.js';
import { decode } from '../../../helm/unittest/yamlv3.js';

const doc = decode(`
metadata:
  name: web
  labels:
    app.kubernetes.io/name: web
    traefik/powpow: x
spec:
  containers:
    - name: a
      image: img:1
      ports: [{containerPort: 80, name: http}, {containerPort: 9000, name: metrics}]
    - name: b
      image: img:2
  empty:
`);

describe('helm-unittest value paths (yaml-jsonpath)', () => {
  test('dotted keys, indices, negative indices and bracketed keys with dots', () => {
    expect(getValuesOfPath(doc, 'spec.containers[0].image')).toEqual(['img:1']);
    expect(getValuesOfPath(doc, 'spec.containers[-1].name')).toEqual(['b']);
    expect(getValuesOfPath(doc, 'metadata.labels["app.kubernetes.io/name"]')).toEqual(['web']);
    expect(getValuesOfPath(doc, "metadata.labels['app.kubernetes.io/name']")).toEqual(['web']);
    expect(getValuesOfPath(doc, 'metadata.labels.traefik/powpow')).toEqual(['x']);
    expect(getValuesOfPath(doc, '$.metadata.name')).toEqual(['web']);
  });

  test('wildcards and filters find every match; a missing key or index finds nothing', () => {
    expect(getValuesOfPath(doc, 'spec.containers[*].name')).toEqual(['a', 'b']);
    expect(getValuesOfPath(doc, 'spec.containers[?(@.name == "b")].image')).toEqual(['img:2']);
    expect(getValuesOfPath(doc, 'spec.containers[0].ports[?(@.containerPort > 100)].name')).toEqual(['metrics']);
    expect(getValuesOfPath(doc, '$..image')).toEqual(['img:1', 'img:2']);
    expect(getValuesOfPath(doc, 'spec.containers[5]')).toEqual([]);
    expect(getValuesOfPath(doc, 'metadata.annotations.x')).toEqual([]);
  });

  test('a key with a null value is found (it exists)', () => {
    expect(getValuesOfPath(doc, 'spec.empty')).toEqual([null]);
  });

  test('set paths build nested values, lists padded with null, [a.b] keys keep their dots', () => {
    expect(buildSetValue('a.b[1].c', 1)).toEqual({ a: { b: [null, { c: 1 }] } });
    expect(buildSetValue('podAnnotations.[prometheus.io/scrape]', 'true')).toEqual({ podAnnotations: { 'prometheus.io/scrape': 'true' } });
    expect(() => buildSetValue('a=b', 1)).toThrow('invalid token found =');
  });
});

describe('path syntax errors read as yaml-jsonpath words them', () => {
  test.each([
    ['a[null]', 'invalid array index [null] before position 7: non-integer array index'],
    ['a.b[0[]]', 'invalid array index [0[] before position 7: non-integer array index'],
    ['a.[c[0]]', 'child name missing at position 2, following "a."'],
  ])('%s', (path, message) => {
    expect(() => getValuesOfPath({ a: { b: ['_'], 'c.d': 'no' } }, path)).toThrow(message);
  });
});
