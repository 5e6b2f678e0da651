import { renderCluster } from '../../charts/cluster.js';
import { loadFleet } from '../../spec/load.js';
import { formatSchemaError, validateSchemas } from '../../validate/schema.js';
import { EXAMPLE_OVERLAYS } from '../helpers/fleet.js';

// The schema validator is wired into synth by validate/index.ts; until then this keeps the edge
// objects honest against the upstream CRDs on their own.
describe('edge objects of the example fleet', () => {
  test('every rendered object is valid against its upstream schema', async () => {
    const specs = await loadFleet(EXAMPLE_OVERLAYS);
    const manifests = specs.flatMap((s) => renderCluster(s).manifests);
    const errors = await validateSchemas(manifests);
    expect(errors.map(formatSchemaError)).toEqual([]);
  });
});
