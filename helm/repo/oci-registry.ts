// Helm charts in OCI registries (`oci://host/path/chart`, tag = chart version with `+` as `_`),
// read through the distribution API as `helm pull` does: the manifest, then the one layer of the
// Helm chart media type, whose sha256 the manifest names. Anonymous pulls only: on a 401 with a
// `Bearer` challenge, a token is asked from the challenge's realm for its service and scope (the
// token flow every public registry, cr.yandex included, uses), and the request is repeated.
import { ChartRepoError } from './errors.js';
import { normalizeDigest, sha256Digest } from './digest.js';
import { httpGet, type HttpOptions } from './http.js';
import type { FetchedChart } from './http-repository.js';

export const OCI_MANIFEST_MEDIA_TYPE = 'application/vnd.oci.image.manifest.v1+json';
export const CHART_LAYER_MEDIA_TYPE = 'application/vnd.cncf.helm.chart.content.v1.tar+gzip';
/** Charts pushed by Helm before 3.7 (`helm chart push`). */
export const LEGACY_CHART_LAYER_MEDIA_TYPE = 'application/tar+gzip';

export interface OciReference {
  /** `http` only for loopback hosts, as registries on the own machine are usually plain. */
  readonly scheme: 'https' | 'http';
  readonly host: string;
  /** The repository name inside the registry, e.g. `yc-marketplace/yandex-cloud/cert-manager-webhook-yandex`. */
  readonly name: string;
  readonly tag: string;
}

export function isOciRepository(repoURL: string): boolean {
  return repoURL.startsWith('oci://');
}

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?$/;

/**
 * The registry, repository and tag of `chart` at `version` under `repoURL`. The catalog names OCI
 * charts by their full reference (`oci://host/path/chart`, as `helm pull` takes it); a URL naming
 * only the folder (Argo CD's form: repoURL `host/path`, chart `chart`) gets the chart appended.
 */
