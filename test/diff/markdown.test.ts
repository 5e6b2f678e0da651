import { DIFF_COMMENT_MARKER, GITHUB_COMMENT_LIMIT, diffTrees, renderMarkdown } from '../../diff/index.js';
import type { DiffReport } from '../../diff/model.js';
import { cleanupTempDirs, configMap, deployment, tree, type TreeSpec } from './helpers.js';

afterAll(cleanupTempDirs);

/** Many clusters, each with many changed objects carrying long diffs, and some deletions. */
async function hugeReport(): Promise<DiffReport> {
  const base: TreeSpec = {};
  const head: TreeSpec = {};
  for (let c = 0; c < 40; c++) {
    const cluster = c % 10 === 0 ? `prod-${c}` : `dev-${String(c).padStart(2, '0')}`;
    const objs = (v: number) => Array.from({ length: 15 }, (_, i) =>
      configMap(`cm-${i}`, Object.fromEntries(Array.from({ length: 30 }, (_, k) => [`key-${k}`, `value-${k}-${v}-${'x'.repeat(40)}`]))));
    base[`clusters/${cluster}/apps/cms.yaml`] = objs(1);
    head[`clusters/${cluster}/apps/cms.yaml`] = objs(2);
    base[`clusters/${cluster}/legacy/old.yaml`] = [configMap(`gone-${c}`, {})];
  }
  return diffTrees({ base: tree(base), head: tree(head) });
}

describe('the size cap', () => {
  let report: DiffReport;
  let md: string;
  beforeAll(async () => {
    report = await hugeReport();
    md = renderMarkdown(report);
  });

  test('the comment fits in GitHub\'s 65,536 characters', () => {
    expect(md.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
  });

  test('the summary stays whole: every changed cluster has its row and every deletion is listed', () => {
    for (const c of report.clusters) expect(md).toContain(`| ${c.prod ? `**\`${c.name}\`**` : `\`${c.name}\``} |`);
    for (let c = 0; c < 40; c++) expect(md).toContain(`\`ConfigMap/default/gone-${c}\``);
    expect(md.indexOf('| Cluster')).toBeLessThan(md.indexOf('<details>'));
  });

  test('a note says the details were cut and how many objects are not shown', () => {
    const shown = (md.match(/^- \*\*changed\*\*/gm) ?? []).length;
    const withBody = (md.match(/```diff/g) ?? []).length;
    const note = md.slice(md.indexOf('✂️'));
    expect(note).toMatch(/\*\*Details cut\*\* to fit GitHub's 65,536-character comment limit: /);
    const m = /(?:(\d+) object diffs?)?(?: and )?(?:(\d+) further objects?)? not shown/.exec(note)!;
    const bodiesCut = Number(m[1] ?? 0);
    const objectsCut = Number(m[2] ?? 0);
    // Every changed object is either shown with its diff, shown without it, or counted as cut.
    expect(withBody + bodiesCut).toBe(shown);
    expect(shown + objectsCut + (md.match(/^- ⚠️ \*\*removed\*\*/gm) ?? []).length).toBe(report.summary.changed + report.summary.removed);
    expect(md.trimEnd().endsWith('(or add `--format json`).')).toBe(true);
  });

  test('every opened <details> is closed', () => {
    expect((md.match(/<details>/g) ?? []).length).toBe((md.match(/<\/details>/g) ?? []).length);
  });
});

test('a small diff is not cut', async () => {
  const r = await diffTrees({
    base: tree({ 'clusters/c/apps/a.yaml': [deployment('w', 'n', 'w:1')] }),
    head: tree({ 'clusters/c/apps/a.yaml': [deployment('w', 'n', 'w:2')] }),
  });
  const md = renderMarkdown(r);
  expect(md).not.toContain('Details cut');
  expect(md).toContain('<details><summary><code>apps</code>: 1 changed</summary>');
  expect(md).toContain('`Deployment/n/w` (`apps/v1`): `spec.template.spec.containers[name=app].image`');
});

test('the comment starts with the marker CI looks for', async () => {
  const r = await diffTrees({ base: tree({ 'clusters/c/a/a.yaml': [configMap('a', {})] }), head: tree({ 'clusters/c/a/a.yaml': [configMap('a', {})] }) });
  const md = renderMarkdown(r);
  expect(md.startsWith(`${DIFF_COMMENT_MARKER}\n`)).toBe(true);
  expect(md).toContain('**No changes**: all 1 clusters render the same objects as the base.');
});

test('a value holding backticks cannot close the diff block early', async () => {
  const r = await diffTrees({
    base: tree({ 'clusters/c/a/a.yaml': [configMap('doc', { 'README.md': 'x' })] }),
    head: tree({ 'clusters/c/a/a.yaml': [configMap('doc', { 'README.md': 'use:\n```sh\nrun\n```\n' })] }),
  });
  const md = renderMarkdown(r);
  expect(md).toContain('  ````diff\n');
  expect(md).toContain('\n  ````\n');
});

test('an object with a huge diff is shortened, not dropped', async () => {
  const big = (v: number) => configMap('dash', Object.fromEntries(Array.from({ length: 500 }, (_, k) => [`k${k}`, `${v}`])));
  const r = await diffTrees({ base: tree({ 'clusters/c/a/a.yaml': [big(1)] }), head: tree({ 'clusters/c/a/a.yaml': [big(2)] }) });
  const md = renderMarkdown(r);
  expect(md).toMatch(/_… \d+ more lines not shown; run the diff locally for all of it\._/);
  expect(md).not.toContain('Details cut');
});
