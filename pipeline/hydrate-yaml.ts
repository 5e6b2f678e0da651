// YAML text of hydrated objects, each large object dumped once per process. js-yaml writes about
// 2.5 MB/s, and a hydrated cluster is about 10 MB, most of it CRDs that every cluster with the
// same chart versions renders byte-identical (kyverno's, argo-cd's, cert-manager's): dumping them
// again for every cluster was 4 of the 5 seconds hydration took per cluster. JSON.stringify
// (~75 MB/s) keys the cache.
import { toYaml } from '../charts/cluster.js';

/** Objects smaller than this (as JSON) are dumped every time: caching them would cost more than it saves. */
const LARGE = 16 * 1024;
/** The most characters (keys and texts) the cache keeps; the oldest entries go first. */
const CACHE_CHARS = 128 * 1024 * 1024;

const cache = new Map<string, string>();
let cached = 0;

/** `toYaml(o)` (charts/cluster.ts), the same text, from the cache when an equal large object was dumped before. */
export function hydratedYaml(o: Record<string, any>): string {
  const json = JSON.stringify(o);
  // JSON cannot tell a Date, a !!binary buffer or NaN from a string, an object or null that
  // YAML would write differently: only plain data is keyed by its JSON.
  if (json.length < LARGE || !isPlainData(o)) return toYaml(o);
  const hit = cache.get(json);
  if (hit !== undefined) return hit;
  const text = toYaml(o);
  cache.set(json, text);
  cached += json.length + text.length;
  for (const [k, v] of cache) {
    if (cached <= CACHE_CHARS) break;
    cache.delete(k);
    cached -= k.length + v.length;
  }
  return text;
}

/** Only objects, arrays, strings, booleans, null and finite numbers (by tag, so from any realm). */
function isPlainData(v: unknown): boolean {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return true;
  if (typeof v === 'number') return Number.isFinite(v);
  if (typeof v !== 'object') return false;
  const tag = Object.prototype.toString.call(v);
  if (tag === '[object Array]') return (v as unknown[]).every(isPlainData);
  if (tag !== '[object Object]') return false;
  for (const k in v) if (Object.hasOwn(v, k) && !isPlainData((v as Record<string, unknown>)[k])) return false;
  return true;
}
