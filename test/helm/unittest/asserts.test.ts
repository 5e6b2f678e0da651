import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ASSERT_TYPES, makeValidator, type ValidateContext } from '../../../helm/unittest/asserts.js';
import { SnapshotCache } from '../../../helm/unittest/snapshot.js';
import { decode, type YamlValue } from '../../../helm/unittest/yamlv3.js';

const deployment = decode(`
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
  annotations:
spec:
  replicas: 2
  template:
    spec:
      containers:
        - name: web
          image: nginx:1.27
          args: [--a, --b, --a]
          env:
            - {name: A, value: "1"}
            - {name: B, value: "2"}
data:
  secret: aGVsbG8=
`);

/** Runs an assert type as the runner does (antonyms and `not` negate). */
function check(type: string, params: string, docs: YamlValue[] = [deployment], extra: Partial<ValidateContext> = {}, not = false): [boolean, string[]] {
  const v = makeValidator(type, decode(params));
  return v.validate({ docs, selected: docs, negative: not !== ASSERT_TYPES[type].antonym, failFast: false, ...extra });
}

const pass = (type: string, params: string, docs?: YamlValue[], extra?: Partial<ValidateContext>) => check(type, params, docs, extra)[0];

describe('helm-unittest assert types', () => {
  test('equal compares Go-typed values: an int is not a float, decodeBase64 decodes first', () => {
    expect(pass('equal', 'path: spec.replicas\nvalue: 2')).toBe(true);
    expect(pass('equal', 'path: spec.replicas\nvalue: 2.0')).toBe(false);
    expect(pass('notEqual', 'path: spec.replicas\nvalue: 3')).toBe(true);
    expect(pass('equal', 'path: data.secret\nvalue: hello\ndecodeBase64: true')).toBe(true);
    expect(check('equal', 'path: spec.nope\nvalue: 1')[1]).toEqual(['DocumentIndex:\t0', 'Error:', '\tunknown path spec.nope']);
  });

  test('contains: exact element, any (subset of an element) and count', () => {
    expect(pass('contains', 'path: spec.template.spec.containers[0].env\ncontent: {name: A, value: "1"}')).toBe(true);
    expect(pass('contains', 'path: spec.template.spec.containers[0].env\ncontent: {name: A}')).toBe(false);
    expect(pass('contains', 'path: spec.template.spec.containers[0].env\ncontent: {name: A}\nany: true')).toBe(true);
    expect(pass('contains', 'path: spec.template.spec.containers[0].args\ncontent: --a\ncount: 2')).toBe(true);
    expect(pass('contains', 'path: spec.template.spec.containers[0].args\ncontent: --a\ncount: 1')).toBe(false);
    expect(pass('notContains', 'path: spec.template.spec.containers[0].args\ncontent: --c')).toBe(true);
  });

  test('exists and isNull look at presence: a key holding null exists, so isNull fails on it', () => {
    expect(pass('exists', 'path: metadata.annotations')).toBe(true);
    expect(pass('isNull', 'path: metadata.annotations')).toBe(false);
    expect(pass('isNull', 'path: metadata.nothing')).toBe(true);
    expect(pass('notExists', 'path: metadata.nothing')).toBe(true);
    expect(pass('isNotNull', 'path: metadata.name')).toBe(true);
  });

  test('emptiness, types, subsets, lengths, kinds and regexps', () => {
    expect(pass('isNullOrEmpty', 'path: metadata.annotations')).toBe(true);
    expect(pass('isNotEmpty', 'path: metadata.labels')).toBe(true);
    expect(pass('isType', 'path: spec.replicas\ntype: int')).toBe(true);
    expect(pass('isType', 'path: metadata.labels\ntype: map[string]interface {}')).toBe(true);
    expect(pass('isSubset', 'path: metadata\ncontent: {name: web}')).toBe(true);
    expect(pass('lengthEqual', 'path: spec.template.spec.containers[0].env\ncount: 2')).toBe(true);
    expect(pass('lengthEqual', 'paths:\n  - spec.template.spec.containers[0].env\n  - spec.template.spec.containers')).toBe(false);
    expect(pass('isKind', 'of: Deployment')).toBe(true);
    expect(pass('isAPIVersion', 'of: apps/v1')).toBe(true);
    expect(pass('matchRegex', 'path: spec.template.spec.containers[0].image\npattern: ^nginx:\\d+')).toBe(true);
    expect(pass('notMatchRegex', 'path: metadata.name\npattern: ^api')).toBe(true);
    expect(pass('containsDocument', 'kind: Deployment\napiVersion: apps/v1\nname: web')).toBe(true);
    expect(pass('containsDocument', 'kind: Deployment\napiVersion: apps/v1\nname: api')).toBe(false);
  });

  test('hasDocuments counts the template\'s documents unless filterAware', () => {
    const docs = [deployment, deployment];
    expect(check('hasDocuments', 'count: 2', docs)[0]).toBe(true);
    const v = makeValidator('hasDocuments', decode('count: 1\nfilterAware: true'));
    expect(v.validate({ docs, selected: [deployment], negative: false, failFast: false })[0]).toBe(true);
  });

  test('raw asserts read the text of a text template or a failed render', () => {
    const notes = [{ raw: 'Thanks   \nfor installing\n' }];
    expect(pass('equalRaw', 'value: "Thanks\\nfor installing\\n"', notes)).toBe(true);
    expect(pass('matchRegexRaw', 'pattern: installing', notes)).toBe(true);
    expect(pass('notMatchRegexRaw', 'pattern: uninstall', notes)).toBe(true);
    const failed = [{ raw: 'ports (80) must differ (x)' }];
    expect(pass('failedTemplate', 'errorMessage: ports (80) must differ (x)', failed)).toBe(true);
    // A pattern that fails as a regexp is retried as literal text.
    expect(pass('failedTemplate', 'errorPattern: ports (80) must', failed)).toBe(true);
    expect(pass('failedTemplate', 'errorMessage: other', failed)).toBe(false);
    expect(pass('failedTemplate', 'errorMessage: x', [], { renderError: new Error('x') })).toBe(true);
  });

  test('matchSnapshot compares with the suite\'s snapshot file, counting asserts per test from 1', () => {
    const dir = mkdtempSync(join(tmpdir(), 'snap-'));
    mkdirSync(join(dir, '__snapshot__'));
    const file = join(dir, '__snapshot__', 'x_test.yaml.snap');
    writeFileSync(file, 'renders:\n  1: |\n    app: web\n');
    const cache = new SnapshotCache(file);
    const labels = [decode('metadata:\n  labels:\n    app: web\n')];
    const ok = check('matchSnapshot', 'path: metadata.labels', labels, { snapshots: cache.comparerFor('renders') });
    expect(ok).toEqual([true, []]);
    const changed = check('matchSnapshot', 'path: metadata.labels', [decode('metadata:\n  labels:\n    app: api\n')], { snapshots: new SnapshotCache(file).comparerFor('renders') });
    expect(changed[0]).toBe(false);
    // A snapshot the file does not have yet is recorded and passes.
    expect(check('matchSnapshot', '{}', labels, { snapshots: new SnapshotCache(file).comparerFor('new test') })[0]).toBe(true);
  });
});

