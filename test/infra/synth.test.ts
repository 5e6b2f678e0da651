// Synth writes each cluster's stack to infra/<cluster>/ of the tree, with the cluster's other
// files, and refuses (writing nothing) a fleet whose stacks contradict each other.
import { cpSync, existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { synthFleet } from '../../pipeline/synth.js';
import { EXAMPLE_OVERLAYS, REPO_ROOT } from '../helpers/fleet.js';
import { tempDir } from '../helpers/tmp.js';
import { readTree } from '../helpers/tree.js';

function exampleRepo(): string {
  const repo = tempDir('repo-');
  cpSync(EXAMPLE_OVERLAYS, join(repo, 'overlays'), { recursive: true });
  cpSync(join(REPO_ROOT, 'secrets'), join(repo, 'secrets'), { recursive: true });
  return join(repo, 'overlays');
}

describe('synth and the infra stacks', () => {
  test('a whole-fleet synth writes each stack next to the cluster trees', async () => {
    const out = tempDir('dist-');
    await synthFleet({ overlaysDir: exampleRepo(), outDir: out });
    expect(readdirSync(join(out, 'infra')).sort()).toEqual(['onprem-prod', 'sber-prod', 'vk-stage', 'yc-prod']);
    expect(readdirSync(join(out, 'infra/yc-prod')).sort()).toEqual([
      'README.md', 'buckets.tf.json', 'cluster.tf.json', 'dns.tf.json', 'iam.tf.json', 'mirror.tfrc', 'network.tf.json',
      'outputs.tf.json', 'providers.tf.json', 'registry.tf.json', 'variables.tf.json', 'versions.tf.json',
    ]);
  });

  test('a synth of one cluster rewrites its stack and leaves the others', async () => {
    const overlays = exampleRepo(), out = tempDir('dist-');
    await synthFleet({ overlaysDir: overlays, outDir: out });
    const before = readTree(out);
    writeFileSync(join(overlays, 'vk-stage.ts'), readFileSync(join(overlays, 'vk-stage.ts'), 'utf8')
      .replace("infra: { backend: 'opentofu' }", "infra: { backend: 'opentofu', kubernetesPatch: 3 }"));
    const r = await synthFleet({ overlaysDir: overlays, outDir: out, clusters: ['vk-stage'] });
    expect(r.changes.changed.filter((f) => f.startsWith('infra/'))).toEqual(['infra/vk-stage/README.md', 'infra/vk-stage/cluster.tf.json', 'infra/vk-stage/variables.tf.json']);
    const after = readTree(out);
    expect(Object.keys(after).filter((f) => f.startsWith('infra/yc-prod/')).every((f) => after[f] === before[f])).toBe(true);
  });

  test('a cluster whose range overlaps another\'s fails synth, naming both, and nothing is written', async () => {
    const overlays = exampleRepo(), out = tempDir('dist-');
    writeFileSync(join(overlays, 'vk-stage.ts'), readFileSync(join(overlays, 'vk-stage.ts'), 'utf8')
      .replace("infra: { backend: 'opentofu' }", "infra: { backend: 'opentofu', network: { nodesCidr: '10.1.0.0/16' } }"));
    await expect(synthFleet({ overlaysDir: overlays, outDir: out })).rejects.toThrow(
      `${join(overlays, 'yc-prod.ts')}: infra.network.nodesCidr: received "10.1.0.0/16", which overlaps infra.network.nodesCidr "10.1.0.0/16" of cluster "vk-stage"`,
    );
    expect(existsSync(join(out, 'infra'))).toBe(false);
  });
});
