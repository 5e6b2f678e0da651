/** Plain objects merge key by key, recursively; anything else (arrays included) replaces. */
export function deepMerge(...layers: unknown[]): unknown {
  let out: unknown = undefined;
  for (const layer of layers) {
    if (layer === undefined) continue;
    out = isPlainObject(out) && isPlainObject(layer) ? mergeTwo(out, layer) : clone(layer);
  }
  return out;
}

function mergeTwo(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    if (v === undefined) continue;
    out[k] = isPlainObject(out[k]) && isPlainObject(v) ? mergeTwo(out[k] as Record<string, unknown>, v) : clone(v);
  }
  return out;
}

function clone(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(clone);
  if (isPlainObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, clone(x)]));
  return v;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
}
