// The providers the stacks use, pinned. Each version is the one whose documented schema is in
// ../shared/infra/terraform/<schemaFile> (the validator refuses a pin that differs from it), and
// every one is installed from the company's mirror (docs/infra.md#the-provider-mirror).

export interface ProviderPin {
  /** `required_providers` source address. */
  readonly source: string;
  /** Exact version (an exact constraint: `tofu init` never picks another). */
  readonly version: string;
  /** The reference schema it is validated against. */
  readonly schemaFile: string;
}

export const PROVIDERS = {
  yandex: { source: 'yandex-cloud/yandex', version: '0.222.0', schemaFile: 'yandex-v0.222.0.json' },
  sbercloud: { source: 'sbercloud-terraform/sbercloud', version: '1.12.20', schemaFile: 'sbercloud-v1.12.20.json' },
  // Cloud.ru Evolution: not on any public registry, so only a mirror can serve it.
  cloudru: { source: 'cloud.ru/cloudru/cloud', version: '2.1.1', schemaFile: 'cloudru-v2.1.1.json' },
  vkcs: { source: 'vk-cs/vkcs', version: '0.16.0', schemaFile: 'vkcs-v0.16.0.json' },
  vsphere: { source: 'vmware/vsphere', version: '2.16.1', schemaFile: 'vsphere-v2.16.1.json' },
  dns: { source: 'hashicorp/dns', version: '3.6.1', schemaFile: 'dns-v3.6.1.json' },
  harbor: { source: 'goharbor/harbor', version: '3.12.4', schemaFile: 'harbor-v3.12.4.json' },
  minio: { source: 'aminueza/minio', version: '3.40.1', schemaFile: 'minio-v3.40.1.json' },
} as const satisfies Record<string, ProviderPin>;

export type ProviderName = keyof typeof PROVIDERS;

/** OpenTofu ≥ 1.10: state encryption (1.7) and the S3 backend's native lock file (1.10). */
export const REQUIRED_TOFU = '>= 1.10.0';
