// The one egress guard: whether this server may POST to a URL that a user or an upstream chose, decided on
// every address the host resolves to, and the address checked then is the one connected to (post.ts pins
// it), so a second DNS answer cannot swap it. Checked again at every delivery.
import { lookup } from "node:dns/promises";
import { ADDRESS_CLASS_TEXT, type AddressClass, classifyAddress } from "./addresses.js";

/** The flag that lets a local server POST to private addresses (Exa itself cannot deliver there either). */
export const ALLOW_PRIVATE_TARGETS_VARIABLE = "EXA_WEBHOOKS_ALLOW_PRIVATE_TARGETS";

export interface EgressPolicy {
  /**
   * Where this server runs. "local": stdio, or HTTP on loopback (a developer's machine: loopback receivers
   * are welcome). "served": HTTP bound beyond loopback (callers on other machines must not reach this host's
   * loopback or its network). "sandbox": the emulator sends nothing off the machine, loopback only.
   */
  scope: "local" | "served" | "sandbox";
  /** EXA_WEBHOOKS_ALLOW_PRIVATE_TARGETS=1: a local server may POST to private and CGNAT addresses. */
  allowPrivateTargets: boolean;
}

/** The policy of a server run as `where` says. */
export function egressPolicyFor(where: {
  sandbox: boolean;
  remoteCallers?: boolean | undefined;
  allowPrivateTargets?: boolean | undefined;
}): EgressPolicy {
  return {
    scope: where.sandbox ? "sandbox" : where.remoteCallers ? "served" : "local",
    allowPrivateTargets: where.allowPrivateTargets ?? false,
  };
}

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Every address a host name resolves to; injectable so a test can play a DNS server that changes its answer. */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolver: Resolver = async (hostname) =>
  (await lookup(hostname, { all: true, verbatim: true })).map(({ address, family }) => ({
    address,
    family: family === 6 ? 6 : 4,
  }));

/** A URL cleared to be POSTed to, and the one address to connect to. */
export interface EgressTarget {
  url: URL;
  address: ResolvedAddress;
}

/** Why a URL may not be POSTed to: structure first, the sentence a model reads built from it. */
export interface EgressRefusal {
  reason: "not_http" | "credentials" | "unresolved" | "address" | "sandbox_name";
  /** For "address": the address refused and its class. */
  address?: string;
  addressClass?: AddressClass;
  /** The flag that would allow it, when one would. */
  flag?: string;
  message: string;
}

export type EgressDecision = { ok: true; target: EgressTarget } | { ok: false; refusal: EgressRefusal };

/**
 * The decision that needs no DNS: the URL's shape, an IP literal's class, and the sandbox's rule that only
 * loopback literals and "localhost" are sent to (resolving a public name is itself traffic). Undefined when
 * nothing refuses it yet; `checkEgress` then resolves the name and decides on every address.
 */
export function egressRefusalBeforeLookup(rawUrl: string, policy: EgressPolicy): EgressRefusal | undefined {
  const url = parseHttpUrl(rawUrl);
  if (!url) return { reason: "not_http", message: `${rawUrl.slice(0, 200)} is not an absolute http(s) URL.` };
  if (url.username || url.password)
    return { reason: "credentials", message: "The URL must not carry a user name or password." };
  const host = bareHost(url);
  const literal = classifyLiteral(host);
  if (literal) return refusalFor(host, literal, policy);
  if (policy.scope === "sandbox" && host !== "localhost") {
    return {
      reason: "sandbox_name",
      message: `${host} is not a loopback address, and the sandbox sends only to 127.0.0.0/8, localhost or [::1] (it resolves no other name: it never sends anything off this machine).`,
    };
  }
  return undefined;
}

