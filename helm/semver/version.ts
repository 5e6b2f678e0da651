// Masterminds/semver v3.4.0 (the version Helm 3.19 links): version parsing, printing and
// precedence. NewVersion coerces ("v1.2" is 1.2.0, leading zeros are accepted) because the
// package's CoerceNewVersion default is true; StrictNewVersion accepts only exact SemVer 2.0.

/** The sentinel errors of the Go package, with its texts (callers compare messages). */
export const ErrInvalidSemVer = 'invalid semantic version';
export const ErrEmptyString = 'version string empty';
export const ErrInvalidCharacters = 'invalid characters in version';
export const ErrSegmentStartsZero = 'version segment starts with 0';
export const ErrInvalidMetadata = 'invalid metadata string';
export const ErrInvalidPrerelease = 'invalid prerelease string';

export class SemverError extends Error {
  override name = 'SemverError';
}

const looseVersionRegex =
  /^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?(\+([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?$/;

const MAX_UINT64 = (1n << 64n) - 1n;

/** Go's strconv.ParseUint(s, 10, 64), with the package's wrapping of its error. */
function parseSegment(s: string): bigint {
  const n = BigInt(s);
  if (n > MAX_UINT64) {
    throw new SemverError(`error parsing version segment: strconv.ParseUint: parsing "${s}": value out of range`);
  }
  return n;
}

function containsOnly(s: string, allowed: RegExp): boolean {
  return allowed.test(s);
}

const ONLY_DIGITS = /^[0-9]*$/;
const ONLY_ALLOWED = /^[0-9A-Za-z-]*$/;

function validatePrerelease(p: string): void {
  for (const part of p.split('.')) {
    if (part === '') throw new SemverError(ErrInvalidPrerelease);
    if (containsOnly(part, ONLY_DIGITS)) {
      if (part.length > 1 && part[0] === '0') throw new SemverError(ErrSegmentStartsZero);
    } else if (!containsOnly(part, ONLY_ALLOWED)) {
      throw new SemverError(ErrInvalidPrerelease);
    }
  }
}

function validateMetadata(m: string): void {
  for (const part of m.split('.')) {
    if (part === '' || !containsOnly(part, ONLY_ALLOWED)) throw new SemverError(ErrInvalidMetadata);
  }
}

export class Version {
  constructor(
    readonly major: bigint,
    readonly minor: bigint,
    readonly patch: bigint,
    readonly prerelease: string,
    readonly metadata: string,
    /** The text the version was parsed from (Go's Original()). */
    readonly original: string,
  ) {}

  /** Go's semver.New: a version from its parts; Original() is its String(). */
  static of(major: bigint, minor: bigint, patch: bigint, pre = '', metadata = ''): Version {
    const v = new Version(major, minor, patch, pre, metadata, '');
    return v.withOriginal(v.toString());
  }

  private withOriginal(original: string): Version {
    return new Version(this.major, this.minor, this.patch, this.prerelease, this.metadata, original);
  }

  /** X.Y.Z[-pre][+meta], without a leading v. */
  toString(): string {
    let s = `${this.major}.${this.minor}.${this.patch}`;
    if (this.prerelease !== '') s += `-${this.prerelease}`;
    if (this.metadata !== '') s += `+${this.metadata}`;
    return s;
  }

  private originalVPrefix(): string {
    return this.original.startsWith('v') ? 'v' : '';
  }

  private next(major: bigint, minor: bigint, patch: bigint, pre: string, metadata: string): Version {
    const v = new Version(major, minor, patch, pre, metadata, '');
    return v.withOriginal(this.originalVPrefix() + v.toString());
  }

  /** A prerelease's next patch is its release; otherwise the patch is incremented. */
  incPatch(): Version {
    if (this.prerelease !== '') return this.next(this.major, this.minor, this.patch, '', '');
    return this.next(this.major, this.minor, this.patch + 1n, '', '');
  }

  incMinor(): Version {
    return this.next(this.major, this.minor + 1n, 0n, '', '');
  }

  incMajor(): Version {
    return this.next(this.major + 1n, 0n, 0n, '', '');
  }

  setPrerelease(prerelease: string): Version {
    if (prerelease.length > 0) validatePrerelease(prerelease);
    return this.next(this.major, this.minor, this.patch, prerelease, this.metadata);
  }

  setMetadata(metadata: string): Version {
    if (metadata.length > 0) validateMetadata(metadata);
    return this.next(this.major, this.minor, this.patch, this.prerelease, metadata);
  }

  /** -1, 0 or 1; metadata is ignored, a prerelease sorts before its release. */
  compare(o: Version): number {
    for (const [a, b] of [[this.major, o.major], [this.minor, o.minor], [this.patch, o.patch]] as const) {
      if (a < b) return -1;
      if (a > b) return 1;
    }
    const ps = this.prerelease;
    const po = o.prerelease;
    if (ps === '' && po === '') return 0;
    if (ps === '') return 1;
    if (po === '') return -1;
    return comparePrerelease(ps, po);
  }

  lessThan(o: Version): boolean { return this.compare(o) < 0; }
  lessThanEqual(o: Version): boolean { return this.compare(o) <= 0; }
  greaterThan(o: Version): boolean { return this.compare(o) > 0; }
  greaterThanEqual(o: Version): boolean { return this.compare(o) >= 0; }
  equal(o: Version): boolean { return this === o || this.compare(o) === 0; }
}

const UINT_PART = /^[0-9]+$/;

function parseUintPart(s: string): bigint | undefined {
  if (!UINT_PART.test(s)) return undefined;
  const n = BigInt(s);
  return n > MAX_UINT64 ? undefined : n;
}

export function comparePrerelease(v: string, o: string): number {
  const sparts = v.split('.');
  const oparts = o.split('.');
  const l = Math.max(sparts.length, oparts.length);
  for (let i = 0; i < l; i++) {
    const d = comparePrePart(sparts[i] ?? '', oparts[i] ?? '');
    if (d !== 0) return d;
  }
  return 0;
}

function comparePrePart(s: string, o: string): number {
  if (s === o) return 0;
  if (s === '') return -1;
  if (o === '') return 1;
  // Numeric identifiers sort before alphanumeric ones and compare as numbers.
  const oi = parseUintPart(o);
  const si = parseUintPart(s);
  if (oi === undefined && si === undefined) return s > o ? 1 : -1;
  if (oi === undefined) return -1;
  if (si === undefined) return 1;
  return si > oi ? 1 : -1;
}

/**
 * Go's semver.NewVersion (with CoerceNewVersion = true): "1", "v1.2", "01.2.3" are accepted and
 * filled up with zeros; throws SemverError with the package's error text.
 */
export function newVersion(v: string): Version {
  const m = looseVersionRegex.exec(v);
  if (m === null) throw new SemverError(ErrInvalidSemVer);
  const major = parseSegment(m[1]!);
  const minor = m[2] ? parseSegment(m[2].slice(1)) : 0n;
  const patch = m[3] ? parseSegment(m[3].slice(1)) : 0n;
  const pre = m[5] ?? '';
  const metadata = m[8] ?? '';
  if (pre !== '') validatePrerelease(pre);
  if (metadata !== '') validateMetadata(metadata);
  return new Version(major, minor, patch, pre, metadata, v);
}

/** Go's semver.StrictNewVersion: exactly MAJOR.MINOR.PATCH[-pre][+meta], no v, no leading zeros. */
export function strictNewVersion(v: string): Version {
  if (v.length === 0) throw new SemverError(ErrEmptyString);
  // strings.SplitN(v, ".", 3): the patch part keeps any further dots.
  const split = /^([^.]*)\.([^.]*)\.([\s\S]*)$/.exec(v);
  if (split === null) throw new SemverError(ErrInvalidSemVer);
  const parts = [split[1]!, split[2]!, split[3]!];
  let metadata = '';
  let pre = '';
  const plus = parts[2]!.indexOf('+');
  if (plus >= 0) {
    metadata = parts[2]!.slice(plus + 1);
    parts[2] = parts[2]!.slice(0, plus);
    validateMetadata(metadata);
  }
  const dash = parts[2]!.indexOf('-');
  if (dash >= 0) {
    pre = parts[2]!.slice(dash + 1);
    parts[2] = parts[2]!.slice(0, dash);
    validatePrerelease(pre);
  }
  for (const p of parts) {
    if (!ONLY_DIGITS.test(p)) throw new SemverError(ErrInvalidCharacters);
    if (p.length > 1 && p[0] === '0') throw new SemverError(ErrSegmentStartsZero);
  }
  const nums = parts.map((p) => {
    if (p === '') throw new SemverError(`strconv.ParseUint: parsing "": invalid syntax`);
    const n = BigInt(p);
    if (n > MAX_UINT64) throw new SemverError(`strconv.ParseUint: parsing "${p}": value out of range`);
    return n;
  });
  return new Version(nums[0]!, nums[1]!, nums[2]!, pre, metadata, v);
}
