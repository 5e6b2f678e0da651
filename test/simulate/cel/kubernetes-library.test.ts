import { compileCel, toCel } from '../../../simulate/cel/environment.js';

/** Evaluates `source` with `self` bound to the JSON value `self`; throws on a compile or evaluation error. */
function cel(source: string, self: unknown = null): unknown {
  const c = compileCel(source, ['self']);
  if (!c.ok) throw new Error(`compile: ${c.error}`);
  const r = c.evaluate({ self: toCel(self) });
  if (!r.ok) throw new Error(`evaluate: ${r.error}`);
  return r.value;
}

describe('Kubernetes CEL lists library', () => {
  test('isSorted is true for ascending lists and false otherwise', () => {
    expect(cel('self.isSorted()', [1, 2, 2, 3])).toBe(true);
    expect(cel('self.isSorted()', ['b', 'a'])).toBe(false);
  });
  test('sum adds ints and is 0 for an empty list', () => {
    expect(cel('self.sum()', [1, 2, 3])).toBe(6n);
    expect(cel('self.sum() == 0', [])).toBe(true);
  });
  test('min and max pick the extremes and fail on an empty list', () => {
    expect(cel('self.min()', [3, 1, 2])).toBe(1n);
    expect(cel('self.max()', ['a', 'c', 'b'])).toBe('c');
    expect(() => cel('self.max()', [])).toThrow(/max called on empty list/);
  });
  test('indexOf and lastIndexOf find an element or give -1', () => {
    expect(cel('self.indexOf(2)', [1, 2, 2])).toBe(1n);
    expect(cel('self.lastIndexOf(2)', [1, 2, 2])).toBe(2n);
    expect(cel('self.indexOf(9)', [1, 2])).toBe(-1n);
  });
});

describe('Kubernetes CEL strings extension', () => {
  test('charAt gives the character at an index and "" at the end', () => {
    expect(cel("'héllo'.charAt(1)")).toBe('é');
    expect(cel("'abc'.charAt(3)")).toBe('');
    expect(() => cel("'abc'.charAt(4)")).toThrow(/index out of range/);
  });
  test('replace replaces every occurrence, or the first n', () => {
    expect(cel("'a-b-c'.replace('-', '+')")).toBe('a+b+c');
    expect(cel("'a-b-c'.replace('-', '+', 1)")).toBe('a+b-c');
  });
  test('format fills %s, %d and %.Nf from a list', () => {
    expect(cel("'%s has %d pods at %.2f'.format([dyn('web'), dyn(3), dyn(1.5)])")).toBe('web has 3 pods at 1.50');
  });
  test('the built-in ones are there: split, lowerAscii, trim, join, substring', () => {
    expect(cel("' A,B '.trim().lowerAscii().split(',').join('+')")).toBe('a+b');
    expect(cel("'abcdef'.substring(1, 3)")).toBe('bc');
  });
});

describe('Kubernetes CEL regex library', () => {
  test('find gives the first match or ""', () => {
    expect(cel("'abc 123'.find('[0-9]+')")).toBe('123');
    expect(cel("'abc'.find('[0-9]+')")).toBe('');
  });
  test('findAll gives every match, or the first n', () => {
    expect(cel("'1 2 3'.findAll('[0-9]')")).toEqual(['1', '2', '3']);
    expect(cel("'1 2 3'.findAll('[0-9]', 2)")).toEqual(['1', '2']);
  });
});

describe('Kubernetes CEL URL library', () => {
  test('url() parses an absolute URI and its parts, keeping an explicit default port', () => {
    expect(cel("url('https://user:p@example.com:443/a b?k=1&k=2').getHost()")).toBe('example.com:443');
    expect(cel("url('https://[::1]:80/').getHostname()")).toBe('::1');
    expect(cel("url('https://example.com:80/').getPort()")).toBe('80');
    expect(cel("url('https://example.com/a b').getEscapedPath()")).toBe('/a%20b');
    expect(cel("url('https://example.com').getEscapedPath()")).toBe('');
    expect(cel("url('https://example.com/p?k=1&k=2').getQuery()")).toEqual({ k: ['1', '2'] });
  });
  test('an absolute path is a URL with no scheme or host', () => {
    expect(cel("url('/absolute-path').getScheme() == '' && url('/absolute-path').getHost() == ''")).toBe(true);
  });
  test('isURL refuses relative paths and bad ports', () => {
    expect(cel("isURL('../relative')")).toBe(false);
    expect(cel("isURL('https://a:b:c/')")).toBe(false);
    expect(cel("isURL('https://example.com/')")).toBe(true);
  });
});

