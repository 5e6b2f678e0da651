// Custom resources checked against the CRDs the pinned charts themselves ship (rendered in-process
// from the reference charts), including kinds and versions validate/generated/ does not have.
import { catalogPins } from '../../cli/commands/charts-pull.js';
import type { HelmSource } from '../../chart-renders/render.js';
import type { Manifest } from '../../primitives/manifests.js';
import { validateAgainstCrds } from '../../validate/crd-schemas.js';
import { formatSchemaError, knownKinds, validateSchemas } from '../../validate/schema.js';
import { ofKind, useRealCharts, type K8sObject } from '../charts-real/real-charts.js';
import { describeWithReferenceData } from '../helpers/reference-data.js';

const source = (chart: string, values: Record<string, unknown>): HelmSource => ({
  application: `c1/${chart}`, file: `clusters/c1/apps/${chart}.yaml`, chart, releaseName: chart, namespace: chart, values, skipCrds: false,
  version: catalogPins().find((p) => p.name === chart)!.version,
});

const asManifests = (objects: readonly K8sObject[]): Manifest[] =>
  objects.map((object, i) => ({ cluster: 'c1', file: `clusters/c1/test/${i}.yaml`, index: 0, object }));

/** The `<path>: <message>` lines of the problems of one CR against the given CRDs. */
async function problems(cr: K8sObject, crds: readonly K8sObject[]): Promise<string[]> {
  const { errors } = await validateAgainstCrds(asManifests([cr]), crds);
  return errors.map((e) => `${e.path}: ${e.message}`);
}

const certificate = (): K8sObject => ({
  apiVersion: 'cert-manager.io/v1',
  kind: 'Certificate',
  metadata: { name: 'web-tls', namespace: 'shop', labels: { app: 'web' } },
  spec: {
    secretName: 'web-tls',
    dnsNames: ['web.example.com'],
    duration: '2160h',
    issuerRef: { name: 'letsencrypt', kind: 'ClusterIssuer', group: 'cert-manager.io' },
    privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Always' },
  },
});

/** An ACME issuer answering HTTP-01 challenges through an Ingress class. */
const httpIssuer = (): K8sObject => ({
  apiVersion: 'cert-manager.io/v1', kind: 'ClusterIssuer', metadata: { name: 'le-http' },
  spec: { acme: { server: 'https://acme.example.com/directory', privateKeySecretRef: { name: 'le-http-account' }, solvers: [{ http01: { ingress: { ingressClassName: 'nginx' } } }] } },
});

