import { platformComponents, renderCluster } from '../../charts/cluster.js';
import { allowedImagePrefixes, IMAGE_EXEMPTIONS, UPSTREAM_REGISTRIES } from '../../catalog/policy.js';
import { CHARTS, IMAGES } from '../../catalog/versions.js';
import { loadFleet } from '../../spec/load.js';
import type { ClusterSpec } from '../../spec/schema.js';
import { imageGlobMatch, imageReferences } from '../../validate/image-rules.js';
import { EXAMPLE_OVERLAYS, specFor } from '../helpers/fleet.js';

const objectsOf = (spec: ClusterSpec) => renderCluster(spec).manifests.map((m) => ({ file: m.file, ...m.object }) as Record<string, any>);
const find = (objects: Record<string, any>[], kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name)!;
const wave = (o: Record<string, any>) => Number(o.metadata.annotations['argocd.argoproj.io/sync-wave']);

let fleet: ClusterSpec[];
beforeAll(async () => { fleet = await loadFleet(EXAMPLE_OVERLAYS); });
const example = (name: string) => objectsOf(fleet.find((s) => s.name === name)!);

describe('Kyverno on every cluster', () => {
  test('the pinned chart, server-side applied, with the diff settings Kyverno-managed fields need', () => {
    const app = find(objectsOf(specFor()), 'Application', 'kyverno');
    expect(app.spec.source).toMatchObject({ repoURL: CHARTS.kyverno.repoURL, chart: 'kyverno', targetRevision: '3.9.0' });
    expect(app.spec.syncPolicy.syncOptions).toEqual(['ServerSideApply=true', 'RespectIgnoreDifferences=true']);
    expect(app.spec.ignoreDifferences).toEqual([
      { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole', managedFieldsManagers: ['clusterrole-aggregation-controller'] },
      { group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition', managedFieldsManagers: ['kyverno'] },
    ]);
  });

  test('the chart syncs a wave before the policies, which wait for their CRDs', () => {
    const objects = objectsOf(specFor());
    const chart = find(objects, 'Application', 'kyverno');
    const policies = find(objects, 'Application', 'kyverno-config');
    expect(wave(chart)).toBeLessThan(wave(policies));
    expect(policies.spec.source.path).toBe('clusters/c1/kyverno');
    expect(policies.spec.syncPolicy.syncOptions).toContain('SkipDryRunOnMissingResource=true');
  });

  test.each([['prod', 3], ['stage', 3], ['dev', 1]])('%s runs %i admission controller replicas', (environment, replicas) => {
    const values = find(objectsOf(specFor({ environment })), 'Application', 'kyverno').spec.source.helm.valuesObject;
    expect(values.admissionController.replicas).toBe(replicas);
    expect(values.admissionController.podDisruptionBudget.enabled).toBe(replicas > 1);
    if (replicas > 1) expect(values.admissionController.podDisruptionBudget.minAvailable).toBe(replicas - 1);
  });

  test('webhooks skip kube-system and Kyverno itself, and no policy can be made to fail open', () => {
    const values = find(objectsOf(specFor()), 'Application', 'kyverno').spec.source.helm.valuesObject;
    expect(values.config.webhooks.namespaceSelector.matchExpressions).toEqual([{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['kube-system', 'kyverno'] }]);
    expect(values.config.excludeKyvernoNamespace).toBe(true);
    expect(values.features.forceFailurePolicyIgnore.enabled).toBe(false);
    expect(values.features.policyExceptions.enabled).toBe(false);
  });

  test('the platform project and its controller role allow the CEL policy kinds', () => {
    const objects = objectsOf(specFor());
    const kinds = find(objects, 'AppProject', 'platform').spec.clusterResourceWhitelist.map((k: any) => `${k.group}/${k.kind}`);
    expect(kinds).toEqual(expect.arrayContaining(['policies.kyverno.io/ImageValidatingPolicy', 'policies.kyverno.io/ValidatingPolicy']));
    const rules = find(objects, 'ClusterRole', 'argocd-platform-cluster-resources').rules;
    expect(rules.some((r: any) => r.apiGroups.includes('policies.kyverno.io') && r.resources.includes('imagevalidatingpolicies'))).toBe(true);
  });
});

// The team-hosts policies (one per team, Enforce everywhere) fence names, not images: test/security/team-fences.test.ts.
// restrict-sops-secrets (Enforce everywhere) fences SopsSecrets: test/security/sops-copy.test.ts.
const supplyChain = (o: Record<string, any>) => !String(o.metadata?.name).startsWith('team-hosts-') && o.metadata?.name !== 'restrict-sops-secrets';

describe('the example fleet', () => {
  test('every cluster renders the three policies and no deprecated ClusterPolicy', () => {
    for (const spec of fleet) {
      const objects = objectsOf(spec).filter(supplyChain);
      const policies = objects.filter((o) => String(o.apiVersion).startsWith('policies.kyverno.io/') || String(o.apiVersion).startsWith('kyverno.io/'));
      expect([spec.name, policies.map((o) => `${o.apiVersion} ${o.kind}/${o.metadata.name}`).sort()]).toEqual([spec.name, [
        'policies.kyverno.io/v1 ImageValidatingPolicy/verify-image-signatures',
        'policies.kyverno.io/v1 ImageValidatingPolicy/verify-image-signatures-ephemeral-containers',
        'policies.kyverno.io/v1 ValidatingPolicy/require-requests-limits',
        'policies.kyverno.io/v1 ValidatingPolicy/restrict-image-registries',
        'policies.kyverno.io/v1 ValidatingPolicy/restrict-image-registries-ephemeral-containers',
      ]]);
    }
  });

  test.each([['yc-prod', 'Deny'], ['sber-prod', 'Deny'], ['onprem-prod', 'Deny'], ['vk-stage', 'Deny'], ['dev', 'Audit']])('%s: every policy says %s', (cluster, action) => {
    const policies = example(cluster).filter((o) => String(o.apiVersion).startsWith('policies.kyverno.io/') && supplyChain(o));
    expect(policies.map((o) => o.spec.validationActions)).toEqual([[action], [action], [action], [action], [action]]);
  });

  test('on-prem verifies with its cosign key and without the transparency log', () => {
    const cosign = find(example('onprem-prod'), 'ImageValidatingPolicy', 'verify-image-signatures').spec.attestors[0].cosign;
    expect(cosign.key.data).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    expect(cosign.ctlog).toEqual({ insecureIgnoreTlog: true, insecureIgnoreSCT: true });
  });

  test('yc-prod requires the CycloneDX SBOM and digests', () => {
    const spec = find(example('yc-prod'), 'ImageValidatingPolicy', 'verify-image-signatures').spec;
    expect(spec.attestations).toEqual([{ name: 'sbom', intoto: { type: 'https://cyclonedx.org/bom' } }]);
    expect(spec.validationConfigurations.verifyDigest).toBe(true);
  });

  test('the registry allowlist holds the company registry and the charts\' upstream registries', () => {
    const v = find(example('vk-stage'), 'ValidatingPolicy', 'restrict-image-registries').spec.variables.find((x: any) => x.name === 'allowedPrefixes');
    expect(JSON.parse(v.expression)).toEqual(expect.arrayContaining(['ghcr.io/soft-yt/', 'quay.io/jetstack/', 'reg.kyverno.io/kyverno/', 'cr.l5d.io/linkerd/', 'docker.io/traefik:', 'traefik:']));
  });

  test('requests and limits are required in team namespaces, not in platform ones', () => {
    const excluded = find(example('yc-prod'), 'ValidatingPolicy', 'require-requests-limits').spec.matchConstraints.namespaceSelector.matchExpressions[0].values;
    expect(excluded).toEqual(expect.arrayContaining(['argocd', 'cert-manager', 'istio-system', 'kube-system', 'kyverno']));
    for (const ns of fleet.flatMap((s) => s.teams.flatMap((t) => t.namespaces))) expect(excluded).not.toContain(ns);
  });

  test('every namespace a platform component runs in is exempt from the requests/limits rule (upstream charts do not size every container)', () => {
    for (const spec of fleet) {
      const excluded = find(objectsOf(spec), 'ValidatingPolicy', 'require-requests-limits').spec.matchConstraints.namespaceSelector.matchExpressions[0].values;
      const missing = platformComponents(spec).filter((c) => c.helm).map((c) => c.namespace).filter((ns) => !excluded.includes(ns));
      expect([spec.name, missing]).toEqual([spec.name, []]);
    }
  });

  test('every image pinned in the version catalog comes from an allowed upstream registry', () => {
    const prefixes = allowedImagePrefixes(UPSTREAM_REGISTRIES.map((r) => r.prefix));
    const refused = Object.values(IMAGES).map((i) => `${i.repository}:${i.tag}`).filter((ref) => !prefixes.some((p) => ref.startsWith(p)));
    expect(refused).toEqual([]);
  });

  test('every platform-wide exemption matches an image some example cluster writes (no stale exemptions)', () => {
    const images = fleet.flatMap((s) => renderCluster(s).manifests.flatMap(imageReferences)).map((r) => r.image);
    for (const e of IMAGE_EXEMPTIONS) expect([e.image, images.some((i) => imageGlobMatch(e.image, i))]).toEqual([e.image, true]);
  });
});
