import { App, Chart } from 'cdk8s';
import { globsToRegex, ImageVerificationPolicy, type ImageVerificationPolicyProps } from '../../constructs/image-verification-policy.js';
import { RegistryPolicy } from '../../constructs/registry-policy.js';
import { ResourcePolicy } from '../../constructs/resource-policy.js';
import { validateSchemas } from '../../validate/schema.js';

// A real P-256 public key, as `cosign generate-key-pair` writes cosign.pub.
const PEM = [
  '-----BEGIN PUBLIC KEY-----',
  'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEiDcS+aHPzDxlDRKFNxkhjf1h6WfV',
  'zDdzg7w39NQVUgWsp3aHzYbezuFliqI7FeD6WcZwqa0zJS7MtCV0qXSjKw==',
  '-----END PUBLIC KEY-----',
].join('\n') + '\n';
const KEYLESS = { issuer: 'https://token.actions.githubusercontent.com', subject: 'https://github.com/soft-yt/app/.github/workflows/release.yml@refs/heads/main' };

const chart = () => new Chart(new App({ outdir: '/nonexistent' }), 'c', { namespace: 'kyverno' });
const objects = (c: Chart) => c.toJson() as Record<string, any>[];
const schemaErrors = async (c: Chart) => (await validateSchemas(objects(c).map((object, i) => ({ file: `f${i}.yaml`, index: 0, object }))))
  .map((e) => `${e.object} ${e.path}: ${e.message}`);
const ivp = (props: Partial<ImageVerificationPolicyProps> = {}) => {
  const c = chart();
  new ImageVerificationPolicy(c, 'verify', { images: ['ghcr.io/soft-yt/*'], signer: { keyless: KEYLESS }, action: 'Enforce', ...props });
  return { c, o: objects(c)[0] };
};