export function parseOciReference(repoURL: string, chart: string, version: string): OciReference {
  const m = /^oci:\/\/([^/]+)\/(.+?)\/*$/.exec(repoURL);
  if (!m) throw new ChartRepoError(`chart ${chart} ${version}: ${repoURL} is not an OCI reference (oci://host/path/chart)`);
  const [, host, path] = m;
  const name = path.split('/').at(-1) === chart ? path : `${path}/${chart}`;
  return { scheme: LOOPBACK.test(host) ? 'http' : 'https', host, name, tag: version.replaceAll('+', '_') };
}

interface Challenge {
  readonly scheme: string;
  readonly params: Readonly<Record<string, string>>;
}

/** `Bearer realm="https://auth/token",service="registry",scope="repository:x:pull"` → its parts. */
export function parseChallenge(header: string): Challenge {
  const scheme = /^\s*(\S+)/.exec(header)?.[1] ?? '';
  const params: Record<string, string> = {};
  for (const m of header.slice(header.indexOf(scheme) + scheme.length).matchAll(/([A-Za-z_]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g)) {
    params[m[1].toLowerCase()] = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3];
  }
  return { scheme, params };
}

interface Manifest {
  readonly layers?: readonly { mediaType?: unknown; digest?: unknown; size?: unknown }[];
}

export class OciRegistryClient {
  /** Bearer tokens by registry host and repository, reused for the manifest and the blob. */
  private readonly tokens = new Map<string, string>();

  constructor(private readonly options: HttpOptions = {}) {}

  async fetchChart(repoURL: string, chart: string, version: string): Promise<FetchedChart> {
    const what = `chart ${chart} ${version}`;
    const ref = parseOciReference(repoURL, chart, version);
    const base = `${ref.scheme}://${ref.host}/v2/${ref.name}`;
    const display = `oci://${ref.host}/${ref.name}:${ref.tag}`;

    const manifestRes = await this.get(ref, `${base}/manifests/${encodeURIComponent(ref.tag)}`, what, { Accept: OCI_MANIFEST_MEDIA_TYPE });
    if (manifestRes.status === 404) throw new ChartRepoError(`${what}: ${display} does not exist (manifest 404)`);
    if (!manifestRes.ok) throw new ChartRepoError(`${what}: GET ${manifestRes.url} answered ${manifestRes.status} ${manifestRes.statusText}`.trimEnd());
    const manifestBytes = new Uint8Array(await manifestRes.arrayBuffer());
    const announced = manifestRes.headers.get('docker-content-digest');
    if (announced && normalizeDigest(announced) && normalizeDigest(announced) !== sha256Digest(manifestBytes)) {
      throw new ChartRepoError(`${what}: the manifest of ${display} has digest ${sha256Digest(manifestBytes)} but the registry announced ${announced}; nothing was cached`);
    }
    let manifest: Manifest;
    try {
      manifest = JSON.parse(new TextDecoder().decode(manifestBytes)) as Manifest;
    } catch {
      throw new ChartRepoError(`${what}: the manifest of ${display} is not JSON`);
    }
    const layers = Array.isArray(manifest?.layers) ? manifest.layers : [];
    const layer = layers.find((l) => l?.mediaType === CHART_LAYER_MEDIA_TYPE) ?? layers.find((l) => l?.mediaType === LEGACY_CHART_LAYER_MEDIA_TYPE);
    if (!layer) throw new ChartRepoError(`${what}: ${display} is not a Helm chart (no layer of media type ${CHART_LAYER_MEDIA_TYPE})`);
    const expected = typeof layer.digest === 'string' ? normalizeDigest(layer.digest) : undefined;
    if (!expected) throw new ChartRepoError(`${what}: the chart layer of ${display} has no sha256 digest (${JSON.stringify(layer.digest)})`);

    const blobRes = await this.get(ref, `${base}/blobs/${expected}`, what, {});
    if (!blobRes.ok) throw new ChartRepoError(`${what}: GET ${blobRes.url} answered ${blobRes.status} ${blobRes.statusText}`.trimEnd());
    const bytes = new Uint8Array(await blobRes.arrayBuffer());
    const digest = sha256Digest(bytes);
    if (digest !== expected || (typeof layer.size === 'number' && layer.size !== bytes.length)) {
      throw new ChartRepoError(`${what}: the chart layer of ${display} has digest ${digest} (${bytes.length} bytes) but the manifest says ${expected}${typeof layer.size === 'number' ? ` (${layer.size} bytes)` : ''}; the download is corrupt or tampered, nothing was cached`);
    }
    return { bytes, digest, url: `${base}/blobs/${expected}` };
  }

  /** A GET that answers a Bearer challenge once with an anonymous token. */
  private async get(ref: OciReference, url: string, what: string, headers: Record<string, string>): Promise<Response> {
    const key = `${ref.host}/${ref.name}`;
    const token = this.tokens.get(key);
    const res = await httpGet(url, what, this.options, token ? { ...headers, Authorization: `Bearer ${token}` } : headers);
    if (res.status !== 401) return res;
    const header = res.headers.get('www-authenticate');
    await res.body?.cancel();
    const challenge = header ? parseChallenge(header) : undefined;
    if (!challenge || challenge.scheme.toLowerCase() !== 'bearer' || !challenge.params.realm) {
      throw new ChartRepoError(`${what}: oci://${ref.host}/${ref.name} needs credentials (${header ?? 'no WWW-Authenticate challenge'}); only anonymous pulls are supported`);
    }
    const fresh = await this.token(challenge, ref, what);
    this.tokens.set(key, fresh);
    const retry = await httpGet(url, what, this.options, { ...headers, Authorization: `Bearer ${fresh}` });
    if (retry.status === 401) {
      await retry.body?.cancel();
      throw new ChartRepoError(`${what}: oci://${ref.host}/${ref.name} refused the anonymous token (401); the chart is not public`);
    }
    return retry;
  }

  private async token(challenge: Challenge, ref: OciReference, what: string): Promise<string> {
    let url: URL;
    try {
      url = new URL(challenge.params.realm);
    } catch {
      throw new ChartRepoError(`${what}: oci://${ref.host} names an unusable token realm ${JSON.stringify(challenge.params.realm)}`);
    }
    if (challenge.params.service) url.searchParams.set('service', challenge.params.service);
    url.searchParams.set('scope', challenge.params.scope ?? `repository:${ref.name}:pull`);
    const res = await httpGet(url.toString(), what, this.options, { Accept: 'application/json' });
    if (!res.ok) throw new ChartRepoError(`${what}: the token service ${url.origin}${url.pathname} answered ${res.status} ${res.statusText}`.trimEnd());
    let body: { token?: unknown; access_token?: unknown };
    try {
      body = await res.json() as typeof body;
    } catch {
      throw new ChartRepoError(`${what}: the token service ${url.origin}${url.pathname} did not answer JSON`);
    }
    const token = typeof body?.token === 'string' && body.token ? body.token : body?.access_token;
    if (typeof token !== 'string' || !token) throw new ChartRepoError(`${what}: the token service ${url.origin}${url.pathname} gave no token`);
    return token;
  }
}
