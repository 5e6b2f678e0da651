// A stack block the provider would refuse gets one finding naming the file, the block, the field
// and what would be valid — checked against the providers' reference schemas.
import { ProviderSchemas } from '../../infra/tofu/provider-schemas.js';
import { formatFinding } from '../../validate/finding.js';
import { describeWithReferenceData } from '../helpers/reference-data.js';
import { INFRA_SCHEMAS, loadSchemas } from './helpers.js';

describeWithReferenceData('resource and provider blocks against the reference schemas', INFRA_SCHEMAS, () => {
  let schemas: ProviderSchemas;
  beforeAll(() => { schemas = loadSchemas(); });
  const resource = (type: string, body: unknown) => ({ resource: { [type]: { main: body } } });
  const lines = (root: unknown) => schemas.check('c1', 'infra/c1/x.tf.json', root).map(formatFinding);

  test('a valid block has no finding', () => {
    expect(lines(resource('yandex_vpc_subnet', { network_id: '${yandex_vpc_network.main.id}', v4_cidr_blocks: ['10.1.0.0/18'], zone: 'ru-central1-a' }))).toEqual([]);
  });

  test('a misspelt argument is named with the one meant', () => {
    expect(lines(resource('yandex_vpc_subnet', { network_id: 'n', v4_cidr_blocks: ['10.1.0.0/18'], zonne: 'ru-central1-a' }))).toEqual([
      'c1: infra/c1/x.tf.json: resource.yandex_vpc_subnet.main: .zonne: unknown argument "zonne"; did you mean "zone"?',
    ]);
  });

  test('a missing required argument is named', () => {
    expect(lines(resource('yandex_vpc_subnet', { network_id: 'n' }))).toEqual([
      'c1: infra/c1/x.tf.json: resource.yandex_vpc_subnet.main: .v4_cidr_blocks: missing required argument "v4_cidr_blocks"',
    ]);
  });

  test('a missing required nested block is named', () => {
    const body = { cluster_id: 'c', name: 'p', initial_node_count: 1, flavor_id: 's6.xlarge.4', root_volume: [{ size: 50, volumetype: 'SSD' }] };
    expect(lines(resource('sbercloud_cce_node_pool', body))).toEqual([
      'c1: infra/c1/x.tf.json: resource.sbercloud_cce_node_pool.main: .data_volumes: missing required block "data_volumes"',
    ]);
  });

  test('an argument of a nested block is checked in it', () => {
    const body = { cluster_id: 'c', name: 'p', initial_node_count: 1, flavor_id: 'f', root_volume: [{ size: 50, volumetype: 'SSD' }], data_volumes: [{ size: 64, volume_type: 'SSD' }] };
    expect(lines(resource('sbercloud_cce_node_pool', body))).toEqual([
      'c1: infra/c1/x.tf.json: resource.sbercloud_cce_node_pool.main: .data_volumes[0].volume_type: unknown argument "volume_type"; did you mean "volumetype"?',
      'c1: infra/c1/x.tf.json: resource.sbercloud_cce_node_pool.main: .data_volumes[0].volumetype: missing required argument "volumetype"',
    ]);
  });

  test('a value of the wrong type says what was expected and what came', () => {
    expect(lines(resource('yandex_dns_zone', { zone: 'prod.company.ru.', public: 'yes' }))).toEqual([
      'c1: infra/c1/x.tf.json: resource.yandex_dns_zone.main: .public: expected true or false; got string "yes"',
    ]);
  });

  test('an expression stands for any type', () => {
    expect(lines(resource('yandex_dns_zone', { zone: 'prod.company.ru.', public: '${var.public}' }))).toEqual([]);
  });

  test('several blocks where one is allowed fail', () => {
    expect(lines(resource('sbercloud_cce_cluster', {
      name: 'c', flavor_id: 'f', vpc_id: 'v', subnet_id: 's', container_network_type: 'overlay_l2', timeouts: [{ create: '1h' }, { create: '2h' }],
    }))).toEqual([
      'c1: infra/c1/x.tf.json: resource.sbercloud_cce_cluster.main: .timeouts: expected one block (an object): "timeouts" takes a single block; got an array of 2',
    ]);
  });

  test('two arguments that exclude each other fail', () => {
    expect(lines(resource('yandex_storage_bucket', { bucket: 'b', bucket_prefix: 'b-' }))).toEqual([
      'c1: infra/c1/x.tf.json: resource.yandex_storage_bucket.main: .bucket: conflicts with "bucket_prefix": give one of them',
    ]);
  });

  test('a deprecated provider argument fails', () => {
    expect(lines({ provider: { minio: { minio_server: 's3:443', minio_access_key: 'k' } } })).toEqual([
      'c1: infra/c1/x.tf.json: provider.minio: .minio_access_key: deprecated',
    ]);
  });

  test('a resource type without a reference schema is refused, with the closest known one', () => {
    expect(lines(resource('yandex_storage_buckets', { bucket: 'b' }))).toEqual([
      expect.stringMatching(/^c1: infra\/c1\/x\.tf\.json: resource\.yandex_storage_buckets\.main: no reference schema for resource type "yandex_storage_buckets" in .*; did you mean "yandex_storage_bucket"\? \(a type without a schema cannot be checked, so it is not allowed\)$/),
    ]);
  });

  test('a pinned version other than the schema\'s fails', () => {
    expect(lines({ terraform: { required_providers: { yandex: { source: 'yandex-cloud/yandex', version: '0.229.0' } } } })).toEqual([
      'c1: infra/c1/x.tf.json: terraform: .required_providers.yandex.version: expected "0.222.0", the version whose schema the stack is checked against; got string "0.229.0" (update the reference schema and infra/tofu/providers.ts together)',
    ]);
  });

  test('a reference to an attribute the resource lacks fails', () => {
    const files = [{ path: 'infra/c1/a.tf.json', content: JSON.stringify({
      resource: { yandex_container_registry: { main: { name: 'r' } } },
      output: { registry_id: { value: '${yandex_container_registry.main.registry_url}' } },
    }) }];
    expect(schemas.checkReferences('c1', files).map(formatFinding)).toEqual([
      'c1: infra/c1/a.tf.json: output.registry_id: .value: "yandex_container_registry.main.registry_url": yandex_container_registry has no attribute "registry_url"; did you mean "registry_id"?',
    ]);
  });

  test('a reference to a resource or variable the stack lacks fails', () => {
    const files = [{ path: 'infra/c1/a.tf.json', content: JSON.stringify({
      resource: { yandex_vpc_subnet: { a: { network_id: '${yandex_vpc_network.main.id}', v4_cidr_blocks: ['${var.cidr}'] } } },
    }) }];
    expect(schemas.checkReferences('c1', files).map(formatFinding)).toEqual([
      'c1: infra/c1/a.tf.json: resource.yandex_vpc_subnet.a: .network_id: "yandex_vpc_network.main.id": no resource yandex_vpc_network.main in this stack',
      'c1: infra/c1/a.tf.json: resource.yandex_vpc_subnet.a: .v4_cidr_blocks[0]: "var.cidr": no variable "cidr" is declared in this stack',
    ]);
  });
});