describe('ImageVerificationPolicy', () => {
  test('keyless: the CI identity and the Rekor log, cluster-scoped, valid against the Kyverno CRD', async () => {
    const { c, o } = ivp();
    expect(o.apiVersion).toBe('policies.kyverno.io/v1');
    expect(o.kind).toBe('ImageValidatingPolicy');
    expect(o.metadata).toEqual({ name: 'verify' });
    expect(o.spec.attestors).toEqual([{ name: 'signer', cosign: { keyless: { identities: [KEYLESS] }, ctlog: { url: 'https://rekor.sigstore.dev' } } }]);
    expect(o.spec.matchImageReferences).toEqual([{ glob: 'ghcr.io/soft-yt/*' }]);
    expect(await schemaErrors(c)).toEqual([]);
  });

  test('keyed without the transparency log: the PEM key, Rekor and SCT checks skipped', async () => {
    const { c, o } = ivp({ signer: { publicKey: PEM, ignoreTlog: true } });
    expect(o.spec.attestors[0].cosign).toEqual({ key: { data: PEM }, ctlog: { insecureIgnoreTlog: true, insecureIgnoreSCT: true } });
    expect(await schemaErrors(c)).toEqual([]);
  });

  test('Enforce denies and fails closed', () => {
    const { o } = ivp({ action: 'Enforce' });
    expect(o.spec.validationActions).toEqual(['Deny']);
    expect(o.spec.failurePolicy).toBe('Fail');
  });

  test('Audit reports and fails open', () => {
    const { o } = ivp({ action: 'Audit' });
    expect(o.spec.validationActions).toEqual(['Audit']);
    expect(o.spec.failurePolicy).toBe('Ignore');
  });

  test('never mutates digests; verifies them only when asked', () => {
    expect(ivp().o.spec.validationConfigurations).toEqual({ mutateDigest: false, verifyDigest: false, required: true });
    expect(ivp({ requireDigest: true }).o.spec.validationConfigurations).toEqual({ mutateDigest: false, verifyDigest: true, required: true });
  });

  test('an SBOM requirement adds the CycloneDX attestation, checked against the same attestor', async () => {
    const { c, o } = ivp({ requireSbom: true });
    expect(o.spec.attestations).toEqual([{ name: 'sbom', intoto: { type: 'https://cyclonedx.org/bom' } }]);
    const sbomChecks = o.spec.validations.filter((v: any) => v.expression.includes('verifyAttestationSignatures'));
    const signed = 'image.matches("^(ghcr\\\\.io/soft-yt/.*)$")';
    expect(sbomChecks.map((v: any) => v.expression)).toEqual([
      `images.containers.filter(image, ${signed}).all(image, verifyAttestationSignatures(image, attestations.sbom, [attestors.signer]) > 0)`,
      `!('initContainers' in images) || images.initContainers.filter(image, ${signed}).all(image, verifyAttestationSignatures(image, attestations.sbom, [attestors.signer]) > 0)`,
      `!('ephemeralContainers' in images) || images.ephemeralContainers.filter(image, ${signed}).all(image, verifyAttestationSignatures(image, attestations.sbom, [attestors.signer]) > 0)`,
    ]);
    expect(await schemaErrors(c)).toEqual([]);
  });

  test('checks only the images its globs match: Kyverno counts 0 verified signatures for any other image', () => {
    const { o } = ivp({ images: ['ghcr.io/soft-yt/*', 'cr.company.ru/apps/*'] });
    expect(o.spec.validations[0].expression).toBe(
      'images.containers.filter(image, image.matches("^(ghcr\\\\.io/soft-yt/.*|cr\\\\.company\\\\.ru/apps/.*)$")).all(image, verifyImageSignatures(image, [attestors.signer]) > 0)');
  });

  test.each([
    ['ghcr.io/soft-yt/payments-api:1.4.2', true],
    ['ghcr.io/soft-yt/tools/migrate@sha256:abc', true],
    ['cr.company.ru/apps/x:1', true],
    ['ghcr.io/soft-ytx/payments-api:1.4.2', false],
    ['ghcrXio/soft-yt/payments-api:1.4.2', false],
    ['quay.io/jetstack/cert-manager-controller:v1.21.1', false],
  ])('the glob filter (as a regular expression) takes %s: %s', (image, taken) => {
    expect(new RegExp(globsToRegex(['ghcr.io/soft-yt/*', 'cr.company.ru/apps/*'])).test(image)).toBe(taken);
  });

  test('without an SBOM requirement there is no attestation to check', () => {
    const { o } = ivp();
    expect(o.spec.attestations).toBeUndefined();
    expect(o.spec.validations.every((v: any) => v.expression.includes('verifyImageSignatures'))).toBe(true);
  });

  test('skips the excluded namespaces and times out after 30 s by default', () => {
    const { o } = ivp({ excludeNamespaces: ['kyverno', 'kube-system'] });
    expect(o.spec.matchConstraints.namespaceSelector).toEqual({ matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['kube-system', 'kyverno'] }] });
    expect(o.spec.webhookConfiguration).toEqual({ timeoutSeconds: 30 });
  });

  test('records the exemptions for the coverage rule', () => {
    const { o } = ivp({ exemptions: [{ image: 'ghcr.io/x/y:*', reason: 'unsigned upstream', source: 'catalog/policy.ts' }] });
    expect(JSON.parse(o.metadata.annotations['policy.platform.company.ru/image-exemptions'])).toEqual([{ image: 'ghcr.io/x/y:*', reason: 'unsigned upstream', source: 'catalog/policy.ts' }]);
  });

  test.each([
    ['a public key that is not PEM', { signer: { publicKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA' } },
      'c/verify: signer.publicKey: received "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA"; expected a PEM public key (-----BEGIN PUBLIC KEY----- ... -----END PUBLIC KEY-----) as in cosign.pub'],
    ['PEM armour around bytes that are no key', { signer: { publicKey: '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n' } },
      'c/verify: signer.publicKey: received "-----BEGIN PUBLIC KEY-----\\nAAAA\\n-----END"; expected a PEM public key (-----BEGIN PUBLIC KEY----- ... -----END PUBLIC KEY-----) as in cosign.pub'],
    ['keyless without a subject', { signer: { keyless: { issuer: KEYLESS.issuer } } },
      'c/verify: signer.keyless: received {"issuer":"https://token.actions.githubusercontent.com"}; expected a "subject" or a "subjectRegExp" naming the signing workflow'],
    ['keyless without an issuer', { signer: { keyless: { issuer: '', subject: KEYLESS.subject } } },
      'c/verify: signer.keyless.issuer: received ""; expected the OIDC issuer URL of the CI that signs (e.g. https://token.actions.githubusercontent.com)'],
    ['no signer at all', { signer: {} },
      'c/verify: signer: received {}; expected one of "keyless" (CI identity) and "publicKey" (cosign key)'],
    ['an image that is no glob', { images: ['GHCR.io/Soft'] },
      'c/verify: images[0]: received "GHCR.io/Soft"; expected an image glob such as ghcr.io/soft-yt/*'],
    ['a timeout over Kyverno\'s limit', { timeoutSeconds: 45 },
      'c/verify: timeoutSeconds: received 45; expected an integer from 1 to 30 (Kyverno\'s webhook timeout range)'],
  ])('refuses %s, naming the construct path', (_what, props, message) => {
    expect(() => ivp(props as Partial<ImageVerificationPolicyProps>)).toThrow(message);
  });
});

