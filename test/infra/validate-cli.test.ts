// `infra-synth validate DIR` checks the infra stacks of a rendered tree too, as synth does.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { renderCluster } from '../../charts/cluster.js';
import { renderInfra } from '../../infra/render.js';
import type { ClusterSpec } from '../../spec/schema.js';
import { bundledCli } from '../helpers/cli.js';
import { describeWithReferenceData, SHARED_DIR } from '../helpers/reference-data.js';
import { tempDir } from '../helpers/tmp.js';
import { INFRA_SCHEMAS, stackSpec } from './helpers.js';

const CLI = bundledCli('validate-infra');

function writtenTree(infra: Record<string, unknown> = {}, others: ClusterSpec[] = []): string {
  const root = tempDir('validate-infra-');
  const spec = stackSpec('yandex', { infra }, 'yc1');
  for (const f of [...renderCluster(spec).files, ...renderInfra([spec, ...others]).files]) {
    mkdirSync(dirname(join(root, f.path)), { recursive: true });
    writeFileSync(join(root, f.path), f.content);
  }
  return root;
}

const validate = (dir: string) => execa('node', [CLI, 'validate', dir], { reject: false, env: { INFRA_SYNTH_SHARED: SHARED_DIR } });

describeWithReferenceData('validate and the infra stacks', INFRA_SCHEMAS, () => {
  test('a tree with a valid stack exits 0 and counts the stack', async () => {
    const root = writtenTree();
    const r = await validate(root);
    expect([r.exitCode, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toMatch(/: \d+ objects and 1 infra stack\(s\) valid$/);
  });

  test('a misspelt argument in a stack exits 1 naming the file, block and field', async () => {
    const root = writtenTree();
    const file = join(root, 'infra/yc1/network.tf.json');
    writeFileSync(file, readFileSync(file, 'utf8').replace('"zone": "ru-central1-a"', '"zonne": "ru-central1-a"'));
    const r = await validate(root);
    expect(r.exitCode).toBe(1);
    expect(r.stdout.split('\n')[0]).toBe('yc1: infra/yc1/network.tf.json: resource.yandex_vpc_subnet.ru-central1-a: .zonne: unknown argument "zonne"; did you mean "zone"?');
  });
});

describeWithReferenceData('validate and the management trees', 'infra/crossplane', () => {
  const crossplane = { backend: 'crossplane', management: 'mgmt' };

  test('a tree with a Crossplane cluster exits 0 and counts the management tree', async () => {
    const r = await validate(writtenTree(crossplane));
    expect([r.exitCode, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toMatch(/: \d+ objects and \d+ management tree file\(s\) valid$/);
  });

  test('a misspelt managed resource field exits 1 naming the file and the field', async () => {
    const root = writtenTree(crossplane);
    const file = join(root, 'management/mgmt/clusters/yc1/network/subnet-ru-central1-a.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('v4CidrBlocks:', 'v4CidrBlock:'));
    const r = await validate(root);
    expect(r.exitCode).toBe(1);
    expect(r.stdout.split('\n')[0]).toMatch(/^mgmt: management\/mgmt\/clusters\/yc1\/network\/subnet-ru-central1-a\.yaml: Subnet\/yc1\/ru-central1-a: .*v4CidrBlock/);
  });
});

describeWithReferenceData('validate and a Cluster API management tree', ['infra/capi', 'infra/terraform'], () => {
  test('a misspelt field of a CAPV object exits 1 naming the file and the field', async () => {
    const vsphere = {
      server: 'vcenter.corp.company.ru', datacenter: 'msk-dc1', datastore: 'vsan-prod', network: 'k8s-prod', folder: 'k8s',
      resourcePool: 'k8s', template: 'ubuntu-2404-kube-v1.35.2', controlPlaneEndpoint: '10.20.0.5',
    };
    const capi = stackSpec('onprem', { domain: 'corp.company.ru', kubernetesVersion: '1.35', infra: { backend: 'cluster-api', management: 'mgmt', kubernetesPatch: 2, vsphere } }, 'vs1');
    const root = writtenTree({}, [capi]);
    const file = join(root, 'management/mgmt/clusters/vs1/cluster/vspherecluster-vs1.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('controlPlaneEndpoint:', 'controlPlaneEndpiont:'));
    const r = await validate(root);
    expect(r.exitCode).toBe(1);
    expect(r.stdout.split('\n')[0]).toMatch(/^mgmt: management\/mgmt\/clusters\/vs1\/cluster\/vspherecluster-vs1\.yaml: VSphereCluster\/vs1\/vs1: .*controlPlaneEndpiont/);
  });
});
