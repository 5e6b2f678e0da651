// The example fleet's OpenTofu stacks, one golden per cloud, and each validated against the
// providers' reference schemas. The run uses `jest --ci`, so a missing snapshot fails.
import { join } from 'node:path';
import { loadFleet, loadOverlayFiles, resolveCluster } from '../../spec/load.js';
import type { ClusterSpec } from '../../spec/schema.js';
import { renderInfra } from '../../infra/render.js';
import { formatFinding } from '../../validate/finding.js';
import { EXAMPLE_OVERLAYS } from '../helpers/fleet.js';
import { describeWithReferenceData } from '../helpers/reference-data.js';
import { INFRA_SCHEMAS, loadSchemas } from './helpers.js';

const STACKS = { yandex: 'yc-prod', sber: 'sber-prod', vk: 'vk-stage', onprem: 'onprem-prod' };

/**
 * The example cluster of a cloud, with an OpenTofu stack: yc-prod is made by Crossplane in the
 * example fleet, so its Yandex golden is yc-prod's overlay with the OpenTofu backend.
 */
async function withOpenTofu(cluster: string): Promise<ClusterSpec> {
  const [spec] = await loadFleet(EXAMPLE_OVERLAYS, [cluster]);
  if (spec.infra.backend === 'opentofu') return spec;
  const [src] = await loadOverlayFiles([join(EXAMPLE_OVERLAYS, `${cluster}.ts`)]);
  const { infra } = src.overlay as { infra: Record<string, unknown> };
  const { management: _m, ...rest } = infra;
  const r = resolveCluster({ ...src, overlay: { ...(src.overlay as Record<string, unknown>), infra: { ...rest, backend: 'opentofu' } } });
  if (!r.spec) throw new Error(r.problems.join('\n'));
  return r.spec;
}

describe('the example fleet renders one OpenTofu stack per cluster with a backend', () => {
  test('every cluster but the laptop one (backend none) and the Crossplane one has a stack', async () => {
    const { files } = renderInfra(await loadFleet(EXAMPLE_OVERLAYS));
    expect([...new Set(files.filter((f) => f.path.startsWith('infra/')).map((f) => f.path.split('/')[1]))].sort()).toEqual(['onprem-prod', 'sber-prod', 'vk-stage']);
  });

  test.each(Object.entries(STACKS))('the %s stack (%s) is as reviewed', async (_cloud, cluster) => {
    const { files } = renderInfra([await withOpenTofu(cluster)]);
    for (const f of files) expect(f.content).toMatchSnapshot(f.path);
  });

  test('rendering twice gives the same bytes', async () => {
    const specs = await loadFleet(EXAMPLE_OVERLAYS);
    expect(renderInfra(specs).files).toEqual(renderInfra(specs).files);
  });
});

describeWithReferenceData('the example stacks against the providers\' reference schemas', INFRA_SCHEMAS, () => {
  test('every provider, resource and reference of every stack is valid', async () => {
    const r = renderInfra(await loadFleet(EXAMPLE_OVERLAYS), loadSchemas());
    expect(r.problems).toEqual([]);
    expect(r.findings.map(formatFinding)).toEqual([]);
  });
});