/** Resolves the URL's host and decides on every address it gives; refused if any one is refused. */
export async function checkEgress(
  rawUrl: string,
  policy: EgressPolicy,
  resolve: Resolver = systemResolver,
): Promise<EgressDecision> {
  const early = egressRefusalBeforeLookup(rawUrl, policy);
  if (early) return { ok: false, refusal: early };
  const url = parseHttpUrl(rawUrl) as URL;
  const host = bareHost(url);
  let addresses: ResolvedAddress[];
  if (classifyLiteral(host)) {
    addresses = [{ address: host, family: host.includes(":") ? 6 : 4 }];
  } else {
    try {
      addresses = await resolve(host);
    } catch (error) {
      // Worded as Node words it ("getaddrinfo ENOTFOUND host"): a failed lookup is the receiver's DNS, not a refusal.
      const code = (error as { code?: unknown }).code;
      const message = `getaddrinfo ${typeof code === "string" ? code : "EAI_FAIL"} ${host}`;
      return { ok: false, refusal: { reason: "unresolved", message } };
    }
    if (addresses.length === 0) {
      return { ok: false, refusal: { reason: "unresolved", message: `getaddrinfo ENOTFOUND ${host}` } };
    }
  }
  // Every answer is judged: a name that also resolves to loopback must not get a lucky connect there.
  for (const { address } of addresses) {
    const refusal = refusalFor(address, classifyAddress(address), policy, host);
    if (refusal) return { ok: false, refusal };
  }
  return { ok: true, target: { url, address: addresses[0] as ResolvedAddress } };
}

function refusalFor(
  address: string,
  kind: AddressClass,
  policy: EgressPolicy,
  name?: string,
): EgressRefusal | undefined {
  if (allowed(kind, policy)) return undefined;
  const shown = name ? `${name} resolves to ${address}, ` : `${address} is `;
  const what = `${shown}${ADDRESS_CLASS_TEXT[kind]}`;
  const base = { reason: "address" as const, address, addressClass: kind };
  if (policy.scope === "sandbox") {
    return { ...base, message: `${what}, and the sandbox sends only to 127.0.0.0/8, localhost or [::1].` };
  }
  if (kind === "loopback" || kind === "unspecified") {
    return policy.scope === "served"
      ? {
          ...base,
          message: `${what}: this server is served to other machines, so it sends nothing to loopback addresses on its own host.`,
        }
      : { ...base, message: `${what}: use 127.0.0.1 or localhost for a receiver on this machine.` };
  }
  if (kind === "private" || kind === "cgnat") {
    return policy.scope === "served"
      ? {
          ...base,
          message: `${what}: this server is served to other machines, so it never sends to private addresses (${ALLOW_PRIVATE_TARGETS_VARIABLE} applies only to a server on stdio or loopback).`,
        }
      : {
          ...base,
          flag: ALLOW_PRIVATE_TARGETS_VARIABLE,
          message: `${what}, which Exa cannot deliver to either. Set ${ALLOW_PRIVATE_TARGETS_VARIABLE}=1 in the server's environment to allow private targets.`,
        };
  }
  return { ...base, message: `${what}: never sent to, whatever the settings.` };
}

function allowed(kind: AddressClass, policy: EgressPolicy): boolean {
  switch (kind) {
    case "public":
      return policy.scope !== "sandbox";
    case "loopback":
      return policy.scope !== "served";
    case "private":
    case "cgnat":
      return policy.scope === "local" && policy.allowPrivateTargets;
    default:
      return false;
  }
}

/** `value` parsed, when it is an absolute http(s) URL with a host; undefined otherwise. */
export function parseHttpUrl(value: string): URL | undefined {
  try {
    const url = new URL(value);
    return (url.protocol === "http:" || url.protocol === "https:") && url.hostname ? url : undefined;
  } catch {
    return undefined;
  }
}

/** The host without IPv6 brackets or a trailing dot, lower case. */
function bareHost(url: URL): string {
  return url.hostname
    .toLowerCase()
    .replace(/^\[(.*)\]$/, "$1")
    .replace(/\.$/, "");
}

/** The class of an IP literal host; undefined for a name. */
function classifyLiteral(host: string): AddressClass | undefined {
  return /^[\d.]+$/.test(host) || host.includes(":") ? classifyAddress(host) : undefined;
}
