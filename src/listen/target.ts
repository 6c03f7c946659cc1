// Where a listener may forward, on top of the one egress guard (src/net/): this machine only by default
// (a loopback literal or "localhost", no other name resolved), anywhere public with --allow-remote-target
// (private, link-local and metadata addresses still refused, judged by the guard at every delivery), and
// whether the target accepts TCP connections at all (checked at start and after a connection failure).
import { connect } from "node:net";
import { ADDRESS_CLASS_TEXT } from "../net/addresses.js";
import { type EgressPolicy, type EgressRefusal, egressRefusalBeforeLookup } from "../net/egress.js";

export interface ListenTarget {
  url: string;
  /** The policy each POST is checked against (the guard resolves and pins the address every time). */
  policy: EgressPolicy;
}

/** The target cannot be forwarded to; `message` says why and what to pass instead. */
export class TargetRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TargetRefusedError";
  }
}

/** Loopback only: the guard's sandbox rule is exactly "127.0.0.0/8, localhost or [::1], nothing resolved". */
const LOOPBACK_ONLY: EgressPolicy = { scope: "sandbox", allowPrivateTargets: false };
/** --allow-remote-target: a local tool's rule, private targets not allowed. */
const REMOTE_ALLOWED: EgressPolicy = { scope: "local", allowPrivateTargets: false };

export function resolveListenTarget(rawUrl: string, allowRemote: boolean): ListenTarget {
  const policy = allowRemote ? REMOTE_ALLOWED : LOOPBACK_ONLY;
  const refusal = egressRefusalBeforeLookup(rawUrl, policy);
  if (refusal) {
    throw new TargetRefusedError(`--forward-to ${truncate(rawUrl)} is refused: ${refusalText(refusal, allowRemote)}`);
  }
  return { url: new URL(rawUrl).href, policy };
}

/** Whether something accepts a TCP connection at the URL's host and port within `timeoutMs`. */
export function acceptsConnections(url: string, timeoutMs: number): Promise<boolean> {
  const parsed = new URL(url);
  const port = Number(parsed.port || (parsed.protocol === "https:" ? 443 : 80));
  const host = parsed.hostname.replace(/^\[(.*)\]$/, "$1");
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

function truncate(text: string): string {
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

const LOOPBACK_HINT =
  "listen forwards only to this machine (http://localhost:3000/..., 127.0.0.1, [::1]) unless --allow-remote-target is given; private, link-local and metadata addresses stay refused even then.";

/** Worded from the guard's structure, for a listener's flags rather than the sandbox's. */
export function refusalText(refusal: EgressRefusal, allowRemote: boolean): string {
  switch (refusal.reason) {
    case "not_http":
      return "it is not an absolute http(s) URL. Give one like http://localhost:3000/webhooks/exa.";
    case "credentials":
      return "it must not carry a user name or password.";
    case "sandbox_name":
      return `its host is not a loopback address: ${LOOPBACK_HINT}`;
    case "address": {
      const what = `${refusal.address} is ${refusal.addressClass ? ADDRESS_CLASS_TEXT[refusal.addressClass] : "not allowed"}`;
      return allowRemote ? `${what}, which listen never forwards to.` : `${what}: ${LOOPBACK_HINT}`;
    }
    case "unresolved":
      return `${refusal.message}. Check the host name.`;
  }
}
