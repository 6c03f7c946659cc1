// Alerts to --alert-url: a POST of JSON with a Slack-compatible `text` plus the transition's fields, signed
// like Exa signs deliveries (t=…,v1=… in Exa-Webhooks-Signature) when a secret is set. Sent through the one
// guarded POST (src/net/post.ts): https or loopback only, no redirects, a deadline, a capped read. Retried
// with backoff; what finally failed is reported, never thrown. One alert at a time, in order, off the tick.

import { isLoopbackHost } from "../exa/hosts.js";
import type { EgressPolicy } from "../net/egress.js";
import { egressRefusalBeforeLookup, parseHttpUrl } from "../net/egress.js";
import { type GuardedPostOutcome, postGuarded } from "../net/post.js";
import { signExaPayload } from "../signature/sign.js";
import { sanitizeResponseText } from "../text/untrusted.js";
import type { Transition } from "./transitions.js";
import { transitionFacts, transitionSentence } from "./words.js";

export const ALERT_SIGNATURE_HEADER = "Exa-Webhooks-Signature";
export const ALERT_SECRET_VARIABLE = "EXA_WEBHOOKS_ALERT_SECRET";
/** Attempts per alert: the first, then retries after base, 2×base, 4×base. */
const ALERT_ATTEMPTS = 4;
const MAX_RESPONSE_CHARS = 300;

export interface AlertTarget {
  url: string;
  secret: string | undefined;
  timeoutMs: number;
  retryBaseMs: number;
  policy: EgressPolicy;
  sandbox: boolean;
}

/** What became of one alert, for the output. */
export type AlertOutcome =
  | { ok: true; webhookId: string; to: string; attempts: number; status: number }
  | { ok: false; webhookId: string; to: string; attempts: number; reason: string };

/**
 * Why an alert URL is refused before anything is sent: not http(s), http to a host that is not loopback,
 * credentials in it. Undefined when it may be used (DNS is checked at each send by the guard).
 */
export function alertUrlProblem(raw: string): string | undefined {
  const url = parseHttpUrl(raw);
  if (!url) return `--alert-url must be an absolute https:// URL (or http:// on loopback), got "${raw.slice(0, 200)}".`;
  if (url.protocol === "http:" && !isLoopbackHost(url.hostname))
    return `--alert-url ${url.origin} is plain http to a host that is not loopback: alerts would travel in clear. Use https://, or http://127.0.0.1 for a local relay.`;
  const refusal = egressRefusalBeforeLookup(raw, { scope: "local", allowPrivateTargets: false });
  if (refusal?.reason === "credentials") return `--alert-url: ${refusal.message}`;
  return undefined;
}

/** The JSON body of one alert: Slack reads `text`; everything else is for code. */
export function alertBody(transition: Transition, sandbox: boolean): string {
  const facts = transitionFacts(transition);
  const { next } = facts;
  return JSON.stringify({
    text: `${transition.to === "recovered" || transition.to === "healthy" ? "✅" : "⚠️"} ${transitionSentence(transition)} Next: ${next.tool} ${JSON.stringify(next.arguments)}`,
    kind: "exa-webhooks.health.transition",
    ...facts,
    ...(transition.to === "at_risk" ? { deactivationRule: "unpublished by Exa" } : {}),
    ...(sandbox ? { sandbox: true } : {}),
  });
}

/** A queue that sends alerts one after another; `send` returns at once, `idle` waits for the queue to drain. */
export class AlertPoster {
  private queue: Promise<void> = Promise.resolve();
  private readonly controller = new AbortController();

  constructor(
    private readonly target: AlertTarget,
    private readonly report: (outcome: AlertOutcome) => void,
  ) {}

  send(transition: Transition): void {
    this.queue = this.queue.then(() => this.deliver(transition)).catch(() => {});
  }

  idle(): Promise<void> {
    return this.queue;
  }

  /** Stops retries and the POST in flight. */
  close(): void {
    this.controller.abort(new Error("watch stopped"));
  }

  private async deliver(transition: Transition): Promise<void> {
    const body = alertBody(transition, this.target.sandbox);
    let last: GuardedPostOutcome | undefined;
    for (let attempt = 1; attempt <= ALERT_ATTEMPTS; attempt++) {
      if (attempt > 1) await pause(this.target.retryBaseMs * 2 ** (attempt - 2), this.controller.signal);
      last = await this.post(body);
      const verdict = judge(last);
      if (verdict === "ok") {
        this.report({
          ok: true,
          webhookId: transition.webhookId,
          to: transition.to,
          attempts: attempt,
          status: last.statusCode,
        });
        return;
      }
      if (verdict === "final") return this.fail(transition, attempt, last);
    }
    if (last) this.fail(transition, ALERT_ATTEMPTS, last);
  }

  private post(body: string): Promise<GuardedPostOutcome> {
    const { secret } = this.target;
    return postGuarded({
      url: this.target.url,
      body,
      headers: { "content-type": "application/json", "user-agent": "exa-webhooks-mcp watch" },
      ...(secret
        ? { signature: { header: ALERT_SIGNATURE_HEADER, sign: (raw, t) => signExaPayload(raw, secret, t) } }
        : {}),
      timeoutMs: this.target.timeoutMs,
      maxResponseChars: MAX_RESPONSE_CHARS,
      policy: this.target.policy,
      signal: this.controller.signal,
    });
  }

  private fail(transition: Transition, attempts: number, outcome: GuardedPostOutcome): void {
    this.report({
      ok: false,
      webhookId: transition.webhookId,
      to: transition.to,
      attempts,
      reason: failureText(outcome, this.target),
    });
  }
}

/** ok; retry (no answer, timeout, 429, 5xx); final (refused by the guard, a redirect, another 4xx). */
function judge(outcome: GuardedPostOutcome): "ok" | "retry" | "final" {
  if (outcome.refusal) return "final";
  const status = outcome.statusCode;
  if (status >= 200 && status < 300) return "ok";
  if (status === 0 || status === 429 || status >= 500) return "retry";
  return "final";
}

/** What a person reads when an alert did not arrive: the problem and the next step. */
function failureText(outcome: GuardedPostOutcome, target: AlertTarget): string {
  if (outcome.refusal) return `refused before sending: ${outcome.refusal.message}`;
  if (outcome.timedOut)
    return `no answer within ${target.timeoutMs} ms; check that the alert receiver is up and answers quickly`;
  const status = outcome.statusCode;
  if (status >= 300 && status < 400) {
    const location = sanitizeResponseText(outcome.responseHeaders.location ?? "", 200);
    return `answered ${status} redirecting to ${location || "another URL"}; alerts never follow redirects: set --alert-url to the final URL`;
  }
  if (status === 0)
    return `could not connect: ${sanitizeResponseText(outcome.responseText, 200)}; check that the alert receiver is up`;
  const answer = sanitizeResponseText(outcome.responseText, 200);
  return `answered ${status}${answer ? `: ${answer}` : ""}`;
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
