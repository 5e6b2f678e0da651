// `charts pull` against real loopback servers: a Helm HTTP repository and an OCI registry with the
// anonymous token flow, serving charts of ../shared/helm/charts packaged by the test.
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir as makeTempDir } from '../../helpers/tmp.js';
import { describeWithReferenceData, referencePath } from '../../helpers/reference-data.js';
import { sha256Digest } from '../../../helm/repo/digest.js';
import { resolvePackageURL } from '../../../helm/repo/http-repository.js';
import { formatLock, readLock, writeLock } from '../../../helm/repo/lock.js';
import { parseChallenge, parseOciReference } from '../../../helm/repo/oci-registry.js';
import { chartFolderFiles, packageChart } from '../../../helm/repo/package.js';
import { checkCharts, pullCharts, type ChartPin } from '../../../helm/repo/pull.js';
import { resolveChart } from '../../../helm/repo/resolve.js';
import { startChartRepository, startOciRegistry, type LoopbackServer } from './servers.js';

const tempDir = () => makeTempDir('charts-pull-');
const servers: LoopbackServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

function where() {
  return { cacheDir: join(tempDir(), 'cache'), lockFile: join(tempDir(), 'charts.lock.json') };
}

function cachedFiles(cacheDir: string): string[] {
  return existsSync(join(cacheDir, 'sha256')) ? readdirSync(join(cacheDir, 'sha256')) : [];
}