describe('Kubernetes CEL quantity library', () => {
  test('compares binary and decimal suffixes exactly', () => {
    expect(cel("quantity('1Gi').isGreaterThan(quantity('1G'))")).toBe(true);
    expect(cel("quantity('1000m').compareTo(quantity('1'))")).toBe(0n);
    expect(cel("quantity('500Mi').isLessThan(quantity('0.5Gi'))")).toBe(true);
  });
  test('arithmetic, sign and integer conversion', () => {
    expect(cel("quantity('1k').add(24).asInteger()")).toBe(1024n);
    expect(cel("quantity('1').sub(quantity('2')).sign()")).toBe(-1n);
    expect(cel("quantity('1.5').isInteger()")).toBe(false);
    expect(cel("quantity('1.5').asApproximateFloat()")).toBe(1.5);
  });
  test('== compares quantities by value', () => {
    expect(cel("quantity('200M') == quantity('0.2G') && !(quantity('200M') == quantity('0.3G'))")).toBe(true);
    expect(cel("quantity('200M') != quantity('0.3G')")).toBe(true);
  });
  test('isQuantity accepts Kubernetes quantities only', () => {
    expect(cel("isQuantity('250m') && isQuantity('1e3') && !isQuantity('1 Gi') && !isQuantity('Gi')")).toBe(true);
  });
});

describe('CEL sets extension', () => {
  test('contains, equivalent and intersects', () => {
    expect(cel('sets.contains([1, 2, 3], [2, 3]) && !sets.contains([1], [2])')).toBe(true);
    expect(cel('sets.equivalent([1, 2], [2, 1, 1])')).toBe(true);
    expect(cel('sets.intersects([1, 2], [3, 2])')).toBe(true);
  });
});

describe('compileCel', () => {
  test('a syntax error is reported, not thrown', () => {
    const c = compileCel('self.a ==', ['self']);
    expect(c.ok).toBe(false);
  });
  test('an unknown function is a compile error', () => {
    const c = compileCel('self.noSuchFunction()', ['self']);
    expect(c.ok ? 'compiled' : c.error).toMatch(/noSuchFunction/);
  });
  test('the same source compiles once', () => {
    expect(compileCel('self > 1', ['self'])).toBe(compileCel('self > 1', ['self']));
  });
  test('whole JSON numbers are ints, so int arithmetic works on them', () => {
    expect(cel('self.n + 1', { n: 2 })).toBe(3n);
  });
  test('optional field selection is enabled', () => {
    expect(cel("self.?missing.orValue('default')", {})).toBe('default');
  });
});

describe('has() on any operand', () => {
  test('has() of a field of an indexed element tests that field', () => {
    expect(cel('has(self.m[0].path) && !has(self.m[0].x)', { m: [{ path: '/' }] })).toBe(true);
  });
  test('has() inside a string literal is left alone', () => {
    expect(cel("'has(self.m[0].x)'", {})).toBe('has(self.m[0].x)');
  });
});

describe('toCel', () => {
  test('null fields are dropped, as the API server drops them before validation', () => {
    expect(cel('has(self.a) || has(self.b)', { a: null, b: null })).toBe(false);
  });
  test('a null field the schema declares nullable is kept', () => {
    const c = compileCel('has(self.a) && self.a == null', ['self']);
    const r = c.ok ? c.evaluate({ self: toCel({ a: null }, { type: 'object', properties: { a: { type: 'string', nullable: true } } }) }) : undefined;
    expect(r).toEqual({ ok: true, value: true });
  });
});

describe('Kubernetes CEL ip and cidr libraries', () => {
  test('ip() parses IPv4 and IPv6, and refuses zones, mapped addresses and leading zeros', () => {
    expect(cel("ip('127.0.0.1').family() == 4 && ip('::1').family() == 6")).toBe(true);
    expect(cel("isIP('fe80::1%eth0') || isIP('::ffff:1.2.3.4') || isIP('01.2.3.4') || isIP('127.0.0.256')")).toBe(false);
  });
  test('string(ip) is the canonical form, which ip.isCanonical checks', () => {
    expect(cel("string(ip('2001:DB8::0:0:0:ABCD'))")).toBe('2001:db8::abcd');
    expect(cel("ip.isCanonical('2001:db8::abcd') && !ip.isCanonical('2001:DB8::ABCD')")).toBe(true);
  });
  test('address classes follow Go\'s net.IP', () => {
    expect(cel("ip('0.0.0.0').isUnspecified() && ip('127.1.2.3').isLoopback() && ip('224.0.0.1').isLinkLocalMulticast() && ip('ff02::1').isLinkLocalMulticast()")).toBe(true);
    expect(cel("ip('169.254.169.254').isLinkLocalUnicast() && ip('fe80::1').isLinkLocalUnicast() && ip('8.8.8.8').isGlobalUnicast() && !ip('255.255.255.255').isGlobalUnicast()")).toBe(true);
  });
  test('cidr() contains addresses and narrower prefixes of its family', () => {
    expect(cel("cidr('10.0.0.0/8').containsIP('10.1.2.3') && !cidr('10.0.0.0/8').containsIP(ip('11.0.0.1')) && !cidr('::/0').containsIP('1.2.3.4')")).toBe(true);
    expect(cel("cidr('10.0.0.0/8').containsCIDR('10.1.0.0/16') && !cidr('10.1.0.0/16').containsCIDR(cidr('10.0.0.0/8'))")).toBe(true);
  });
  test('== compares addresses and prefixes by value', () => {
    expect(cel("ip('2001:db8::1') == ip('2001:DB8:0::1') && cidr('10.0.0.0/8') == cidr('10.0.0.0/8') && cidr('10.0.0.0/8') != cidr('10.0.0.0/16')")).toBe(true);
  });
  test('a CIDR gives its address, masked prefix and length', () => {
    expect(cel("string(cidr('192.168.1.5/24').masked()) + ' ' + string(cidr('192.168.1.5/24').ip()) + ' ' + string(cidr('2001:db8::/32').prefixLength())")).toBe('192.168.1.0/24 192.168.1.5 32');
    expect(cel("isCIDR('10.0.0.0/33') || isCIDR('10.0.0.0')")).toBe(false);
  });
});

