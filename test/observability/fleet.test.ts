import { renderCluster } from '../../charts/cluster.js';
import { loadFleet } from '../../spec/load.js';
import { formatFinding, validateTree } from '../../validate/index.js';
import { EXAMPLE_OVERLAYS } from '../helpers/fleet.js';

// The example fleet with the observability, Vault, backup and cost components: every object
// valid against its schema (prometheus-operator, Velero, Secrets Store CSI CRDs), every fleet rule holding.
describe('the example fleet', () => {
  test('renders valid objects and passes every fleet rule', async () => {
    const specs = await loadFleet(EXAMPLE_OVERLAYS);
    const rendered = specs.map((s) => renderCluster(s));
    const findings = await validateTree(rendered.flatMap((r) => r.manifests), rendered.flatMap((r) => r.files.map((f) => f.path)));
    expect(findings.map(formatFinding)).toEqual([]);
  });
});