describe('repository addressing', () => {
  test('relative package URLs resolve against the repository URL as a folder, with or without its slash', () => {
    expect(resolvePackageURL('https://kyverno.github.io/kyverno/', 'kyverno-3.9.0.tgz')).toBe('https://kyverno.github.io/kyverno/kyverno-3.9.0.tgz');
    expect(resolvePackageURL('https://istio-release.storage.googleapis.com/charts', 'base-1.30.4.tgz')).toBe('https://istio-release.storage.googleapis.com/charts/base-1.30.4.tgz');
    expect(resolvePackageURL('https://a.example/charts', 'https://github.com/x/releases/download/x-1.0.0/x-1.0.0.tgz')).toBe('https://github.com/x/releases/download/x-1.0.0/x-1.0.0.tgz');
  });

  test('OCI references: the catalog form names the chart; a folder gets it appended; + becomes _ in tags', () => {
    expect(parseOciReference('oci://cr.yandex/yc-marketplace/yandex-cloud/cert-manager-webhook-yandex', 'cert-manager-webhook-yandex', '1.0.8-1'))
      .toEqual({ scheme: 'https', host: 'cr.yandex', name: 'yc-marketplace/yandex-cloud/cert-manager-webhook-yandex', tag: '1.0.8-1' });
    expect(parseOciReference('oci://ghcr.io/org/charts/', 'app', '1.2.3+build.4'))
      .toEqual({ scheme: 'https', host: 'ghcr.io', name: 'org/charts/app', tag: '1.2.3_build.4' });
    expect(parseOciReference('oci://127.0.0.1:5000/charts/app', 'app', '1.0.0').scheme).toBe('http');
  });

  test('a Bearer challenge gives realm, service and scope (quoted values may hold commas)', () => {
    expect(parseChallenge('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:a/b:pull,push"'))
      .toEqual({ scheme: 'Bearer', params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:a/b:pull,push' } });
  });
});

describe('the lock file', () => {
  test('is formatted deterministically: charts sorted by name, fixed field order, final newline', () => {
    const file = join(tempDir(), 'charts.lock.json');
    const digest = sha256Digest(new Uint8Array([1]));
    expect(writeLock(file, { charts: {
      zeta: { source: 'repository', digest, repository: 'https://z', version: '1.0.0' },
      alpha: { version: '2.0.0', repository: 'https://a', digest, source: 'local', packagedFrom: 'alpha-2.0.0' },
    } })).toBe(true);
    const text = readFileSync(file, 'utf8');
    expect(text).toBe(`{
  "lockfileVersion": 1,
  "charts": {
    "alpha": {
      "version": "2.0.0",
      "repository": "https://a",
      "digest": "${digest}",
      "source": "local",
      "packagedFrom": "alpha-2.0.0"
    },
    "zeta": {
      "version": "1.0.0",
      "repository": "https://z",
      "digest": "${digest}",
      "source": "repository"
    }
  }
}
`);
    expect(writeLock(file, readLock(file))).toBe(false);
    expect(formatLock(readLock(file))).toBe(text);
  });

  test('a malformed lock is one line naming the file and what is expected', () => {
    const file = join(tempDir(), 'charts.lock.json');
    writeFileSync(file, '{"lockfileVersion": 1, "charts": {"x": {"version": "1"}}}');
    expect(() => readLock(file)).toThrow(`${file}: charts.x: expected version, repository, digest (sha256:<hex>) and source ("repository" or "local")`);
  });
});

describeWithReferenceData('charts pull from loopback servers', 'helm/charts', () => {
  const pack = (folder: string, name: string) => packageChart(name, chartFolderFiles(referencePath(`helm/charts/${folder}`)));
  let externalDns: Uint8Array;
  let opencost: Uint8Array;
  let webhook: Uint8Array;
  beforeAll(() => {
    externalDns = pack('external-dns-1.21.1', 'external-dns');
    opencost = pack('opencost-2.5.17', 'opencost');
    webhook = pack('cert-manager-webhook-yandex-1.0.9', 'cert-manager-webhook-yandex');
  });

  const WEBHOOK_REPO = 'yc-marketplace/yandex-cloud/cert-manager-webhook-yandex';

  async function serve(overrides: { externalDns?: Partial<Parameters<typeof startChartRepository>[0][number]>; webhookServed?: Uint8Array } = {}) {
    const repo = await startChartRepository([
      { name: 'external-dns', version: '1.21.1', bytes: externalDns, url: 'relative', ...overrides.externalDns },
      { name: 'opencost', version: '2.5.17', bytes: opencost, url: 'absolute' },
    ]);
    const registry = await startOciRegistry([{ repository: WEBHOOK_REPO, tag: '1.0.9', bytes: webhook, servedBytes: overrides.webhookServed }]);
    servers.push(repo, registry);
    const pins: ChartPin[] = [
      { name: 'external-dns', version: '1.21.1', repository: repo.repoURL },
      { name: 'opencost', version: '2.5.17', repository: repo.repoURL },
      { name: 'cert-manager-webhook-yandex', version: '1.0.9', repository: `oci://${registry.host}/${WEBHOOK_REPO}` },
    ];
    return { repo, registry, pins };
  }

  test('fills the cache from an HTTP repository and an OCI registry, locks the digests, and a second pull downloads nothing', async () => {
    const { repo, registry, pins } = await serve();
    const w = where();
    const first = await pullCharts(pins, w);
    expect(first).toEqual({ fetched: ['external-dns', 'opencost', 'cert-manager-webhook-yandex'], cached: [], lockChanged: true, errors: [], warnings: [] });

    const lock = readLock(w.lockFile);
    expect(lock.charts).toEqual({
      'external-dns': { version: '1.21.1', repository: repo.repoURL, digest: sha256Digest(externalDns), source: 'repository' },
      opencost: { version: '2.5.17', repository: repo.repoURL, digest: sha256Digest(opencost), source: 'repository' },
      'cert-manager-webhook-yandex': { version: '1.0.9', repository: pins[2].repository, digest: sha256Digest(webhook), source: 'repository' },
    });
    for (const [name, bytes] of [['external-dns', externalDns], ['opencost', opencost], ['cert-manager-webhook-yandex', webhook]] as const) {
      const path = resolveChart(name, pins.find((p) => p.name === name)!.version, w);
      expect(path).toBe(join(w.cacheDir, 'sha256', `${sha256Digest(bytes).slice(7)}.tgz`));
      // Not toEqual on the bytes: jest compares megabytes element by element.
      expect(Buffer.compare(readFileSync(path), bytes)).toBe(0);
    }
    // One index for both charts of the repository; one token for the manifest and the blob.
    expect(repo.requests).toEqual(['GET /repo/index.yaml', 'GET /repo/charts/external-dns-1.21.1.tgz', 'GET /repo/charts/opencost-2.5.17.tgz']);
    expect(registry.tokensIssued).toEqual([`repository:${WEBHOOK_REPO}:pull`]);
    expect(registry.requests.map((r) => r.replace(/\?.*/, '?…').replace(/sha256:\w+/, 'sha256:…'))).toEqual([
      `GET /v2/${WEBHOOK_REPO}/manifests/1.0.9`, 'GET /token?…', `GET /v2/${WEBHOOK_REPO}/manifests/1.0.9`, `GET /v2/${WEBHOOK_REPO}/blobs/sha256:…`,
    ]);
    expect(checkCharts(pins, w)).toEqual([]);

    const seen = repo.requests.length + registry.requests.length;
    const second = await pullCharts(pins, w);
    expect(second).toEqual({ fetched: [], cached: ['external-dns', 'opencost', 'cert-manager-webhook-yandex'], lockChanged: false, errors: [], warnings: [] });
    expect(repo.requests.length + registry.requests.length).toBe(seen);
  });

  test('a package whose digest differs from index.yaml is refused and nothing is cached', async () => {
    const tampered = new Uint8Array([...externalDns, 0]);
    const { repo, pins } = await serve({ externalDns: { bytes: tampered, indexDigest: sha256Digest(externalDns).slice(7) } });
    const w = where();
    const r = await pullCharts(pins.slice(0, 1), w);
    expect(r.errors).toEqual([
      `chart external-dns 1.21.1: ${repo.repoURL}charts/external-dns-1.21.1.tgz has digest ${sha256Digest(tampered)} but ${repo.repoURL}index.yaml says ${sha256Digest(externalDns)}; the download is corrupt or tampered, nothing was cached`,
    ]);
    expect(cachedFiles(w.cacheDir)).toEqual([]);
    expect(existsSync(w.lockFile)).toBe(true);
    expect(readLock(w.lockFile).charts).toEqual({});
  });

  test('a blob whose digest differs from the OCI manifest is refused and nothing is cached', async () => {
    const tampered = new Uint8Array(webhook);
    tampered[tampered.length - 20] ^= 0xff;
    const { registry, pins } = await serve({ webhookServed: tampered });
    const w = where();
    const r = await pullCharts(pins.slice(2), w);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toBe(`chart cert-manager-webhook-yandex 1.0.9: the chart layer of oci://${registry.host}/${WEBHOOK_REPO}:1.0.9 has digest ${sha256Digest(tampered)} (${webhook.length} bytes) but the manifest says ${sha256Digest(webhook)} (${webhook.length} bytes); the download is corrupt or tampered, nothing was cached`);
    expect(cachedFiles(w.cacheDir)).toEqual([]);
  });

  test('a download that differs from the lock is refused with both digests and the fix; --relock accepts it', async () => {
    const { pins } = await serve();
    const w = where();
    const old = sha256Digest(new TextEncoder().encode('the package locked last month'));
    writeLock(w.lockFile, { charts: { 'external-dns': { version: '1.21.1', repository: pins[0].repository, digest: old, source: 'repository' } } });
    const r = await pullCharts(pins.slice(0, 1), w);
    expect(r.errors).toEqual([
      `chart external-dns 1.21.1: ${pins[0].repository}charts/external-dns-1.21.1.tgz has digest ${sha256Digest(externalDns)} but ${w.lockFile} locks ${old}; `
      + 'nothing was cached. If the new package is expected, accept it with: npx infra-synth charts pull --chart external-dns --relock',
    ]);
    expect(cachedFiles(w.cacheDir)).toEqual([]);
    expect(readLock(w.lockFile).charts['external-dns'].digest).toBe(old);

    const relocked = await pullCharts(pins.slice(0, 1), { ...w, relock: true });
    expect(relocked.errors).toEqual([]);
    expect(readLock(w.lockFile).charts['external-dns'].digest).toBe(sha256Digest(externalDns));
  });

  test('a version the repository does not have, and a tag the registry does not have, are named', async () => {
    const { repo, registry, pins } = await serve();
    const r = await pullCharts([{ ...pins[0], version: '9.9.9' }, { ...pins[2], version: '0.0.1' }], where());
    expect(r.errors).toEqual([
      `chart external-dns 9.9.9: ${repo.repoURL}index.yaml has no version 9.9.9 of external-dns`,
      `chart cert-manager-webhook-yandex 0.0.1: oci://${registry.host}/${WEBHOOK_REPO}:0.0.1 does not exist (manifest 404)`,
    ]);
  });

  test('an index entry without a digest is accepted (the lock then guards the package); a registry asking for credentials is named', async () => {
    const { pins } = await serve({ externalDns: { indexDigest: null } });
    const registry = await startOciRegistry([{ repository: WEBHOOK_REPO, tag: '1.0.9', bytes: webhook }], { challenge: 'basic' });
    servers.push(registry);
    const w = where();
    const r = await pullCharts([pins[0], { ...pins[2], repository: `oci://${registry.host}/${WEBHOOK_REPO}` }], w);
    expect(r.fetched).toEqual(['external-dns']);
    expect(r.errors).toEqual([
      `chart cert-manager-webhook-yandex 1.0.9: oci://${registry.host}/${WEBHOOK_REPO} needs credentials (Basic realm="loopback-registry"); only anonymous pulls are supported`,
    ]);
    expect(readLock(w.lockFile).charts['external-dns'].digest).toBe(sha256Digest(externalDns));
  });

  test('a repository that cannot be reached is one line naming the chart and the URL', async () => {
    const { repo, pins } = await serve();
    await repo.close();
    servers.splice(servers.indexOf(repo), 1);
    const r = await pullCharts(pins.slice(0, 1), where());
    expect(r.errors).toEqual([`chart external-dns 1.21.1: GET ${repo.repoURL}index.yaml failed (ECONNREFUSED)`]);
  });

  test('pulling only some charts keeps the others in the lock; a full pull drops charts no longer pinned', async () => {
    const { pins } = await serve();
    const w = where();
    await pullCharts(pins, w);
    await pullCharts(pins.slice(0, 1), w);
    expect(Object.keys(readLock(w.lockFile).charts).sort()).toEqual(['cert-manager-webhook-yandex', 'external-dns', 'opencost']);
    expect(checkCharts(pins.slice(0, 2), w)).toEqual([`${w.lockFile}: chart cert-manager-webhook-yandex is locked but not pinned; run: npx infra-synth charts pull`]);
    await pullCharts(pins.slice(0, 2), { ...w, prune: true });
    expect(Object.keys(readLock(w.lockFile).charts).sort()).toEqual(['external-dns', 'opencost']);
  });

  test('--check and resolveChart name the pull command when the cache lost a package; neither uses the network', async () => {
    const { repo, registry, pins } = await serve();
    const w = where();
    await pullCharts(pins, w);
    rmSync(join(w.cacheDir, 'sha256', `${sha256Digest(opencost).slice(7)}.tgz`));
    const seen = repo.requests.length + registry.requests.length;
    expect(checkCharts(pins, w)).toEqual([`chart opencost 2.5.17: ${sha256Digest(opencost)} is not in the cache (${w.cacheDir}); run: npx infra-synth charts pull`]);
    expect(() => resolveChart('opencost', '2.5.17', w)).toThrow(`chart opencost 2.5.17 is not in the cache (${w.cacheDir}); run: npx infra-synth charts pull`);
    expect(() => resolveChart('opencost', '2.6.0', w)).toThrow(`chart opencost 2.6.0 is not in ${w.lockFile} (it locks opencost 2.5.17); run: npx infra-synth charts pull`);
    expect(() => resolveChart('loki', '18.11.0', w)).toThrow(`chart loki 18.11.0 is not in ${w.lockFile}; run: npx infra-synth charts pull`);
    expect(repo.requests.length + registry.requests.length).toBe(seen);

    const cached = join(w.cacheDir, 'sha256', `${sha256Digest(externalDns).slice(7)}.tgz`);
    writeFileSync(cached, 'tampered');
    expect(checkCharts(pins, w)).toContain(`chart external-dns 1.21.1: the cached ${cached} no longer hashes to ${sha256Digest(externalDns)}; delete it and run: npx infra-synth charts pull`);
  });
});