describe('snapshot files', () => {
  test('new snapshots are written in the plugin\'s format and read back', () => {
    const dir = mkdtempSync(join(tmpdir(), 'snap-'));
    const file = join(dir, '__snapshot__', 'x_test.yaml.snap');
    const cache = new SnapshotCache(file);
    const compare = cache.comparerFor('renders a service');
    expect(compare.compare(decode('kind: Service\nspec:\n  ports: [{port: 80}]\n'), {}).passed).toBe(true);
    expect(compare.compare('plain text', {}).passed).toBe(true);
    expect(cache.store()).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe('renders a service:\n  1: |\n    kind: Service\n    spec:\n      ports:\n        - port: 80\n  2: |\n    plain text\n');
    const again = new SnapshotCache(file).comparerFor('renders a service');
    expect(again.compare(decode('kind: Service\nspec:\n  ports: [{port: 80}]\n'), {}).passed).toBe(true);
    expect(again.compare('other text', {}).passed).toBe(false);
  });
});

describe('failure messages as the plugin prints them (upstream validator tests)', () => {
  test('equal: expected, actual and difflib\'s unified diff', () => {
    const doc = decode('a:\n  b:\n    - c: 123\n  e: |\n    Line1 \n    Line2\n');
    expect(check('equal', 'path: a.b[0]\nvalue: {d: 321}', [doc])).toEqual([false, [
      'DocumentIndex:\t0', 'ValuesIndex:\t0', 'Path:\ta.b[0]', 'Expected to equal:', '\td: 321', 'Actual:', '\tc: 123',
      'Diff:', '\t--- Expected', '\t+++ Actual', '\t@@ -1,2 +1,2 @@', '\t-d: 321', '\t+c: 123',
    ]]);
    // Trailing spaces before a line break are dropped from the actual text only.
    expect(pass('equal', 'path: a.e\nvalue: "Line1\\nLine2\\n"', [doc])).toBe(true);
  });

  test('contains: the expected element and the whole actual list', () => {
    const doc = decode('a:\n  b:\n    - c: hello world\n    - d: foo bar\n    - e: bar\n    - e: bar\n');
    expect(check('contains', 'path: a.b\ncontent: {e: bar bar}', [doc])).toEqual([false, [
      'DocumentIndex:\t0', 'ValuesIndex:\t0', 'Path:\ta.b', 'Expected to contain:', '\t- e: bar bar', 'Actual:',
      '\t- c: hello world', '\t- d: foo bar', '\t- e: bar', '\t- e: bar',
    ]]);
  });
});
