// Synth's step for the management trees: the provider's credentials come only from a committed
// SopsSecret (management-secrets/<mgmt>/), copied unchanged; a plaintext file there stops synth.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { synthInfraStacks } from '../../pipeline/infra-stacks.js';
import { REPO_ROOT } from '../helpers/fleet.js';
import { tempDir } from '../helpers/tmp.js';
import { stackSpec } from './helpers.js';

const spec = stackSpec('yandex', { infra: { backend: 'crossplane', management: 'mgmt' } });

function repo(credentials?: string): string {
  const root = tempDir('repo-');
  mkdirSync(join(root, 'overlays'));
  if (credentials !== undefined) {
    mkdirSync(join(root, 'management-secrets/mgmt/crossplane-system'), { recursive: true });
    writeFileSync(join(root, 'management-secrets/mgmt/crossplane-system/yc-credentials.enc.yaml'), credentials);
  }
  return join(root, 'overlays');
}

// An encrypted SopsSecret of the example fleet, renamed: the checks synth makes need no key.
const encrypted = () => readFileSync(join(REPO_ROOT, 'secrets/yc-prod/external-dns/yandex-dns-editor.enc.yaml'), 'utf8')
  .replace('name: yandex-dns-editor\n    namespace: external-dns', 'name: yc-credentials\n    namespace: crossplane-system');

describe('synth of a management tree', () => {
  test('without committed credentials synth warns, naming the file to add', async () => {
    const r = await synthInfraStacks([spec], [spec], repo());
    expect(r.warnings.some((w) => w.includes('management-secrets/mgmt/crossplane-system/yc-credentials.enc.yaml is missing'))).toBe(true);
    expect(r.managements).toEqual(['mgmt']);
  });

  test('committed credentials are copied byte for byte into the bootstrap', async () => {
    const r = await synthInfraStacks([spec], [spec], repo(encrypted()));
    expect(r.files.find((f) => f.path === 'management/mgmt/bootstrap/secrets/crossplane-system.yc-credentials.enc.yaml')?.content).toBe(encrypted());
  });

  test('plaintext credentials stop synth without echoing them', async () => {
    const plain = 'apiVersion: v1\nkind: Secret\nmetadata: {name: yc-credentials, namespace: crossplane-system}\nstringData: {key.json: "{\\"private_key\\": \\"hunter2\\"}"}\n';
    const err = await synthInfraStacks([spec], [spec], repo(plain)).catch((e: Error) => e);
    expect((err as Error).message).toContain('yc-credentials.enc.yaml: not SOPS-encrypted');
    expect((err as Error).message).not.toContain('hunter2');
  });
});
