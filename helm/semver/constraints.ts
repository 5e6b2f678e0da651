// Masterminds/semver v3.4.0 constraints: `,` or space = AND, `||` = OR, operators
// = != > < >= => <= =< ~ ~> ^, wildcards x X * and `1.2 - 1.4` hyphen ranges. A prerelease
// version only satisfies an AND group in which some constraint names a prerelease (or when
// includePrerelease is set). Error texts are the package's, since charts surface them.
import { comparePrerelease, newVersion, strictNewVersion, SemverError, Version } from './version.js';

const CV = String.raw`v?([0-9|x|X|\*]+)(\.[0-9|x|X|\*]+)?(\.[0-9|x|X|\*]+)?` +
  String.raw`(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?` +
  String.raw`(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?`;
const OPS = String.raw`=||!=|>|<|>=|=>|<=|=<|~|~>|\^`;

const constraintRegex = new RegExp(String.raw`^\s*(${OPS})\s*(${CV})\s*$`);
const constraintRangeRegex = new RegExp(String.raw`\s*(${CV})\s+-\s+(${CV})\s*`, 'g');
const findConstraintRegex = new RegExp(String.raw`(${OPS})\s*(${CV})`, 'g');
const validConstraintRegex = new RegExp(
  String.raw`^(\s*(${OPS})\s*(${CV})\s*)((?:\s+|,\s*)(${OPS})\s*(${CV})\s*)*$`,
);

type Op = '' | '=' | '!=' | '>' | '<' | '>=' | '=>' | '<=' | '=<' | '~' | '~>' | '^';

interface Constraint {
  /** The version compared against (wildcards replaced by 0). */
  readonly con: Version;
  /** The version text as written, e.g. `4.x`. */
  readonly orig: string;
  readonly op: Op;
  readonly minorDirty: boolean;
  readonly patchDirty: boolean;
  readonly dirty: boolean;
}

function isX(x: string): boolean {
  return x === 'x' || x === '*' || x === 'X';
}

function parseConstraint(c: string): Constraint {
  if (c.length === 0) {
    // An empty constraint is `*`: everything (>= 0.0.0).
    return { con: strictNewVersion('0.0.0'), orig: c, op: '', minorDirty: false, patchDirty: false, dirty: true };
  }
  const m = constraintRegex.exec(c);
  if (m === null) throw new SemverError(`improper constraint: ${c}`);
  const [, op, orig, major = '', minorPart = '', patchPart = '', pre = ''] = m as unknown as string[];
  let ver = orig!;
  let minorDirty = false;
  let patchDirty = false;
  let dirty = false;
  if (isX(major) || major === '') {
    ver = `0.0.0${pre}`;
    dirty = true;
  } else if (isX(minorPart.replace(/^\./, '')) || minorPart === '') {
    minorDirty = true;
    dirty = true;
    ver = `${major}.0.0${pre}`;
  } else if (isX(patchPart.replace(/^\./, '')) || patchPart === '') {
    dirty = true;
    patchDirty = true;
    ver = `${major}${minorPart}.0${pre}`;
  }
  let con: Version;
  try {
    con = newVersion(ver);
  } catch {
    throw new SemverError('constraint parser error');
  }
  return { con, orig: orig!, op: op as Op, minorDirty, patchDirty, dirty };
}

type Check = (v: Version, c: Constraint, includePre: boolean) => string | undefined;

const preNotWanted = (v: Version) =>
  `${v} is a prerelease version and the constraint is only looking for release versions`;

const notEqual: Check = (v, c, includePre) => {
  if (v.prerelease !== '' && !includePre) return preNotWanted(v);
  if (c.dirty) {
    if (c.con.major !== v.major) return undefined;
    if (c.con.minor !== v.minor && !c.minorDirty) return undefined;
    if (c.minorDirty) return `${v} is equal to ${c.orig}`;
    if (c.con.patch !== v.patch && !c.patchDirty) return undefined;
    if (c.patchDirty) {
      if (v.prerelease !== '' || c.con.prerelease !== '') {
        if (comparePrerelease(v.prerelease, c.con.prerelease) !== 0) return undefined;
      }
      return `${v} is equal to ${c.orig}`;
    }
  }
  return v.equal(c.con) ? `${v} is equal to ${c.orig}` : undefined;
};

const greaterThan: Check = (v, c, includePre) => {
  if (v.prerelease !== '' && !includePre) return preNotWanted(v);
  const fail = `${v} is less than or equal to ${c.orig}`;
  if (!c.dirty) return v.compare(c.con) === 1 ? undefined : fail;
  if (v.major > c.con.major) return undefined;
  if (v.major < c.con.major) return fail;
  // >11 needs 12 or higher; >11.1 needs 11.2 or higher.
  if (c.minorDirty) return fail;
  if (c.patchDirty) return v.minor > c.con.minor ? undefined : fail;
  return v.compare(c.con) === 1 ? undefined : fail;
};

const lessThan: Check = (v, c, includePre) => {
  if (v.prerelease !== '' && !includePre) return preNotWanted(v);
  return v.compare(c.con) < 0 ? undefined : `${v} is greater than or equal to ${c.orig}`;
};

const greaterThanEqual: Check = (v, c, includePre) => {
  if (v.prerelease !== '' && !includePre) return preNotWanted(v);
  return v.compare(c.con) >= 0 ? undefined : `${v} is less than ${c.orig}`;
};