describe('RegistryPolicy', () => {
  test('one CEL variable holds the allowed prefixes as a JSON array, sorted and unique', async () => {
    const c = chart();
    new RegistryPolicy(c, 'registries', { allowedPrefixes: ['quay.io/jetstack/', 'ghcr.io/soft-yt/', 'quay.io/jetstack/'], action: 'Audit' });
    const o = objects(c)[0];
    expect(o.kind).toBe('ValidatingPolicy');
    const v = o.spec.variables.find((x: any) => x.name === 'allowedPrefixes');
    expect(JSON.parse(v.expression)).toEqual(['ghcr.io/soft-yt/', 'quay.io/jetstack/']);
    expect(o.spec.validations[0].expression).toBe("variables.containers.all(c, (c.image == 'auto' || variables.allowedPrefixes.exists(p, c.image.startsWith(p))))");
    expect(o.spec.validationActions).toEqual(['Audit']);
    expect(await schemaErrors(c)).toEqual([]);
  });

  test('checks init and ephemeral containers too', () => {
    const c = chart();
    new RegistryPolicy(c, 'registries', { allowedPrefixes: ['ghcr.io/soft-yt/'], action: 'Enforce' });
    expect(objects(c)[0].spec.variables.find((x: any) => x.name === 'containers').expression)
      .toBe('object.spec.containers + (has(object.spec.initContainers) ? object.spec.initContainers : []) + (has(object.spec.ephemeralContainers) ? object.spec.ephemeralContainers : [])');
  });

  test('refuses a prefix that could match another registry by accident', () => {
    const c = chart();
    expect(() => new RegistryPolicy(c, 'registries', { allowedPrefixes: ['ghcr.io'], action: 'Enforce' }))
      .toThrow('c/registries: allowedPrefixes[0]: received "ghcr.io"; expected an image reference prefix ending in "/", ":" or "@" (e.g. quay.io/jetstack/, docker.io/traefik:)');
  });
});

describe('ResourcePolicy', () => {
  test('requires cpu and memory requests and a memory limit, no CPU limit, on containers and init containers', async () => {
    const c = chart();
    new ResourcePolicy(c, 'resources', { action: 'Enforce', excludeNamespaces: ['monitoring'] });
    const o = objects(c)[0];
    const expr: string = o.spec.validations[0].expression;
    expect(expr).toContain("'cpu' in c.resources.requests");
    expect(expr).toContain("'memory' in c.resources.requests");
    expect(expr).toContain("'memory' in c.resources.limits");
    expect(expr).not.toContain("'cpu' in c.resources.limits");
    expect(o.spec.variables).toEqual([{ name: 'containers', expression: 'object.spec.containers + (has(object.spec.initContainers) ? object.spec.initContainers : [])' }]);
    expect(o.spec.matchConstraints.namespaceSelector.matchExpressions[0].values).toEqual(['monitoring']);
    expect(o.metadata.namespace).toBeUndefined();
    expect(await schemaErrors(c)).toEqual([]);
  });

  test('refuses an excluded namespace that is no DNS label', () => {
    expect(() => new ResourcePolicy(chart(), 'resources', { action: 'Enforce', excludeNamespaces: ['Kube_System'] }))
      .toThrow('c/resources: excludeNamespaces[0]: received "Kube_System"; expected a DNS label');
  });
});
