// Validation for the cluster's Kubernetes version: one set of validators knows every version's
// apiVersions and fields, and what the cluster's version lacks is an error naming the field (or
// apiVersion), the version that has it and the version the cluster runs.
import { readFileSync } from 'node:fs';
import { parseManifests, type Manifest } from '../../primitives/manifests.js';
import { KUBERNETES_VERSIONS } from '../../validate/k8s-versions.js';
import { formatSchemaError, validateSchemas } from '../../validate/schema.js';
import { describeWithReferenceData, referencePath } from '../helpers/reference-data.js';
import { clone, deployment } from './helpers.js';

const inCluster = (object: Record<string, any>, cluster = 'c1'): Manifest => ({ cluster, file: `clusters/${cluster}/test/0.yaml`, index: 0, object });

/** `<path>: <message>` of each problem, validating for `version`. */
async function problemsOn(version: string | undefined, ...objects: Record<string, any>[]): Promise<string[]> {
  const errors = await validateSchemas(objects.map((o) => inCluster(o)), { kubernetesVersion: version });
  return errors.map((e) => `${e.path}: ${e.message}`);
}

/** A Deployment whose pods set pod-level resources (PodSpec.resources, Kubernetes 1.32+). */
function withPodResources(): Record<string, any> {
  const d = clone(deployment());
  d.spec.template.spec.resources = { requests: { cpu: '1' } };
  return d;
}

const flowSchema = (apiVersion: string) => ({
  apiVersion, kind: 'FlowSchema', metadata: { name: 'fs' },
  spec: { priorityLevelConfiguration: { name: 'global-default' }, matchingPrecedence: 1000 },
});

describe('fields', () => {
  test('a field newer than the cluster\'s version is an error naming the version that has it', async () => {
    expect(await problemsOn('1.31', withPodResources())).toEqual([
      '.spec.template.spec.resources: field "resources" needs Kubernetes ≥ 1.32; cluster c1 runs 1.31',
    ]);
  });

  test('the same field passes from the version that has it', async () => {
    expect(await problemsOn('1.32', withPodResources())).toEqual([]);
    expect(await problemsOn('1.36', withPodResources())).toEqual([]);
  });

  test('a field a later version removed is an error there, naming the versions that have it', async () => {
    const d = clone(deployment());
    d.spec.template.spec.resourceClaims = [{ name: 'gpu', source: { resourceClaimName: 'gpu' } }];
    expect(await problemsOn('1.30', d)).toEqual([]);
    expect(await problemsOn('1.33', d)).toEqual([
      '.spec.template.spec.resourceClaims[0].source: field "source" is not in Kubernetes 1.33 (only in 1.28–1.30); cluster c1 runs 1.33',
    ]);
  });

  test('an unknown field is still an error in every version (strictness is unchanged)', async () => {
    const d = clone(deployment());
    d.spec.template.spec.containers[0].imagePullPolicyy = 'Always';
    for (const v of ['1.28', '1.36']) {
      expect(await problemsOn(v, d)).toEqual(['.spec.template.spec.containers[0].imagePullPolicyy: unknown field "imagePullPolicyy"; did you mean "imagePullPolicy"?']);
    }
  });
});

describe('apiVersions', () => {
  test('an apiVersion the cluster\'s version no longer serves names the versions that serve it and what to use', async () => {
    expect(await problemsOn('1.29', flowSchema('flowcontrol.apiserver.k8s.io/v1beta2'))).toEqual([
      '.apiVersion: apiVersion "flowcontrol.apiserver.k8s.io/v1beta2" is not served by Kubernetes 1.29, which cluster c1 runs (it serves FlowSchema in 1.28 of the versions 1.28–1.36 known here); use "flowcontrol.apiserver.k8s.io/v1" or "flowcontrol.apiserver.k8s.io/v1beta3"',
    ]);
  });

  test('an apiVersion newer than the cluster\'s version is an error there and passes from its first version', async () => {
    expect(await problemsOn('1.28', flowSchema('flowcontrol.apiserver.k8s.io/v1'))).toEqual([
      '.apiVersion: apiVersion "flowcontrol.apiserver.k8s.io/v1" is not served by Kubernetes 1.28, which cluster c1 runs (it serves FlowSchema in 1.29–1.36 of the versions 1.28–1.36 known here); use "flowcontrol.apiserver.k8s.io/v1beta2" or "flowcontrol.apiserver.k8s.io/v1beta3"',
    ]);
    expect(await problemsOn('1.29', flowSchema('flowcontrol.apiserver.k8s.io/v1'))).toEqual([]);
  });

  test('a kind no version defines keeps its message, for the cluster\'s version', async () => {
    expect(await problemsOn('1.33', { apiVersion: 'v1', kind: 'ConfigMapp', metadata: { name: 'x' } })).toEqual([
      '.kind: unknown apiVersion/kind "v1" "ConfigMapp": no Kubernetes 1.33 schema or CRD in validate/generated defines it; did you mean "ConfigMap"?',
    ]);
  });
});

