// One real delivery attempt: POST the event JSON, signed with the webhook's secret, and turn whatever
// happens (an HTTP answer, a refused connection, a timeout) into the facts an Exa attempt record holds.

import { fetchFailureText } from "../../exa/fetch-failure.js";
import { readTextPrefix } from "../../response-text.js";
import { EXA_SIGNATURE_HEADER, signExaPayload } from "../../signature/sign.js";
import { VERSION } from "../../version.js";
import { deliveryRefusal } from "./guard.js";
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
  const timeout = options.timeoutMs === undefined ? undefined : AbortSignal.timeout(options.timeoutMs);
  const signals = [timeout, options.signal].filter((signal): signal is AbortSignal => signal !== undefined);
  const signal = signals.length > 0 ? AbortSignal.any(signals) : undefined;
  const signature = signExaPayload(options.rawBody, options.secret, Math.floor(Date.now() / 1000));
  try {
    const response = await fetch(options.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": `exa-webhooks-mcp-sandbox/${VERSION}`,
        [EXA_SIGNATURE_HEADER]: signature,
      },
      body: options.rawBody,
      // Webhook senders do not follow redirects; a 301 is the receiver's answer and is recorded as such.
      redirect: "manual",
      signal,
    });
    const responseHeaders: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      responseHeaders[name] = value;
    });
    return {
      statusCode: response.status,
      successful: response.status >= 200 && response.status < 300,
      responseHeaders,
      responseBody: await readTextPrefix(response, MAX_RECORDED_BODY_CHARS),
      timedOut: false,
    };
  } catch (error) {
    if (options.signal?.aborted) throw new DeliveryCancelledError();
    if (timeout?.aborted) {
      return transportFailure(`timeout of ${options.reportedTimeoutMs ?? options.timeoutMs} ms exceeded`, true);
    }
    return transportFailure(fetchFailureText(error));
  }
}

function transportFailure(text: string, timedOut = false): DeliveryOutcome {
  return { statusCode: 0, successful: false, responseHeaders: {}, responseBody: text, timedOut };
}
