import { App, Chart } from 'cdk8s';
import { ImageVerificationPolicy } from '../../../constructs/image-verification-policy.js';
import { RegistryPolicy } from '../../../constructs/registry-policy.js';
import { ResourcePolicy } from '../../../constructs/resource-policy.js';
import { checkKyvernoPolicies, imagesNeedingSignature } from '../../../simulate/admission/kyverno.js';
import type { SimObject } from '../../../simulate/model.js';

/** The policies as the constructs render them (Enforce unless told). */
function policies(action: 'Enforce' | 'Audit' = 'Enforce'): Record<string, any>[] {
  const c = new Chart(new App({ outdir: '/nonexistent' }), 'c', { namespace: 'kyverno' });
  new RegistryPolicy(c, 'restrict-image-registries', { allowedPrefixes: ['cr.company.ru/', 'quay.io/jetstack/'], action, excludeNamespaces: ['kube-system'] });
  new ResourcePolicy(c, 'require-requests-limits', { action, excludeNamespaces: ['monitoring'] });
  new ImageVerificationPolicy(c, 'verify-image-signatures', {
    images: ['cr.company.ru/*'], action, excludeNamespaces: ['kube-system'],
    signer: { keyless: { issuer: 'https://token.actions.githubusercontent.com', subject: 'https://github.com/soft-yt/app/.github/workflows/release.yml@refs/heads/main' } },
    exemptions: [{ image: 'quay.io/jetstack/cert-manager-controller:*', reason: 'upstream, reviewed', source: 'test' }],
  });
  return c.toJson() as Record<string, any>[];
}

const namespace = (name: string) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
const sized = { requests: { cpu: '10m', memory: '32Mi' }, limits: { memory: '64Mi' } };
const container = (image: string, extra: Record<string, any> = { resources: sized }) => ({ name: image.split('/').pop()!.split(':')[0], image, ...extra });
const sim = (object: Record<string, any>): SimObject => ({ cluster: 'c1', file: 'clusters/c1/apps/web.yaml', object });

const pod = (containers: Record<string, any>[], ns = 'apps') => sim({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: ns }, spec: { containers } });
const workload = (apiVersion: string, kind: string, podSpec: Record<string, any>, ns = 'apps') => {
  const template = { metadata: { labels: { app: 'web' } }, spec: podSpec };
  const spec = kind === 'CronJob' ? { schedule: '@daily', jobTemplate: { spec: { template } } } : { selector: { matchLabels: { app: 'web' } }, template };
  return sim({ apiVersion, kind, metadata: { name: 'web', namespace: ns }, spec });
};

const check = (obj: SimObject, ps = policies(), ns = obj.object.metadata.namespace) => checkKyvernoPolicies(obj, ps, namespace(ns));

describe('Kyverno ValidatingPolicy in CEL', () => {
  test('a pod with an image outside the allowlist is denied, with the policy\'s message naming the image', () => {
    const f = check(pod([container('docker.io/evil/miner:1')]));
    expect(f.map((x) => x.message)).toEqual([
      'denied by Kyverno ValidatingPolicy restrict-image-registries: images must come from an allowed registry (cr.company.ru/, quay.io/jetstack/); not allowed: docker.io/evil/miner:1',
    ]);
    expect(f[0]).toMatchObject({ object: 'Pod/apps/web', path: '.spec', step: 'admission', cluster: 'c1' });
  });

  test('the same pod from an allowed registry passes', () => {
    expect(check(pod([container('cr.company.ru/web:1')]))).toEqual([]);
  });

  test('an init container outside the allowlist is caught too', () => {
    const obj = sim({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'apps' }, spec: { containers: [container('cr.company.ru/web:1')], initContainers: [container('docker.io/busybox:1')] } });
    expect(check(obj).map((x) => x.message)).toEqual([expect.stringMatching(/not allowed: docker\.io\/busybox:1$/)]);
  });

  test('a container without requests and a memory limit is denied, naming the container', () => {
    const f = check(pod([container('cr.company.ru/web:1', {})]));
    expect(f.map((x) => x.message)).toEqual([
      'denied by Kyverno ValidatingPolicy require-requests-limits: every container needs resources.requests.cpu, resources.requests.memory and resources.limits.memory; missing in: web',
    ]);
  });

  test('a namespace the policy excludes is not checked', () => {
    expect(check(pod([container('docker.io/evil/miner:1')], 'kube-system'))).toEqual([]);
    expect(check(pod([container('cr.company.ru/web:1', {})], 'monitoring'))).toEqual([]);
  });

  test('Audit reports nothing as a failure', () => {
    expect(check(pod([container('docker.io/evil/miner:1', {})]), policies('Audit'))).toEqual([]);
  });

  test.each([
    ['apps/v1', 'Deployment', '.spec.template.spec'],
    ['apps/v1', 'StatefulSet', '.spec.template.spec'],
    ['apps/v1', 'DaemonSet', '.spec.template.spec'],
    ['batch/v1', 'Job', '.spec.template.spec'],
    ['batch/v1', 'CronJob', '.spec.jobTemplate.spec.template.spec'],
  ])('autogen: a %s %s is denied itself, its template read where object.spec was', (apiVersion, kind, path) => {
    const f = check(workload(apiVersion, kind, { containers: [container('docker.io/evil/miner:1')] }));
    expect(f).toEqual([expect.objectContaining({ path, message: expect.stringMatching(/^denied by Kyverno ValidatingPolicy restrict-image-registries: .*not allowed: docker\.io\/evil\/miner:1$/) })]);
    expect(check(workload(apiVersion, kind, { containers: [container('cr.company.ru/web:1')] }))).toEqual([]);
  });

  test('a ReplicaSet (not in the autogen list) is let through, and its pods are denied', () => {
    const f = check(workload('apps/v1', 'ReplicaSet', { containers: [container('docker.io/evil/miner:1')] }));
    expect(f.map((x) => x.message)).toEqual([expect.stringMatching(/^its pods would be denied by Kyverno ValidatingPolicy restrict-image-registries: /)]);
  });

  test('a policy without validationActions denies, as Kyverno defaults them to Deny', () => {
    const [p] = policies('Audit').filter((x) => x.metadata.name === 'restrict-image-registries');
    const unset = { ...p, spec: { ...p!.spec, validationActions: undefined } };
    expect(check(pod([container('docker.io/evil/miner:1')]), [unset])).toHaveLength(1);
  });

  test('objects the policies do not match are not checked', () => {
    expect(check(sim({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'apps' }, data: {} }))).toEqual([]);
  });

  test('a validation that fails to evaluate denies when the policy fails closed', () => {
    const [p] = policies().filter((x) => x.metadata.name === 'restrict-image-registries');
    const broken = { ...p, spec: { ...p!.spec, validations: [{ expression: 'object.spec.nope.all(c, true)' }] } };
    const f = check(pod([container('cr.company.ru/web:1')]), [broken]);
    expect(f.map((x) => x.message)).toEqual([expect.stringMatching(/^denied by Kyverno ValidatingPolicy restrict-image-registries: validation "object\.spec\.nope\.all\(c, true\)" could not be evaluated: .*nope/)]);
  });

  test('matchConditions that are false skip the policy', () => {
    const [p] = policies().filter((x) => x.metadata.name === 'restrict-image-registries');
    const conditioned = { ...p, spec: { ...p!.spec, matchConditions: [{ name: 'only-labelled', expression: "has(object.metadata.labels) && 'checked' in object.metadata.labels" }] } };
    expect(check(pod([container('docker.io/evil/miner:1')]), [conditioned])).toEqual([]);
  });
});

