// A minimal DER writer and reader for the X.509 structures Sprig's certificate functions build
// (crypto/x509.CreateCertificate's output) and read (a parent certificate's subject and key id).

export type Der = Uint8Array;

function lengthBytes(n: number): number[] {
  if (n < 0x80) return [n];
  const out: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) out.unshift(v % 256);
  return [0x80 | out.length, ...out];
}

export function tlv(tag: number, content: Uint8Array | number[]): Der {
  const body = content instanceof Uint8Array ? content : Uint8Array.from(content);
  return Uint8Array.from([tag, ...lengthBytes(body.length), ...body]);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export const sequence = (...items: Der[]) => tlv(0x30, concat(items));
export const set = (...items: Der[]) => tlv(0x31, concat(items));
export const octetString = (b: Uint8Array) => tlv(0x04, b);
export const nullValue = () => tlv(0x05, []);
export const bool = (v: boolean) => tlv(0x01, [v ? 0xff : 0x00]);
/** [n] EXPLICIT: a constructed context-specific wrapper. */
export const explicit = (n: number, inner: Der) => tlv(0xa0 | n, inner);
/** [n] IMPLICIT on a primitive value. */
export const implicitPrimitive = (n: number, content: Uint8Array) => tlv(0x80 | n, content);

/** An INTEGER from a non-negative bigint (minimal two's complement). */
export function integer(v: bigint): Der {
  let hex = v.toString(16);
  if (hex.length % 2) hex = '0' + hex;
  let bytes = Uint8Array.from(Buffer.from(hex, 'hex'));
  if (bytes[0]! & 0x80) bytes = Uint8Array.from([0, ...bytes]);
  return tlv(0x02, bytes);
}

export function oid(dotted: string): Der {
  const parts = dotted.split('.').map(Number);
  const out = [parts[0]! * 40 + parts[1]!];
  for (const p of parts.slice(2)) {
    const chunk: number[] = [];
    let v = p;
    do {
      chunk.unshift(v & 0x7f);
      v = Math.floor(v / 128);
    } while (v > 0);
    for (let i = 0; i < chunk.length - 1; i++) chunk[i]! |= 0x80;
    out.push(...chunk);
  }
  return tlv(0x06, out);
}

export function bitString(bytes: Uint8Array, unusedBits = 0): Der {
  return tlv(0x03, [unusedBits, ...bytes]);
}

/** Go's asn1 string choice: PrintableString when every character allows it, else UTF8String. */
export function goString(s: string): Der {
  const printable = /^[A-Za-z0-9 '()+,\-./:=?]*$/.test(s);
  return tlv(printable ? 0x13 : 0x0c, Buffer.from(s, 'utf8'));
}

/** UTCTime for 1950-2049, GeneralizedTime otherwise, to the second, as Go encodes validity. */
export function time(ms: number): Der {
  const d = new Date(Math.floor(ms / 1000) * 1000);
  const y = d.getUTCFullYear();
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const rest = `${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`;
  if (y >= 1950 && y < 2050) return tlv(0x17, Buffer.from(p(y % 100) + rest, 'latin1'));
  return tlv(0x18, Buffer.from(p(y, 4) + rest, 'latin1'));
}

export interface Node {
  tag: number;
  /** The whole element, header included. */
  raw: Uint8Array;
  content: Uint8Array;
  children: Node[];
}

/** Parses one DER element (constructed elements recursively). */
export function parse(b: Uint8Array, offset = 0): Node {
  const tag = b[offset]!;
  let len = b[offset + 1]!;
  let hdr = 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + b[offset + 2 + i]!;
    hdr += n;
  }
  if (offset + hdr + len > b.length) throw new Error('asn1: syntax error: data truncated');
  const content = b.subarray(offset + hdr, offset + hdr + len);
  const children: Node[] = [];
  if (tag & 0x20) {
    for (let o = 0; o < content.length;) {
      const child = parse(content, o);
      children.push(child);
      o += child.raw.length;
    }
  }
  return { tag, raw: b.subarray(offset, offset + hdr + len), content, children };
}

export function oidText(n: Node): string {
  const c = n.content;
  const parts = [Math.floor(c[0]! / 40), c[0]! % 40];
  let v = 0;
  for (const byte of c.subarray(1)) {
    v = v * 128 + (byte & 0x7f);
    if (!(byte & 0x80)) {
      parts.push(v);
      v = 0;
    }
  }
  return parts.join('.');
}
