// Where a redelivery may go. Event data leaves this machine only for the webhook's own URL or its origin;
// otherwise only loopback (a local dev server). A prompt-injected model must not be able to send the
// account's events anywhere else, so the choice is made on the parsed URL, before any request. Whether this
// server may POST there at all (where it runs, what the host resolves to) is the egress guard's decision
// (src/net/egress.ts): its literal part here, its DNS part before the first POST and again at every POST.

import { isLoopbackUrl } from "../exa/hosts.js";
import { egressPolicyFor, egressRefusalBeforeLookup, parseHttpUrl } from "../net/egress.js";
import { oneLine } from "../text/untrusted.js";

interface RedeliveryTarget {
  url: string;
  kind: "webhook" | "same_origin" | "loopback";
}

/** A refused target, with the reason a model reads; nothing was sent. */
export class TargetRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TargetRefusedError";
  }
}

interface TargetInput {
  webhookId: string;
  webhookUrl: string;
  targetUrl: string | undefined;
  /** --sandbox: the sandbox's own rule applies on top, loopback only. */
  sandbox: boolean;
  /** Served to other machines (--http): nothing goes to this host's own loopback for a caller. */
  remoteCallers?: boolean | undefined;
  allowPrivateTargets?: boolean | undefined;
}

export function resolveRedeliveryTarget(input: TargetInput): RedeliveryTarget {
  const target = chooseTarget(input);
  // The sandbox serving remote callers keeps to its demo receivers on top (SandboxHandle.deliveryRefusal).
  const refusal = egressRefusalBeforeLookup(target.url, egressPolicyFor(input));
  if (refusal) throw new TargetRefusedError(refusal.message);
  return target;
}

function chooseTarget({ webhookId, webhookUrl, targetUrl }: TargetInput): RedeliveryTarget {
  if (targetUrl === undefined || targetUrl === webhookUrl) {
    const url = parseHttpUrl(webhookUrl);
    if (!url) throw new TargetRefusedError(`Webhook ${webhookId}'s URL is not an http(s) URL, so nothing can be sent.`);
    // The parsed form: the URL parser drops the tabs and line breaks an upstream value may carry.
    return { url: url.href, kind: "webhook" };
  }
  const url = parseHttpUrl(targetUrl);
  if (!url)
    throw new TargetRefusedError("targetUrl must be an absolute http(s) URL, e.g. http://localhost:3000/webhooks/exa.");
  // fetch refuses URLs with credentials anyway; say so rather than fail at send time.
  if (url.username || url.password) throw new TargetRefusedError("targetUrl must not carry a user name or password.");
  if (isLoopbackUrl(url.href)) return { url: url.href, kind: "loopback" };
  const own = parseHttpUrl(webhookUrl);
  if (own && own.origin === url.origin) return { url: url.href, kind: "same_origin" };
  throw new TargetRefusedError(
    `targetUrl ${url.origin} is refused: events can be redelivered only to the webhook's own origin (${own?.origin ?? oneLine(webhookUrl, 200)}) or to a loopback address (http://localhost:3000/..., 127.0.0.1, [::1]). Omit targetUrl to use the webhook's URL.`,
  );
}
