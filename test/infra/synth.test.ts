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
  cpSync(join(REPO_ROOT, 'management-secrets'), join(repo, 'management-secrets'), { recursive: true });
  return join(repo, 'overlays');
}

describe('synth and the infra stacks', () => {
  test('a whole-fleet synth writes each OpenTofu stack next to the cluster trees, and the Crossplane cluster into its management tree', async () => {
    const out = tempDir('dist-');
    const r = await synthFleet({ overlaysDir: exampleRepo(), outDir: out });
    expect(readdirSync(join(out, 'infra')).sort()).toEqual(['onprem-prod', 'sber-prod', 'vk-stage']);
    expect(readdirSync(join(out, 'infra/sber-prod'))).toEqual(expect.arrayContaining(['README.md', 'providers.tf.json', 'outputs.tf.json', 'versions.tf.json']));
    expect(readdirSync(join(out, 'management/mgmt/clusters'))).toEqual(['yc-prod']);
    expect(readFileSync(join(out, 'management/mgmt/bootstrap/secrets/crossplane-system.yc-credentials.enc.yaml'), 'utf8'))
      .toBe(readFileSync(join(REPO_ROOT, 'management-secrets/mgmt/crossplane-system/yc-credentials.enc.yaml'), 'utf8'));
    expect(r.warnings.filter((w) => w.startsWith('management cluster mgmt'))).toEqual([]);
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
    expect(Object.keys(after).filter((f) => /^(infra\/sber-prod|management)\//.test(f)).every((f) => after[f] === before[f])).toBe(true);
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
