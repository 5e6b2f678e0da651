import { parseSuiteFile } from '../../../helm/unittest/suite.js';

const parse = (text: string) => parseSuiteFile('/charts/demo/tests/x_test.yaml', text);

describe('helm-unittest suite files', () => {
  test('several suites in one file, each with its settings; asserts keep their modifiers', () => {
    const suites = parse(`suite: a
templates: [deployment.yaml]
release: {name: web, upgrade: true}
capabilities: {majorVersion: "1", minorVersion: "29", apiVersions: [monitoring.coreos.com/v1]}
tests:
  - it: one
    documentIndex: 1
    asserts:
      - equal: {path: metadata.name, value: web}
        not: true
        template: service.yaml
---
suite: b
tests:
  - it: two
    documentSelector: {path: kind, value: Service, matchMany: true}
    asserts:
      - notExists: {path: spec.x}
`);
    expect(suites.map((s) => [s.name, s.part, s.tests.length])).toEqual([['a', 0, 1], ['b', 1, 1]]);
    const [a, b] = suites;
    expect(a.release).toEqual({ name: 'web', namespace: '', revision: 0, upgrade: true });
    expect(a.capabilities).toEqual({ majorVersion: '1', minorVersion: '29', apiVersions: ['monitoring.coreos.com/v1'] });
    const assert = a.tests[0].asserts[0];
    expect([assert.type, assert.not, assert.antonym, assert.template, assert.documentIndex]).toEqual(['equal', true, false, 'service.yaml', -1]);
    expect(a.tests[0].documentIndex).toBe(1);
    expect(b.tests[0].documentSelector).toEqual({ path: 'kind', value: 'Service', matchMany: true, skipEmptyTemplates: false });
    expect(b.tests[0].asserts[0].antonym).toBe(true);
  });

  test('the plugin\'s refusals, with its wording', () => {
    expect(() => parse('suite: x\ntests: []\n')).toThrow('no tests found');
    expect(() => parse('suite: x\ntests:\n  - it: t\n')).toThrow('no asserts found');
    expect(() => parse('suite: x\ntests:\n  - it: t\n    asserts:\n      - equals: {path: a}\n')).toThrow('Assertion type `equals` is invalid');
    expect(() => parse('suite: x\ntests:\n  - it: t\n    asserts:\n      - equal: {path: a}\n        exists: {path: a}\n')).toThrow(/declared duplicately/);
    expect(() => parse('suite: x\ntests:\n  - it: t\n    documentSelector: {value: 1}\n    asserts:\n      - exists: {path: a}\n')).toThrow("empty 'documentSelector.path' not supported");
  });

  test('a double-quoted regexp with \\d is read as the plugin reads it (backslashes doubled, then decoded)', () => {
    const [s] = parse('suite: x\ntests:\n  - it: t\n    asserts:\n      - matchRegex: {path: a, pattern: "^\\d+$"}\n');
    const v = s.tests[0].asserts[0].validator;
    const docs = [{ a: '123' }];
    expect(v.validate({ docs, selected: docs, negative: false, failFast: false })).toEqual([true, []]);
  });
});
