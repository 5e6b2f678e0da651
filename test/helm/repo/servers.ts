// Loopback servers for `charts pull` tests: a Helm HTTP chart repository and an OCI registry with
// the anonymous token flow, both on 127.0.0.1 with an ephemeral port. Each records the paths it
// was asked for, so a test can say "nothing was downloaded".
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { stringify } from 'yaml';

export interface LoopbackServer {
  readonly url: string;
  /** `METHOD path` of every request, in order. */
  readonly requests: string[];
  close(): Promise<void>;
}

async function listen(handler: (req: IncomingMessage, res: ServerResponse, base: string) => void): Promise<LoopbackServer> {
  const requests: string[] = [];
  let base = '';
  const server: Server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    handler(req, res, base);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    requests,
    close: () => new Promise<void>((resolve, reject) => {
      server.closeAllConnections();
      server.close((e) => (e ? reject(e) : resolve()));
    }),
  };
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

export interface RepoChart {
  readonly name: string;
  readonly version: string;
  /** What the server sends. */
  readonly bytes: Uint8Array;
  /** What index.yaml lists as its digest (default: the sha256 of `bytes`; null: no digest). */
  readonly indexDigest?: string | null;
  /** `relative` (charts/<name>-<version>.tgz, the `helm repo index` default) or `absolute`. */
  readonly url?: 'relative' | 'absolute';
}

/** A Helm chart repository at `<url>/repo/`: index.yaml plus the packages under charts/. */
export async function startChartRepository(charts: RepoChart[]): Promise<LoopbackServer & { readonly repoURL: string }> {
  const files = new Map<string, Uint8Array>();
  const server = await listen((req, res, base) => {
    if (req.url === '/repo/index.yaml') {
      const entries: Record<string, unknown[]> = {};
      for (const c of charts) {
        const path = `charts/${c.name}-${c.version}.tgz`;
        files.set(`/repo/${path}`, c.bytes);
        const digest = c.indexDigest === undefined ? sha256(c.bytes) : c.indexDigest;
        (entries[c.name] ??= []).push({
          apiVersion: 'v2', name: c.name, version: c.version, created: '2026-01-01T00:00:00Z',
          urls: [c.url === 'absolute' ? `${base}/repo/${path}` : path],
          ...(digest === null ? {} : { digest }),
        });
      }
      res.writeHead(200, { 'content-type': 'application/x-yaml' }).end(stringify({ apiVersion: 'v1', entries, generated: '2026-01-01T00:00:00Z' }));
      return;
    }
    const body = req.url ? files.get(req.url) : undefined;
    if (body) res.writeHead(200, { 'content-type': 'application/gzip' }).end(body);
    else res.writeHead(404).end('not found');
  });
  return { ...server, repoURL: `${server.url}/repo/` };
}

export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const HELM_CONFIG = 'application/vnd.cncf.helm.config.v1+json';
export const HELM_LAYER = 'application/vnd.cncf.helm.chart.content.v1.tar+gzip';

export interface RegistryChart {
  /** Repository name in the registry, e.g. `yc-marketplace/yandex-cloud/cert-manager-webhook-yandex`. */
  readonly repository: string;
  readonly tag: string;
  /** The chart layer the manifest names (its digest and size). */
  readonly bytes: Uint8Array;
  /** What the blob endpoint sends instead (a tampered blob). */
  readonly servedBytes?: Uint8Array;
}

/**
 * An OCI distribution registry that serves pulls only with a bearer token from its /token
 * endpoint (realm), issued for `repository:<name>:pull` of service `loopback-registry`.
 */
export async function startOciRegistry(
  charts: RegistryChart[],
  options: { readonly challenge?: 'bearer' | 'basic' } = {},
): Promise<LoopbackServer & { readonly host: string; readonly tokensIssued: string[] }> {
  const tokensIssued: string[] = [];
  const valid = new Map<string, string>();
  const server = await listen((req, res, base) => {
    const url = new URL(req.url ?? '/', base);
    if (url.pathname === '/token') {
      const scope = url.searchParams.get('scope') ?? '';
      if (url.searchParams.get('service') !== 'loopback-registry' || !scope.startsWith('repository:')) {
        res.writeHead(400).end('{"errors":[{"code":"UNSUPPORTED"}]}');
        return;
      }
      const token = `t${tokensIssued.length}-${Math.random().toString(36).slice(2)}`;
      tokensIssued.push(scope);
      valid.set(token, scope);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token, expires_in: 300 }));
      return;
    }
    const m = /^\/v2\/(.+)\/(manifests|blobs)\/([^/]+)$/.exec(url.pathname);
    if (!m) {
      res.writeHead(404).end();
      return;
    }
    const [, name, kind, ref] = m;
    const scope = `repository:${name}:pull`;
    const auth = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!auth || valid.get(auth) !== scope) {
      res.writeHead(401, {
        'content-type': 'application/json',
        'www-authenticate': options.challenge === 'basic' ? 'Basic realm="loopback-registry"' : `Bearer realm="${base}/token",service="loopback-registry",scope="${scope}"`,
      }).end('{"errors":[{"code":"UNAUTHORIZED"}]}');
      return;
    }
    const config = new TextEncoder().encode('{}');
    if (kind === 'manifests') {
      const chart = charts.find((c) => c.repository === name && c.tag === decodeURIComponent(ref));
      if (!chart || !(req.headers.accept ?? '').includes(OCI_MANIFEST)) {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"errors":[{"code":"MANIFEST_UNKNOWN"}]}');
        return;
      }
      const manifest = new TextEncoder().encode(JSON.stringify({
        schemaVersion: 2,
        mediaType: OCI_MANIFEST,
        config: { mediaType: HELM_CONFIG, digest: `sha256:${sha256(config)}`, size: config.length },
        layers: [{ mediaType: HELM_LAYER, digest: `sha256:${sha256(chart.bytes)}`, size: chart.bytes.length }],
      }));
      res.writeHead(200, { 'content-type': OCI_MANIFEST, 'docker-content-digest': `sha256:${sha256(manifest)}` }).end(manifest);
      return;
    }
    const chart = charts.find((c) => c.repository === name && `sha256:${sha256(c.bytes)}` === ref);
    if (chart) res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(chart.servedBytes ?? chart.bytes);
    else res.writeHead(404).end('{"errors":[{"code":"BLOB_UNKNOWN"}]}');
  });
  return { ...server, host: new URL(server.url).host, tokensIssued };
}
