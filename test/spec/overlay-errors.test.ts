import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../primitives/errors.js';
import { loadFleet, resolveCluster, resolveFleet } from '../../spec/load.js';
import { tempDir } from '../helpers/tmp.js';
import { ONPREM_SITE } from '../helpers/onprem-site.js';

const base = {
  cloud: 'yandex',
  environment: 'prod',
  domain: 'prod.company.ru',
  secrets: { ageRecipients: ['age190vd7ndvmhuc23dvgfpznujeuwufj92f0lpajhlfl52rky3kdprsnqz0pm'] },
};

const problemsOf = (overlay: unknown, name = 'c1') =>
  resolveCluster({ name, file: `overlays/${name}.ts`, overlay }).problems;

describe('a bad overlay gets one line per problem naming file, field, value and what is valid', () => {
  test.each([
    ['an unknown ingress kind', { ...base, ingress: { kind: 'nginx' } },
      'overlays/c1.ts: ingress.kind: received "nginx"; expected one of "istio", "traefik"'],
    ['an unknown cloud', { ...base, cloud: 'aws' },
      'overlays/c1.ts: cloud: received "aws"; expected one of "yandex", "sber", "vk", "onprem"'],
    ['an unknown field', { ...base, ingres: { kind: 'istio' } },
      'overlays/c1.ts: (overlay): unknown field "ingres"'],
    ['an unknown nested field', { ...base, mesh: { kind: 'none', mode: 'x' } },
      'overlays/c1.ts: mesh: unknown field "mode"'],
    ['a domain that is not a DNS name', { ...base, domain: 'Prod_Company' },
      'overlays/c1.ts: domain: received "Prod_Company"; expected a lower-case DNS name such as prod.company.ru'],
    ['an age recipient that is not an age key', { ...base, secrets: { ageRecipients: ['ssh-ed25519 AAAA'] } },
      'overlays/c1.ts: secrets.ageRecipients[0]: received "ssh-ed25519 AAAA"; expected an age X25519 public key (age1 followed by 58 bech32 characters)'],
    ['a missing domain', { cloud: 'vk', environment: 'dev', secrets: base.secrets },
      'overlays/c1.ts: domain: missing; expected string'],
    ['a wrong type', { ...base, argocd: { replicas: 'two' } },
      'overlays/c1.ts: argocd.replicas: received "two"; expected number'],
    ['Let\'s Encrypt for .localhost', { ...base, cloud: 'onprem', infrastructure: 'baremetal', ...ONPREM_SITE, domain: 'dev.localhost', dns: { provider: 'none' }, tls: { issuer: 'letsencrypt' } },
      'overlays/c1.ts: tls.issuer: received "letsencrypt" for domain "dev.localhost"; Let\'s Encrypt cannot issue for .localhost (use "self-signed")'],
    ['DNS-01 on a cloud without a solver', { ...base, cloud: 'vk', tls: { acme: { challenge: 'dns01' } } },
      'overlays/c1.ts: tls.acme.challenge: received "dns01" on cloud "vk" with dns.provider "none"; DNS-01 needs a solver (Yandex Cloud DNS webhook, or RFC 2136 on-prem); use "http01"'],
    ['the Yandex DNS webhook outside Yandex', { ...base, cloud: 'sber', dns: { provider: 'yandex-webhook' } },
      'overlays/c1.ts: dns.provider: received "yandex-webhook" on cloud "sber"; the Yandex webhook writes Yandex Cloud DNS only (use "rfc2136" on-prem, or "none" where records are managed elsewhere)'],
    ['on-prem without its infrastructure', { ...base, cloud: 'onprem', ...ONPREM_SITE, dns: { provider: 'rfc2136' } },
      'overlays/c1.ts: infrastructure: missing; expected one of "managed", "baremetal", "vsphere"'],
    ['on-prem on managed Kubernetes', { ...base, cloud: 'onprem', infrastructure: 'managed', ...ONPREM_SITE, dns: { provider: 'rfc2136' } },
      'overlays/c1.ts: infrastructure: received "managed"; an onprem cluster runs on "baremetal" or "vsphere"'],
    ['a team in a platform namespace', { ...base, teams: [{ name: 't', groups: ['g'], namespaces: ['kyverno'], repos: ['https://git.example/t.git'] }] },
      'overlays/c1.ts: teams[0].namespaces[0]: received "kyverno", a platform namespace; teams deploy into their own namespaces'],
    ['a custom collector image on "latest"', { ...base, observability: { otelCollector: { image: { repository: 'ghcr.io/soft-yt/otelcol', tag: 'latest', command: 'otelcol' } } } },
      'overlays/c1.ts: observability.otelCollector.image.tag: received "latest"; a pinned tag, not "latest"'],
    ['a name field', { ...base, name: 'other' },
      'overlays/c1.ts: name: remove this field: a cluster\'s name is its overlay file\'s name'],
  ])('%s', (_what, overlay, message) => {
    expect(problemsOf(overlay)).toContain(message);
  });

  test('a file name that is not a DNS label is refused', () => {
    expect(problemsOf(base, 'Prod_1')).toContain('overlays/Prod_1.ts: name: received "Prod_1"; expected a DNS label (lower-case letters, digits and "-", at most 63 characters)');
  });

  test('a default export that is not an object is refused', () => {
    expect(problemsOf('yc')).toEqual(['overlays/c1.ts: (overlay): the default export must be an object (export default { cloud, environment, domain, ... } satisfies ClusterOverlay)']);
  });

  test('problems of every overlay are reported together', () => {
    const run = () => resolveFleet([
      { name: 'a', file: 'overlays/a.ts', overlay: { ...base, ingress: { kind: 'nginx' } } },
      { name: 'b', file: 'overlays/b.ts', overlay: { ...base, mesh: { kind: 'consul' } } },
    ]);
    expect(run).toThrow(UserError);
    try { run(); } catch (e) {
      expect((e as UserError).problems).toEqual([
        'overlays/a.ts: ingress.kind: received "nginx"; expected one of "istio", "traefik"',
        'overlays/b.ts: mesh.kind: received "consul"; expected one of "none", "istio", "linkerd"',
      ]);
    }
  });
});

describe('overlay files', () => {
  const dir = () => tempDir('overlays-');

  test('a TypeScript syntax error names the file, line and column', async () => {
    const d = dir();
    writeFileSync(join(d, 'x.ts'), 'export default {\n  cloud: "vk",,\n};\n');
    await expect(loadFleet(d)).rejects.toThrow(/x\.ts:2:14 /);
  });

  test('a file without a default export is refused', async () => {
    const d = dir();
    writeFileSync(join(d, 'x.ts'), 'export const cloud = "vk";\n');
    await expect(loadFleet(d)).rejects.toThrow('x.ts: (overlay): no default export');
  });

  test('an unknown --cluster lists the clusters there are', async () => {
    const d = dir();
    writeFileSync(join(d, 'a.ts'), `export default ${JSON.stringify(base)};\n`);
    await expect(loadFleet(d, ['b'])).rejects.toThrow(`--cluster b: no overlay ${join(d, 'b.ts')} (clusters: a)`);
  });

  test('an overlay added as a file is loaded without rebuilding the tool', async () => {
    const d = dir();
    writeFileSync(join(d, 'edge-1.ts'), `const domain: string = 'edge.company.ru';\nexport default { ...${JSON.stringify(base)}, domain };\n`);
    const [spec] = await loadFleet(d);
    expect(spec.name).toBe('edge-1');
    expect(spec.domain).toBe('edge.company.ru');
  });
});
