// The YAML text synth writes for an object, and a cache of it for large objects. Most of a
// hydrated fleet's bytes are CRDs that every cluster with the same chart versions renders
// byte-identical, and JSON.stringify (~200 MB/s) tells them apart for a third of even blockYaml's
// dump. A cluster's own objects (~1.5 KB each) are not cached: once blockYaml wrote them, a cache
// made no measurable difference (500 clusters: 14.0–14.2 s with one, 13.5–14.4 s without).
import yaml from 'js-yaml';
import { DUMP_OPTIONS, blockYaml } from './yaml-block.js';

/**
 * One object as synth writes it: js-yaml's block style, no anchors, no folding, double quotes where
 * needed; plain data through blockYaml, the same text written faster.
 */
export function toYaml(o: unknown): string {
  return blockYaml(o) ?? yaml.dump(o, DUMP_OPTIONS);
}

/** `toYaml` of equal objects dumped once, while the cache holds them; the oldest entries go first. */
export class YamlTextCache {
  private readonly entries = new Map<string, string>();
  private chars = 0;

  constructor(
    /** The most characters (keys and texts) kept: a bound on the memory the cache holds. */
    private readonly maxChars: number,
    /** Objects smaller than this (as JSON) are dumped every time. @default 0: every object is cached */
    private readonly minChars = 0,
  ) {}

  /** The same text as `toYaml(o)`. */
  text(o: Record<string, any>): string {
    const json = JSON.stringify(o);
    // JSON cannot tell a Date, a !!binary buffer or NaN from a string, an object or null that
    // YAML would write differently: only plain data is keyed by its JSON.
    if (json === undefined || json.length < this.minChars || json.length > this.maxChars || !isPlainData(o)) return toYaml(o);
    const hit = this.entries.get(json);
    if (hit !== undefined) {
      // Recently used stays longest: the objects every cluster shares are never the oldest.
      this.entries.delete(json);
      this.entries.set(json, hit);
      return hit;
    }
    const text = toYaml(o);
    this.entries.set(json, text);
    this.chars += json.length + text.length;
    for (const [k, v] of this.entries) {
      if (this.chars <= this.maxChars) break;
      this.entries.delete(k);
      this.chars -= k.length + v.length;
    }
    return text;
  }
}

/** Only objects, arrays, strings, booleans, null and finite numbers but -0 (by tag, so from any realm). */
function isPlainData(v: unknown): boolean {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return true;
  // -0 is "0" in JSON but "-0.0" in YAML.
  if (typeof v === 'number') return Number.isFinite(v) && !Object.is(v, -0);
  if (typeof v !== 'object') return false;
  const tag = Object.prototype.toString.call(v);
  if (tag === '[object Array]') return (v as unknown[]).every(isPlainData);
  if (tag !== '[object Object]') return false;
  for (const k in v) if (Object.hasOwn(v, k) && !isPlainData((v as Record<string, unknown>)[k])) return false;
  return true;
}
