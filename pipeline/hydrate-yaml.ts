// YAML text of hydrated objects, each large object dumped once per process. A hydrated cluster is
// about 10 MB, most of it CRDs that every cluster with the same chart versions renders
// byte-identical (kyverno's, argo-cd's, cert-manager's): dumping them again for every cluster was
// 4 of the 5 seconds hydration took per cluster.
import { YamlTextCache } from '../primitives/yaml-text.js';

/** Objects smaller than this (as JSON) go through the render's own cache (charts/cluster.ts). */
const LARGE = 16 * 1024;
/** The most characters (keys and texts) the cache keeps. */
const CACHE_CHARS = 128 * 1024 * 1024;

const cache = new YamlTextCache(CACHE_CHARS, LARGE);

/** `toYaml(o)` (primitives/yaml-text.ts), the same text, from the cache when an equal large object was dumped before. */
export function hydratedYaml(o: Record<string, any>): string {
  return cache.text(o);
}
