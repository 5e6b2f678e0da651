// The example fleet's OpenTofu stacks, one golden per cloud, and each validated against the
// providers' reference schemas. The run uses `jest --ci`, so a missing snapshot fails.
import { loadFleet } from '../../spec/load.js';
import { renderInfra } from '../../infra/render.js';
import { formatFinding } from '../../validate/finding.js';
import { EXAMPLE_OVERLAYS } from '../helpers/fleet.js';
import { describeWithReferenceData } from '../helpers/reference-data.js';
import { INFRA_SCHEMAS, loadSchemas } from './helpers.js';

const STACKS = { yandex: 'yc-prod', sber: 'sber-prod', vk: 'vk-stage', onprem: 'onprem-prod' };

describe('the example fleet renders one OpenTofu stack per cluster with a backend', () => {
  test('every cluster but the laptop one (backend none) has a stack', async () => {
    const { files } = renderInfra(await loadFleet(EXAMPLE_OVERLAYS));
    expect([...new Set(files.map((f) => f.path.split('/')[1]))].sort()).toEqual(Object.values(STACKS).sort());
  });

  test.each(Object.entries(STACKS))('the %s stack (%s) is as reviewed', async (_cloud, cluster) => {
    const { files } = renderInfra(await loadFleet(EXAMPLE_OVERLAYS, [cluster]));
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
