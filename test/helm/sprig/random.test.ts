// Sprig's nondeterministic functions (the cases sprig-skipped.json sets aside as random or
// time-dependent), checked as upstream checks them (formats, lengths, parseable keys and
// certificates), plus reproducibility under a seeded entropy source.
import { createPrivateKey, X509Certificate } from 'node:crypto';
import bcryptjs from 'bcryptjs';
import { seededEntropy, sprigFuncMap, withEntropy } from '../../../helm/sprig/index.js';
import { Template } from '../../../helm/template/template.js';
import { GoTime } from '../../../helm/template/value.js';

const render = (tpl: string, data: unknown = {}) => Template.new('t').funcs(sprigFuncMap()).parse(tpl).execute(data);
const FIXED_NOW = Date.UTC(2024, 4, 6, 12, 0, 0);
const seeded = <T>(fn: () => T, seed = 'seed') => withEntropy(seededEntropy(seed, FIXED_NOW), fn);

function firstPEM(out: string): string {
  const m = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----\n/.exec(out);
  if (!m) throw new Error(`no certificate in ${out}`);
  return m[0];
}

describe('random strings and numbers', () => {
  test.each([
    ['randAlphaNum', /^[A-Za-z0-9]{5}$/],
    ['randAlpha', /^[A-Za-z]{5}$/],
    ['randAscii', /^[ -~]{5}$/],
    ['randNumeric', /^[0-9]{5}$/],
  ])('%s 5', (fn, re) => {
    expect(render(`{{${fn} 5}}`)).toMatch(re);
  });
  test('randInt min max stays in [min, max)', () => {
    for (const [lo, hi] of [[10, 11], [10, 13], [0, 1], [5, 50]] as const) {
      const n = Number(render(`{{ randInt ${lo} ${hi} }}`));
      expect(n).toBeGreaterThanOrEqual(lo);
      expect(n).toBeLessThan(hi);
    }
  });
  test('randBytes 12 is 12 bytes in base64', () => {
    expect(Buffer.from(render('{{randBytes 12}}'), 'base64')).toHaveLength(12);
  });
  test('uuidv4 is a version 4 UUID', () => {
    expect(render('{{uuidv4}}')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
  test('shuffle keeps the runes', () => {
    expect([...render('{{ shuffle "Hello World" }}')].sort()).toEqual([...'Hello World'].sort());
  });
});

describe('bcrypt and htpasswd', () => {
  test('bcrypt is a $2a$ hash at cost 10 of its input', () => {
    const h = render('{{"abc" | bcrypt}}');
    expect(h).toMatch(/^\$2a\$10\$/);
    expect(bcryptjs.compareSync('abc', h)).toBe(true);
  });
  test('htpasswd joins the user and the hash', () => {
    const out = render('{{htpasswd .Username .Password}}', { Username: 'myUser', Password: 'myPassword' });
    const [user, hash] = out.split(/:(.*)/s);
    expect(user).toBe('myUser');
    expect(bcryptjs.compareSync('myPassword', hash!)).toBe(true);
  });
  test('htpasswd refuses a colon in the user name', () => {
    expect(render('{{htpasswd "wrongus:er" "x"}}')).toBe('invalid username: wrongus:er');
  });
});

describe('private keys', () => {
  test.each([
    ['ecdsa', 'EC PRIVATE KEY', 'ec'],
    ['ed25519', 'PRIVATE KEY', 'ed25519'],
    ['rsa', 'RSA PRIVATE KEY', 'rsa'],
  ])('genPrivateKey %s', (typ, header, keyType) => {
    const out = render(`{{genPrivateKey "${typ}"}}`);
    expect(out.startsWith(`-----BEGIN ${header}-----\n`)).toBe(true);
    expect(out.endsWith(`-----END ${header}-----\n`)).toBe(true);
    const key = createPrivateKey(out);
    expect(key.asymmetricKeyType).toBe(keyType);
    if (typ === 'rsa') expect(key.asymmetricKeyDetails?.modulusLength).toBe(4096);
  });
  test('genPrivateKey "" is rsa', () => {
    expect(render('{{genPrivateKey ""}}')).toContain('RSA PRIVATE KEY');
  });
});

describe('certificates', () => {
  const ipsAndNames = '(list "10.0.0.1" "10.0.0.2") (list "bar.com" "bat.com") 365';

  test.each([['genCA'], ['genPrivateKey "ecdsa" | genCAWithKey'], ['genPrivateKey "ed25519" | genCAWithKey']])(
    '%s makes a CA', (expr) => {
      const out = render(`{{- $ca := ${expr} "foo-ca" 365 }}\n{{ $ca.Cert }}\n`);
      const cert = new X509Certificate(firstPEM(out));
      expect(cert.subject).toBe('CN=foo-ca');
      expect(cert.ca).toBe(true);
      expect(cert.verify(cert.publicKey)).toBe(true);
    });

  test.each([['genSelfSignedCert'], ['genPrivateKey "ecdsa" | genSelfSignedCertWithKey']])(
    '%s carries the IPs and DNS names', (expr) => {
      const cert = new X509Certificate(firstPEM(render(`{{- $c := ${expr} "foo.com" ${ipsAndNames} }}\n{{ $c.Cert }}`)));
      expect(cert.subject).toBe('CN=foo.com');
      expect(cert.ca).toBe(false);
      expect(cert.subjectAltName).toBe('DNS:bar.com, DNS:bat.com, IP Address:10.0.0.1, IP Address:10.0.0.2');
      expect(BigInt('0x' + cert.serialNumber)).toBeGreaterThan(0n);
    });

  test.each([
    ['genCA', 'genSignedCert'],
    ['genPrivateKey "ecdsa" | genCAWithKey', 'genPrivateKey "ed25519" | genSignedCertWithKey'],
    ['genPrivateKey "ed25519" | genCAWithKey', 'genPrivateKey "ecdsa" | genSignedCertWithKey'],
  ])('%s signs what %s makes', (caExpr, certExpr) => {
    const out = render(`{{- $ca := ${caExpr} "foo" 365 }}
{{- $cert := ${certExpr} "foo.com" ${ipsAndNames} $ca }}
{{ $ca.Cert }}{{ $cert.Cert }}{{ $cert.Key }}`);
    const [caPem, certPem] = out.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----\n/g)!;
    const ca = new X509Certificate(caPem!);
    const cert = new X509Certificate(certPem!);
    expect(cert.issuer).toBe('CN=foo');
    expect(cert.checkIssued(ca)).toBe(true);
    expect(cert.verify(ca.publicKey)).toBe(true);
    expect(cert.subjectAltName).toContain('IP Address:10.0.0.2');
    expect(cert.checkPrivateKey(createPrivateKey(out.slice(out.lastIndexOf('-----BEGIN'))))).toBe(true);
  });

  test('validity runs from now for the given days', () => {
    const cert = new X509Certificate(firstPEM(seeded(() => render('{{ (genCA "x" 10).Cert }}'))));
    expect(Date.parse(cert.validFrom)).toBe(FIXED_NOW);
    expect(Date.parse(cert.validTo)).toBe(FIXED_NOW + 10 * 86400000);
  });

  test('buildCustomCert takes back what genCA made', () => {
    const out = render(`{{- $ca := genCA "foo" 365 }}{{- $c := buildCustomCert ($ca.Cert | b64enc) ($ca.Key | b64enc) }}{{ eq $c.Cert $ca.Cert }}`);
    expect(out).toBe('true');
  });

  test('genSignedCert reports a CA it cannot read', () => {
    expect(() => render('{{ genSignedCert "x" nil nil 1 (dict "Cert" "nope" "Key" "nope") }}')).toThrow('unable to decode certificate');
  });
});

describe('a seeded entropy source', () => {
  const tpl = `{{ randAlphaNum 16 }} {{ uuidv4 }} {{ "pw" | bcrypt }} {{ randInt 0 1000 }} {{ now | date "2006-01-02T15:04:05Z07:00" }}
{{- $ca := genPrivateKey "ecdsa" | genCAWithKey "ca" 30 }}{{- $c := genSignedCert "svc" nil (list "svc.ns") 30 $ca }}
{{ $ca.Cert }}{{ $ca.Key }}{{ $c.Cert }}{{ $c.Key }}{{ "x" | encryptAES "k" }}`;

  test('renders the same bytes twice', () => {
    const a = seeded(() => render(tpl));
    const b = seeded(() => render(tpl));
    expect(a).toBe(b);
    expect(a).toContain('2024-05-06T12:00:00Z');
    // The EC CA signs with a nonce from the seeded source; the signatures must still verify.
    const [caPem, certPem] = a.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----\n/g)!;
    const ca = new X509Certificate(caPem!);
    expect(ca.verify(ca.publicKey)).toBe(true);
    expect(new X509Certificate(certPem!).verify(ca.publicKey)).toBe(true);
  });
  test('renders differently with another seed', () => {
    expect(seeded(() => render(tpl), 'one')).not.toBe(seeded(() => render(tpl), 'two'));
  });
});

describe('time from the entropy clock', () => {
  const ago = (secondsBefore: number) =>
    seeded(() => render('{{ ago .Time }}', { Time: new GoTime(FIXED_NOW - secondsBefore * 1000) }));
  test.each([[125, '2m5s'], [9257, '2h34m17s'], [-5, '-5s']])('ago of %d seconds is %s', (s, want) => {
    expect(ago(s)).toBe(want);
  });
  test('a date that is not a time is now', () => {
    expect(seeded(() => render('{{ date_in_zone "02 Jan 06 15:04 -0700" .Time "UTC" }}', { Time: '' }))).toBe('06 May 24 12:00 +0000');
  });
  test('htmlDate of an int is a Unix time', () => {
    expect(render('{{ htmlDateInZone 0 "UTC" }}')).toBe('1970-01-01');
  });
});
