// Semantic versions as Kubernetes' CEL `semver` library parses them (blang/semver's strict Parse,
// and the library's own normalisation: no "v", missing minor/patch filled, leading zeros cut).

const NUMERIC = /^(0|[1-9]\d*)$/;
const IDENT = /^[0-9A-Za-z-]+$/;

export class Semver {
  private constructor(
    readonly major: bigint,
    readonly minor: bigint,
    readonly patch: bigint,
    readonly pre: readonly string[],
  ) {}

  static parse(text: string, normalize = false): Semver {
    const s = normalize ? normalized(text) : text;
    const fail = () => new Error(`No Major.Minor.Patch elements found in "${text}"`);
    const m = /^(\d+)\.(\d+)\.(\d+)(?:-([^+]*))?(?:\+(.*))?$/.exec(s);
    if (!m) throw fail();
    const [, major, minor, patch, pre, build] = m;
    for (const n of [major, minor, patch]) if (!NUMERIC.test(n!)) throw new Error(`Invalid character(s) or leading zeros in version number "${n}"`);
    const preParts = pre === undefined ? [] : pre.split('.');
    for (const p of preParts) {
      if (!IDENT.test(p)) throw new Error(`Invalid character(s) found in prerelease "${p}"`);
      if (/^\d+$/.test(p) && !NUMERIC.test(p)) throw new Error(`Numeric PreRelease version must not contain leading zeroes "${p}"`);
    }
    if (build !== undefined && build.split('.').some((b) => !IDENT.test(b))) throw new Error(`Invalid character(s) found in build meta data "${build}"`);
    return new Semver(BigInt(major!), BigInt(minor!), BigInt(patch!), preParts);
  }

  /** Semver precedence: numbers, then a release above its pre-releases, then pre-release fields. */
  compareTo(o: Semver): -1 | 0 | 1 {
    for (const [a, b] of [[this.major, o.major], [this.minor, o.minor], [this.patch, o.patch]] as const) {
      if (a !== b) return a < b ? -1 : 1;
    }
    if (!this.pre.length || !o.pre.length) return this.pre.length === o.pre.length ? 0 : this.pre.length ? -1 : 1;
    for (let i = 0; i < Math.min(this.pre.length, o.pre.length); i++) {
      const c = comparePre(this.pre[i]!, o.pre[i]!);
      if (c) return c;
    }
    return this.pre.length === o.pre.length ? 0 : this.pre.length < o.pre.length ? -1 : 1;
  }
}

function comparePre(a: string, b: string): -1 | 0 | 1 {
  const an = /^\d+$/.test(a);
  const bn = /^\d+$/.test(b);
  if (an && bn) return BigInt(a) === BigInt(b) ? 0 : BigInt(a) < BigInt(b) ? -1 : 1;
  if (an !== bn) return an ? -1 : 1;
  return a === b ? 0 : a < b ? -1 : 1;
}

/** normalizeAndParse's rewriting, before the strict parse. */
function normalized(text: string): string {
  const parts = text.replace(/^v/, '').split('.');
  const head = parts.length > 3 ? [...parts.slice(0, 2), parts.slice(2).join('.')] : parts;
  const trimmed = head.map((p) => {
    if (p.length <= 1) return p;
    const t = p.replace(/^0+/, '');
    return t === '' || !/^\d/.test(t) ? `0${t}` : t;
  });
  if (trimmed.length < 3) {
    if (/[+-]/.test(trimmed[trimmed.length - 1]!)) throw new Error('short version cannot contain PreRelease/Build meta data');
    while (trimmed.length < 3) trimmed.push('0');
  }
  return trimmed.join('.');
}
