// Helm HTTP chart repositories: `<repo>/index.yaml` lists every chart version with its package
// URLs (absolute, or relative to the repository URL) and, from `helm repo index`, the sha256 of
// the package. As Helm does, the first URL of the entry is downloaded.
import { parse } from 'yaml';
import { ChartRepoError } from './errors.js';
import { normalizeDigest, sha256Digest } from './digest.js';
import { httpGetBytes, type HttpOptions } from './http.js';

export interface FetchedChart {
  readonly bytes: Uint8Array;
  /** `sha256:<hex>` of `bytes`. */
  readonly digest: string;
  /** Where the package was downloaded from. */
  readonly url: string;
}

interface IndexEntry {
  readonly version?: unknown;
  readonly urls?: unknown;
  readonly digest?: unknown;
}

/** Helm's ResolveReferenceURL: relative package URLs resolve against the repository URL as a folder. */
export function resolvePackageURL(repoURL: string, ref: string): string {
  return new URL(ref, `${repoURL.replace(/\/+$/, '')}/`).toString();
}

export function indexURL(repoURL: string): string {
  return `${repoURL.replace(/\/+$/, '')}/index.yaml`;
}

const sameVersion = (a: string, b: string) => a === b || a.replace(/^v/, '') === b.replace(/^v/, '');

/** Downloads charts from HTTP repositories; each repository's index is fetched once per client. */
export class HttpRepositoryClient {
  private readonly indexes = new Map<string, Promise<Record<string, unknown>>>();

  constructor(private readonly options: HttpOptions = {}) {}

  async fetchChart(repoURL: string, name: string, version: string): Promise<FetchedChart> {
    const what = `chart ${name} ${version}`;
    let entries: Record<string, unknown>;
    try {
      entries = await this.index(repoURL);
    } catch (e) {
      throw e instanceof ChartRepoError ? new ChartRepoError(`${what}: ${e.message}`) : e;
    }
    const versions = entries[name];
    if (!Array.isArray(versions)) throw new ChartRepoError(`${what}: ${indexURL(repoURL)} lists no chart named ${name}`);
    const entry = (versions as IndexEntry[]).find((v) => typeof v?.version === 'string' && sameVersion(v.version, version));
    if (!entry) throw new ChartRepoError(`${what}: ${indexURL(repoURL)} has no version ${version} of ${name}`);
    const urls = Array.isArray(entry.urls) ? entry.urls.filter((u): u is string => typeof u === 'string' && u !== '') : [];
    if (urls.length === 0) throw new ChartRepoError(`${what}: the entry in ${indexURL(repoURL)} has no urls`);
    const url = resolvePackageURL(repoURL, urls[0]);
    const bytes = await httpGetBytes(url, what, this.options);
    const digest = sha256Digest(bytes);
    if (entry.digest !== undefined && entry.digest !== '') {
      const expected = typeof entry.digest === 'string' ? normalizeDigest(entry.digest) : undefined;
      if (!expected) throw new ChartRepoError(`${what}: ${indexURL(repoURL)} gives an unreadable digest ${JSON.stringify(entry.digest)}`);
      if (expected !== digest) {
        throw new ChartRepoError(`${what}: ${url} has digest ${digest} but ${indexURL(repoURL)} says ${expected}; the download is corrupt or tampered, nothing was cached`);
      }
    }
    return { bytes, digest, url };
  }

  private index(repoURL: string): Promise<Record<string, unknown>> {
    let p = this.indexes.get(repoURL);
    if (!p) {
      p = this.loadIndex(repoURL);
      this.indexes.set(repoURL, p);
    }
    return p;
  }

  // Errors say what failed, not for which chart: the index is shared by every chart of the repository.
  private async loadIndex(repoURL: string): Promise<Record<string, unknown>> {
    const url = indexURL(repoURL);
    const text = new TextDecoder().decode(await httpGetBytes(url, '', this.options));
    let doc: unknown;
    try {
      doc = parse(text, { uniqueKeys: false, maxAliasCount: -1 });
    } catch (e) {
      throw new ChartRepoError(`${url} is not YAML (${(e as Error).message.split('\n')[0]})`);
    }
    const entries = (doc as { entries?: unknown } | null)?.entries;
    if (typeof entries !== 'object' || entries === null) throw new ChartRepoError(`${url} is not a chart repository index (no entries)`);
    return entries as Record<string, unknown>;
  }
}
