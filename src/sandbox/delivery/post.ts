// One real delivery attempt: POST the event JSON, signed with the webhook's secret, through the one guarded
// POST (src/net/post.ts), and turn whatever happens (an HTTP answer, a refused connection, a timeout) into
// the facts an Exa attempt record holds.

import type { EgressPolicy } from "../../net/egress.js";
import { type GuardedPostOutcome, postGuarded } from "../../net/post.js";
import { EXA_SIGNATURE_HEADER, signExaPayload } from "../../signature/sign.js";
import { VERSION } from "../../version.js";
import { deliveryRefusal, LOOPBACK_ONLY_MESSAGE } from "./guard.js";
import { MAX_RECORDED_BODY_CHARS } from "./schedule.js";

export interface DeliveryOutcome {
  /** HTTP status, or 0 when the receiver never answered over HTTP. */
  statusCode: number;
  successful: boolean;
  responseHeaders: Record<string, string>;
  /** The receiver's body, cut to MAX_RECORDED_BODY_CHARS; for status 0 the transport error text. */
  responseBody: string;
  /** The receiver did not answer within the timeout. */
  timedOut: boolean;
}

interface PostSignedEventOptions {
  url: string;
  /** The serialized Event, signed and sent byte for byte. */
  rawBody: string;
  secret: string;
  /** Real time the receiver has to answer; undefined = wait for its answer, however long that takes. */
  timeoutMs: number | undefined;
  /** The timeout named in the recorded error text; seeding waits less in real time than it records. */
  reportedTimeoutMs?: number;
  /** Aborts the request when the sandbox shuts down; the attempt is then not recorded (rejects). */
  signal?: AbortSignal;
  /** The only origins it may POST to (the demo receivers', when remote callers reach the sandbox). */
  onlyOrigins?: ReadonlySet<string> | undefined;
}

class DeliveryCancelledError extends Error {
  constructor() {
    super("delivery cancelled: the sandbox is shutting down");
    this.name = "DeliveryCancelledError";
  }
}

export async function postSignedEvent(options: PostSignedEventOptions): Promise<DeliveryOutcome> {
  // The guard comes before anything touches the network, so a non-loopback webhook costs no packet at all.
  const refusal = deliveryRefusal(options.url, options.onlyOrigins);
  if (refusal) return transportFailure(refusal);
  let outcome: GuardedPostOutcome;
  try {
    outcome = await postGuarded({
      url: options.url,
      body: options.rawBody,
      headers: { "content-type": "application/json", "user-agent": `exa-webhooks-mcp-sandbox/${VERSION}` },
      signature: {
        header: EXA_SIGNATURE_HEADER,
        sign: (raw, unixSeconds) => signExaPayload(raw, options.secret, unixSeconds),
      },
      timeoutMs: options.timeoutMs,
      maxResponseChars: MAX_RECORDED_BODY_CHARS,
      // Loopback only, checked again on what the name resolves to and pinned to it.
      policy: SANDBOX_EGRESS,
      signal: options.signal,
    });
  } catch (error) {
    if (options.signal?.aborted) throw new DeliveryCancelledError();
    throw error;
  }
  if (outcome.refusal)
    return transportFailure(outcome.refusal.reason === "address" ? LOOPBACK_ONLY_MESSAGE : outcome.refusal.message);
  if (outcome.timedOut) {
    return transportFailure(`timeout of ${options.reportedTimeoutMs ?? options.timeoutMs} ms exceeded`, true);
  }
  if (outcome.statusCode === 0) return transportFailure(outcome.responseText);
  return {
    statusCode: outcome.statusCode,
    successful: outcome.statusCode >= 200 && outcome.statusCode < 300,
    responseHeaders: outcome.responseHeaders,
    responseBody: outcome.responseText,
    timedOut: false,
  };
}

const SANDBOX_EGRESS: EgressPolicy = { scope: "sandbox", allowPrivateTargets: false };

function transportFailure(text: string, timedOut = false): DeliveryOutcome {
  return { statusCode: 0, successful: false, responseHeaders: {}, responseBody: text, timedOut };
}
