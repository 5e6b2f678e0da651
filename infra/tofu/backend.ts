// The OpenTofu JSON backend: one mapping per cloud fills a TofuDocument, files.ts lays it out.
import type { Cloud } from '../../spec/schema.js';
import type { InfraBackend, InfraRender } from '../backend.js';
import type { InfraStack } from '../model.js';
import { TofuDocument } from './document.js';
import { stackFiles } from './files.js';
import { mapOnprem } from './onprem.js';
import { mapSber } from './sber.js';
import { mapVk } from './vk.js';
import { mapYandex } from './yandex.js';

const MAPPINGS: Record<Cloud, (stack: InfraStack, doc: TofuDocument) => void> = {
  yandex: mapYandex,
  sber: mapSber,
  vk: mapVk,
  onprem: mapOnprem,
};

export class OpenTofuBackend implements InfraBackend {
  readonly name = 'opentofu';
  render(stack: InfraStack): InfraRender {
    const doc = new TofuDocument();
    MAPPINGS[stack.props.cloud](stack, doc);
    return { files: stackFiles(stack, doc), notAutomated: doc.notAutomated };
  }
}
