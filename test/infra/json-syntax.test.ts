// The OpenTofu JSON-syntax rules (opentofu-json.md) a provider schema does not cover; these need no
// reference data.
import { checkTofuSyntax } from '../../infra/tofu/json-syntax.js';
import { formatFinding } from '../../validate/finding.js';

const lines = (root: unknown) => checkTofuSyntax('c1', 'infra/c1/x.tf.json', root).map(formatFinding);

describe('OpenTofu JSON syntax', () => {
  test('an unknown top-level block type is named with the one meant', () => {
    expect(lines({ resources: {} })).toEqual(['c1: infra/c1/x.tf.json: resources: unknown top-level block type "resources"; did you mean "resource"?']);
  });

  test('a resource given without its name level fails', () => {
    expect(lines({ resource: { yandex_vpc_network: 'main' } })).toEqual([
      'c1: infra/c1/x.tf.json: resource.yandex_vpc_network: expected an object of resource names, each with its body (labels become nested objects); got string "main"',
    ]);
  });

  test('depends_on takes plain references, not interpolations', () => {
    expect(lines({ resource: { yandex_vpc_network: { main: { depends_on: ['${yandex_iam_service_account.a}'] } } } })).toEqual([
      'c1: infra/c1/x.tf.json: resource.yandex_vpc_network.main: .depends_on[0]: expected a plain reference such as "yandex_vpc_network.main" (no "${...}"); got string "${yandex_iam_service_account.a}"',
    ]);
  });

  test('terraform settings other than backend and encryption are literal', () => {
    expect(lines({ terraform: { required_version: '${var.v}' } })).toEqual([
      'c1: infra/c1/x.tf.json: terraform: .required_version: terraform settings are read literally: no "${...}" references or functions here',
    ]);
  });

  test('a provider version range is refused: providers are pinned', () => {
    expect(lines({ terraform: { required_providers: { yandex: { source: 'yandex-cloud/yandex', version: '~> 0.222' } } } })).toEqual([
      'c1: infra/c1/x.tf.json: terraform: .required_providers.yandex.version: expected an exact version such as "0.222.0" (providers are pinned; ranges let init pick another); got string "~> 0.222"',
    ]);
  });

  test('the deprecated S3 endpoint argument is refused with its replacement', () => {
    expect(lines({ terraform: { backend: { s3: { bucket: 'b', key: 'k', region: 'r', endpoint: 'https://obs' } } } })).toEqual([
      'c1: infra/c1/x.tf.json: terraform: .backend.s3.endpoint: deprecated; use endpoints.s3',
    ]);
  });

  test('the state encryption names its method by a plain reference to a declared one', () => {
    const encryption = {
      key_provider: { pbkdf2: { k: { passphrase: '${var.p}' } } },
      method: { aes_gcm: { m: { keys: '${key_provider.pbkdf2.k}' } } },
      state: { method: '${method.aes_gcm.m}', enforced: true },
    };
    expect(lines({ terraform: { encryption } })).toEqual([
      'c1: infra/c1/x.tf.json: terraform: .encryption.state.method: expected a plain reference "method.<type>.<name>" to a declared method (method.aes_gcm.m); got string "${method.aes_gcm.m}"',
    ]);
  });

  test('an unclosed interpolation fails', () => {
    expect(lines({ output: { a: { value: '${var.a' } } })).toEqual(['c1: infra/c1/x.tf.json: output: .a.value: unclosed "${" in string "${var.a"']);
  });
});
