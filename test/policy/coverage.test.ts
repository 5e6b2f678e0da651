import { renderCluster } from '../../charts/cluster.js';
import { UserError } from '../../primitives/errors.js';
import type { Manifest } from '../../primitives/manifests.js';
import { renderFleet } from '../../pipeline/synth.js';
import { loadFleet } from '../../spec/load.js';
import { checkFleetRules, FLEET_RULES } from '../../validate/fleet-rules.js';
import { formatFinding } from '../../validate/finding.js';
import { imageCoverage, imageReferences, parseImage } from '../../validate/image-rules.js';
import { EXAMPLE_OVERLAYS, specFor } from '../helpers/fleet.js';

const yandex = { cloud: 'yandex', environment: 'prod', domain: 'prod.company.ru', vault: { seal: { yandexcloudkms: { kmsKeyId: 'abj0c0mpanyvau1tc100' } } } };
const run = (manifests: readonly Manifest[]) => checkFleetRules(manifests, manifests.map((m) => m.file), { imageCoverage }).map(formatFinding);

/** A team-style Deployment written into the cluster's tree. */
function withDeployment(manifests: readonly Manifest[], image: string, initImage = 'ghcr.io/soft-yt/init:1.0.0', cluster = 'c1'): Manifest[] {
  const file = `clusters/${cluster}/apps/deployment-tool.yaml`;
  return [...manifests, {
    cluster, file, index: 0,
    object: {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'tool', namespace: 'payments' },
      spec: { template: { spec: { initContainers: [{ name: 'init', image: initImage }], containers: [{ name: 'tool', image }] } } },
    },
  }];
}

