// Masterminds/semver v3.4.0 behaviour, over the upstream test tables (upstream-tables.ts) plus
// the error texts Helm surfaces in chart dependency and kubeVersion checks.
import {
  Constraints, newConstraint, newVersion, strictNewVersion, Version,
} from '../../../helm/semver/index.js';
import * as t from './upstream-tables.js';

const succeeds = (f: () => unknown) => {
  try {
    f();
    return true;
  } catch {
    return false;
  }
};

describe('versions', () => {
  test.each(t.strictNewVersion)('StrictNewVersion(%j) fails: %s', (v, wantErr) => {
    expect(succeeds(() => strictNewVersion(v))).toBe(!wantErr);
  });
  test.each(t.newVersion)('NewVersion(%j) fails: %s', (v, wantErr) => {
    expect(succeeds(() => newVersion(v))).toBe(!wantErr);
  });
  test.each(t.coerceString)('NewVersion(%j).String() is %j and Original() the input', (v, s) => {
    const parsed = newVersion(v);
    expect(parsed.toString()).toBe(s);
    expect(parsed.original).toBe(v);
  });
  test('parts of 1.2.3-beta.1+build.123', () => {
    const v = newVersion('1.2.3-beta.1+build.123');
    expect([v.major, v.minor, v.patch, v.prerelease, v.metadata]).toEqual([1n, 2n, 3n, 'beta.1', 'build.123']);
  });
  test('New builds its Original from the parts', () => {
    expect(Version.of(0n, 1n, 2n).toString()).toBe('0.1.2');
    expect(Version.of(1n, 2n, 3n, 'alpha.1', 'foo.bar').original).toBe('1.2.3-alpha.1+foo.bar');
  });
  test.each(t.compare)('Compare(%j, %j) is %d', (a, b, want) => {
    expect(newVersion(a).compare(newVersion(b))).toBe(want);
  });
  test.each(t.lessThan)('%j < %j is %s', (a, b, want) => expect(newVersion(a).lessThan(newVersion(b))).toBe(want));
  test.each(t.lessThanEqual)('%j <= %j is %s', (a, b, want) => expect(newVersion(a).lessThanEqual(newVersion(b))).toBe(want));
  test.each(t.greaterThan)('%j > %j is %s', (a, b, want) => expect(newVersion(a).greaterThan(newVersion(b))).toBe(want));
  test.each(t.greaterThanEqual)('%j >= %j is %s', (a, b, want) =>
    expect(newVersion(a).greaterThanEqual(newVersion(b))).toBe(want));
  test('Equal ignores metadata', () => {
    expect(newVersion('3.2-beta+foo').equal(newVersion('3.2-beta+bar'))).toBe(true);
    expect(newVersion('1.2.3').equal(newVersion('1.5.1'))).toBe(false);
  });
  test.each(t.inc)('Inc of %j is %j (%s), original %j', (v, want, how, original) => {
    const parsed = newVersion(v);
    const next = how === 'patch' ? parsed.incPatch() : how === 'minor' ? parsed.incMinor() : parsed.incMajor();
    expect(next.toString()).toBe(want);
    expect(next.original).toBe(original);
  });
  test('SetPrerelease and SetMetadata validate and keep the v prefix', () => {
    expect(() => newVersion('1.2.3').setPrerelease('**')).toThrow('invalid prerelease string');
    expect(newVersion('v1.2.4').setPrerelease('beta').original).toBe('v1.2.4-beta');
    expect(() => newVersion('1.2.3').setMetadata('**')).toThrow('invalid metadata string');
    expect(newVersion('v1.2.4').setMetadata('meta').toString()).toBe('1.2.4+meta');
  });
  test('error texts', () => {
    expect(() => newVersion('foo')).toThrow('invalid semantic version');
    expect(() => newVersion('1.2.3-alpha.01')).toThrow('version segment starts with 0');
    expect(() => newVersion('1.1.2+.123')).toThrow('invalid semantic version');
    expect(() => strictNewVersion('')).toThrow('version string empty');
    expect(() => strictNewVersion('01.1.1')).toThrow('version segment starts with 0');
    expect(() => strictNewVersion('1.2.beta')).toThrow('invalid characters in version');
    expect(() => newVersion('18446744073709551616.0.0')).toThrow(
      'error parsing version segment: strconv.ParseUint: parsing "18446744073709551616": value out of range');
  });
});

