// The example fleet's own workloads (what the constructs render into each cluster's tree) pass
// the cluster's own admission chain: its Kyverno policies and its namespaces' Pod Security levels.
import { renderCluster } from '../../../charts/cluster.js';
import { parseManifests } from '../../../primitives/manifests.js';
import { admit, imagesNeedingSignature } from '../../../simulate/admission/index.js';
import { podTemplate } from '../../../simulate/admission/pod-security.js';
import type { SimObject } from '../../../simulate/model.js';
import { loadFleet } from '../../../spec/load.js';
import { EXAMPLE_OVERLAYS } from '../../helpers/fleet.js';

interface ClusterObjects {
  readonly cluster: string;
  readonly objects: SimObject[];
  readonly namespaces: Map<string, Record<string, any>>;
  readonly policies: Record<string, any>[];
}

let clusters: ClusterObjects[] = [];

beforeAll(async () => {
  clusters = (await loadFleet(EXAMPLE_OVERLAYS)).map((spec) => {
    const objects = renderCluster(spec).files
      .flatMap((f) => (f.path.endsWith('.yaml') ? parseManifests(f.path, f.content) : []))
      .map((m) => ({ cluster: spec.name, file: m.file, object: m.object }));
    const namespaces = new Map(objects.filter((o) => o.object.kind === 'Namespace').map((o) => [o.object.metadata.name as string, o.object]));
    const policies = objects.filter((o) => String(o.object.apiVersion).startsWith('policies.kyverno.io/')).map((o) => o.object);
    return { cluster: spec.name, objects, namespaces, policies };
  });
});

describe('the example fleet against its own admission chain', () => {
  test('every cluster has workloads and Kyverno policies to check them with, some enforcing (the test checks something)', () => {
    expect(clusters.length).toBeGreaterThan(1);
    for (const c of clusters) {
      expect(c.objects.filter((o) => podTemplate(o.object)).length).toBeGreaterThan(0);
      // The team-hosts policies judge routes and certificates, not workloads (test/security/team-fences.test.ts).
      expect(c.policies.filter((p) => !String(p.metadata.name).startsWith('team-hosts-')).map((p) => p.kind).sort()).toEqual(['ImageValidatingPolicy', 'ImageValidatingPolicy', 'ValidatingPolicy', 'ValidatingPolicy', 'ValidatingPolicy', 'ValidatingPolicy']);
    }
    expect(clusters.some((c) => c.policies.some((p) => p.spec.validationActions.includes('Deny')))).toBe(true);
  });

  test('every object the constructs render is admitted', () => {
    const refused = clusters.flatMap((c) => c.objects.flatMap((o) => admit(o, c)));
    expect(refused.map((f) => `${f.cluster}: ${f.file}: ${f.object}: ${f.message}`)).toEqual([]);
  });

  test('every image of our own workloads is signed by our CI or a reviewed exemption', () => {
    const unsigned = clusters.flatMap((c) => c.objects.flatMap((o) => imagesNeedingSignature(o, c.policies, c.namespaces.get(o.object.metadata?.namespace)).map((i) => `${c.cluster}: ${o.file}: ${i}`)));
    expect(unsigned).toEqual([]);
  });
});