describe('image-coverage', () => {
  test('is registered as a fleet rule', () => {
    expect(FLEET_RULES['image-coverage']).toBe(imageCoverage);
  });

  test('passes on the example fleet', async () => {
    const manifests = (await loadFleet(EXAMPLE_OVERLAYS)).flatMap((s) => renderCluster(s).manifests);
    expect(run(manifests)).toEqual([]);
  });

  test('finds the images the tool writes in Helm values (the Yandex webhook sidecar)', () => {
    const refs = renderCluster(specFor(yandex)).manifests.flatMap(imageReferences).filter((r) => r.manifest.file.endsWith('application-external-dns.yaml'));
    expect(refs.map((r) => [r.manifest.file, r.path, r.image])).toEqual([[
      'clusters/c1/apps/application-external-dns.yaml', '.spec.source.helm.valuesObject.provider.webhook.image', 'ghcr.io/ismailbaskin/external-dns-yandex-webhook:1.0.0',
    ]]);
  });

  test('an unsigned image from a registry off the allowlist fails, with file and JSON path', () => {
    const ms = withDeployment(renderCluster(specFor()).manifests, 'docker.io/randomorg/miner:2.1');
    expect(run(ms)).toEqual([
      'c1: clusters/c1/apps/deployment-tool.yaml: Deployment/payments/tool: .spec.template.spec.containers[0].image: image "docker.io/randomorg/miner:2.1" is neither covered by the verification policy (ghcr.io/soft-yt/*) nor exempt; sign it and publish it under a signed pattern, or add a reviewed exemption (catalog/policy.ts IMAGE_EXEMPTIONS, or imagePolicy.exemptions in the overlay)',
      expect.stringMatching(/^c1: clusters\/c1\/apps\/deployment-tool\.yaml: Deployment\/payments\/tool: \.spec\.template\.spec\.containers\[0\]\.image: image "docker\.io\/randomorg\/miner:2\.1" comes from a registry that is not allowed \(allowed: .*ghcr\.io\/soft-yt\/.*\); add the registry to catalog\/policy\.ts UPSTREAM_REGISTRIES with its reason, or use an allowed one$/),
    ]);
  });

  test('an image from an allowed upstream registry still needs our signature or an exemption', () => {
    const findings = run(withDeployment(renderCluster(specFor()).manifests, 'quay.io/jetstack/cert-manager-controller:v1.21.1'));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatch(/is neither covered by the verification policy \(ghcr\.io\/soft-yt\/\*\) nor exempt/);
  });

  test('a signed image from the company registry passes', () => {
    expect(run(withDeployment(renderCluster(specFor()).manifests, 'ghcr.io/soft-yt/payments-api:1.4.2'))).toEqual([]);
  });

  test('an overlay exemption covers an unsigned image of its cluster', () => {
    const spec = specFor({ imagePolicy: { exemptions: [{ image: 'quay.io/jetstack/*', reason: 'upstream cert-manager tools, reviewed 2026-11' }] } });
    expect(run(withDeployment(renderCluster(spec).manifests, 'quay.io/jetstack/cmctl:v2.1.0'))).toEqual([]);
  });

  test('"latest" is not a pin', () => {
    const findings = run(withDeployment(renderCluster(specFor()).manifests, 'ghcr.io/soft-yt/payments-api:latest'));
    expect(findings).toEqual(['c1: clusters/c1/apps/deployment-tool.yaml: Deployment/payments/tool: .spec.template.spec.containers[0].image: image "ghcr.io/soft-yt/payments-api:latest" is pinned to "latest", which moves; pin a version or a digest']);
  });

  test('a bare name is not a pin', () => {
    const findings = run(withDeployment(renderCluster(specFor()).manifests, 'ghcr.io/soft-yt/payments-api'));
    expect(findings).toEqual(['c1: clusters/c1/apps/deployment-tool.yaml: Deployment/payments/tool: .spec.template.spec.containers[0].image: image "ghcr.io/soft-yt/payments-api" is not pinned: no tag and no digest; pin a version from catalog/versions.ts']);
  });

  test('where the overlay requires digests, a signed image by tag fails and by digest passes', () => {
    const ms = renderCluster(specFor({ imagePolicy: { requireDigest: true } })).manifests;
    expect(run(withDeployment(ms, 'ghcr.io/soft-yt/payments-api:1.4.2'))).toEqual([
      'c1: clusters/c1/apps/deployment-tool.yaml: Deployment/payments/tool: .spec.template.spec.initContainers[0].image: image "ghcr.io/soft-yt/init:1.0.0" needs a digest: the verification policy of this cluster requires digests (imagePolicy.requireDigest); write ghcr.io/soft-yt/init:1.0.0@sha256:...',
      'c1: clusters/c1/apps/deployment-tool.yaml: Deployment/payments/tool: .spec.template.spec.containers[0].image: image "ghcr.io/soft-yt/payments-api:1.4.2" needs a digest: the verification policy of this cluster requires digests (imagePolicy.requireDigest); write ghcr.io/soft-yt/payments-api:1.4.2@sha256:...',
    ]);
    const digest = `sha256:${'a'.repeat(64)}`;
    expect(run(withDeployment(ms, `ghcr.io/soft-yt/payments-api:1.4.2@${digest}`, `ghcr.io/soft-yt/init@${digest}`))).toEqual([]);
  });

  test('image overrides in Helm values are checked in both shapes, repository+tag and repo:tag', () => {
    const ms = renderCluster(specFor(yandex)).manifests.map((m) => {
      if (m.object.kind !== 'Application' || m.object.metadata.name !== 'external-dns') return m;
      const object = structuredClone(m.object);
      object.spec.source.helm.valuesObject.provider.webhook.image = { repository: 'docker.io/someone/webhook', tag: 'latest' };
      object.spec.source.helm.valuesObject.sidecars = [{ name: 'x', image: 'docker.io/someone/sidecar:1.0' }];
      return { ...m, object };
    });
    const paths = run(ms).map((f) => f.split(': ').slice(3, 5).join(': '));
    expect(paths).toEqual([
      '.spec.source.helm.valuesObject.provider.webhook.image: image "docker.io/someone/webhook:latest" is pinned to "latest", which moves; pin a version or a digest',
      '.spec.source.helm.valuesObject.provider.webhook.image: image "docker.io/someone/webhook:latest" is neither covered by the verification policy (ghcr.io/soft-yt/*) nor exempt; sign it and publish it under a signed pattern, or add a reviewed exemption (catalog/policy.ts IMAGE_EXEMPTIONS, or imagePolicy.exemptions in the overlay)',
      expect.stringMatching(/^\.spec\.source\.helm\.valuesObject\.provider\.webhook\.image: image "docker\.io\/someone\/webhook:latest" comes from a registry that is not allowed/),
      '.spec.source.helm.valuesObject.sidecars[0].image: image "docker.io/someone/sidecar:1.0" is neither covered by the verification policy (ghcr.io/soft-yt/*) nor exempt; sign it and publish it under a signed pattern, or add a reviewed exemption (catalog/policy.ts IMAGE_EXEMPTIONS, or imagePolicy.exemptions in the overlay)',
      expect.stringMatching(/^\.spec\.source\.helm\.valuesObject\.sidecars\[0\]\.image: image "docker\.io\/someone\/sidecar:1\.0" comes from a registry that is not allowed/),
    ]);
  });

  test('a cluster without the policies has every image reported as uncovered', () => {
    const ms = renderCluster(specFor(yandex)).manifests.filter((m) => !String(m.object.apiVersion).startsWith('policies.kyverno.io/'));
    const images = ms.flatMap(imageReferences).map((r) => r.image);
    expect(images).toContain('ghcr.io/ismailbaskin/external-dns-yandex-webhook:1.0.0');
    expect(run(ms).map((f) => f.split(': ').slice(4).join(': '))).toEqual(images.flatMap((i) => [
      `image "${i}" is not covered: this cluster has no ImageValidatingPolicy`,
      `image "${i}" cannot be checked against a registry allowlist: this cluster has no registry policy`,
    ]));
  });

  test('an unsigned, uncovered image added through an overlay (a custom collector) fails synth, naming file and path', async () => {
    const spec = specFor({ observability: { otelCollector: { image: { repository: 'docker.io/acme/otelcol-custom', tag: '1.2.0', command: 'otelcol-custom' } } } });
    const error = await renderFleet([spec]).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    // Both collector releases (OTLP, and the container-log DaemonSet) run the overlay's image.
    expect((error as UserError).problems).toEqual(['opentelemetry-collector-logs', 'opentelemetry-collector'].flatMap((app) => [
      `c1: clusters/c1/apps/application-${app}.yaml: Application/argocd/${app}: .spec.source.helm.valuesObject.image: image "docker.io/acme/otelcol-custom:1.2.0" is neither covered by the verification policy (ghcr.io/soft-yt/*) nor exempt; sign it and publish it under a signed pattern, or add a reviewed exemption (catalog/policy.ts IMAGE_EXEMPTIONS, or imagePolicy.exemptions in the overlay)`,
      expect.stringMatching(new RegExp(`^c1: clusters/c1/apps/application-${app}\\.yaml: Application/argocd/${app}: \\.spec\\.source\\.helm\\.valuesObject\\.image: image "docker\\.io/acme/otelcol-custom:1\\.2\\.0" comes from a registry that is not allowed`)),
    ]));
  });

  test('the same collector built and signed by the company pipeline passes', async () => {
    const spec = specFor({ observability: { otelCollector: { image: { repository: 'ghcr.io/soft-yt/otelcol', tag: '1.2.0', command: 'otelcol-custom' } } } });
    const r = await renderFleet([spec]);
    expect([r.warnings, r.objects]).toEqual([[], renderCluster(spec).manifests.length]);
    const collector = r.files.find((f) => f.path === 'clusters/c1/apps/application-opentelemetry-collector.yaml')!;
    expect(collector.content).toContain('repository: ghcr.io/soft-yt/otelcol');
  });

  test('an overlay exemption that matches nothing fails synth, naming the field', async () => {
    const spec = specFor({ ...yandex, imagePolicy: { exemptions: [{ image: 'docker.io/someone/gone:*', reason: 'was needed by the old backup job' }] } });
    const error = await renderFleet([spec]).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).problems).toEqual([
      'c1: clusters/c1/kyverno/imagevalidatingpolicy-verify-image-signatures.yaml: ImageValidatingPolicy/verify-image-signatures: .metadata.annotations["policy.platform.company.ru/image-exemptions"]: exemption "docker.io/someone/gone:*" (imagePolicy.exemptions[0] of the overlay of c1) matches no image this cluster\'s tree writes; remove it',
    ]);
  });
});

describe('parseImage', () => {
  test.each([
    ['ghcr.io/soft-yt/app:1.2.3', { name: 'ghcr.io/soft-yt/app', tag: '1.2.3', digest: undefined }],
    ['localhost:5000/app', { name: 'localhost:5000/app', tag: undefined, digest: undefined }],
    ['localhost:5000/app:v1@sha256:abc', { name: 'localhost:5000/app', tag: 'v1', digest: 'sha256:abc' }],
    ['app@sha256:abc', { name: 'app', tag: undefined, digest: 'sha256:abc' }],
  ])('%s', (ref, parts) => {
    expect(parseImage(ref)).toEqual(parts);
  });
});
