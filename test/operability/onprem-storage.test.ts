// Finding 4 of issue 14: on-prem Loki, Tempo, Velero and the Vault snapshots wrote to
// http://minio.minio.svc:9000, which nothing deploys. The store is now the overlay's, required
// on-prem, outside the cluster; rendered objects read it.
import { renderCluster } from '../../charts/cluster.js';
import { loadFleet, resolveCluster } from '../../spec/load.js';
import { EXAMPLE_OVERLAYS, specFor } from '../helpers/fleet.js';

const onprem = {
  cloud: 'onprem', infrastructure: 'vsphere', environment: 'stage', domain: 'corp.company.ru',
  loadBalancer: { provider: 'kube-vip' },
  secrets: { ageRecipients: ['age190vd7ndvmhuc23dvgfpznujeuwufj92f0lpajhlfl52rky3kdprsnqz0pm'] },
};
const problemsOf = (overlay: unknown) => resolveCluster({ name: 'c1', file: 'overlays/c1.ts', overlay }).problems;

describe('on-prem object storage is the overlay\'s, outside the cluster', () => {
  test('an on-prem overlay without objectStorage is refused with one line naming the field and what is valid', () => {
    expect(problemsOf(onprem)).toEqual([
      'overlays/c1.ts: objectStorage: missing; on-prem has no cloud object store and the platform deploys none: set objectStorage: { endpoint, region } to an S3-compatible store outside the cluster (the data centre\'s MinIO or Ceph RGW), e.g. { endpoint: \'https://s3.corp.company.ru\', region: \'us-east-1\' }',
    ]);
  });

  test('an endpoint that is a Service of the cluster is refused: nothing deploys it, and backups would die with the cluster', () => {
    expect(problemsOf({ ...onprem, objectStorage: { endpoint: 'http://minio.minio.svc:9000', region: 'minio' } })).toEqual([
      'overlays/c1.ts: objectStorage.endpoint: received "http://minio.minio.svc:9000", a Service inside the cluster that no platform component deploys (and backups kept in the cluster they back up are lost with it); use an S3-compatible store outside the cluster such as https://s3.corp.company.ru',
    ]);
    expect(problemsOf({ ...onprem, objectStorage: { endpoint: 'http://minio.minio.svc.cluster.local:9000', region: 'minio' } })).toHaveLength(1);
  });

  test('the clouds keep their own object storage without an overlay field', () => {
    const cloud = { ...onprem, cloud: 'yandex', infrastructure: 'managed', domain: 'prod.company.ru', loadBalancer: undefined };
    expect(problemsOf(cloud)).toEqual([]);
  });

  describe('an on-prem cluster with the data centre\'s store', () => {
    const store = 'https://s3.corp.company.ru';
    const objects: Record<string, any>[] = renderCluster(specFor({ ...onprem, objectStorage: { endpoint: store, region: 'msk-dc1' } }, 'dc1')).manifests.map((m) => m.object);
    const app = (name: string) => objects.find((o) => o.kind === 'Application' && o.metadata.name === name)!;

    test('no rendered object points at the in-cluster MinIO', () => {
      expect(JSON.stringify(objects)).not.toContain('minio.minio.svc');
    });

    test('Velero\'s BackupStorageLocation writes to the data centre\'s store', () => {
      const bsl = objects.find((o) => o.kind === 'BackupStorageLocation')!;
      expect(bsl.spec.config).toMatchObject({ s3Url: store, region: 'msk-dc1' });
    });

    test('Loki and Tempo keep their chunks and traces there', () => {
      expect(app('loki').spec.source.helm.valuesObject.loki.storage.s3).toMatchObject({ endpoint: store, region: 'msk-dc1', insecure: false });
      expect(JSON.stringify(app('tempo').spec.source.helm.valuesObject)).toContain('"endpoint":"s3.corp.company.ru"');
    });

    test('the Vault snapshot job uploads there', () => {
      const text = JSON.stringify(objects.filter((o) => o.kind === 'CronJob' || o.kind === 'Application'));
      expect(text).toContain(`"--endpoint-url","${store}"`);
    });
  });

  test('the example on-prem clusters (onprem-prod, dev) render no object pointing at an in-cluster store', async () => {
    const specs = await loadFleet(EXAMPLE_OVERLAYS, ['onprem-prod', 'dev']);
    for (const spec of specs) {
      expect(JSON.stringify(renderCluster(spec).manifests.map((m) => m.object))).not.toMatch(/\.svc(\.cluster\.local)?:9000/);
    }
  }, 60_000);
});
