// The sandbox never sends a delivery off the machine: only loopback hosts, checked on the URL's hostname
// literally. No DNS lookup, since a public name could resolve to anything (and resolving is itself traffic).
// Served over HTTP to other machines, it keeps to its own demo receivers: a remote caller must not make the
// server POST to, and read back, whatever else listens on the host's loopback.

import { isLoopbackUrl } from "../../exa/hosts.js";

/** What an attempt to a non-loopback URL records as its response body (with status 0). */
export const LOOPBACK_ONLY_MESSAGE =
  "Not sent: the sandbox delivers only to loopback addresses (127.0.0.0/8, localhost, ::1). Point the webhook at a local receiver, e.g. http://127.0.0.1:3000/webhooks/exa.";

/** What an attempt records when the sandbox serves remote callers and the URL is none of its demo receivers. */
const DEMO_RECEIVERS_ONLY_MESSAGE =
  "Not sent: this sandbox is served to other machines (--http on a host that is not loopback), so it delivers only to its own demo receivers, the URLs the seeded webhooks had. Point the webhook at one of those (get_webhook shows a demo webhook's URL), or run the sandbox on loopback to use your own receiver.";

/**
 * Why the sandbox will not POST to `url`, or undefined when it may. `onlyOrigins`, when set, are the only
 * origins allowed (the demo receivers', for a sandbox that remote callers reach).
 */
export function deliveryRefusal(url: string, onlyOrigins?: ReadonlySet<string>): string | undefined {
  if (!isLoopbackUrl(url)) return LOOPBACK_ONLY_MESSAGE;
  if (onlyOrigins && !onlyOrigins.has(new URL(url).origin)) return DEMO_RECEIVERS_ONLY_MESSAGE;
  return undefined;
}