describe('choosing the version', () => {
  test('each manifest is checked for its own cluster\'s version', async () => {
    const versions: Record<string, string> = { old: '1.31', new: '1.33' };
    const errors = await validateSchemas([inCluster(withPodResources(), 'old'), inCluster(withPodResources(), 'new')], {
      kubernetesVersion: (m) => versions[m.cluster!],
    });
    expect(errors.map(formatSchemaError)).toEqual([
      'old: clusters/old/test/0.yaml: Deployment/shop/web: .spec.template.spec.resources: field "resources" needs Kubernetes ≥ 1.32; cluster old runs 1.31',
    ]);
  });

  test('without a version, objects are checked for the oldest version the schemas cover', async () => {
    expect(KUBERNETES_VERSIONS[0]).toBe('1.28');
    expect(await problemsOn(undefined, withPodResources())).toEqual([
      '.spec.template.spec.resources: field "resources" needs Kubernetes ≥ 1.32; cluster c1 runs 1.28',
    ]);
  });

  test('a version without schemas is refused, naming the versions that have them', async () => {
    await expect(problemsOn('1.40', deployment())).rejects.toThrow('Kubernetes version "1.40" of cluster c1 has no schemas; expected one of 1.28, 1.29, 1.30, 1.31, 1.32, 1.33, 1.34, 1.35, 1.36');
  });
});

// cert-manager 1.21 and Kyverno 1.19 declare CRD field selectors (CustomResourceDefinitionVersion
// .selectableFields): in the schema from 1.30, honoured by default from 1.31 (feature gate
// CustomResourceFieldSelectors: alpha 1.30, beta 1.31, GA 1.32). The chart CRDs are checked
// like any manifest, so a cluster below that fails naming the CRD and the field.
describeWithReferenceData('the upstream CRDs with selectableFields', 'crds', () => {
  const crds = (file: string) => parseManifests(`crds/${file}`, readFileSync(referencePath(`crds/${file}`), 'utf8'))
    .map((m) => ({ ...m, cluster: 'yc-prod' }));
  const selectable = async (version: string) => (await validateSchemas([...crds('cert-manager.yaml'), ...crds('kyverno.yaml')], { kubernetesVersion: version }))
    .map((e) => `${e.object} ${e.path}: ${e.message}`);

  test('fail on 1.29, naming each CRD and the field', async () => {
    const needs = 'field "selectableFields" needs Kubernetes ≥ 1.31; cluster yc-prod runs 1.29';
    expect((await selectable('1.29')).sort()).toEqual([
      `CustomResourceDefinition/certificaterequests.cert-manager.io .spec.versions[0].selectableFields: ${needs}`,
      `CustomResourceDefinition/certificates.cert-manager.io .spec.versions[0].selectableFields: ${needs}`,
      `CustomResourceDefinition/validatingpolicies.policies.kyverno.io .spec.versions[0].selectableFields: ${needs}`,
      `CustomResourceDefinition/validatingpolicies.policies.kyverno.io .spec.versions[1].selectableFields: ${needs}`,
      `CustomResourceDefinition/validatingpolicies.policies.kyverno.io .spec.versions[2].selectableFields: ${needs}`,
    ].sort());
  });

  test('fail on 1.30, where the API server has the field behind a gate that is off', async () => {
    const errors = await selectable('1.30');
    expect(errors).toHaveLength(5);
    expect(errors).toContain('CustomResourceDefinition/certificaterequests.cert-manager.io .spec.versions[0].selectableFields: field "selectableFields" needs Kubernetes ≥ 1.31: 1.30 has it only behind the feature gate CustomResourceFieldSelectors, off by default, and drops it; cluster yc-prod runs 1.30');
  });

  test('pass from 1.31', async () => {
    expect(await selectable('1.31')).toEqual([]);
    expect(await selectable('1.36')).toEqual([]);
  });
});
