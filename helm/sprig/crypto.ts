// Sprig's crypto.go: digests, bcrypt/htpasswd, derivePassword (Master Password), AES-CBC,
// private keys (rsa 4096, dsa, ecdsa P-256, ed25519) and certificates (genCA, genSelfSignedCert,
// genSignedCert and their *WithKey forms) built as crypto/x509.CreateCertificate builds them.
//
// Randomness comes from random.ts. With the default source, RSA and DSA keys come from
// node:crypto (native, fast); with a deterministic source RSA primes, EC scalars and Ed25519
// seeds are drawn from that source, so seeded renders are reproducible.
import {
  checkPrimeSync, createCipheriv, createDecipheriv, createECDH, createHash, createHmac, createPrivateKey,
  createPublicKey, generateKeyPairSync, KeyObject, scryptSync, sign as cryptoSign, X509Certificate,
} from 'node:crypto';
import bcryptjs from 'bcryptjs';
import { goFunc } from '../template/func.js';
import { GoStruct } from '../template/value.js';
import { intArg } from './conversion.js';
import * as der from './der.js';
import { decodeBase64Std } from './encoding.js';
import { entropy, nowMs, randomBigBits, randomBytes } from './random.js';

// --- digests ---

const hex = (algo: string, s: string) => createHash(algo).update(s, 'utf8').digest('hex');

