// URLs as Kubernetes' CEL `url` library sees them (Go's url.ParseRequestURI): an absolute URI or an
// absolute path. WHATWG's URL does the validation, but its normalisation (default ports dropped,
// an empty path shown as "/") is not Go's, so the parts are read from the text itself.

// scheme://[userinfo@]host[:port][path][?query][#fragment], or a path starting with "/".
const PARTS = /^(?:([a-zA-Z][a-zA-Z0-9+.-]*):(?:\/\/([^/?#]*))?)?([^?#]*)(?:\?([^#]*))?(?:#.*)?$/;

export class KubernetesURL {
  private constructor(
    readonly text: string,
    readonly scheme: string,
    readonly host: string,
    readonly path: string,
    readonly query: string,
  ) {}

  /** Throws `URL parse error` as the upstream function does for a relative or malformed URL. */
  static parse(text: string): KubernetesURL {
    const m = PARTS.exec(text);
    const fail = () => new Error(`URL parse error during conversion from string: parse "${text}": invalid URI for request`);
    if (!m) throw fail();
    const [, scheme = '', authority, path = '', query = ''] = m;
    if (!scheme && !path.startsWith('/')) throw fail();
    try {
      new URL(text, 'http://relative.invalid');
    } catch {
      throw fail();
    }
    const host = (authority ?? '').replace(/^.*@/, '');
    return new KubernetesURL(text, scheme, host, path, query);
  }

  getHostname(): string {
    const m = /^\[([^\]]*)\]/.exec(this.host);
    if (m) return m[1]!;
    return this.host.replace(/:\d*$/, '');
  }

  getPort(): string {
    return /\]?:(\d*)$/.exec(this.host.replace(/^\[[^\]]*\]/, ''))?.[1] ?? '';
  }

  getEscapedPath(): string {
    return this.path.replace(/[^A-Za-z0-9\-._~!$&'()*+,;=:@/%]/g, (c) => encodeURIComponent(c));
  }

  getQuery(): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const [k, v] of new URLSearchParams(this.query)) (out[k] ??= []).push(v);
    return out;
  }
}
