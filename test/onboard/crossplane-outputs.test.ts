// The outputs of a cluster whose infrastructure Crossplane makes: read from the managed
// resources' status in the management cluster (a fake kubectl on PATH prints a recorded List),
// captured only once every resource is Ready.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CROSSPLANE_OUTPUT_RESOURCES, parseCrossplaneStatus } from '../../onboard/crossplane-outputs.js';
import { outputsStep } from '../../onboard/outputs.js';
import { UserError } from '../../primitives/errors.js';
import { stackSpec } from '../infra/helpers.js';
import { tempDir } from '../helpers/tmp.js';

const GROUP = (svc: string) => `${svc}.yandex-cloud.m.jet.crossplane.io/v1alpha1`;
const READY = { conditions: [{ type: 'Synced', status: 'True' }, { type: 'Ready', status: 'True' }] };
const mr = (svc: string, kind: string, name: string, atProvider: Record<string, unknown>, status: Record<string, unknown> = READY) =>
  ({ apiVersion: GROUP(svc), kind, metadata: { name, namespace: 'c1' }, spec: { forProvider: {} }, status: { ...status, atProvider } });

const MADE = {
  apiVersion: 'v1', kind: 'List',
  items: [
    mr('kubernetes', 'Cluster', 'main', { id: 'cat1clusterid' }),
    mr('dns', 'Zone', 'main', { id: 'dns1zoneid' }),
    mr('container', 'Registry', 'soft-yt', { id: 'crp1registry' }),
    mr('iam', 'ServiceAccount', 'k8s-cluster', { id: 'aje0cluster' }),
    mr('iam', 'ServiceAccount', 'external-dns', { id: 'aje1externaldns' }),
    mr('iam', 'ServiceAccountStaticAccessKey', 'storage', { id: 'ajekeyrecord', accessKey: 'YCAJEaccesskeyid' }),
    mr('storage', 'Bucket', 'loki', { bucket: 'c1-loki' }),
    mr('storage', 'Bucket', 'velero', { bucket: 'c1-velero' }),
  ],
};

test('each output comes from the status of the resource the mapping names', () => {
  const { outputs, notReady } = parseCrossplaneStatus(JSON.stringify(MADE), 'status.json');
  expect(notReady).toEqual([]);
  expect(outputs).toEqual({
    cluster_id: 'cat1clusterid',
    dns_zone_id: 'dns1zoneid',
    registry_id: 'crp1registry',
    external_dns_service_account_id: 'aje1externaldns',
    storage_access_key_id: 'YCAJEaccesskeyid',
    bucket_names: { loki: 'c1-loki', velero: 'c1-velero' },
  });
});

test('a resource that is not Ready is named with Crossplane\'s reason', () => {
  const waiting = { ...MADE, items: [...MADE.items.slice(1), mr('kubernetes', 'Cluster', 'main', {}, { conditions: [{ type: 'Ready', status: 'False', reason: 'Creating', message: 'cluster is provisioning' }] })] };
  expect(parseCrossplaneStatus(JSON.stringify(waiting), 'status.json').notReady).toEqual(['Cluster/main: not Ready (Creating: cluster is provisioning)']);
});

test('text that is not a kubectl List is refused, naming the source', () => {
  expect(() => parseCrossplaneStatus('{"kind":"Cluster"}', 'status.json')).toThrow(new UserError('status.json: expected a List (an object with "items") as `kubectl get ... -o json` prints it'));
});

describe('the outputs step of a crossplane cluster', () => {
  const PATH = process.env.PATH;
  afterEach(() => { process.env.PATH = PATH; });

  function setup(list: unknown) {
    const root = tempDir('xp-outputs-');
    mkdirSync(join(root, 'overlays'));
    const bin = tempDir('kubectl-');
    const log = join(bin, 'calls.log');
    writeFileSync(join(bin, 'list.json'), JSON.stringify(list));
    writeFileSync(join(bin, 'kubectl'), `#!/bin/sh\necho "$*" >> '${log}'\ncat '${bin}/list.json'\n`);
    chmodSync(join(bin, 'kubectl'), 0o755);
    process.env.PATH = `${bin}:${PATH}`;
    const spec = stackSpec('yandex', { infra: { backend: 'crossplane', management: 'mgmt', registry: { name: 'soft-yt' } } });
    return { paths: { cluster: 'c1', overlaysDir: join(root, 'overlays'), outDir: join(root, 'dist') }, spec, log, file: join(root, 'overlays', 'c1.outputs.json') };
  }

  test('reads the management cluster through kubectl, read only, and captures the outputs file', async () => {
    const { paths, spec, log, file } = setup(MADE);
    const r = await outputsStep(paths, spec, { managementKubeconfig: '/tmp/mgmt.kubeconfig' });
    expect(r.captured).toBe(true);
    // Captured; the run then stops for a person to trust the new registry in the image policy.
    expect(r.next).toMatch(/cr\.yandex\/crp1registry\/\*/);
    expect(readFileSync(log, 'utf8').trim()).toBe(`--kubeconfig /tmp/mgmt.kubeconfig get ${CROSSPLANE_OUTPUT_RESOURCES.join(',')} -n c1 -o json`);
    expect(JSON.parse(readFileSync(file, 'utf8')).outputs.cluster_id).toBe('cat1clusterid');
  });

  test('waits, capturing nothing, while a resource is being made', async () => {
    const { paths, spec, file } = setup({ ...MADE, items: [...MADE.items.slice(1), mr('kubernetes', 'Cluster', 'main', {}, { conditions: [{ type: 'Ready', status: 'False', reason: 'Creating' }] })] });
    const r = await outputsStep(paths, spec, { managementKubeconfig: '/tmp/mgmt.kubeconfig' });
    expect(r.state).toBe('waiting');
    expect(r.lines).toContain('  Cluster/main: not Ready (Creating)');
    expect(existsSync(file)).toBe(false);
  });

  test('without a management kubeconfig it says which flag gives one', async () => {
    const { paths, spec } = setup(MADE);
    const r = await outputsStep(paths, spec, {});
    expect(r.state).toBe('waiting');
    expect(r.lines.join('\n')).toMatch(/--management-kubeconfig/);
  });
});