describeWithReferenceData('validateAgainstCrds (the CRDs real charts ship)', 'helm/charts', () => {
  const charts = useRealCharts(['kube-prometheus-stack', 'cert-manager', 'kyverno']);
  // The parent chart only: the reference data does not vendor its grafana/kube-state-metrics/node-exporter subcharts.
  let kpsObjects: K8sObject[] | undefined;
  const kps = () => (kpsObjects ??= charts().renderWithoutDisabledDependencies(source('kube-prometheus-stack', { grafana: { enabled: false }, kubeStateMetrics: { enabled: false }, nodeExporter: { enabled: false } })));
  const certManagerCrds = () => ofKind(charts().renderSource(source('cert-manager', { crds: { enabled: true } })), 'CustomResourceDefinition');
  const kyvernoCrds = () => ofKind(charts().renderSource(source('kyverno', {})), 'CustomResourceDefinition');
  const kpsCrds = () => ofKind(kps(), 'CustomResourceDefinition');
  const serviceMonitor = () => structuredClone(ofKind(kps(), 'ServiceMonitor')[0]);

  test('every custom resource kube-prometheus-stack renders passes against the CRDs it ships, and each is covered', async () => {
    const objects = kps();
    const manifests = asManifests(objects);
    const { errors, covered } = await validateAgainstCrds(manifests, ofKind(objects, 'CustomResourceDefinition'));
    expect(errors.map(formatSchemaError)).toEqual([]);
    const crs = manifests.filter((m) => String(m.object.apiVersion).startsWith('monitoring.coreos.com/'));
    expect(crs.length).toBeGreaterThan(10);
    expect([...covered]).toEqual(crs);
  });

  test('objects of kinds the CRDs do not define (CRDs, Deployments, Services) are not covered', async () => {
    const manifests = asManifests(kps());
    const { covered } = await validateAgainstCrds(manifests, kpsCrds());
    expect(manifests.filter((m) => covered.has(m)).map((m) => m.object.kind)).not.toContain('Deployment');
    expect(manifests.filter((m) => covered.has(m)).map((m) => m.object.kind)).not.toContain('CustomResourceDefinition');
  });

  test('an unknown field of a CR is an error with a did-you-mean from the chart\'s CRD', async () => {
    const sm = serviceMonitor();
    sm.spec.endpoints[0].intervall = '30s';
    expect(await problems(sm, kpsCrds())).toEqual(['.spec.endpoints[0].intervall: unknown field "intervall"; did you mean "interval"?']);
  });

  test('a field of the wrong type is an error naming the type expected and the value given', async () => {
    const prometheus = structuredClone(ofKind(kps(), 'Prometheus')[0]);
    prometheus.spec.replicas = 'two';
    expect(await problems(prometheus, kpsCrds())).toEqual(['.spec.replicas: expected integer; got string "two"']);
  });

  test('metadata is ObjectMeta whatever the CRD says: an unknown metadata field gets ObjectMeta\'s did-you-mean, a label value must be a string', async () => {
    const sm = serviceMonitor();
    sm.metadata.labelz = {};
    sm.metadata.labels = { team: 1 };
    expect(await problems(sm, kpsCrds())).toEqual([
      '.metadata.labelz: unknown field "labelz"; did you mean "labels"?',
      '.metadata.labels.team: expected string; got integer 1',
    ]);
  });

  test('a CR without a name is an error, as with the generated validators', async () => {
    const sm = serviceMonitor();
    delete sm.metadata.name;
    expect(await problems(sm, kpsCrds())).toEqual(['.metadata.name: missing required field "name"']);
  });

  test('a version the CRD does not define is an error naming the versions it serves', async () => {
    const sm = serviceMonitor();
    sm.apiVersion = 'monitoring.coreos.com/v2';
    expect(await problems(sm, kpsCrds())).toEqual([
      '.apiVersion: CustomResourceDefinition servicemonitors.monitoring.coreos.com has no version "v2"; it serves "monitoring.coreos.com/v1"',
    ]);
  });

  test('a version the CRD defines with served: false is an error (Kyverno\'s UpdateRequest v1beta1)', async () => {
    const ur = { apiVersion: 'kyverno.io/v1beta1', kind: 'UpdateRequest', metadata: { name: 'ur-1', namespace: 'kyverno' }, spec: {} };
    expect(await problems(ur, kyvernoCrds())).toEqual([
      '.apiVersion: version "v1beta1" of CustomResourceDefinition updaterequests.kyverno.io is not served (served: false); it serves "kyverno.io/v2"',
    ]);
  });

  test('a kind validate/generated has no validator for is checked against the chart\'s CRD (cert-manager\'s ACME Challenge)', async () => {
    expect(knownKinds()).not.toContain('acme.cert-manager.io/v1/Challenge');
    const challenge = {
      apiVersion: 'acme.cert-manager.io/v1', kind: 'Challenge', metadata: { name: 'c', namespace: 'shop' },
      spec: { authorizationURL: 'https://a', dnsName: 'web.example.com', issuerRef: { name: 'le' }, key: 'k', solver: {}, token: 't', type: 'DNS-01', url: 'https://u', wildcard: false, tokn: 'x' },
    };
    expect(await problems(challenge, certManagerCrds())).toEqual(['.spec.tokn: unknown field "tokn"; did you mean "token"?']);
  });

  test('Go\'s case-insensitive groups in a CRD pattern are honoured (AlertmanagerConfig month names)', async () => {
    const amc = (months: string[]) => ({
      apiVersion: 'monitoring.coreos.com/v1alpha1', kind: 'AlertmanagerConfig', metadata: { name: 'a', namespace: 'monitoring' },
      spec: { muteTimeIntervals: [{ name: 'holidays', timeIntervals: [{ months }] }] },
    });
    expect(await problems(amc(['January', 'march:MAY', '12']), kpsCrds())).toEqual([]);
    const [only, ...rest] = await problems(amc(['Janvier']), kpsCrds());
    expect(rest).toEqual([]);
    expect(only).toMatch(/^\.spec\.muteTimeIntervals\[0\]\.timeIntervals\[0\]\.months\[0\]: must match the pattern .*; got string "Janvier"$/);
  });

  describe('where shared/crds has the very same CRD version, the verdict and messages equal the generated validator\'s', () => {
    const broken: [string, () => K8sObject, () => K8sObject[]][] = [
      ['an unknown spec field', () => ({ ...certificate(), spec: { ...certificate().spec, dnsNamez: ['a'] } }), certManagerCrds],
      ['a value outside an enum and one of the wrong type', () => ({ ...certificate(), spec: { ...certificate().spec, privateKey: { algorithm: 'DSA', size: '256' } } }), certManagerCrds],
      ['a missing required field', () => ({ ...certificate(), spec: { ...certificate().spec, issuerRef: { kind: 'Issuer' } } }), certManagerCrds],
      ['an unknown root field and metadata problems', () => ({ ...certificate(), status2: {}, metadata: { namespace: 'shop', labelz: {}, annotations: { a: 1 } } }), certManagerCrds],
      ['a spec that is not an object', () => ({ ...certificate(), spec: 'x' }), certManagerCrds],
      ['a deep unknown field in an ACME solver', () => {
        const issuer = httpIssuer();
        issuer.spec.acme.solvers[0].http01.ingres = {};
        issuer.spec.acme.solvers[0].selektor = {};
        return issuer;
      }, certManagerCrds],
      ['a ServiceMonitor endpoint with unknown and mistyped fields', () => {
        const sm = serviceMonitor();
        sm.spec.endpoints[0].intervall = '30s';
        sm.spec.endpoints[0].honorLabels = 'yes';
        sm.spec.selector = 5;
        return sm;
      }, kpsCrds],
    ];
    test.each(broken)('%s', async (_, cr, crds) => {
      const manifests = asManifests([cr()]);
      const generated = (await validateSchemas(manifests)).map(formatSchemaError);
      const fromChart = (await validateAgainstCrds(manifests, crds())).errors.map(formatSchemaError);
      expect(generated).not.toEqual([]);
      expect(fromChart).toEqual(generated);
    });

    test('a valid Certificate passes both', async () => {
      const manifests = asManifests([certificate()]);
      expect(await validateSchemas(manifests)).toEqual([]);
      expect((await validateAgainstCrds(manifests, certManagerCrds())).errors).toEqual([]);
    });
  });

  test('a second validation with copies of the same CRDs reuses what the first compiled', async () => {
    const prometheus = ofKind(kps(), 'Prometheus');
    // A schema no other test compiled (the cache lives as long as the process).
    const crds = structuredClone(kpsCrds().filter((c) => c.spec.names.kind === 'Prometheus'));
    crds[0].spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.cacheTestOnly = { type: 'string' };
    const time = async (objects: K8sObject[]) => {
      const started = performance.now();
      await validateAgainstCrds(asManifests(prometheus), objects);
      return performance.now() - started;
    };
    const first = await time(structuredClone(crds));
    const second = await time(structuredClone(crds));
    expect(second).toBeLessThan(first / 5);
  });
});