function adler32(s: string): number {
  let a = 1;
  let b = 0;
  for (const byte of Buffer.from(s, 'utf8')) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

// --- bcrypt ---

function bcrypt(input: string): string {
  // x/crypto/bcrypt refuses passwords over 72 bytes; the "$2a$" hash at DefaultCost 10.
  if (Buffer.byteLength(input, 'utf8') > 72) {
    return 'failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes';
  }
  const salt = `$2a$10$${bcryptjs.encodeBase64(Array.from(randomBytes(16)), 16)}`;
  return bcryptjs.hashSync(input, salt);
}

function htpasswd(username: string, password: string): string {
  if (username.includes(':')) return `invalid username: ${username}`;
  return `${username}:${bcrypt(password)}`;
}

// --- derivePassword (Master Password algorithm) ---

const MASTER_PASSWORD_SEED = 'com.lyndir.masterpassword';

const PASSWORD_TYPE_TEMPLATES: Record<string, string[]> = {
  maximum: ['anoxxxxxxxxxxxxxxxxx', 'axxxxxxxxxxxxxxxxxno'],
  long: ['CvcvnoCvcvCvcv', 'CvcvCvcvnoCvcv', 'CvcvCvcvCvcvno', 'CvccnoCvcvCvcv', 'CvccCvcvnoCvcv',
    'CvccCvcvCvcvno', 'CvcvnoCvccCvcv', 'CvcvCvccnoCvcv', 'CvcvCvccCvcvno', 'CvcvnoCvcvCvcc',
    'CvcvCvcvnoCvcc', 'CvcvCvcvCvccno', 'CvccnoCvccCvcv', 'CvccCvccnoCvcv', 'CvccCvccCvcvno',
    'CvcvnoCvccCvcc', 'CvcvCvccnoCvcc', 'CvcvCvccCvccno', 'CvccnoCvcvCvcc', 'CvccCvcvnoCvcc',
    'CvccCvcvCvccno'],
  medium: ['CvcnoCvc', 'CvcCvcno'],
  short: ['Cvcn'],
  basic: ['aaanaaan', 'aannaaan', 'aaannaaa'],
  pin: ['nnnn'],
};

const TEMPLATE_CHARACTERS: Record<string, string> = {
  V: 'AEIOU',
  C: 'BCDFGHJKLMNPQRSTVWXYZ',
  v: 'aeiou',
  c: 'bcdfghjklmnpqrstvwxyz',
  A: 'AEIOUBCDFGHJKLMNPQRSTVWXYZ',
  a: 'AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz',
  n: '0123456789',
  o: "@&%?,=[]_:-+*$#!'^~;()/.",
  x: 'AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()',
};

function uint32BE(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
}

function derivePassword(counter: number, passwordType: string, password: string, user: string, site: string): string {
  const templates = PASSWORD_TYPE_TEMPLATES[passwordType];
  if (templates === undefined) return `cannot find password template ${passwordType}`;
  const userBytes = Buffer.from(user, 'utf8');
  const salt = Buffer.concat([Buffer.from(MASTER_PASSWORD_SEED), uint32BE(userBytes.length), userBytes]);
  const key = scryptSync(Buffer.from(password, 'utf8'), salt, 64, { N: 32768, r: 8, p: 2, maxmem: 256 * 1024 * 1024 });
  const siteBytes = Buffer.from(site, 'utf8');
  const seed = createHmac('sha256', key)
    .update(Buffer.concat([Buffer.from(MASTER_PASSWORD_SEED), uint32BE(siteBytes.length), siteBytes, uint32BE(counter)]))
    .digest();
  const template = templates[seed[0]! % templates.length]!;
  let out = '';
  for (let i = 0; i < template.length; i++) {
    const chars = TEMPLATE_CHARACTERS[template[i]!]!;
    out += chars[seed[i + 1]! % chars.length];
  }
  return out;
}

// --- AES ---

function aesKey(password: string): Buffer {
  const key = Buffer.alloc(32);
  Buffer.from(password, 'utf8').copy(key, 0, 0, 32);
  return key;
}

function encryptAES(password: string, plaintext: string): string {
  if (plaintext === '') return '';
  const content = Buffer.from(plaintext, 'utf8');
  const padding = 16 - (content.length % 16);
  const padded = Buffer.concat([content, Buffer.alloc(padding, padding)]);
  const iv = Buffer.from(randomBytes(16));
  const cipher = createCipheriv('aes-256-cbc', aesKey(password), iv).setAutoPadding(false);
  return Buffer.concat([iv, cipher.update(padded), cipher.final()]).toString('base64');
}

function decryptAES(password: string, crypt64: string): string {
  if (crypt64 === '') return '';
  const crypt = Buffer.from(decodeBase64Std(crypt64));
  if (crypt.length < 16) throw new Error(`runtime error: slice bounds out of range [:16] with capacity ${crypt.length}`);
  const body = crypt.subarray(16);
  if (body.length % 16 !== 0) throw new Error('crypto/cipher: input not full blocks');
  const decipher = createDecipheriv('aes-256-cbc', aesKey(password), crypt.subarray(0, 16)).setAutoPadding(false);
  const decrypted = Buffer.concat([decipher.update(body), decipher.final()]);
  if (decrypted.length === 0) throw new Error('runtime error: index out of range [-1]');
  const pad = decrypted[decrypted.length - 1]!;
  if (pad > decrypted.length) {
    throw new Error(`runtime error: slice bounds out of range [:${decrypted.length - pad}]`);
  }
  return decrypted.subarray(0, decrypted.length - pad).toString('utf8');
}

// --- keys ---

const b64url = (b: Uint8Array) => Buffer.from(b).toString('base64url');

const SMALL_PRIMES = (() => {
  const out: bigint[] = [];
  for (let n = 3; n < 2000; n += 2) {
    if (out.every((p) => n % Number(p) !== 0)) out.push(BigInt(n));
  }
  return out;
})();

/** A random prime of exactly `bits` bits with the top two bits set (so p·q has 2·bits bits). */
function generatePrime(bits: number): bigint {
  const top = (1n << BigInt(bits - 1)) | (1n << BigInt(bits - 2));
  for (;;) {
    let c = randomBigBits(bits) | top | 1n;
    // Search upwards from the random start; trial division spares most native primality tests.
    for (let i = 0; i < 1 << 16; i++, c += 2n) {
      if (c >> BigInt(bits) !== 0n) break;
      if (SMALL_PRIMES.some((p) => c % p === 0n)) continue;
      if (checkPrimeSync(c)) return c;
    }
  }
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

function modInverse(a: bigint, m: bigint): bigint {
  let [r0, r1] = [a % m, m];
  let [s0, s1] = [1n, 0n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [s0, s1] = [s1, s0 - q * s1];
  }
  return ((s0 % m) + m) % m;
}

const bigBytes = (n: bigint) => {
  let h = n.toString(16);
  if (h.length % 2) h = '0' + h;
  return Uint8Array.from(Buffer.from(h, 'hex'));
};

/**
 * An RSA key with e = 65537. From the default source node:crypto generates it natively; from a
 * deterministic source the primes are drawn from that source (primality checked natively).
 */
function generateRSA(bits: number): KeyObject {
  if (!entropy().deterministic) {
    return generateKeyPairSync('rsa', { modulusLength: bits, publicExponent: 65537 }).privateKey;
  }
  const e = 65537n;
  for (;;) {
    const p = generatePrime(bits / 2);
    const q = generatePrime(bits / 2);
    if (p === q || gcd(e, p - 1n) !== 1n || gcd(e, q - 1n) !== 1n) continue;
    const lambda = ((p - 1n) * (q - 1n)) / gcd(p - 1n, q - 1n);
    const d = modInverse(e, lambda);
    return createPrivateKey({
      format: 'jwk',
      key: {
        kty: 'RSA', n: b64url(bigBytes(p * q)), e: b64url(bigBytes(e)), d: b64url(bigBytes(d)),
        p: b64url(bigBytes(p)), q: b64url(bigBytes(q)), dp: b64url(bigBytes(d % (p - 1n))),
        dq: b64url(bigBytes(d % (q - 1n))), qi: b64url(bigBytes(modInverse(q, p))),
      },
    });
  }
}

const P256_ORDER = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

function generateECDSA(): KeyObject {
  // A scalar in [1, n-1] from the entropy source, as ecdsa.GenerateKey draws one.
  const d = (randomBigBits(256 + 64) % (P256_ORDER - 1n)) + 1n;
  const dBytes = Buffer.from(d.toString(16).padStart(64, '0'), 'hex');
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(dBytes);
  const pub = ecdh.getPublicKey();
  return createPrivateKey({
    format: 'jwk',
    key: { kty: 'EC', crv: 'P-256', d: b64url(dBytes), x: b64url(pub.subarray(1, 33)), y: b64url(pub.subarray(33, 65)) },
  });
}

function generateEd25519(): KeyObject {
  const prefix = Buffer.from('302e020100300506032b657004220420', 'hex');
  return createPrivateKey({ key: Buffer.concat([prefix, randomBytes(32)]), format: 'der', type: 'pkcs8' });
}

function generateDSA(): KeyObject {
  // DSA parameters come from node:crypto in every mode: no deterministic generator is at hand.
  return generateKeyPairSync('dsa', { modulusLength: 2048, divisorLength: 256 }).privateKey;
}

/** PEM with 64-column lines, as Go's pem.Encode writes it. */
function pem(type: string, body: Uint8Array): string {
  const b64 = Buffer.from(body).toString('base64');
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${type}-----\n${lines.join('\n')}${lines.length ? '\n' : ''}-----END ${type}-----\n`;
}

/** Go's pemBlockForKey: PKCS#1 for RSA, SEC 1 for EC, OpenSSL's DSA layout, PKCS#8 otherwise. */
function pemForKey(key: KeyObject): string {
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return pem('RSA PRIVATE KEY', key.export({ type: 'pkcs1', format: 'der' }));
    case 'ec':
      return pem('EC PRIVATE KEY', key.export({ type: 'sec1', format: 'der' }));
    case 'dsa': {
      // PKCS#8 { version, AlgorithmIdentifier { oid, Dss-Parms { p, q, g } }, OCTET STRING { INTEGER x } }
      const p8 = der.parse(key.export({ type: 'pkcs8', format: 'der' }));
      const params = p8.children[1]!.children[1]!;
      const x = der.parse(p8.children[2]!.content);
      const big = (n: der.Node) => BigInt('0x' + (Buffer.from(n.content).toString('hex') || '0'));
      const [p, q, g] = params.children.map(big) as [bigint, bigint, bigint];
      const xv = big(x);
      const y = modPow(g, xv, p);
      return pem('DSA PRIVATE KEY', der.sequence(der.integer(0n), der.integer(p), der.integer(q), der.integer(g), der.integer(y), der.integer(xv)));
    }
    default:
      return pem('PRIVATE KEY', key.export({ type: 'pkcs8', format: 'der' }));
  }
}

function modPow(b: bigint, e: bigint, m: bigint): bigint {
  let result = 1n;
  let base = b % m;
  let exp = e;
  while (exp > 0n) {
    if (exp & 1n) result = (result * base) % m;
    base = (base * base) % m;
    exp >>= 1n;
  }
  return result;
}

function generatePrivateKey(typ: string): string {
  let key: KeyObject;
  switch (typ) {
    case '': case 'rsa': key = generateRSA(4096); break;
    case 'dsa': key = generateDSA(); break;
    case 'ecdsa': key = generateECDSA(); break;
    case 'ed25519': key = generateEd25519(); break;
    default: return 'Unknown type ' + typ;
  }
  return pemForKey(key);
}

/** Go's pem.Decode of the first block: its type and bytes, or undefined. */
function pemDecode(text: string): { type: string; bytes: Uint8Array } | undefined {
  const m = /-----BEGIN ([^-\n]*)-----\r?\n((?:[^:\n]*:[^\n]*\n)*)([\s\S]*?)-----END \1-----/.exec(text);
  if (!m) return undefined;
  return { type: m[1]!, bytes: new Uint8Array(Buffer.from(m[3]!.replace(/\s+/g, ''), 'base64')) };
}

/** Sprig's parsePrivateKeyPEM, with its error texts. */
function parsePrivateKeyPEM(text: string): KeyObject {
  const block = pemDecode(text);
  if (block === undefined) throw new Error('no PEM data in input');
  const asKey = (type: 'pkcs8' | 'pkcs1' | 'sec1', prefix: string) => {
    try {
      return createPrivateKey({ key: Buffer.from(block.bytes), format: 'der', type });
    } catch (e) {
      throw new Error(`${prefix}: ${(e as Error).message}`);
    }
  };
  if (block.type === 'PRIVATE KEY') return asKey('pkcs8', 'decoding PEM as PKCS#8');
  if (!block.type.endsWith(' PRIVATE KEY')) throw new Error(`no private key data in PEM block of type ${block.type}`);
  switch (block.type.slice(0, -12)) {
    case 'RSA': return asKey('pkcs1', 'parsing RSA private key from PEM');
    case 'EC': return asKey('sec1', 'parsing EC private key from PEM');
    case 'DSA':
      try {
        return createPrivateKey({ key: pem('DSA PRIVATE KEY', block.bytes), format: 'pem' });
      } catch (e) {
        throw new Error(`parsing DSA private key from PEM: ${(e as Error).message}`);
      }
    default: throw new Error(`invalid private key type ${block.type}`);
  }
}

// --- certificates ---

/** Sprig's certificate struct: PEM text of the certificate and of its private key. */
export class Certificate extends GoStruct {
  readonly goTypeName = 'sprig.certificate';
  constructor(public Cert: string, public Key: string) {
    super();
  }
}

const OID = {
  commonName: '2.5.4.3',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  basicConstraints: '2.5.29.19',
  subjectKeyId: '2.5.29.14',
  authorityKeyId: '2.5.29.35',
  subjectAltName: '2.5.29.17',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  sha256WithRSA: '1.2.840.113549.1.1.11',
  ecdsaWithSHA256: '1.2.840.10045.4.3.2',
  ecdsaWithSHA384: '1.2.840.10045.4.3.3',
  ecdsaWithSHA512: '1.2.840.10045.4.3.4',
  ed25519: '1.3.101.112',
  dsaWithSHA256: '2.16.840.1.101.3.4.3.2',
};

interface CertTemplate {
  serial: bigint;
  cn: string;
  ips: Uint8Array[];
  dnsNames: string[];
  notBefore: number;
  notAfter: number;
  isCA: boolean;
}

/** net.ParseIP; IPv4 (also IPv4-mapped) as 4 bytes, as x509 marshals it. */
function parseIP(s: string): Uint8Array | undefined {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (v4) {
    const parts = v4.slice(1).map(Number);
    if (parts.some((p, i) => p > 255 || (v4[i + 1]!.length > 1 && v4[i + 1]![0] === '0'))) return undefined;
    return Uint8Array.from(parts);
  }
  if (!s.includes(':')) return undefined;
  let text = s;
  let tail: number[] = [];
  const embedded = /:(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})$/.exec(text);
  if (embedded) {
    const v4b = parseIP(embedded[1]!);
    if (!v4b) return undefined;
    tail = Array.from(v4b);
    text = text.slice(0, -embedded[1]!.length) + '0:0';
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const group = (h: string) => (h === '' ? [] : h.split(':'));
  const head = group(halves[0]!);
  const rest = halves.length === 2 ? group(halves[1]!) : [];
  const missing = 8 - head.length - rest.length;
  if ((halves.length === 1 && missing !== 0) || (halves.length === 2 && missing < 1)) return undefined;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...rest];
  const out: number[] = [];
  for (const g of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    const v = parseInt(g, 16);
    out.push(v >> 8, v & 0xff);
  }
  if (tail.length) out.splice(12, 4, ...tail);
  const bytes = Uint8Array.from(out);
  const mapped = bytes.subarray(0, 12).every((b, i) => (i < 10 ? b === 0 : b === 0xff));
  return mapped ? bytes.subarray(12) : bytes;
}

function getBaseCertTemplate(cn: string, ips: unknown, alternateDNS: unknown, daysValid: number): CertTemplate {
  const ipList = ips === null || ips === undefined ? [] : (ips as unknown[]);
  const dnsList = alternateDNS === null || alternateDNS === undefined ? [] : (alternateDNS as unknown[]);
  const parsedIPs = ipList.map((ip) => {
    if (typeof ip !== 'string') throw new Error(`error parsing ip: ${String(ip)} is not a string`);
    const b = parseIP(ip);
    if (b === undefined) throw new Error(`error parsing ip: ${ip}`);
    return b;
  });
  const dnsNames = dnsList.map((d) => {
    if (typeof d !== 'string') throw new Error(`error processing alternate dns name: ${String(d)} is not a string`);
    return d;
  });
  const now = nowMs();
  return {
    serial: randomBigBits(128),
    cn,
    ips: parsedIPs,
    dnsNames,
    notBefore: now,
    notAfter: now + daysValid * 24 * 3600 * 1000,
    isCA: false,
  };
}

function subjectName(cn: string): der.Der {
  if (cn === '') return der.sequence();
  return der.sequence(der.set(der.sequence(der.oid(OID.commonName), der.goString(cn))));
}

function signatureAlgorithm(key: KeyObject): { alg: der.Der; hash: string | null } {
  switch (key.asymmetricKeyType) {
    case 'rsa': return { alg: der.sequence(der.oid(OID.sha256WithRSA), der.nullValue()), hash: 'sha256' };
    case 'ec': {
      const curve = key.asymmetricKeyDetails?.namedCurve;
      if (curve === 'secp384r1') return { alg: der.sequence(der.oid(OID.ecdsaWithSHA384)), hash: 'sha384' };
      if (curve === 'secp521r1') return { alg: der.sequence(der.oid(OID.ecdsaWithSHA512)), hash: 'sha512' };
      return { alg: der.sequence(der.oid(OID.ecdsaWithSHA256)), hash: 'sha256' };
    }
    case 'ed25519': return { alg: der.sequence(der.oid(OID.ed25519)), hash: null };
    default: throw new Error('error creating certificate: x509: only RSA, ECDSA and Ed25519 keys supported');
  }
}

/** The parts of a parent certificate that signing needs: its subject and its key id. */
interface Issuer { subject: der.Der; subjectKeyId?: Uint8Array }

function issuerOf(certDer: Uint8Array): Issuer {
  const tbs = der.parse(certDer).children[0]!;
  const fields = tbs.children[0]!.tag === 0xa0 ? tbs.children.slice(1) : tbs.children;
  const subject = fields[4]!.raw;
  let subjectKeyId: Uint8Array | undefined;
  const extsWrapper = fields.find((f) => f.tag === 0xa3);
  for (const ext of extsWrapper?.children[0]?.children ?? []) {
    if (der.oidText(ext.children[0]!) === OID.subjectKeyId) {
      subjectKeyId = der.parse(ext.children[ext.children.length - 1]!.content).content;
    }
  }
  return { subject, subjectKeyId };
}

/** Go's keyUsage bits as the DER BIT STRING it writes (bit 0 first, trailing zero bits dropped). */
function keyUsageBits(isCA: boolean): der.Der {
  // digitalSignature (bit 0) | keyEncipherment (bit 2) [| keyCertSign (bit 5)]
  return isCA ? der.bitString(Uint8Array.of(0xa4), 2) : der.bitString(Uint8Array.of(0xa0), 5);
}

function extension(oid: string, critical: boolean, value: der.Der): der.Der {
  return critical
    ? der.sequence(der.oid(oid), der.bool(true), der.octetString(value))
    : der.sequence(der.oid(oid), der.octetString(value));
}

// P-256 arithmetic for signing from a deterministic source: node:crypto draws ECDSA nonces from
// its own generator, which would make seeded renders differ.
const P256 = {
  p: 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn,
  a: -3n,
  gx: 0x6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296n,
  gy: 0x4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5n,
};

type Point = { x: bigint; y: bigint } | null;

const mod = (a: bigint, m: bigint) => ((a % m) + m) % m;

function pointAdd(P: Point, Q: Point): Point {
  if (P === null) return Q;
  if (Q === null) return P;
  const { p } = P256;
  let lambda: bigint;
  if (P.x === Q.x) {
    if (mod(P.y + Q.y, p) === 0n) return null;
    lambda = mod((3n * P.x * P.x + P256.a) * modInverse(2n * P.y, p), p);
  } else {
    lambda = mod((Q.y - P.y) * modInverse(mod(Q.x - P.x, p), p), p);
  }
  const x = mod(lambda * lambda - P.x - Q.x, p);
  return { x, y: mod(lambda * (P.x - x) - P.y, p) };
}

function scalarMult(k: bigint, P: Point): Point {
  let result: Point = null;
  let addend = P;
  for (let e = k; e > 0n; e >>= 1n) {
    if (e & 1n) result = pointAdd(result, addend);
    addend = pointAdd(addend, addend);
  }
  return result;
}

function ecdsaSignP256(data: Uint8Array, key: KeyObject): Buffer {
  const d = BigInt('0x' + Buffer.from(key.export({ format: 'jwk' }).d!, 'base64url').toString('hex'));
  const e = BigInt('0x' + createHash('sha256').update(data).digest('hex'));
  for (;;) {
    const k = (randomBigBits(256 + 64) % (P256_ORDER - 1n)) + 1n;
    const R = scalarMult(k, { x: P256.gx, y: P256.gy })!;
    const r = R.x % P256_ORDER;
    if (r === 0n) continue;
    const sig = mod(modInverse(k, P256_ORDER) * (e + r * d), P256_ORDER);
    if (sig === 0n) continue;
    return Buffer.from(der.sequence(der.integer(r), der.integer(sig)));
  }
}

function sign(hash: string | null, data: Uint8Array, key: KeyObject): Buffer {
  if (entropy().deterministic && key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') {
    return ecdsaSignP256(data, key);
  }
  return cryptoSign(hash, data, key);
}

/** x509.CreateCertificate: a v3 certificate for `subjectKey` signed by `signingKey`. */
function createCertificate(t: CertTemplate, subjectKey: KeyObject, issuer: Issuer | 'self', signingKey: KeyObject): string {
  const spki = createPublicKey(subjectKey).export({ type: 'spki', format: 'der' });
  const subject = subjectName(t.cn);
  const issuerName = issuer === 'self' ? subject : issuer.subject;
  const { alg, hash } = signatureAlgorithm(signingKey);
  const exts: der.Der[] = [
    extension(OID.keyUsage, true, keyUsageBits(t.isCA)),
    extension(OID.extKeyUsage, false, der.sequence(der.oid(OID.serverAuth), der.oid(OID.clientAuth))),
    extension(OID.basicConstraints, true, t.isCA ? der.sequence(der.bool(true)) : der.sequence()),
  ];
  if (t.isCA) {
    // Go 1.25 derives a CA's key id from the truncated SHA-256 of its public key bits.
    const publicKeyBits = der.parse(spki).children[1]!.content.subarray(1);
    const skid = createHash('sha256').update(publicKeyBits).digest().subarray(0, 20);
    exts.push(extension(OID.subjectKeyId, false, der.octetString(skid)));
  }
  const sameName = Buffer.compare(Buffer.from(issuerName), Buffer.from(subject)) === 0;
  if (issuer !== 'self' && !sameName && issuer.subjectKeyId !== undefined) {
    exts.push(extension(OID.authorityKeyId, false, der.sequence(der.implicitPrimitive(0, issuer.subjectKeyId))));
  }
  if (t.dnsNames.length > 0 || t.ips.length > 0) {
    const names = [
      ...t.dnsNames.map((d) => der.implicitPrimitive(2, Buffer.from(d, 'latin1'))),
      ...t.ips.map((ip) => der.implicitPrimitive(7, ip)),
    ];
    exts.push(extension(OID.subjectAltName, false, der.sequence(...names)));
  }
  const tbs = der.sequence(
    der.explicit(0, der.integer(2n)),
    der.integer(t.serial),
    alg,
    issuerName,
    der.sequence(der.time(t.notBefore), der.time(t.notAfter)),
    subject,
    spki,
    der.explicit(3, der.sequence(...exts)),
  );
  const signature = sign(hash, tbs, signingKey);
  return pem('CERTIFICATE', der.sequence(tbs, alg, der.bitString(signature)));
}

function certificateFor(t: CertTemplate, key: KeyObject, issuer: Issuer | 'self', signingKey: KeyObject): Certificate {
  let cert: string;
  try {
    cert = createCertificate(t, key, issuer, signingKey);
  } catch (e) {
    throw new Error(`error creating certificate: ${(e as Error).message}`);
  }
  return new Certificate(cert, pemForKey(key));
}

function withPEMKey(privPEM: string): KeyObject {
  try {
    return parsePrivateKeyPEM(privPEM);
  } catch (e) {
    throw new Error(`parsing private key: ${(e as Error).message}`);
  }
}

function generateCA(cn: string, daysValid: number, key: KeyObject): Certificate {
  const t = getBaseCertTemplate(cn, null, null, daysValid);
  t.isCA = true;
  return certificateFor(t, key, 'self', key);
}

function generateSelfSigned(cn: string, ips: unknown, dns: unknown, daysValid: number, key: KeyObject): Certificate {
  return certificateFor(getBaseCertTemplate(cn, ips, dns, daysValid), key, 'self', key);
}

function caArg(ca: unknown): Certificate {
  if (ca instanceof Certificate) return ca;
  const fields = ca as { Cert?: unknown; Key?: unknown } | null;
  if (fields !== null && typeof fields === 'object' && typeof fields.Cert === 'string' && typeof fields.Key === 'string') {
    return new Certificate(fields.Cert, fields.Key);
  }
  throw new Error('wrong type for value; expected sprig.certificate');
}

function generateSigned(cn: string, ips: unknown, dns: unknown, daysValid: number, caValue: unknown, key: KeyObject): Certificate {
  const ca = caArg(caValue);
  const block = pemDecode(ca.Cert);
  if (block === undefined) throw new Error('unable to decode certificate');
  let issuer: Issuer;
  try {
    new X509Certificate(Buffer.from(block.bytes));
    issuer = issuerOf(block.bytes);
  } catch (e) {
    throw new Error(`error parsing certificate: decodedSignerCert.Bytes: ${(e as Error).message}`);
  }
  let signerKey: KeyObject;
  try {
    signerKey = parsePrivateKeyPEM(ca.Key);
  } catch (e) {
    throw new Error(`error parsing private key: ${(e as Error).message}`);
  }
  return certificateFor(getBaseCertTemplate(cn, ips, dns, daysValid), key, issuer, signerKey);
}

function buildCustomCert(b64cert: string, b64key: string): Certificate {
  const decode = (s: string, what: string) => {
    try {
      return Buffer.from(decodeBase64Std(s)).toString('utf8');
    } catch {
      throw new Error(`unable to decode base64 ${what}`);
    }
  };
  const cert = decode(b64cert, 'certificate');
  const key = decode(b64key, 'private key');
  const block = pemDecode(cert);
  if (block === undefined) throw new Error('unable to decode certificate');
  try {
    new X509Certificate(Buffer.from(block.bytes));
  } catch (e) {
    throw new Error(`error parsing certificate: decodedCert.Bytes: ${(e as Error).message}`);
  }
  try {
    parsePrivateKeyPEM(key);
  } catch (e) {
    throw new Error(`error parsing private key: ${(e as Error).message}`);
  }
  return new Certificate(cert, key);
}

const S = 'string' as const;
const I = 'int' as const;
const L = '[]interface{}' as const;
const A = 'interface{}' as const;

export const cryptoFuncs = {
  sha1sum: goFunc({ params: [S] }, (s: string) => hex('sha1', s)),
  sha256sum: goFunc({ params: [S] }, (s: string) => hex('sha256', s)),
  sha512sum: goFunc({ params: [S] }, (s: string) => hex('sha512', s)),
  adler32sum: goFunc({ params: [S] }, (s: string) => String(adler32(s))),
  bcrypt: goFunc({ params: [S] }, bcrypt),
  htpasswd: goFunc({ params: [S, S] }, htpasswd),
  genPrivateKey: goFunc({ params: [S] }, generatePrivateKey),
  derivePassword: goFunc({ params: ['uint32', S, S, S, S] }, (counter: unknown, t: string, p: string, u: string, s: string) =>
    derivePassword(intArg(counter), t, p, u, s)),
  buildCustomCert: goFunc({ params: [S, S], results: 2 }, buildCustomCert),
  genCA: goFunc({ params: [S, I], results: 2 }, (cn: string, days: unknown) => generateCA(cn, intArg(days), generateRSA(2048))),
  genCAWithKey: goFunc({ params: [S, I, S], results: 2 }, (cn: string, days: unknown, key: string) =>
    generateCA(cn, intArg(days), withPEMKey(key))),
  genSelfSignedCert: goFunc({ params: [S, L, L, I], results: 2 }, (cn: string, ips: unknown, dns: unknown, days: unknown) =>
    generateSelfSigned(cn, ips, dns, intArg(days), generateRSA(2048))),
  genSelfSignedCertWithKey: goFunc({ params: [S, L, L, I, S], results: 2 },
    (cn: string, ips: unknown, dns: unknown, days: unknown, key: string) =>
      generateSelfSigned(cn, ips, dns, intArg(days), withPEMKey(key))),
  genSignedCert: goFunc({ params: [S, L, L, I, A], results: 2 },
    (cn: string, ips: unknown, dns: unknown, days: unknown, ca: unknown) =>
      generateSigned(cn, ips, dns, intArg(days), ca, generateRSA(2048))),
  genSignedCertWithKey: goFunc({ params: [S, L, L, I, A, S], results: 2 },
    (cn: string, ips: unknown, dns: unknown, days: unknown, ca: unknown, key: string) =>
      generateSigned(cn, ips, dns, intArg(days), ca, withPEMKey(key))),
  encryptAES: goFunc({ params: [S, S], results: 2 }, encryptAES),
  decryptAES: goFunc({ params: [S, S], results: 2 }, decryptAES),
  randBytes: goFunc({ params: [I], results: 2 }, (count: unknown) => Buffer.from(randomBytes(intArg(count))).toString('base64')),
};