describe('ImageValidatingPolicy: images needing a signature', () => {
  test('an image the policy covers is assumed signed, and is no failure of admission', () => {
    const obj = pod([container('cr.company.ru/web:1')]);
    expect(imagesNeedingSignature(obj, policies())).toEqual([]);
    expect(check(obj)).toEqual([]);
  });

  test('an image the policy does not cover needs a signature; a reviewed exemption does not', () => {
    const obj = workload('apps/v1', 'Deployment', {
      containers: [container('quay.io/jetstack/cert-manager-webhook:v1'), container('quay.io/jetstack/cert-manager-controller:v1'), container('cr.company.ru/web:1')],
    });
    expect(imagesNeedingSignature(obj, policies())).toEqual(['quay.io/jetstack/cert-manager-webhook:v1']);
  });

  test('in a namespace the policy excludes, nothing needs a signature', () => {
    expect(imagesNeedingSignature(pod([container('quay.io/jetstack/x:1')], 'kube-system'), policies())).toEqual([]);
  });
});

describe('Kyverno policies see the object as the API server decodes it', () => {
  test('a null initContainers (as charts render it) counts as absent, not as a list', () => {
    const obj = workload('apps/v1', 'Deployment', { containers: [container('cr.company.ru/web:1')], initContainers: null });
    expect(check(obj)).toEqual([]);
  });
});

describe('matchImageReferences globs, as gobwas/glob matches them', () => {
  const covering = (glob: string) => {
    const [p] = policies().filter((x) => x.kind === 'ImageValidatingPolicy');
    return [{ ...p, spec: { ...p!.spec, matchImageReferences: [{ glob }] } }];
  };
  const needs = (glob: string, image: string) => imagesNeedingSignature(pod([container(image)]), covering(glob)).length > 0;

  test('* spans slashes; ? is one character', () => {
    expect(needs('cr.company.ru/*', 'cr.company.ru/team/app:1')).toBe(false);
    expect(needs('cr.company.ru/app:?', 'cr.company.ru/app:12')).toBe(true);
  });
  test('character classes, negated classes and alternatives', () => {
    expect(needs('cr.company.ru/app:v[0-9]*', 'cr.company.ru/app:v1.2')).toBe(false);
    expect(needs('cr.company.ru/app:v[!0-9]*', 'cr.company.ru/app:v1.2')).toBe(true);
    expect(needs('{cr.company.ru,ghcr.io/soft-yt}/*', 'ghcr.io/soft-yt/web:1')).toBe(false);
  });
  test('an expression on ref decides too', () => {
    const [p] = policies().filter((x) => x.kind === 'ImageValidatingPolicy');
    const byCel = [{ ...p, spec: { ...p!.spec, matchImageReferences: [{ expression: "ref.startsWith('quay.io/')" }] } }];
    expect(imagesNeedingSignature(pod([container('quay.io/x/y:1'), container('docker.io/z:1')]), byCel)).toEqual(['docker.io/z:1']);
  });
});
