// releaseutil's split and sort, helm template's --show-only matching and the status printer.
import { formatANSIC, matchFilePath, printStatus, templateOutput } from '../../../helm/action/render.js';
import { parseSimpleHead, sortManifests, splitManifests } from '../../../helm/action/sort.js';

describe('splitManifests', () => {
  test('splits on --- lines, trims documents and drops empty ones', () => {
    expect(splitManifests('---\na: 1\n---\n\nb: 2\n  \n---  \nc: 3\n---\n\n')).toEqual(['a: 1', 'b: 2', 'c: 3']);
  });

  test('--- only separates at the start of a line, and the blanks after one are part of it (as Go\'s regexp)', () => {
    expect(splitManifests('a: 1\n  ---\nb: 2')).toEqual(['a: 1\n  ---\nb: 2']);
    expect(splitManifests('a: 1\n---\n---\n')).toEqual(['a: 1', '---']);
  });

  test('a separator glued to text still splits, as Go\'s regexp does', () => {
    expect(splitManifests('a: 1\n---foo: 2')).toEqual(['a: 1', 'foo: 2']);
  });
});

describe('sortManifests', () => {
  const files = {
    'c/templates/b.yaml': 'kind: Deployment\nmetadata:\n  name: d\n---\nkind: ServiceAccount\nmetadata:\n  name: sa',
    'c/templates/a.yaml': 'kind: Service\nmetadata:\n  name: s\n---\n# only a comment',
    'c/templates/_helpers.tpl': 'kind: Secret',
    'c/templates/blank.yaml': '  \n\n',
    'c/templates/hook.yaml':
      'kind: Job\nmetadata:\n  name: j\n  annotations:\n    helm.sh/hook: pre-install, Post-Install\n    helm.sh/hook-weight: "-5"\n    helm.sh/hook-delete-policy: before-hook-creation',
    'c/templates/unknown-hook.yaml': 'kind: Pod\nmetadata:\n  name: p\n  annotations:\n    helm.sh/hook: sometime',
    'c/templates/z.yaml': 'kind: Widget\nmetadata:\n  name: w\n---\nkind: Gadget\nmetadata:\n  name: g',
  };

  test('orders by install kind, unknown kinds last by name, files in path order within a kind', () => {
    const { manifests } = sortManifests(files);
    expect(manifests.map((m) => `${m.name}:${m.head.kind}`)).toEqual([
      'c/templates/b.yaml:ServiceAccount',
      'c/templates/a.yaml:Service',
      'c/templates/b.yaml:Deployment',
      'c/templates/a.yaml:',
      'c/templates/z.yaml:Gadget',
      'c/templates/z.yaml:Widget',
    ]);
  });

  test('splits out hooks with their events, weight and policies, and drops unknown hook events', () => {
    const { hooks, manifests } = sortManifests(files);
    expect(hooks).toEqual([
      expect.objectContaining({
        name: 'j',
        kind: 'Job',
        path: 'c/templates/hook.yaml',
        events: ['pre-install', 'post-install'],
        weight: -5,
        deletePolicies: ['before-hook-creation'],
      }),
    ]);
    expect(manifests.some((m) => m.name === 'c/templates/unknown-hook.yaml')).toBe(false);
  });

  test('a document that is not YAML names its template', () => {
    expect(() => sortManifests({ 'c/templates/bad.yaml': 'a: b\nc' })).toThrow(
      /^YAML parse error on c\/templates\/bad\.yaml: error converting YAML to JSON: yaml: line/,
    );
  });

  test('scalars in string fields become strings; a map there is a JSON error', () => {
    expect(parseSimpleHead('kind: 5\nmetadata:\n  annotations:\n    helm.sh/hook-weight: 3')).toEqual({
      apiVersion: '',
      kind: '5',
      metadata: { name: '', annotations: { 'helm.sh/hook-weight': '3' } },
    });
    expect(() => parseSimpleHead('kind: {a: 1}')).toThrow(/cannot unmarshal object into Go struct field SimpleHead.kind of type string/);
  });
});

describe('helm template output', () => {
  const release = {
    manifest: '---\n# Source: c/templates/a.yaml\nkind: Service\n---\n# Source: c/templates/sub/b.yaml\nkind: Role\n',
    hooks: [
      { name: 't', kind: 'Pod', path: 'c/templates/tests/t.yaml', manifest: 'kind: Pod', events: ['test' as const], weight: 0, deletePolicies: [], outputLogPolicies: [] },
    ],
  };

  test('prints manifests then hooks; --skip-tests and --no-hooks leave hooks out', () => {
    expect(templateOutput(release)).toBe(`${release.manifest}---\n# Source: c/templates/tests/t.yaml\nkind: Pod\n`);
    expect(templateOutput(release, { skipTests: true })).toBe(release.manifest);
    expect(templateOutput(release, { disableHooks: true })).toBe(release.manifest);
  });

  test('--show-only selects by path below the chart name, globs included, in pattern order', () => {
    expect(templateOutput(release, { showOnly: ['templates/tests/*', 'templates/a.yaml'] })).toBe(
      '---\n# Source: c/templates/tests/t.yaml\nkind: Pod\n---\n# Source: c/templates/a.yaml\nkind: Service\n',
    );
    expect(() => templateOutput(release, { showOnly: ['templates/nope.yaml'] })).toThrow('could not find template templates/nope.yaml in chart');
  });

  test('filepath.Match: * and ? stop at /, classes and escapes', () => {
    expect(matchFilePath('templates/*', 'templates/sub/b.yaml')).toBe(false);
    expect(matchFilePath('templates/*/b.yaml', 'templates/sub/b.yaml')).toBe(true);
    expect(matchFilePath('templates/[a-c].yaml', 'templates/b.yaml')).toBe(true);
    expect(matchFilePath('templates/[^a-c].yaml', 'templates/b.yaml')).toBe(false);
    expect(matchFilePath('templates/\\*.yaml', 'templates/*.yaml')).toBe(true);
    expect(matchFilePath('templates/[', 'templates/[')).toBe(false);
  });
});

describe('install status', () => {
  test('Go ANSIC time, as helm prints LAST DEPLOYED', () => {
    expect(formatANSIC(new Date(242085845 * 1000))).toBe('Fri Sep  2 22:04:05 1977');
  });

  test('a dry run prints hooks and manifest; notes are trimmed; test hooks suppress TEST SUITE: None', () => {
    const base = { name: 'r', namespace: 'default', lastDeployed: 'X', revision: 1, manifest: '---\nm\n', notes: '\n hi \n' };
    expect(printStatus({ ...base, status: 'pending-install', dryRun: true, hooks: [] })).toBe(
      'NAME: r\nLAST DEPLOYED: X\nNAMESPACE: default\nSTATUS: pending-install\nREVISION: 1\nTEST SUITE: None\nHOOKS:\nMANIFEST:\n---\nm\n\nNOTES:\nhi\n',
    );
    const testHook = { name: 't', kind: 'Pod', path: 'p', manifest: 'm', events: ['test' as const], weight: 0, deletePolicies: [], outputLogPolicies: [] };
    expect(printStatus({ ...base, notes: '', status: 'deployed', dryRun: false, hooks: [testHook] })).toBe(
      'NAME: r\nLAST DEPLOYED: X\nNAMESPACE: default\nSTATUS: deployed\nREVISION: 1\n',
    );
  });
});
