import { resolveCluster } from '../../spec/load.js';
import { EXAMPLE_BACKEND } from '../../spec/observability.js';

const base = {
  cloud: 'vk', environment: 'prod', domain: 'prod.company.ru',
  secrets: { ageRecipients: ['age190vd7ndvmhuc23dvgfpznujeuwufj92f0lpajhlfl52rky3kdprsnqz0pm'] },
};
const team = (services: unknown[], namespaces = ['storefront']) => ({
  teams: [{ name: 'storefront', groups: ['g'], namespaces, repos: ['ssh://git@git.company.ru/storefront/deploy.git'], services }],
});
const problemsOf = (overlay: unknown) => resolveCluster({ name: 'c1', file: 'overlays/c1.ts', overlay }).problems;

describe('a bad observability, Vault or backup overlay gets one line naming the overlay file and field', () => {
  test.each([
    ['a storage endpoint that is not a URL', { ...base, objectStorage: { endpoint: 'storage.yandexcloud.net' } },
      'overlays/c1.ts: objectStorage.endpoint: received "storage.yandexcloud.net"; expected an http(s):// URL of the S3 endpoint such as https://storage.yandexcloud.net (no path)'],
    ['a retention that is not a duration', { ...base, observability: { prometheus: { retention: '30 days' } } },
      'overlays/c1.ts: observability.prometheus.retention: received "30 days"; expected a duration such as 12h, 15d or 4w (a whole number and one unit: h, d or w)'],
    ['a backup retention in Go syntax', { ...base, backup: { retention: '720h0m0s' } },
      'overlays/c1.ts: backup.retention: received "720h0m0s"; expected a duration such as 12h, 15d or 4w (a whole number and one unit: h, d or w)'],
    ['a volume size without a unit', { ...base, observability: { loki: { storage: '50' } } },
      'overlays/c1.ts: observability.loki.storage: received "50"; expected a storage size such as 10Gi (a whole number and Mi, Gi or Ti)'],
    ['an even raft size', { ...base, vault: { replicas: 2 } },
      'overlays/c1.ts: vault.replicas: received 2; an odd raft size: 1, 3 or 5'],
    ['a backup schedule that is not cron', { ...base, backup: { schedule: 'daily' } },
      'overlays/c1.ts: backup.schedule: received "daily"; expected a cron schedule of five fields such as "0 2 * * *"'],
    ['several Loki replicas on the filesystem', { ...base, observability: { loki: { backend: 'filesystem', replicas: 3 } } },
      'overlays/c1.ts: observability.loki.replicas: received 3 with backend "filesystem"; replicas share chunks only through object storage (set backend "s3", or replicas 1)'],
    ['a service outside its team\'s namespaces', { ...base, ...team([{ ...EXAMPLE_BACKEND, namespace: 'payments' }]) },
      'overlays/c1.ts: teams[0].services[0].namespace: received "payments", not a namespace of team "storefront" (storefront); a service runs in its team\'s namespace'],
    ['CSI delivery with the CSI provider off', { ...base, vault: { csi: false } },
      'overlays/c1.ts: teams[1].services[0].vault.delivery: received "csi" but vault.csi is false; turn the CSI provider on, or use "injector"'],
    ['an injector mount path', { ...base, ...team([{ ...EXAMPLE_BACKEND, vault: { ...EXAMPLE_BACKEND.vault, delivery: 'injector', mountPath: '/secrets' } }]) },
      'overlays/c1.ts: teams[0].services[0].vault.mountPath: received "/secrets"; the injector always writes to /vault/secrets (leave mountPath out)'],
    ['a Vault path that is not KV v2', { ...base, ...team([{ ...EXAMPLE_BACKEND, vault: { ...EXAMPLE_BACKEND.vault, secrets: [{ name: 'db', path: 'secret/storefront/db', key: 'password' }] } }]) },
      'overlays/c1.ts: teams[0].services[0].vault.secrets[0].path: received "secret/storefront/db"; expected a KV v2 API path such as kv/data/storefront/storefront-api (<mount>/data/<path>)'],
    ['one file name twice', { ...base, ...team([{ ...EXAMPLE_BACKEND, vault: { ...EXAMPLE_BACKEND.vault, secrets: [EXAMPLE_BACKEND.vault!.secrets[0], EXAMPLE_BACKEND.vault!.secrets[0]] } }]) },
      'overlays/c1.ts: teams[0].services[0].vault.secrets[1].name: received "db-password" twice; each secret is one file under the mount path'],
  ])('%s', (_what, overlay, message) => {
    expect(problemsOf(overlay)).toEqual([message]);
  });

  test('per-cloud object storage defaults (platform-reference §9)', () => {
    const store = (cloud: string) => resolveCluster({ name: 'c1', file: 'overlays/c1.ts', overlay: { ...base, cloud, ...(cloud === 'onprem' ? { infrastructure: 'vsphere', domain: 'corp.company.ru' } : {}) } }).spec?.objectStorage;
    expect(store('yandex')).toEqual({ endpoint: 'https://storage.yandexcloud.net', region: 'ru-central1' });
    expect(store('vk')).toEqual({ endpoint: 'https://hb.ru-msk.vkcloud-storage.ru', region: 'ru-msk' });
    expect(store('sber')).toEqual({ endpoint: 'https://obs.ru-moscow-1.hc.sbercloud.ru', region: 'ru-moscow-1' });
    // None on-prem: the overlay names the data centre's store (test/operability/onprem-storage.test.ts).
    expect(store('onprem')).toBeUndefined();
  });

  test('an overlay that replaces the teams drops their services with them', () => {
    const r = resolveCluster({ name: 'c1', file: 'overlays/c1.ts', overlay: { ...base, teams: [] } });
    expect(r.problems).toEqual([]);
  });
});
