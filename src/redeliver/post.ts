// One redelivery POST and what came of it. No redirects followed, one timer over the whole exchange
// (connect, headers AND body, so a receiver trickling its answer cannot hold a lane), and the response
// read up to a cap: the receiver's text is evidence to show, cut short, not data to keep.
import { fetchFailureText } from "../exa/fetch-failure.js";
import { readTextPrefix } from "../response-text.js";

/** Characters of the receiver's answer kept; results show at most 300 of them. */
const RESPONSE_CHAR_CAP = 2000;

export interface PostInput {
  url: string;
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
  /** Cancellation of the whole run: aborts this POST too. */
  signal: AbortSignal;
}

export interface PostOutcome {
  /** HTTP status; 0 when the receiver gave no complete HTTP answer (refused, reset, timed out). */
  statusCode: number;
  durationMs: number;
  /** The receiver's body (cut), or for status 0 the transport error text: untrusted either way. */
  responseText: string;
}

export async function postRedelivery(input: PostInput): Promise<PostOutcome> {
  const started = performance.now();
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, input.timeoutMs);
  const onCancel = () => controller.abort();
  input.signal.addEventListener("abort", onCancel, { once: true });
  let answeredStatus: number | undefined;
  try {
    const response = await fetch(input.url, {
      method: "POST",
      headers: input.headers,
      body: input.body,
      redirect: "manual",
      signal: controller.signal,
    });
    answeredStatus = response.status;
    const responseText = await readTextPrefix(response, RESPONSE_CHAR_CAP);
    return { statusCode: response.status, durationMs: elapsed(started), responseText };
  } catch (error) {
    input.signal.throwIfAborted();
    const durationMs = elapsed(started);
    if (timedOut) {
      const what =
        answeredStatus === undefined ? "no answer" : `it answered HTTP ${answeredStatus} but the body did not finish`;
      return { statusCode: 0, durationMs, responseText: `timeout of ${input.timeoutMs} ms exceeded (${what})` };
    }
    return { statusCode: 0, durationMs, responseText: fetchFailureText(error) };
  } finally {
    clearTimeout(timer);
    input.signal.removeEventListener("abort", onCancel);
  }
}

function elapsed(started: number): number {
  return Math.round(performance.now() - started);
}
