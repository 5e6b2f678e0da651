// The YAML text synth writes for an object, and a cache of it. js-yaml writes about 2.5 MB/s and
// was a fifth of a render thread's time; most of a fleet's objects are byte-identical from cluster
// to cluster (policies, RBAC, CRDs of the same chart versions: 10,715 distinct files among 30,000
// in a 200-cluster fleet), and JSON.stringify (~75 MB/s) tells them apart for a fraction of a dump.
import yaml from 'js-yaml';

/** One object as synth writes it: block style, no anchors, no folding, double quotes where needed. */
export function toYaml(o: unknown): string {
  return yaml.dump(o, { noRefs: true, lineWidth: -1, quotingType: '"' });
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
