// `infra-synth simulate` as users run it: the bundled CLI on crafted trees.
import { execa } from 'execa';
import { join } from 'node:path';
import { bundledCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { argocdCm, CLUSTER_DIR as C, cleanTree, writeTree } from './fixture.js';

const cli = bundledCli('simulate');
const run = (...args: string[]) => execa('node', [cli, 'simulate', ...args], { reject: false });

describe('infra-synth simulate', () => {
  test('a tree where nothing would fail: exit 0 and one summary line per cluster', async () => {
    const r = await run(writeTree(cleanTree()));
    expect([r.exitCode, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toBe('c: simulated 22 objects, 7 steps, waves -10, -5, 0, 4 Applications: nothing would fail');
  });

  test('a tree where a sync would fail: exit 1, the finding on its own line, then the summary naming the first failing step', async () => {
    const tree = cleanTree();
    tree[`${C}/argocd/configmap-argocd-cm.yaml`] = [argocdCm({ 'resource.respectRBAC': 'strict' })];
    const r = await run(writeTree(tree));
    expect(r.exitCode).toBe(1);
    const lines = r.stdout.split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^\[wave 0: config\] c: clusters\/c\/config\/widget-w1.yaml: Widget\/demo\/w1: needs its CRD/);
    expect(lines[1]).toMatch(/: 1 finding\(s\); first fails at \[wave 0: config\]$/);
  });

  test('--format json: the whole report, findings with their step', async () => {
    const tree = cleanTree();
    tree[`${C}/argocd/configmap-argocd-cm.yaml`] = [argocdCm({ 'resource.respectRBAC': 'strict' })];
    const r = await run(writeTree(tree), '--format', 'json');
    expect(r.exitCode).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.clusters.map((c: any) => [c.cluster, c.findings.length, c.findings[0].step, c.waves])).toEqual([['c', 1, 'wave 0: config', [-10, -5, 0]]]);
  });

  test('a folder that is not there: exit 2 and one line naming it', async () => {
    const missing = join(tempDir('simulate-cli-'), 'nothing');
    const r = await run(missing);
    expect([r.exitCode, r.stdout, r.stderr]).toEqual([2, '', `error: ${missing}: no such folder (expected a rendered tree with clusters/<cluster>/bootstrap/ and apps/)`]);
  });

  test('an unknown --cluster: exit 2 naming the clusters the tree has', async () => {
    const r = await run(writeTree(cleanTree()), '--cluster', 'nope');
    expect([r.exitCode, r.stderr]).toEqual([2, expect.stringMatching(/^error: --cluster nope: no cluster "nope" in .* \(it has: c\)$/)]);
  });
});
