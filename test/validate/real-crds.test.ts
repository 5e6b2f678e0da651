// The upstream CRD documents themselves are real, large apiextensions.k8s.io/v1 objects: strict
// validation against the 1.28 schema must accept them, except for what 1.28 does not have.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseManifests } from '../../primitives/manifests.js';
import { validateSchemas } from '../../validate/schema.js';
import { describeWithReferenceData, referencePath } from '../helpers/reference-data.js';

const CRDS = referencePath('crds');

describeWithReferenceData('the upstream CRDs', 'crds', () => test('pass strict 1.28 validation, but for selectableFields (honoured from Kubernetes 1.31)', async () => {
  const manifests = readdirSync(CRDS).filter((f) => f.endsWith('.yaml')).sort()
    .flatMap((f) => parseManifests(`crds/${f}`, readFileSync(join(CRDS, f), 'utf8')));
  expect(manifests.length).toBeGreaterThanOrEqual(60);
  const errors = await validateSchemas(manifests);
  // cert-manager 1.21 and Kyverno 1.19 declare CRD field selectors, an API that 1.28 lacks:
  // a 1.28 API server rejects them under --validate=strict (and drops them otherwise); the field
  // is in the schema from 1.30 and on by default from 1.31 (validate/k8s-versions.ts).
  expect(errors.map((e) => `${e.object} ${e.path}`)).toEqual([
    'CustomResourceDefinition/certificates.cert-manager.io .spec.versions[0].selectableFields',
    'CustomResourceDefinition/certificaterequests.cert-manager.io .spec.versions[0].selectableFields',
    'CustomResourceDefinition/validatingpolicies.policies.kyverno.io .spec.versions[0].selectableFields',
    'CustomResourceDefinition/validatingpolicies.policies.kyverno.io .spec.versions[1].selectableFields',
    'CustomResourceDefinition/validatingpolicies.policies.kyverno.io .spec.versions[2].selectableFields',
  ]);
  expect(new Set(errors.map((e) => e.message.split(';')[0]))).toEqual(new Set(['field "selectableFields" needs Kubernetes ≥ 1.31']));
}));
