import { resolveCluster } from '../../spec/load.js';

const base = {
  cloud: 'vk',
  environment: 'prod',
  domain: 'prod.company.ru',
  secrets: { ageRecipients: ['age190vd7ndvmhuc23dvgfpznujeuwufj92f0lpajhlfl52rky3kdprsnqz0pm'] },
};
const PEM = '-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEiDcS+aHPzDxlDRKFNxkhjf1h6WfV\nzDdzg7w39NQVUgWsp3aHzYbezuFliqI7FeD6WcZwqa0zJS7MtCV0qXSjKw==\n-----END PUBLIC KEY-----\n';

const resolve = (overlay: Record<string, unknown>) => resolveCluster({ name: 'c1', file: 'overlays/c1.ts', overlay: { ...base, ...overlay } });
const problemsOf = (imagePolicy: Record<string, unknown>, env = 'prod') => resolve({ environment: env, imagePolicy }).problems;

describe('imagePolicy defaults by environment', () => {
  test.each([['dev', 'Audit'], ['stage', 'Enforce'], ['prod', 'Enforce']])('%s → %s', (environment, action) => {
    expect(resolve({ environment }).spec!.imagePolicy.action).toBe(action);
  });

  test('an overlay may audit in prod', () => {
    expect(resolve({ imagePolicy: { action: 'Audit' } }).spec!.imagePolicy.action).toBe('Audit');
  });

  test('the company CI signs keyless, ghcr.io/soft-yt/* only, no SBOM or digest by default', () => {
    const p = resolve({}).spec!.imagePolicy;
    expect(p.signedImages).toEqual(['ghcr.io/soft-yt/*']);
    expect(p.signer.mode).toBe('keyless');
    expect(p.signer.keyless!.issuer).toBe('https://token.actions.githubusercontent.com');
    expect(p).toMatchObject({ sbom: false, requireDigest: false, exemptions: [] });
  });

  test('a keyed overlay with a real PEM key resolves', () => {
    expect(problemsOf({ signer: { mode: 'keyed', publicKey: PEM, ignoreTlog: true } })).toEqual([]);
  });
});

describe('a bad imagePolicy gets one line naming the overlay file and field', () => {
  test.each([
    ['a public key that is not PEM', { signer: { mode: 'keyed', publicKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5' } },
      'overlays/c1.ts: imagePolicy.signer.publicKey: received "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5"; expected a PEM public key (-----BEGIN PUBLIC KEY-----, base64 lines, -----END PUBLIC KEY-----) as in cosign.pub'],
    ['PEM armour around garbage', { signer: { mode: 'keyed', publicKey: '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n' } },
      'overlays/c1.ts: imagePolicy.signer.publicKey: received "-----BEGIN PUBLIC KEY-----\\nAAAA\\n-----..."; expected a PEM public key (-----BEGIN PUBLIC KEY-----, base64 lines, -----END PUBLIC KEY-----) as in cosign.pub'],
    ['keyed without a key', { signer: { mode: 'keyed' } },
      'overlays/c1.ts: imagePolicy.signer.publicKey: missing; mode "keyed" needs the cosign public key (the PEM text of cosign.pub: -----BEGIN PUBLIC KEY----- ...)'],
    ['keyless without an issuer', { signer: { keyless: { issuer: '' } } },
      'overlays/c1.ts: imagePolicy.signer.keyless.issuer: missing; keyless verification needs the OIDC issuer of the CI that signs (e.g. "https://token.actions.githubusercontent.com")'],
    ['keyless with an issuer that is no URL', { signer: { keyless: { issuer: 'github' } } },
      'overlays/c1.ts: imagePolicy.signer.keyless.issuer: received "github"; expected the OIDC issuer URL of the CI that signs (https://..., e.g. "https://token.actions.githubusercontent.com")'],
    ['keyless without a subject', { signer: { keyless: { subjectRegExp: '' } } },
      'overlays/c1.ts: imagePolicy.signer.keyless: missing "subject" or "subjectRegExp"; keyless verification needs the identity of the signing workflow (e.g. subject "https://github.com/soft-yt/app/.github/workflows/release.yml@refs/heads/main")'],
    ['keyless with both subject forms', { signer: { keyless: { subject: 'https://github.com/soft-yt/app/.github/workflows/release.yml@refs/heads/main' } } },
      'overlays/c1.ts: imagePolicy.signer.keyless: both "subject" and "subjectRegExp" given; keep one'],
    ['a subject pattern that is no regular expression', { signer: { keyless: { subjectRegExp: '^https://(github' } } },
      'overlays/c1.ts: imagePolicy.signer.keyless.subjectRegExp: received "^https://(github"; not a regular expression (Invalid regular expression: /^https://(github/: Unterminated group)'],
    ['keyless without the transparency log', { signer: { ignoreTlog: true } },
      'overlays/c1.ts: imagePolicy.signer.ignoreTlog: received true with mode "keyless"; keyless certificates are only trusted through the transparency log (ignoreTlog is for keyed signatures made offline)'],
    ['an unknown signer mode', { signer: { mode: 'notary' } },
      'overlays/c1.ts: imagePolicy.signer.mode: received "notary"; expected one of "keyless", "keyed"'],
    ['a Rekor URL over plain HTTP', { signer: { rekorURL: 'http://rekor.company.ru' } },
      'overlays/c1.ts: imagePolicy.signer.rekorURL: received "http://rekor.company.ru"; expected an https:// URL'],
    ['an exemption inside the signed images', { exemptions: [{ image: 'ghcr.io/soft-yt/legacy:*', reason: 'built before signing started' }] },
      'overlays/c1.ts: imagePolicy.exemptions[0].image: received "ghcr.io/soft-yt/legacy:*", inside signedImages pattern "ghcr.io/soft-yt/*"; an image the policy verifies cannot be exempt (sign it, or narrow signedImages)'],
    ['an exemption without a registry', { exemptions: [{ image: 'nginx', reason: 'the upstream image' }] },
      'overlays/c1.ts: imagePolicy.exemptions[0].image: received "nginx"; expected an image glob such as ghcr.io/org/tool:* (registry and repository; `*` matches anything)'],
    ['an exemption without a reason', { exemptions: [{ image: 'docker.io/org/tool:*', reason: 'x' }] },
      'overlays/c1.ts: imagePolicy.exemptions[0].reason: received "x"; expected a reason a reviewer can check (at least 10 characters)'],
    ['an unknown imagePolicy field', { verifyImages: true },
      'overlays/c1.ts: imagePolicy: unknown field "verifyImages"'],
  ])('%s', (_what, imagePolicy, message) => {
    expect(problemsOf(imagePolicy)).toContain(message);
  });
});
