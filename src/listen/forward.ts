// One forward: claim (event, target) in the ledger shared with redeliver_events, POST the event's own bytes
// signed like Exa signs (through the one guarded POST), record the outcome. An event already accepted at the
// target is not sent again; one whose earlier send has no recorded outcome (the process died mid-POST) is
// sent again: delivery is at-least-once.
import { classifyAttempt } from "../diagnose/classify.js";
import type { KeptConnections } from "../net/kept-connections.js";
import { postGuarded } from "../net/post.js";
import { EXA_SIGNATURE_HEADER, signExaPayload } from "../signature/sign.js";
import type { Ledger } from "../store/index.js";
import { sanitizeResponseText } from "../text/untrusted.js";
import { VERSION } from "../version.js";
import type { ListedEvent } from "./cursor.js";
import type { ForwardResult } from "./report.js";
import type { ListenTarget } from "./target.js";

/** Exa's delivery timeout is undocumented; 10 s per POST, as redeliver_events uses. */
export const FORWARD_TIMEOUT_MS = 10_000;
/** Characters of a receiver's answer read; a line shows far fewer. */
const ANSWER_CHARS = 2_000;

/** Marks the POST as a forward by `listen`, not a delivery by Exa. */
export const FORWARD_HEADER = "Exa-Forwarded-By";

export interface Forwarder {
  target: ListenTarget;
  /** Never printed, stored or returned. */
  secret: string;
  /** Undefined: nothing is remembered (no store); every event is sent. */
  ledger: Ledger | undefined;
  account: string;
  /** The webhook whose events these are; "" for --events without a webhook. */
  webhookId: string;
  /** Who claims, e.g. "listen pid 123 on host". */
  holder: string;
  timeoutMs: number;
}

export type ForwardOutcome =
  | { kind: "sent"; result: ForwardResult; connectionFailed: boolean }
  | { kind: "skipped"; acceptedAt: string | undefined }
  /** The guard refused the target at this delivery (DNS now points somewhere not allowed): nothing sent. */
  | { kind: "refused"; message: string };

/** What the ledger said before a forward: send it (under this claim; none without a store), or not. */
export type ForwardClaim =
  | { kind: "claimed"; claimId: string | undefined }
  | { kind: "skipped"; acceptedAt: string | undefined };

/** `force`: send even when accepted there before (--replay). */
export async function claimForward(forwarder: Forwarder, event: ListedEvent, force = false): Promise<ForwardClaim> {
  if (!forwarder.ledger) return { kind: "claimed", claimId: undefined };
  const key = {
    account: forwarder.account,
    webhookId: forwarder.webhookId,
    eventId: event.id,
    target: forwarder.target.url,
  };
  let claim = await forwarder.ledger.claim(key, { holder: forwarder.holder, force });
  if (claim.kind === "already-accepted") {
    return { kind: "skipped", acceptedAt: claim.entry.recordedAt?.toISOString() };
  }
  // Claimed and never recorded: the sender died mid-POST. At-least-once: send it again.
  if (claim.kind === "outcome-unknown")
    claim = await forwarder.ledger.claim(key, { holder: forwarder.holder, force: true });
  if (claim.kind !== "claimed") return { kind: "skipped", acceptedAt: undefined };
  return { kind: "claimed", claimId: claim.claimId };
}

/** Gives back a claim taken and never sent under (the listener stopped first): nothing was in flight. */
export async function releaseClaim(forwarder: Forwarder, claim: ForwardClaim): Promise<void> {
  if (claim.kind === "claimed" && claim.claimId && forwarder.ledger) await forwarder.ledger.release(claim.claimId);
}

/**
 * One forward, claim to record. `force`: send even when accepted there before (--replay). `signal`: cancels
 * the POST in flight. `connections`: a listener's kept connections.
 */
export async function forwardEvent(
  forwarder: Forwarder,
  event: ListedEvent,
  options: { force?: boolean; signal?: AbortSignal | undefined; connections?: KeptConnections | undefined } = {},
): Promise<ForwardOutcome> {
  const claim = await claimForward(forwarder, event, options.force);
  return claim.kind === "skipped" ? claim : sendClaimed(forwarder, event, claim, options);
}

/** The POST of a claimed event, signed, through the guard, and its outcome recorded under the claim. */
export async function sendClaimed(
  forwarder: Forwarder,
  event: ListedEvent,
  { claimId }: { claimId: string | undefined },
  options: { signal?: AbortSignal | undefined; connections?: KeptConnections | undefined },
): Promise<ForwardOutcome> {
  const outcome = await postGuarded({
    url: forwarder.target.url,
    body: event.raw,
    headers: {
      "content-type": "application/json",
      [FORWARD_HEADER]: `exa-webhooks-mcp/${VERSION} listen`,
      "user-agent": `exa-webhooks-mcp/${VERSION} (listen)`,
    },
    signature: { header: EXA_SIGNATURE_HEADER, sign: (body, t) => signExaPayload(body, forwarder.secret, t) },
    timeoutMs: forwarder.timeoutMs,
    maxResponseChars: ANSWER_CHARS,
    policy: forwarder.target.policy,
    signal: options.signal,
    connections: options.connections,
  });
  const accepted = outcome.statusCode >= 200 && outcome.statusCode < 300;
  const category = accepted
    ? "delivered"
    : outcome.refusal
      ? "refused"
      : outcome.timedOut
        ? "timeout"
        : classifyAttempt({ responseStatusCode: outcome.statusCode, responseBody: outcome.responseText });
  if (claimId && forwarder.ledger) {
    await forwarder.ledger.record(claimId, {
      status: outcome.statusCode || undefined,
      category,
      latencyMs: outcome.durationMs,
      timedOut: outcome.timedOut,
    });
  }
  if (outcome.refusal) return { kind: "refused", message: outcome.refusal.message };
  const reason = accepted ? undefined : failureReason(outcome, category, forwarder.timeoutMs);
  return {
    kind: "sent",
    // Refused, reset or cut off before an answer: the target may be down, so the listener checks it.
    connectionFailed: outcome.statusCode === 0 && !outcome.timedOut,
    result: {
      kind: "result",
      eventId: event.id,
      type: event.type,
      url: forwarder.target.url,
      statusCode: outcome.statusCode,
      durationMs: outcome.durationMs,
      accepted,
      reason,
    },
  };
}

function failureReason(
  outcome: { statusCode: number; timedOut: boolean; answeredStatus: number | undefined; responseText: string },
  category: string,
  timeoutMs: number,
): string {
  if (outcome.timedOut) {
    return outcome.answeredStatus === undefined
      ? `no answer within ${timeoutMs} ms`
      : `answered ${outcome.answeredStatus} but the body did not finish within ${timeoutMs} ms`;
  }
  const said = sanitizeResponseText(outcome.responseText, 120);
  return said ? `${category}: ${said}` : category;
}