describe('Kubernetes CEL semver library', () => {
  test('strict parsing, and normalisation on request', () => {
    expect(cel("isSemver('1.2.3-rc.1+build.5') && !isSemver('v1.2') && isSemver('v1.2', true) && !isSemver('1.2-rc', true)")).toBe(true);
    expect(cel("semver('01.02.03', true).minor()")).toBe(2n);
  });
  test('precedence: numbers, then a release above its pre-releases, numeric pre-release fields as numbers', () => {
    expect(cel("semver('1.10.0').isGreaterThan(semver('1.9.9')) && semver('1.0.0-rc.1').isLessThan(semver('1.0.0'))")).toBe(true);
    expect(cel("semver('1.0.0-alpha.10').compareTo(semver('1.0.0-alpha.9'))")).toBe(1n);
    expect(cel("semver('1.0.0+a') == semver('1.0.0+b')")).toBe(true);
  });
});

describe('Kubernetes CEL format library', () => {
  test('a valid value gives no errors', () => {
    expect(cel("!format.dns1123Label().validate('my-name').hasValue() && !format.named('uuid').value().validate('123e4567-e89b-12d3-a456-426614174000').hasValue()")).toBe(true);
  });
  test('an invalid value gives the API server\'s messages', () => {
    expect(cel("format.dns1123Label().validate('a.b').value()")).toEqual(['must not contain dots']);
    expect(cel("format.dns1123Label().validate('My_Name').value()")).toEqual([
      "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
    ]);
    expect(cel("format.qualifiedName().validate('/x').value()")).toEqual(['prefix part must be non-empty']);
  });
  test('prefix formats allow a trailing dash; an unknown name is none', () => {
    expect(cel("!format.dns1123LabelPrefix().validate('my-prefix-').hasValue() && format.dns1123Label().validate('my-prefix-').hasValue()")).toBe(true);
    expect(cel("format.named('nope').hasValue()")).toBe(false);
  });
  test('date and datetime check the calendar', () => {
    expect(cel("format.date().validate('2024-02-30').value()")).toEqual(['invalid date']);
    expect(cel("!format.datetime().validate('2024-02-29T12:00:00Z').hasValue()")).toBe(true);
  });
});

describe('CEL lists extension and Kubernetes includes', () => {
  test('slice, flatten, distinct, reverse and sort', () => {
    expect(cel('[1, 2, 3, 4].slice(1, 3)')).toEqual([2n, 3n]);
    expect(() => cel('[1].slice(0, 2)')).toThrow(/slice/);
    expect(cel('self.flatten()', [[1], [2, [3]]])).toEqual([1n, 2n, [3n]]);
    expect(cel('[3, 1, 3, 2].distinct().sort().reverse()')).toEqual([3n, 2n, 1n]);
  });
  test('lists.range, first and last', () => {
    expect(cel('lists.range(3)')).toEqual([0n, 1n, 2n]);
    expect(cel("[].first().hasValue() || ['a', 'b'].last().value() != 'b'")).toBe(false);
  });
  test('includes tests membership in a list, or equality otherwise', () => {
    expect(cel("self.includes('b') && !self.includes('z')", ['a', 'b'])).toBe(true);
    expect(cel("self.includes('x')", 'x')).toBe(true);
  });
  test('strings.quote writes a CEL string literal', () => {
    expect(cel('strings.quote(self)', 'a "b"\n')).toBe('"a \\"b\\"\\n"');
  });
});
