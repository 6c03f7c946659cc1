// Which hosts a webhook URL may name: a DNS name, an IPv4 literal or a bracketed IPv6 literal. Anything else
// (a WHATWG URL also accepts `$`, `'`, `;`, backticks... in a host) is refused at create/update and never
// interpolated into a suggested shell command. And which host names are spelled as loopback (the bind check,
// the insecure-base-URL check, the redelivery target choice). Where a POST may connect, whatever the spelling
// or the DNS answer, is the egress guard's decision (src/net/egress.ts).

const LABEL = /^(?!-)[a-z0-9_-]{1,63}(?<!-)$/i;
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const IPV6 = /^\[[0-9a-f:.]+\]$/i;

/**
 * 127.0.0.0/8, ::1 (bare or in brackets, as URL writes it) and localhost: an address only this machine reaches.
 * The literal spelling only: the insecure-base-URL check, the bind check and the sandbox's guard use it.
 */
export function isLoopbackHost(host: string): boolean {
  const bare = host.toLowerCase().replace(/^\[(.*)\]$/, "$1");
  return bare === "localhost" || bare === "::1" || (IPV4.test(bare) && bare.startsWith("127."));
}

/**
 * True when `url` is http(s) to 127.0.0.0/8, localhost or [::1]; false for anything else or unparsable. The
 * hostname is checked literally, with no DNS lookup: the WHATWG URL parser has already normalised shorthand
 * forms ("127.1", "0x7f.0.0.1") to the dotted form, and fetch connects to exactly what the parser produced.
 */
export function isLoopbackUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return false;
  return isLoopbackHost(parsed.hostname);
}

/** `hostname` as `new URL(...).hostname` gives it (IDNs already in xn-- form, IPv6 in brackets). */
export function isValidHost(hostname: string): boolean {
  if (IPV4.test(hostname)) return true;
  if (IPV6.test(hostname)) return URL.canParse(`http://${hostname}/`);
  const name = hostname.endsWith(".") ? hostname.slice(0, -1) : hostname;
  if (!name || name.length > 253) return false;
  return name.split(".").every((label) => LABEL.test(label));
}
