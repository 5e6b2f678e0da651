import { ProviderSchemas } from '../../infra/tofu/provider-schemas.js';
import { specFor } from '../helpers/fleet.js';
import { ONPREM_SITE } from '../helpers/onprem-site.js';
import { referencePath } from '../helpers/reference-data.js';

/** The providers' reference schemas (describeWithReferenceData('...', INFRA_SCHEMAS, ...) guards their presence). */
export const INFRA_SCHEMAS = 'infra/terraform';

export function loadSchemas(): ProviderSchemas {
  return ProviderSchemas.load(referencePath(INFRA_SCHEMAS))!;
}

/** A valid spec with an OpenTofu stack, on `cloud`, plus overrides. */
export function stackSpec(cloud: 'yandex' | 'sber' | 'vk' | 'onprem', overlay: Record<string, any> = {}, name = 'c1') {
  const site = cloud === 'onprem' ? { infrastructure: 'vsphere', ...ONPREM_SITE } : {};
  return specFor({ cloud, ...site, ...overlay, infra: { backend: 'opentofu', ...(overlay.infra ?? {}) } }, name);
}
