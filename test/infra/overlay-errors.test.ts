// A bad `infra` field of an overlay gets one line naming the file, the field and what is valid.
import { resolveCluster } from '../../spec/load.js';
import { withAlertReceiver } from '../helpers/fleet.js';
import { ManagedCluster, InfraPropError, InfraStack, NodePool } from '../../infra/model.js';

const problemsOf = (cloud: string, infra: Record<string, unknown>) => resolveCluster({
  name: 'c1', file: 'overlays/c1.ts',
  overlay: withAlertReceiver({ cloud, environment: 'prod', domain: 'prod.company.ru', secrets: { ageRecipients: ['age190vd7ndvmhuc23dvgfpznujeuwufj92f0lpajhlfl52rky3kdprsnqz0pm'] }, infra }),
}).problems;

describe('bad infra fields of an overlay', () => {
  test('an unknown backend lists the valid ones', () => {
    expect(problemsOf('vk', { backend: 'terraform' })).toEqual(['overlays/c1.ts: infra.backend: received "terraform"; expected one of "opentofu", "crossplane", "cluster-api", "none"']);
  });

  test('a range whose host bits are set is refused', () => {
    expect(problemsOf('vk', { network: { nodesCidr: '10.3.1.0/16' } })).toEqual([
      'overlays/c1.ts: infra.network.nodesCidr: received "10.3.1.0/16"; the network address of the prefix (host bits zero, e.g. 10.1.0.0/16, not 10.1.2.0/16)',
    ]);
  });

  test('a cluster\'s own ranges may not overlap', () => {
    expect(problemsOf('vk', { network: { podsCidr: '10.3.128.0/17' } })).toEqual([
      'overlays/c1.ts: infra.network.podsCidr: received "10.3.128.0/17", which overlaps infra.network.nodesCidr "10.3.0.0/16"; the nodes\', pods\' and services\' ranges of a cluster are disjoint',
    ]);
  });

  test('a pool whose min exceeds its max is refused', () => {
    expect(problemsOf('vk', { nodePools: [{ name: 'system', cpu: 4, memoryGiB: 16, diskGiB: 64, min: 5, max: 3 }] })).toEqual([
      'overlays/c1.ts: infra.nodePools[0].min: received 5, more than max 3; min ≤ max (equal for a fixed-size pool)',
    ]);
  });

  test('a mirror URL without the trailing slash the protocol needs is refused', () => {
    expect(problemsOf('vk', { mirror: 'https://tofu-mirror.company.ru/providers' })).toEqual([
      'overlays/c1.ts: infra.mirror: received "https://tofu-mirror.company.ru/providers"; expected an https:// URL ending in "/" (the network mirror protocol requires both), e.g. https://tofu-mirror.company.ru/providers/',
    ]);
  });

  test('a registry on VK Cloud is refused: its add-on is not automated', () => {
    expect(problemsOf('vk', { backend: 'opentofu', registry: { name: 'soft-yt' } })).toEqual([
      'overlays/c1.ts: infra.registry: received a registry on VK Cloud; its registry is the docker-registry cluster add-on, which this stack does not create (docs/infra.md#what-is-not-automated): remove infra.registry',
    ]);
  });

  test('a Harbor registry on-prem needs its host', () => {
    const problems = resolveCluster({
      name: 'c1', file: 'overlays/c1.ts',
      overlay: withAlertReceiver({
        cloud: 'onprem', infrastructure: 'vsphere', environment: 'prod', domain: 'corp.company.ru',
        loadBalancer: { provider: 'kube-vip' }, objectStorage: { endpoint: 'https://s3.corp.company.ru', region: 'msk-dc1' },
        secrets: { ageRecipients: ['age190vd7ndvmhuc23dvgfpznujeuwufj92f0lpajhlfl52rky3kdprsnqz0pm'] },
        infra: { backend: 'opentofu', registry: { name: 'soft-yt' } },
      }),
    }).problems;
    expect(problems).toEqual(['overlays/c1.ts: infra.registry.host: missing; on-prem the registry is a Harbor project: name the Harbor host, e.g. harbor.corp.company.ru']);
  });
});

describe('infra constructs validate their props', () => {
  const stack = () => new InfraStack({
    cluster: 'c1', cloud: 'vk', environment: 'prod', region: 'ru-msk',
    objectStorage: { endpoint: 'https://hb.ru-msk.vkcloud-storage.ru', region: 'ru-msk' },
    state: { bucket: 'company-tofu-state', key: 'infra/c1/terraform.tfstate', endpoint: 'https://hb.ru-msk.vkcloud-storage.ru', region: 'ru-msk' },
    mirror: 'https://tofu-mirror.company.ru/providers/',
  });
  const network = { nodesCidr: '10.3.0.0/16', podsCidr: '10.103.0.0/16', servicesCidr: '10.203.0.0/16', zones: ['MS1'] };

  test('a node pool of more CPUs than any machine throws with its path and field', () => {
    const s = stack();
    const cluster = new ManagedCluster(s, 'main', { version: '1.32', network, infrastructure: 'managed' });
    expect(() => new NodePool(s, 'big', { cluster, cpu: 200, memoryGiB: 16, diskGiB: 64, min: 1, max: 1 }))
      .toThrow(new InfraPropError('InfraStack/c1/NodePool/big: props.cpu: received 200; expected a whole number from 2 to 96'));
  });

  test('two constructs of one kind and name throw', () => {
    const s = stack();
    new ManagedCluster(s, 'main', { version: '1.32', network, infrastructure: 'managed' });
    expect(() => new ManagedCluster(s, 'main', { version: '1.32', network, infrastructure: 'managed' }))
      .toThrow('InfraStack/c1: props.ManagedCluster.name: received "main"; expected a name no other ManagedCluster of the stack has');
  });
});
