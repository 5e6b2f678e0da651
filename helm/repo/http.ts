// GET with Node's built-in fetch: bytes or a one-line error naming the chart and the URL.
import { ChartRepoError } from './errors.js';

export type Fetch = typeof globalThis.fetch;

export interface HttpOptions {
  /** Replaceable for tests; defaults to the global fetch (undici). */
  readonly fetch?: Fetch;
  /** Per request, default 120 s: a chart repository that stalls must not hang CI. */
  readonly timeoutMs?: number;
}

const prefix = (what: string) => (what ? `${what}: ` : '');

/** `what` (e.g. `chart loki 18.11.0`) starts every error line; empty when the caller adds it. */
export async function httpGet(url: string, what: string, options: HttpOptions, headers: Record<string, string> = {}): Promise<Response> {
  const doFetch = options.fetch ?? globalThis.fetch;
  try {
    return await doFetch(url, { headers, redirect: 'follow', signal: AbortSignal.timeout(options.timeoutMs ?? 120_000) });
  } catch (e) {
    const err = e as Error & { cause?: { code?: string; message?: string } };
    const why = err.name === 'TimeoutError' ? 'timed out' : err.cause?.code ?? err.cause?.message ?? err.message;
    throw new ChartRepoError(`${prefix(what)}GET ${url} failed (${why})`);
  }
}

export async function httpGetBytes(url: string, what: string, options: HttpOptions, headers: Record<string, string> = {}): Promise<Uint8Array> {
  const res = await httpGet(url, what, options, headers);
  if (!res.ok) throw new ChartRepoError(`${prefix(what)}GET ${url} answered ${res.status} ${res.statusText}`.trimEnd());
  return new Uint8Array(await res.arrayBuffer());
}
