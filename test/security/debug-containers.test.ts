// `kubectl debug` adds an ephemeral container through an UPDATE of the pods/ephemeralcontainers
// subresource, which a policy matching `pods` does not see. Checked on a rendered cluster's own
// policies with the simulator's CEL evaluation of Kyverno's ValidatingPolicy.
import { renderCluster } from '../../charts/cluster.js';
import { applicableSpec, namespaceLabels } from '../../simulate/admission/kyverno-match.js';
import { checkKyvernoPolicies, imagesNeedingSignature, type AdmissionRequest } from '../../simulate/admission/kyverno.js';
import type { SimObject } from '../../simulate/model.js';
import { loadFleet } from '../../spec/load.js';
import type { ClusterSpec } from '../../spec/schema.js';
import { readPolicies } from '../../validate/image-rules.js';
import { EXAMPLE_OVERLAYS } from '../helpers/fleet.js';

type K8s = Record<string, any>;

let spec: ClusterSpec;
let policies: K8s[];
beforeAll(async () => {
  // A prod cluster: its policies enforce.
  [spec] = await loadFleet(EXAMPLE_OVERLAYS, ['yc-prod']);
  policies = renderCluster(spec).manifests.map((m) => m.object).filter((o) => String(o.apiVersion).startsWith('policies.kyverno.io/'));
}, 120_000);

const teamNamespace = () => spec.teams[0]!.namespaces[0]!;
const namespace = (name: string) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
const companyImage = () => `${spec.imagePolicy.signedImages[0]!.replace(/\*.*$/, '')}web:1.4.2`;

/** A running team pod, and the same pod with a debug container added (what `kubectl debug` sends). */
function debugRequest(image: string): { obj: SimObject; request: AdmissionRequest } {
  const ns = teamNamespace();
  const sized = { requests: { cpu: '10m', memory: '32Mi' }, limits: { memory: '64Mi' } };
  const before = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-7d9f', namespace: ns }, spec: { containers: [{ name: 'web', image: companyImage(), resources: sized }] } };
  const after = { ...before, spec: { ...before.spec, ephemeralContainers: [{ name: 'debugger-x7k2p', image, stdin: true, tty: true, targetContainerName: 'web' }] } };
  return {
    obj: { cluster: spec.name, file: '(kubectl debug)', object: after },
    request: { operation: 'UPDATE', subResource: 'ephemeralcontainers', oldObject: before, userInfo: { username: 'dev@company.ru', groups: ['system:authenticated'] } },
  };
}

describe('debug containers are held to the image policies', () => {
  test('a debug container with an image from a registry that is not allowed is denied by the rendered registry policy', () => {
    const { obj, request } = debugRequest('docker.io/nicolaka/netshoot:v0.13');
    const findings = checkKyvernoPolicies(obj, policies, namespace(teamNamespace()), request);
    expect(findings.map((f) => f.message)).toEqual([
      expect.stringMatching(/^denied by Kyverno ValidatingPolicy restrict-image-registries-ephemeral-containers: .*not allowed: docker\.io\/nicolaka\/netshoot:v0\.13$/),
    ]);
  });

  test('a debug container with an image from an allowed registry is admitted', () => {
    const { obj, request } = debugRequest(companyImage());
    expect(checkKyvernoPolicies(obj, policies, namespace(teamNamespace()), request)).toEqual([]);
  });

  test('a debug container with a company image is checked for a signature by a rendered ImageValidatingPolicy on the subresource', () => {
    const { obj } = debugRequest(companyImage());
    const labels = namespaceLabels(teamNamespace(), namespace(teamNamespace()));
    const applying = policies.filter((p) => p.kind === 'ImageValidatingPolicy' && applicableSpec(p.spec, obj.object, labels, { operation: 'UPDATE', subResource: 'ephemeralcontainers' }));
    expect(applying.map((p) => p.metadata.name)).toEqual(['verify-image-signatures-ephemeral-containers']);
    const [policy] = applying;
    // The same images and signer as the pods' policy, and every debug container's image verified.
    const pods = policies.find((p) => p.kind === 'ImageValidatingPolicy' && p.metadata.name === 'verify-image-signatures')!;
    expect(policy.spec.matchImageReferences).toEqual(pods.spec.matchImageReferences);
    expect(policy.spec.attestors).toEqual(pods.spec.attestors);
    expect(policy.spec.validationActions).toEqual(['Deny']);
    // Exactly the pods' checks of ephemeral containers (signature, and SBOM where required).
    const ephemeral = pods.spec.validations.filter((v: K8s) => v.expression.includes('images.ephemeralContainers'));
    expect(ephemeral.map((v: K8s) => v.expression)).toContainEqual(expect.stringContaining('.all(image, verifyImageSignatures(image, [attestors.signer]) > 0)'));
    expect(policy.spec.validations).toEqual(ephemeral);
  });

  test('an unsigned debug image outside the signed patterns is reported like a pod\'s, by the policy on the subresource', () => {
    const { obj, request } = debugRequest('cr.yandex/crp-debug/toolbox:1');
    expect(imagesNeedingSignature(obj, policies, namespace(teamNamespace()), request)).toEqual(['cr.yandex/crp-debug/toolbox:1']);
  });

  test('the pods\' policies still apply to pod controllers through autogen, and the image rules still read the pods\' policies', () => {
    for (const name of ['restrict-image-registries', 'verify-image-signatures']) {
      const p = policies.find((x) => x.metadata.name === name)!;
      expect({ name, resources: p.spec.matchConstraints.resourceRules.flatMap((r: K8s) => r.resources), autogen: p.spec.autogen })
        .toEqual({ name, resources: ['pods'], autogen: { podControllers: { controllers: expect.arrayContaining(['deployments']) } } });
    }
    const read = readPolicies(renderCluster(spec).manifests);
    expect(read.registries?.manifest.object.metadata.name).toBe('restrict-image-registries');
    expect(read.verification?.manifest.object.metadata.name).toBe('verify-image-signatures');
  });
});
