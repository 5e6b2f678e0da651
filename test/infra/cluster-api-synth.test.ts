// Synth's step for a management tree of vSphere clusters: CAPV's credentials come only from a
// committed SopsSecret (management-secrets/<mgmt>/capv-system/), the tree is checked against the
// Cluster API CRDs (or synth says it was not), and one management cluster may serve Crossplane
// and Cluster API clusters at once.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { synthInfraStacks } from '../../pipeline/infra-stacks.js';
import { REPO_ROOT } from '../helpers/fleet.js';
import { describeWithReferenceData, SHARED_DIR } from '../helpers/reference-data.js';
import { tempDir } from '../helpers/tmp.js';
import { stackSpec } from './helpers.js';

const VSPHERE = {
  server: 'vcenter.corp.company.ru', datacenter: 'msk-dc1', datastore: 'vsan-prod', network: 'k8s-prod',
  folder: '/msk-dc1/vm/k8s/vs1', resourcePool: '/msk-dc1/host/cluster1/Resources/k8s', template: 'ubuntu-2404-kube-v1.35.2',
  controlPlaneEndpoint: '10.20.0.5',
};
const capi = stackSpec('onprem', { domain: 'corp.company.ru', kubernetesVersion: '1.35', infra: { backend: 'cluster-api', management: 'mgmt', kubernetesPatch: 2, vsphere: VSPHERE } }, 'vs1');
const crossplane = stackSpec('yandex', { infra: { backend: 'crossplane', management: 'mgmt' } }, 'yc1');

function repo(credentials?: string): string {
  const root = tempDir('repo-');
  mkdirSync(join(root, 'overlays'));
  if (credentials !== undefined) {
    mkdirSync(join(root, 'management-secrets/mgmt/capv-system'), { recursive: true });
    writeFileSync(join(root, 'management-secrets/mgmt/capv-system/vsphere-credentials.enc.yaml'), credentials);
  }
  return join(root, 'overlays');
}

// An encrypted SopsSecret of the example fleet, renamed: the checks synth makes need no key.
const encrypted = () => readFileSync(join(REPO_ROOT, 'secrets/yc-prod/external-dns/yandex-dns-editor.enc.yaml'), 'utf8')
  .replace('name: yandex-dns-editor\n    namespace: external-dns', 'name: vsphere-credentials\n    namespace: capv-system');

/** Runs `fn` with INFRA_SYNTH_SHARED pointing at `dir`, then restores it. */
async function withShared<T>(dir: string, fn: () => Promise<T>): Promise<T> {
  const before = process.env.INFRA_SYNTH_SHARED;
  process.env.INFRA_SYNTH_SHARED = dir;
  try { return await fn(); } finally {
    if (before === undefined) delete process.env.INFRA_SYNTH_SHARED;
    else process.env.INFRA_SYNTH_SHARED = before;
  }
}

describe('synth of a management tree of vSphere clusters', () => {
  test('without committed credentials synth warns, naming the file to add', async () => {
    const r = await synthInfraStacks([capi], [capi], repo());
    expect(r.warnings.some((w) => w.includes('management-secrets/mgmt/capv-system/vsphere-credentials.enc.yaml is missing'))).toBe(true);
    expect(r.managements).toEqual(['mgmt']);
  });

  test('committed credentials are copied byte for byte into the bootstrap', async () => {
    const r = await synthInfraStacks([capi], [capi], repo(encrypted()));
    expect(r.files.find((f) => f.path === 'management/mgmt/bootstrap/secrets/capv-system.vsphere-credentials.enc.yaml')?.content).toBe(encrypted());
  });

  test('plaintext credentials stop synth without echoing them', async () => {
    const plain = 'apiVersion: v1\nkind: Secret\nmetadata: {name: vsphere-credentials, namespace: capv-system}\nstringData: {username: k8s@vsphere.local, password: hunter2}\n';
    const err = await synthInfraStacks([capi], [capi], repo(plain)).catch((e: Error) => e);
    expect((err as Error).message).toContain('vsphere-credentials.enc.yaml: not SOPS-encrypted');
    expect((err as Error).message).not.toContain('hunter2');
  });

  test('without the Cluster API reference CRDs synth warns that the tree was not checked', async () => {
    const empty = tempDir('shared-');
    const r = await withShared(empty, () => synthInfraStacks([capi], [capi], repo(encrypted())));
    expect(r.warnings).toContain(`the management trees (management/mgmt/) were not checked against the Cluster API CRDs: they are not in ${join(empty, 'infra', 'capi')} (set INFRA_SYNTH_SHARED; CI has them)`);
  });
});

describeWithReferenceData('synth of a management tree of vSphere and Yandex clusters', ['infra/capi', 'infra/crossplane', 'infra/terraform'], () => {
  // Both backends on one management cluster, rendered and checked once for the file.
  let result: ReturnType<typeof synthInfraStacks>;
  // The overlays live in a temp dir, whose `../shared` is not the reference data: name it.
  beforeAll(() => { result = withShared(SHARED_DIR, () => synthInfraStacks([capi, crossplane], [capi, crossplane], repo(encrypted()))); });

  test('is checked against both sets of CRDs: no warning that it was not', async () => {
    expect((await result).warnings.filter((w) => w.includes('were not checked'))).toEqual([]);
  });

  test('its bootstrap holds both backends\' parts and its AppProject allows both', async () => {
    const { files } = await result;
    const project = yaml.load(files.find((f) => f.path === 'management/mgmt/bootstrap/appproject-management.yaml')!.content) as Record<string, any>;
    expect(project.spec.destinations.map((d: any) => d.namespace)).toEqual(['argocd', 'crossplane-system', 'capv-system', 'vs1', 'yc1']);
    expect(project.spec.clusterResourceWhitelist).toEqual(expect.arrayContaining([
      { group: 'pkg.crossplane.io', kind: 'Provider' },
      { group: 'infrastructure.cluster.x-k8s.io', kind: 'VSphereClusterIdentity' },
    ]));
    const identity = yaml.load(files.find((f) => f.path === 'management/mgmt/bootstrap/vsphereclusteridentity-vsphere.yaml')!.content) as Record<string, any>;
    expect(identity.spec.allowedNamespaces.selector.matchExpressions[0].values).toEqual(['vs1']);
  });

  test('only the missing credentials are warned about', async () => {
    const missing = (await result).warnings.filter((w) => w.includes('.enc.yaml is missing'));
    expect(missing).toHaveLength(1);
    expect(missing[0]).toContain('crossplane-system/yc-credentials.enc.yaml');
  });
});
