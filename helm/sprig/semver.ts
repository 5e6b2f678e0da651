// Sprig's semver and semverCompare over helm/semver (Masterminds/semver v3). The version is a
// *semver.Version in templates: its methods (.Major, .Prerelease, .Compare, ...) are callable.
import { goFunc } from '../template/func.js';
import { GoInt, GoStruct, int } from '../template/value.js';
import { newConstraint, newVersion, Version } from '../semver/index.js';

/** A semver.Version as templates see it (*semver.Version from `semver`, a value from IncMajor & co). */
export class SemverVersion extends GoStruct {
  static override goMethods = [
    'Major', 'Minor', 'Patch', 'Prerelease', 'Metadata', 'Original', 'String', 'Compare', 'Equal',
    'LessThan', 'LessThanEqual', 'GreaterThan', 'GreaterThanEqual', 'IncMajor', 'IncMinor', 'IncPatch',
    'SetPrerelease', 'SetMetadata',
  ] as const;

  readonly goTypeName: string;

  constructor(private readonly version: Version, pointer = true) {
    super();
    this.goTypeName = pointer ? '*semver.Version' : 'semver.Version';
    // Not struct fields for fmt and json: the Go fields are unexported.
    Object.defineProperty(this, 'version', { enumerable: false });
    Object.defineProperty(this, 'goTypeName', { enumerable: false });
  }

  private static arg(o: unknown): Version {
    if (o instanceof SemverVersion) return o.version;
    throw new Error('wrong type for value; expected *semver.Version');
  }

  Major(): GoInt { return new GoInt(this.version.major, 'uint64'); }
  Minor(): GoInt { return new GoInt(this.version.minor, 'uint64'); }
  Patch(): GoInt { return new GoInt(this.version.patch, 'uint64'); }
  Prerelease(): string { return this.version.prerelease; }
  Metadata(): string { return this.version.metadata; }
  Original(): string { return this.version.original; }
  String(): string { return this.version.toString(); }
  Compare(o: unknown): GoInt { return int(this.version.compare(SemverVersion.arg(o))); }
  Equal(o: unknown): boolean { return this.version.equal(SemverVersion.arg(o)); }
  LessThan(o: unknown): boolean { return this.version.lessThan(SemverVersion.arg(o)); }
  LessThanEqual(o: unknown): boolean { return this.version.lessThanEqual(SemverVersion.arg(o)); }
  GreaterThan(o: unknown): boolean { return this.version.greaterThan(SemverVersion.arg(o)); }
  GreaterThanEqual(o: unknown): boolean { return this.version.greaterThanEqual(SemverVersion.arg(o)); }
  IncMajor(): SemverVersion { return new SemverVersion(this.version.incMajor(), false); }
  IncMinor(): SemverVersion { return new SemverVersion(this.version.incMinor(), false); }
  IncPatch(): SemverVersion { return new SemverVersion(this.version.incPatch(), false); }
  SetPrerelease(p: unknown): SemverVersion { return new SemverVersion(this.version.setPrerelease(String(p)), false); }
  SetMetadata(m: unknown): SemverVersion { return new SemverVersion(this.version.setMetadata(String(m)), false); }
  /** MarshalJSON: the version text. */
  toJSON(): string { return this.version.toString(); }
}

export const semverFuncs = {
  semver: goFunc({ params: ['string'], results: 2 }, (v: string) => new SemverVersion(newVersion(v))),
  semverCompare: goFunc({ params: ['string', 'string'], results: 2 }, (constraint: string, version: string) =>
    newConstraint(constraint).check(newVersion(version))),
};
