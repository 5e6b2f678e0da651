// IP addresses and CIDR prefixes as Kubernetes' CEL `ip` and `cidr` libraries parse them
// (k8s.io/apiserver/pkg/cel/library/ip.go, cidr.go: Go's netip, stricter): no zones, no
// IPv4-mapped IPv6, no leading zeros in IPv4 octets. Addresses are BigInts for the prefix maths.
import { isIPv6 } from 'node:net';

const IPV4 = /^(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})$/;

export class IPAddress {
  private constructor(readonly family: 4 | 6, readonly value: bigint) {}

  static parse(text: string): IPAddress {
    const fail = (why: string) => new Error(`IP Address "${text}" parse error during conversion from string: ${why}`);
    const v4 = IPV4.exec(text);
    if (v4) {
      const octets = v4.slice(1).map(Number);
      if (octets.some((o) => o > 255)) throw fail('IPv4 field has value >255');
      return new IPAddress(4, octets.reduce((a, o) => (a << 8n) | BigInt(o), 0n));
    }
    if (text.includes('%')) throw fail('IP address with zone value is not allowed');
    if (!isIPv6(text)) throw fail('ParseAddr: unable to parse IP');
    const ip = new IPAddress(6, expandIPv6(text));
    if (ip.value >> 32n === 0xffffn) throw fail('IPv4-mapped IPv6 address is not allowed');
    return ip;
  }

  get bits(): number {
    return this.family === 4 ? 32 : 128;
  }

  /** The canonical text: dotted IPv4, RFC 5952 IPv6 (lower case, the longest zero run as `::`). */
  toString(): string {
    if (this.family === 4) return [24n, 16n, 8n, 0n].map((s) => String((this.value >> s) & 0xffn)).join('.');
    const groups = Array.from({ length: 8 }, (_, i) => Number((this.value >> BigInt(112 - 16 * i)) & 0xffffn));
    let best = { at: -1, len: 1 };
    for (let i = 0; i < 8;) {
      let j = i;
      while (j < 8 && groups[j] === 0) j++;
      if (j - i > best.len) best = { at: i, len: j - i };
      i = j === i ? i + 1 : j;
    }
    const hex = groups.map((g) => g.toString(16));
    if (best.at < 0) return hex.join(':');
    return `${hex.slice(0, best.at).join(':')}::${hex.slice(best.at + best.len).join(':')}`;
  }

  isUnspecified(): boolean {
    return this.value === 0n;
  }

  isLoopback(): boolean {
    return this.family === 4 ? this.value >> 24n === 127n : this.value === 1n;
  }

  isLinkLocalMulticast(): boolean {
    return this.family === 4 ? this.value >> 8n === 0xe00000n : this.value >> 112n === 0xff02n;
  }

  isLinkLocalUnicast(): boolean {
    return this.family === 4 ? this.value >> 16n === 0xa9fen : this.value >> 118n === 0x3fan;
  }

  isMulticast(): boolean {
    return this.family === 4 ? this.value >> 28n === 0xen : this.value >> 120n === 0xffn;
  }

  /** Go's IsGlobalUnicast: none of unspecified, loopback, multicast, link-local, IPv4 broadcast. */
  isGlobalUnicast(): boolean {
    return !this.isUnspecified() && !this.isLoopback() && !this.isMulticast() && !this.isLinkLocalUnicast()
      && !(this.family === 4 && this.value === 0xffffffffn);
  }

  static of(family: 4 | 6, value: bigint): IPAddress {
    return new IPAddress(family, value);
  }
}

/** Eight 16-bit groups (with `::` and a trailing dotted quad) as one 128-bit number. */
function expandIPv6(text: string): bigint {
  let s = text.toLowerCase();
  const quad = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(s);
  if (quad) {
    const [a, b, c, d] = quad.slice(1).map(Number) as [number, number, number, number];
    s = `${s.slice(0, quad.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = s.includes('::') ? s.split('::') as [string, string] : [s, undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

export class CIDR {
  private constructor(readonly address: IPAddress, readonly prefixLength: number) {}

  static parse(text: string): CIDR {
    const fail = (why: string) => new Error(`network address parse error during conversion from string: ${why}`);
    const m = /^([^/]+)\/(0|[1-9]\d*)$/.exec(text);
    if (!m) throw fail(`netip.ParsePrefix("${text}"): no '/' or a bad prefix length`);
    const address = IPAddress.parse(m[1]!);
    const length = Number(m[2]);
    if (length > address.bits) throw fail(`netip.ParsePrefix("${text}"): prefix length out of range`);
    return new CIDR(address, length);
  }

  private mask(): bigint {
    const host = BigInt(this.address.bits - this.prefixLength);
    return ((1n << BigInt(this.address.bits)) - 1n) ^ ((1n << host) - 1n);
  }

  masked(): CIDR {
    return new CIDR(IPAddress.of(this.address.family, this.address.value & this.mask()), this.prefixLength);
  }

  containsIP(ip: IPAddress): boolean {
    return ip.family === this.address.family && (ip.value & this.mask()) === (this.address.value & this.mask());
  }

  containsCIDR(other: CIDR): boolean {
    return other.prefixLength >= this.prefixLength && this.containsIP(other.address);
  }

  toString(): string {
    return `${this.address}/${this.prefixLength}`;
  }
}