describe('constraints', () => {
  // Upstream checks single constraints through the private parseConstraint, which also reads
  // "" as *; NewConstraint (the only entry point) rejects "" as an improper constraint.
  test.each(t.constraintCheck.filter(([c]) => c !== ''))('%j checks %j: %s', (c, v, want) => {
    expect(newConstraint(c).check(newVersion(v))).toBe(want);
  });
  test.each(t.newConstraint)('NewConstraint(%j): %d ORs, %d in the first, fails: %s', (input, ors, count, wantErr) => {
    if (wantErr) {
      expect(() => newConstraint(input)).toThrow();
      return;
    }
    const groups = newConstraint(input).toString().split(' || ');
    expect(groups).toHaveLength(ors);
    expect(groups[0]!.split(' ')).toHaveLength(count);
  });
  test.each(t.constraintsCheck)('Check(%j, %j) is %s', (c, v, want) => {
    expect(newConstraint(c).check(newVersion(v))).toBe(want);
  });
  test.each(t.constraintsCheckIncludePrerelease)('with prereleases, Check(%j, %j) is %s', (c, v, want) => {
    const cs = newConstraint(c);
    cs.includePrerelease = true;
    expect(cs.check(newVersion(v))).toBe(want);
  });
  test.each(t.rewriteRange)('hyphen range %j is parsed as %j', (c, rewritten) => {
    expect(newConstraint(c).toString()).toBe(newConstraint(rewritten).toString());
  });
  test.each(t.constraintsValidate)('Validate(%j, %j) is %s', (c, v, want) => {
    const { ok, errors } = newConstraint(c).validate(newVersion(v));
    expect(ok).toBe(want);
    expect(errors.length === 0).toBe(want);
  });
  test.each(t.constraintsValidateMessages)('Validate(%j, %j) says %j', (c, v, msg) => {
    expect(newConstraint(c).validate(strictNewVersion(v)).errors[0]).toBe(msg);
  });
  test.each(t.constraintsValidateIncludePrerelease)('with prereleases, Validate(%j, %j) is %s', (c, v, want) => {
    const cs = newConstraint(c);
    cs.includePrerelease = true;
    expect(cs.validate(newVersion(v)).ok).toBe(want);
  });
  test.each(t.constraintsValidateIncludePrereleaseMessages)('with prereleases, Validate(%j, %j) says %j', (c, v, msg) => {
    const cs = newConstraint(c);
    cs.includePrerelease = true;
    expect(cs.validate(strictNewVersion(v)).errors[0]).toBe(msg);
  });
  test('Validate reports every failed constraint of the group', () => {
    expect(newConstraint('!= 1.2.5, ^2, <= 1.1.x').validate(strictNewVersion('1.2.3')).errors).toEqual([
      '1.2.3 is less than 2', '1.2.3 is greater than 1.1.x',
    ]);
  });
  test.each(t.constraintString)('String of %j is %j and parses again', (c, s) => {
    const cs = newConstraint(c);
    expect(cs.toString()).toBe(s);
    expect(() => Constraints.parse(cs.toString())).not.toThrow();
  });
  test('error texts', () => {
    expect(() => newConstraint('')).toThrow('improper constraint: ');
    expect(() => newConstraint('>= bar')).toThrow('improper constraint: >= bar');
    expect(() => newConstraint('BAR >= 1.2.3')).toThrow('improper constraint: BAR >= 1.2.3');
  });
});