describeWithReferenceData('validateAgainstCrds: the CRDs themselves', 'helm/charts', () => {
  const charts = useRealCharts(['cert-manager']);
  const certificateCrd = () => structuredClone(ofKind(charts().renderSource(source('cert-manager', { crds: { enabled: true } })), 'CustomResourceDefinition', 'certificates.cert-manager.io')[0]);
  /** The `<path>: <message>` lines about the CRD (given as a manifest itself, as a chart's objects are). */
  const crdProblems = async (crd: K8sObject) => {
    const manifests = asManifests([crd, certificate()]);
    const { errors } = await validateAgainstCrds(manifests, [crd]);
    return errors.filter((e) => e.object.startsWith('CustomResourceDefinition/')).map((e) => `${e.file}: ${e.path}: ${e.message}`);
  };

  test('the real CRD has no problem', async () => {
    expect(await crdProblems(certificateCrd())).toEqual([]);
  });

  test('two storage versions are an error', async () => {
    const crd = certificateCrd();
    crd.spec.versions.push({ ...structuredClone(crd.spec.versions[0]), name: 'v2' });
    expect(await crdProblems(crd)).toEqual(['clusters/c1/test/0.yaml: .spec.versions: exactly one version must have storage: true; got 2 ("v1", "v2")']);
  });

  test('a version without openAPIV3Schema is an error, and its CRs are reported as not checkable', async () => {
    const crd = certificateCrd();
    delete crd.spec.versions[0].schema;
    const { errors } = await validateAgainstCrds(asManifests([crd, certificate()]), [crd]);
    expect(errors.map((e) => `${e.object}: ${e.path}: ${e.message}`)).toEqual([
      'CustomResourceDefinition/certificates.cert-manager.io: .spec.versions[0].schema.openAPIV3Schema: missing: apiextensions.k8s.io/v1 requires a schema for every version',
      'Certificate/shop/web-tls: .apiVersion: cannot be checked against version "v1" of CustomResourceDefinition certificates.cert-manager.io: it has no schema',
    ]);
  });

  test('a field without a type (a non-structural schema) is an error naming the field', async () => {
    const crd = certificateCrd();
    delete crd.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.secretName.type;
    expect(await crdProblems(crd)).toEqual([
      'clusters/c1/test/0.yaml: .spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.secretName: missing "type": a structural CRD schema gives every field a type (or x-kubernetes-int-or-string / x-kubernetes-preserve-unknown-fields)',
    ]);
  });

  test('a CRD given apart from the manifests is still reported, without a file', async () => {
    const crd = certificateCrd();
    crd.spec.versions[0].storage = false;
    const { errors } = await validateAgainstCrds(asManifests([certificate()]), [crd]);
    expect(errors.map(formatSchemaError)).toEqual(['(CRD not among the manifests): CustomResourceDefinition/certificates.cert-manager.io: .spec.versions: exactly one version must have storage: true; got 0']);
  });
});
