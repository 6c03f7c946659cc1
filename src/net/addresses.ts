// What kind of address an IP is: the one table the egress guard decides on. Every spelling of an address
// reaches here as a canonical literal (the WHATWG URL parser turns "2130706433", "0x7f000001" and "127.1"
// into 127.0.0.1; dns.lookup gives canonical forms), and IPv6 forms that carry an IPv4 address inside
// (IPv4-mapped, NAT64, 6to4) are judged by the IPv4 address they reach.
import { isIPv4, isIPv6 } from "node:net";

export type AddressClass =
  | "public"
  | "loopback"
  | "private"
  | "cgnat"
  | "link_local"
  | "unspecified"
  | "multicast"
  | "reserved";

/** How each class reads in a refusal. */
export const ADDRESS_CLASS_TEXT: Record<AddressClass, string> = {
  public: "a public address",
  loopback: "a loopback address (this machine)",
  private: "a private address (10/8, 172.16/12, 192.168/16, fc00::/7)",
  cgnat: "a carrier-grade NAT address (100.64/10)",
  link_local: "a link-local address (169.254/16, fe80::/10, where cloud metadata services answer)",
  unspecified: "the unspecified address (0.0.0.0 or ::, which reaches this machine)",
  multicast: "a multicast address",
  reserved: "a reserved address (0/8, 240/4, broadcast, or an IPv6 range with no public route)",
};

type Range = readonly [prefix: number[], bits: number, kind: AddressClass];

// IPv4 ranges, most specific first where they nest.
const IPV4_RANGES: readonly Range[] = [
  [[0, 0, 0, 0], 32, "unspecified"],
  [[0], 8, "reserved"],
  [[127], 8, "loopback"],
  [[10], 8, "private"],
  [[172, 16], 12, "private"],
  [[192, 168], 16, "private"],
  [[100, 64], 10, "cgnat"],
  [[169, 254], 16, "link_local"],
  [[224], 4, "multicast"],
  [[240], 4, "reserved"],
];

/** The class of `ip`, an IPv4 or IPv6 literal (IPv6 with or without brackets); "reserved" for anything unparsable. */
export function classifyAddress(ip: string): AddressClass {
  const bare = ip.replace(/^\[(.*)\]$/, "$1");
  if (isIPv4(bare)) return classifyIPv4(bare.split(".").map(Number));
  if (isIPv6(bare)) return classifyIPv6(ipv6Words(bare));
  return "reserved";
}

function classifyIPv4(bytes: number[]): AddressClass {
  for (const [prefix, bits, kind] of IPV4_RANGES) if (matches(bytes, prefix, bits, 8)) return kind;
  return "public";
}

function classifyIPv6(words: number[]): AddressClass {
  const [w0 = 0, w1 = 0, w2 = 0, w3 = 0, w4 = 0, w5 = 0, w6 = 0, w7 = 0] = words;
  const zeroTo = (end: number) => words.slice(0, end).every((word) => word === 0);
  const tail = () => [w6 >> 8, w6 & 0xff, w7 >> 8, w7 & 0xff];
  if (zeroTo(8)) return "unspecified";
  if (zeroTo(7) && w7 === 1) return "loopback";
  // ::ffff:a.b.c.d (IPv4-mapped) and 64:ff9b::a.b.c.d (NAT64) reach the IPv4 address they carry.
  if (zeroTo(5) && w5 === 0xffff) return classifyIPv4(tail());
  if (w0 === 0x64 && w1 === 0xff9b && w2 === 0 && w3 === 0 && w4 === 0 && w5 === 0) return classifyIPv4(tail());
  // 6to4: 2002:AABB:CCDD::/48 carries AA.BB.CC.DD.
  if (w0 === 0x2002) return classifyIPv4([w1 >> 8, w1 & 0xff, w2 >> 8, w2 & 0xff]);
  // ::a.b.c.d (the deprecated IPv4-compatible form) and the rest of ::/8.
  if (w0 < 0x0100) return "reserved";
  if ((w0 & 0xfe00) === 0xfc00) return "private";
  if ((w0 & 0xffc0) === 0xfe80) return "link_local";
  // fec0::/10, the deprecated site-local range: as private as fc00::/7.
  if ((w0 & 0xffc0) === 0xfec0) return "private";
  if ((w0 & 0xff00) === 0xff00) return "multicast";
  return "public";
}

function matches(value: number[], prefix: number[], bits: number, width: number): boolean {
  for (let index = 0; bits > 0; index++, bits -= width) {
    const mask = bits >= width ? (1 << width) - 1 : ((1 << width) - 1) ^ ((1 << (width - bits)) - 1);
    if (((value[index] ?? 0) & mask) !== ((prefix[index] ?? 0) & mask)) return false;
  }
  return true;
}

/** The eight 16-bit words of a valid IPv6 literal ("::" expanded, a dotted IPv4 tail turned into two words). */
function ipv6Words(ip: string): number[] {
  let text = ip.toLowerCase().replace(/%.*$/, "");
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = "", tail] = text.split("::");
  const parse = (part: string) => (part === "" ? [] : part.split(":").map((word) => Number.parseInt(word, 16)));
  const front = parse(head);
  const back = tail === undefined ? [] : parse(tail);
  return [...front, ...new Array(8 - front.length - back.length).fill(0), ...back];
}