const lessThanEqual: Check = (v, c, includePre) => {
  if (v.prerelease !== '' && !includePre) return preNotWanted(v);
  const fail = `${v} is greater than ${c.orig}`;
  if (!c.dirty) return v.compare(c.con) <= 0 ? undefined : fail;
  if (v.major > c.con.major) return fail;
  if (v.major === c.con.major && v.minor > c.con.minor && !c.minorDirty) return fail;
  return undefined;
};

// ~1.2.3 is >=1.2.3 <1.3.0; ~1 and ~1.x are >=1.0.0 <2.0.0; ~0.0.0 is anything.
const tilde: Check = (v, c, includePre) => {
  if (v.prerelease !== '' && !includePre) return preNotWanted(v);
  if (v.lessThan(c.con)) return `${v} is less than ${c.orig}`;
  if (c.con.major === 0n && c.con.minor === 0n && c.con.patch === 0n && !c.minorDirty && !c.patchDirty) {
    return undefined;
  }
  if (v.major !== c.con.major) return `${v} does not have same major version as ${c.orig}`;
  if (v.minor !== c.con.minor && !c.minorDirty) {
    return `${v} does not have same major and minor version as ${c.orig}`;
  }
  return undefined;
};

// A wildcard (1.2.x) means ~; otherwise plain equality.
const tildeOrEqual: Check = (v, c, includePre) => {
  if (v.prerelease !== '' && !includePre) return preNotWanted(v);
  if (c.dirty) return tilde(v, c, includePre);
  return v.equal(c.con) ? undefined : `${v} is not equal to ${c.orig}`;
};

// ^1.2.3 is >=1.2.3 <2.0.0; ^0.2.3 is >=0.2.3 <0.3.0; ^0.0.3 is =0.0.3.
const caret: Check = (v, c, includePre) => {
  if (v.prerelease !== '' && !includePre) return preNotWanted(v);
  if (v.lessThan(c.con)) return `${v} is less than ${c.orig}`;
  if (c.con.major > 0n || c.minorDirty) {
    return v.major === c.con.major ? undefined : `${v} does not have same major version as ${c.orig}`;
  }
  if (c.con.major === 0n && v.major > 0n) return `${v} does not have same major version as ${c.orig}`;
  if (c.con.minor > 0n || c.patchDirty) {
    return v.minor === c.con.minor
      ? undefined
      : `${v} does not have same minor version as ${c.orig}. Expected minor versions to match when constraint major version is 0`;
  }
  if (c.con.minor === 0n && v.minor > 0n) return `${v} does not have same minor version as ${c.orig}`;
  return c.con.patch === v.patch
    ? undefined
    : `${v} does not equal ${c.orig}. Expect version and constraint to equal when major and minor versions are 0`;
};

const checks: Record<Op, Check> = {
  '': tildeOrEqual, '=': tildeOrEqual, '!=': notEqual, '>': greaterThan, '<': lessThan,
  '>=': greaterThanEqual, '=>': greaterThanEqual, '<=': lessThanEqual, '=<': lessThanEqual,
  '~': tilde, '~>': tilde, '^': caret,
};

/** `1.2 - 1.4.5` becomes `>= 1.2, <= 1.4.5 ` before the constraint is split. */
function rewriteRange(i: string): string {
  let o = i;
  for (const m of i.matchAll(constraintRangeRegex)) {
    o = o.replace(m[0], `>= ${m[1]}, <= ${m[11]} `);
  }
  return o;
}

export class Constraints {
  /** Include prereleases in every group (Go's IncludePrerelease field). */
  includePrerelease = false;

  private constructor(
    private readonly groups: readonly (readonly Constraint[])[],
    private readonly containsPre: readonly boolean[],
  ) {}

  /** Go's semver.NewConstraint; throws SemverError with the package's error text. */
  static parse(c: string): Constraints {
    const rewritten = rewriteRange(c);
    const groups: Constraint[][] = [];
    const hasPre: boolean[] = [];
    for (const v of rewritten.split('||')) {
      if (!validConstraintRegex.test(v)) throw new SemverError(`improper constraint: ${v}`);
      const found = [...v.matchAll(findConstraintRegex)].map((m) => m[0]);
      const cs = found.length === 0 ? [v] : found;
      const group = cs.map(parseConstraint);
      hasPre.push(group.some((pc) => pc.con.prerelease !== ''));
      groups.push(group);
    }
    return new Constraints(groups, hasPre);
  }

  check(v: Version): boolean {
    return this.groups.some((group, i) => {
      const includePre = this.includePrerelease || this.containsPre[i]!;
      return group.every((c) => checks[c.op](v, c, includePre) === undefined);
    });
  }

  /** Go's Validate: whether v satisfies, and if not, why (one message per failed constraint). */
  validate(v: Version): { ok: boolean; errors: string[] } {
    const errors: string[] = [];
    let prereleaseReported = false;
    for (const [i, group] of this.groups.entries()) {
      const includePre = this.includePrerelease || this.containsPre[i]!;
      let joy = true;
      for (const c of group) {
        if (!includePre && v.prerelease !== '') {
          if (!prereleaseReported) {
            errors.push(preNotWanted(v));
            prereleaseReported = true;
          }
          joy = false;
        } else {
          const err = checks[c.op](v, c, includePre);
          if (err !== undefined) {
            errors.push(err);
            joy = false;
          }
        }
      }
      if (joy) return { ok: true, errors: [] };
    }
    return { ok: false, errors };
  }

  toString(): string {
    return this.groups.map((g) => g.map((c) => c.op + c.orig).join(' ')).join(' || ');
  }
}

export function newConstraint(c: string): Constraints {
  return Constraints.parse(c);
}
