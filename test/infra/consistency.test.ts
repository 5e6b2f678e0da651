// Each consistency rule between an overlay's infra block and the rest of the fleet fails on a
// crafted overlay, with the file, the field and what would be valid.
import { checkInfraConsistency } from '../../infra/consistency.js';
import type { ClusterSpec } from '../../spec/schema.js';
import { stackSpec } from './helpers.js';

const check = (...specs: ClusterSpec[]) => checkInfraConsistency(specs, (c) => `overlays/${c}.ts`);

describe('an overlay agrees with its own stack', () => {
  test('a Crossplane cluster is told to read its registry ID from the managed resource\'s status', () => {
    const spec = stackSpec('yandex', { infra: { backend: 'crossplane', management: 'mgmt', registry: { name: 'soft-yt' } } });
    expect(check(spec).warnings).toEqual([expect.stringContaining("set it to `kubectl --context mgmt -n c1 get registries.container.yandex-cloud.m.jet.crossplane.io soft-yt -o jsonpath='{.status.atProvider.id}'`")]);
  });

  test('a consistent cluster passes', () => {
    expect(check(stackSpec('yandex'))).toEqual({ problems: [], warnings: [] });
  });

  test('the domain must lie in the zone the stack creates', () => {
    expect(check(stackSpec('vk', { infra: { zone: 'stage.company.ru' } })).problems).toEqual([
      'overlays/c1.ts: infra.zone: received "stage.company.ru", which does not hold the cluster\'s domain "prod.company.ru"; the zone must be the domain or a parent of it (e.g. "prod.company.ru")',
    ]);
  });

  test('a parent zone of the domain holds it', () => {
    expect(check(stackSpec('vk', { infra: { zone: 'company.ru' } })).problems).toEqual([]);
  });

  test('ExternalDNS must write the folder where the stack creates the zone and its account', () => {
    const spec = stackSpec('yandex', { dns: { yandex: { folderId: 'b1gotherf01der000001', serviceAccountSecret: { name: 'yandex-dns-editor', key: 'key.json' } } } });
    expect(check(spec).problems).toEqual([
      'overlays/c1.ts: dns.yandex.folderId: received "b1gotherf01der000001", but the stack creates the zone and ExternalDNS\'s service account (role dns.editor) in folder "b1gc0mpanydns0000001" (infra.yandex.dnsFolderId): ExternalDNS and DNS-01 would write a folder they have no rights in; use "b1gc0mpanydns0000001"',
    ]);
  });

  test('the image policy must trust the registry the stack creates', () => {
    expect(check(stackSpec('sber', { infra: { registry: { name: 'team-a' } } })).problems).toEqual([
      'overlays/c1.ts: imagePolicy.signedImages: received ["ghcr.io/soft-yt/*"], which does not cover the registry the stack creates (swr.ru-moscow-1.hc.sbercloud.ru/team-a/...): its images would be neither verified nor allowed by the registry policy; add "swr.ru-moscow-1.hc.sbercloud.ru/team-a/*"',
    ]);
  });

  test('a registry the image policy trusts passes', () => {
    const spec = stackSpec('onprem', {
      infra: { registry: { name: 'team-a', host: 'harbor.corp.company.ru' } },
      imagePolicy: { signedImages: ['ghcr.io/soft-yt/*', 'harbor.corp.company.ru/team-a/*'] },
    });
    expect(check(spec).problems).toEqual([]);
  });

  test('a Yandex registry whose ID is not captured yet is a warning, not an error', () => {
    const r = check(stackSpec('yandex', { infra: { registry: { name: 'soft-yt' } } }));
    expect(r.problems).toEqual([]);
    expect(r.warnings).toEqual([expect.stringMatching(/^overlays\/c1\.ts: infra\.registry\.id: not set, .*cr\.yandex\/<id>\/\*/)]);
  });

  test('a captured Yandex registry ID the image policy does not trust fails', () => {
    expect(check(stackSpec('yandex', { infra: { registry: { name: 'soft-yt', id: 'crp0000000000000reg1' } } })).problems).toEqual([
      expect.stringContaining('overlays/c1.ts: imagePolicy.signedImages: received ["ghcr.io/soft-yt/*"], which does not cover the registry the stack creates (cr.yandex/crp0000000000000reg1/...)'),
    ]);
  });

  test('a bucket a component uses must be one the stack creates', () => {
    const spec = stackSpec('yandex', { infra: { buckets: ['c1-loki', 'c1-tempo', 'platform-vault-snapshots'] } });
    expect(check(spec).problems).toEqual([
      'overlays/c1.ts: backup.bucket: received "platform-velero" (velero), which the cluster\'s stack does not create (infra.buckets: ["c1-loki","c1-tempo","platform-vault-snapshots"]); add it to infra.buckets or use one of those',
    ]);
  });

  test('a cluster without a stack is not checked', () => {
    expect(check(stackSpec('vk', { infra: { backend: 'none', zone: 'other.ru' } })).problems).toEqual([]);
  });
});

describe('no two clusters claim one zone, range or bucket', () => {
  const first = stackSpec('vk', {}, 'a1');

  test('two stacks creating one zone: the later cluster is told', () => {
    const second = stackSpec('vk', {
      domain: 'prod.company.ru',
      infra: { network: { nodesCidr: '10.4.0.0/16', podsCidr: '10.104.0.0/16', servicesCidr: '10.204.0.0/16', zones: ['MS1'] } },
      backup: { bucket: 'b2-velero' }, vault: { snapshots: { bucket: 'b2-vault-snapshots' } },
    }, 'b2');
    expect(check(first, second).problems).toEqual([
      'overlays/b2.ts: infra.zone: received "prod.company.ru", the zone cluster "a1" already creates; a zone has one owner (give this cluster a child zone such as "b2.prod.company.ru")',
    ]);
  });

  test('overlapping address ranges fail, naming the other cluster\'s field', () => {
    const second = stackSpec('yandex', {
      domain: 'b2.company.ru',
      infra: { network: { nodesCidr: '10.5.0.0/16', podsCidr: '10.103.128.0/17', servicesCidr: '10.205.0.0/16', zones: ['ru-central1-a'] } },
    }, 'b2');
    expect(check(first, second).problems).toEqual([
      'overlays/b2.ts: infra.network.podsCidr: received "10.103.128.0/17", which overlaps infra.network.podsCidr "10.103.0.0/16" of cluster "a1"; clusters\' ranges are disjoint (they are peered and routed on-prem): pick a free range',
    ]);
  });

  test('one bucket in one store created by two stacks fails', () => {
    const second = stackSpec('vk', {
      domain: 'b2.company.ru',
      infra: { network: { nodesCidr: '10.4.0.0/16', podsCidr: '10.104.0.0/16', servicesCidr: '10.204.0.0/16', zones: ['MS1'] } },
      vault: { snapshots: { bucket: 'b2-vault-snapshots' } },
    }, 'b2');
    expect(check(first, second).problems).toEqual([
      'overlays/b2.ts: infra.buckets: "platform-velero" is a bucket cluster "a1" already creates in https://hb.ru-msk.vkcloud-storage.ru; a bucket has one owner: give this cluster its own (e.g. "b2-velero") in the field that names it and in infra.buckets',
    ]);
  });

  test('the same bucket name in two clouds\' stores is two buckets', () => {
    const second = stackSpec('yandex', { domain: 'b2.company.ru' }, 'b2');
    expect(check(first, second).problems).toEqual([]);
  });
});
