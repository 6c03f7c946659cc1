// One redelivery POST and what came of it, through the one guarded POST (src/net/post.ts): the egress
// guard, no redirects, one deadline over the whole exchange and a capped read. What is added here is the
// redelivery's own record of it: a timeout says whether the receiver had answered, a refusal says why.
import type { EgressPolicy, EgressRefusal, Resolver } from "../net/egress.js";
import { postGuarded } from "../net/post.js";

/** Characters of the receiver's answer kept; results show at most 300 of them. */
const RESPONSE_CHAR_CAP = 2000;

export interface PostInput {
  url: string;
  body: string;
  headers: Record<string, string>;
  /** Signs the body as it is sent; absent in tests of the transport alone. */
  signature?: { header: string; sign(body: string, unixSeconds: number): string };
  timeoutMs: number;
  policy: EgressPolicy;
  resolve?: Resolver;
  /** Cancellation of the whole run: aborts this POST too. */
  signal: AbortSignal;
}

export interface PostOutcome {
  /** HTTP status; 0 when the receiver gave no complete HTTP answer (refused, reset, timed out). */
  statusCode: number;
  durationMs: number;
  /** The receiver's body (cut), or for status 0 what happened instead: untrusted either way. */
  responseText: string;
  /** The deadline ended the exchange. */
  timedOut: boolean;
  /** The egress guard refused the target at send time, or its name did not resolve: nothing was sent. */
  refusal?: EgressRefusal;
}

export async function postRedelivery(input: PostInput): Promise<PostOutcome> {
  const outcome = await postGuarded({ ...input, maxResponseChars: RESPONSE_CHAR_CAP });
  const { statusCode, durationMs, timedOut, refusal } = outcome;
  if (refusal) {
    // A name that does not resolve is the receiver's DNS failing, worded as Node words it; the rest are refusals.
    const responseText = refusal.reason === "unresolved" ? refusal.message : `Not sent: ${refusal.message}`;
    return { statusCode: 0, durationMs, responseText, timedOut, refusal };
  }
  if (timedOut) {
    const what =
      outcome.answeredStatus === undefined
        ? "no answer"
        : `it answered HTTP ${outcome.answeredStatus} but the body did not finish`;
    return { statusCode: 0, durationMs, timedOut, responseText: `timeout of ${input.timeoutMs} ms exceeded (${what})` };
  }
  return { statusCode, durationMs, timedOut, responseText: outcome.responseText };
}
