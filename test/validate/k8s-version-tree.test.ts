// A rendered tree records each cluster's Kubernetes version (on its root Application in
// bootstrap/), so that `infra-synth validate DIR` checks every cluster for its own version.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import yaml from 'js-yaml';
import { renderCluster } from '../../charts/cluster.js';
import { KUBERNETES_VERSION_ANNOTATION } from '../../primitives/annotations.js';
import type { Manifest } from '../../primitives/manifests.js';
import { recordedKubernetesVersions } from '../../validate/tree-versions.js';
import { KUBERNETES_VERSIONS } from '../../validate/k8s-versions.js';
import { validateSchemas } from '../../validate/schema.js';
import { bundledCli } from '../helpers/cli.js';
import { specFor } from '../helpers/fleet.js';
import { describeWithReferenceData, referencePath } from '../helpers/reference-data.js';
import { tempDir } from '../helpers/tmp.js';

const ROOT_APP = 'clusters/c1/bootstrap/application-root.yaml';
const manifestsOf = (overlay: Record<string, unknown>) => renderCluster(specFor(overlay)).manifests;
const withoutAnnotation = (manifests: Manifest[]) => manifests.map((m) => (m.file === ROOT_APP
  ? { ...m, object: { ...m.object, metadata: { ...m.object.metadata, annotations: {} } } } : m));

test('the root Application records the cluster\'s version', () => {
  const root = manifestsOf({ kubernetesVersion: '1.34' }).find((m) => m.file === ROOT_APP)!;
  expect(root.object.metadata.annotations[KUBERNETES_VERSION_ANNOTATION]).toBe('1.34');
});

test('the recorded version is read back per cluster', () => {
  const r = recordedKubernetesVersions(manifestsOf({ kubernetesVersion: '1.34' }));
  expect([[...r.versions], r.warnings]).toEqual([[['c1', '1.34']], []]);
});

test('a cluster that records no version gets a warning saying what it is validated for and what to do', () => {
  const r = recordedKubernetesVersions(withoutAnnotation(manifestsOf({})));
  expect([[...r.versions], r.warnings]).toEqual([[], [
    `clusters/c1: records no Kubernetes version (annotation ${KUBERNETES_VERSION_ANNOTATION} on the root Application in bootstrap/); validated for Kubernetes 1.28, the oldest with schemas — render the tree with the current synth to record it`,
  ]]);
});

// Our own objects use no field or apiVersion that only some versions have: a construct that
// starts to would fail here for the versions that lack it.
test('the platform\'s own objects are valid on every Kubernetes version the schemas cover', async () => {
  const manifests = manifestsOf({ cloud: 'yandex', mesh: { kind: 'istio', istioMode: 'sidecar' } });
  for (const v of KUBERNETES_VERSIONS) expect([v, await validateSchemas(manifests, { kubernetesVersion: v })]).toEqual([v, []]);
});

describeWithReferenceData('infra-synth validate DIR, per cluster version', 'crds/cert-manager.yaml', () => {
  const CLI = bundledCli('validate-k8s-version');
  /** A rendered cluster at `version`, with cert-manager's CRDs (as its chart renders them) in the tree. */
  function treeWithCertManagerCrds(version: string): string {
    const root = tempDir('validate-k8s-version-');
    for (const f of renderCluster(specFor({ kubernetesVersion: version })).files) {
      mkdirSync(dirname(join(root, f.path)), { recursive: true });
      writeFileSync(join(root, f.path), f.content);
    }
    writeFileSync(join(root, 'clusters/c1/cert-manager/crds.yaml'), readFileSync(referencePath('crds/cert-manager.yaml'), 'utf8'));
    return root;
  }

  test('a cluster recorded as 1.29 fails, naming each CRD and selectableFields', async () => {
    const r = await execa('node', [CLI, 'validate', treeWithCertManagerCrds('1.29')], { reject: false });
    expect(r.exitCode).toBe(1);
    const needs = 'field "selectableFields" needs Kubernetes ≥ 1.31; cluster c1 runs 1.29';
    expect(r.stdout.split('\n').filter((l) => l.includes('selectableFields'))).toEqual([
      `c1: clusters/c1/cert-manager/crds.yaml: CustomResourceDefinition/certificates.cert-manager.io: .spec.versions[0].selectableFields: ${needs}`,
      `c1: clusters/c1/cert-manager/crds.yaml: CustomResourceDefinition/certificaterequests.cert-manager.io: .spec.versions[0].selectableFields: ${needs}`,
    ]);
  });

  test('the same tree recorded as 1.33 has no selectableFields problem', async () => {
    const r = await execa('node', [CLI, 'validate', treeWithCertManagerCrds('1.33')], { reject: false });
    expect([r.stderr, r.stdout.split('\n').filter((l) => l.includes('selectableFields'))]).toEqual(['', []]);
  });

  test('a tree without the record validates for 1.28 and says so on stderr', async () => {
    const root = treeWithCertManagerCrds('1.33');
    const path = join(root, ROOT_APP);
    const app = yaml.load(readFileSync(path, 'utf8')) as any;
    delete app.metadata.annotations[KUBERNETES_VERSION_ANNOTATION];
    writeFileSync(path, yaml.dump(app));
    const r = await execa('node', [CLI, 'validate', root], { reject: false });
    expect(r.stderr).toContain('warning: clusters/c1: records no Kubernetes version');
    expect(r.stdout).toContain('field "selectableFields" needs Kubernetes ≥ 1.31; cluster c1 runs 1.28');
  });
});
