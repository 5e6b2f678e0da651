// Whether a chart renders the same bytes twice. Argo CD renders a Helm source again whenever its
// manifest cache misses: on every new commit of the repo it reads, on a hard refresh, when the
// cache expires. A template that reads the clock or random bytes (`now`, `randAlphaNum`, `genCA`)
// then renders another object each time: the app shows OutOfSync forever, and with auto-sync a
// generated password or certificate is replaced under the pods that use it.

/** An object that differs between two renders of the same chart, values and capabilities. */
export interface UnstableObject {
  /** `Kind/name` or `Kind/namespace/name`. */
  readonly object: string;
  /** The first field that differs (`.data.password`), or `.metadata.name` for a name that changes. */
  readonly path: string;
}

const refOf = (o: Record<string, any>) => [o.kind, o.metadata?.namespace, o.metadata?.name].filter((x) => x !== undefined && x !== '').join('/');
const identityOf = (o: Record<string, any>) => `${o.apiVersion}|${refOf(o)}`;

/** The objects of `first` that `second` renders otherwise (or not at all), in `first`'s order. */
export function unstableObjects(first: readonly Record<string, any>[], second: readonly Record<string, any>[]): UnstableObject[] {
  const again = new Map(second.map((o) => [identityOf(o), o]));
  const out: UnstableObject[] = [];
  for (const o of first) {
    const other = again.get(identityOf(o));
    if (!other) {
      out.push({ object: refOf(o), path: '.metadata.name' });
      continue;
    }
    const path = firstDifference(o, other, '');
    if (path !== undefined) out.push({ object: refOf(o), path: path || '.' });
  }
  return out;
}

/** The path of the first field where `a` and `b` differ, `''` for the values themselves; undefined when equal. */
function firstDifference(a: unknown, b: unknown, at: string): string | undefined {
  if (a === b) return undefined;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return at;
    for (let i = 0; i < a.length; i++) {
      const d = firstDifference(a[i], b[i], `${at}[${i}]`);
      if (d !== undefined) return d;
    }
    return undefined;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) {
      const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${at}.${k}`);
      if (d !== undefined) return d;
    }
    return undefined;
  }
  // Dates and buffers (js-yaml timestamps, !!binary) compare by value.
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime() ? undefined : at;
  if (ArrayBuffer.isView(a) && ArrayBuffer.isView(b)) return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength)) ? undefined : at;
  return at;
}
