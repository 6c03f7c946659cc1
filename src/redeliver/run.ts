// Replays a list of events to one target: read each from Exa, skip the expired, and (unless a dry run)
// POST the raw JSON signed like Exa signs it. Bounded lanes, one pass over the ids (nothing is sent
// twice, a failed POST is reported, not retried), no new POST after the time budget, and cancellation
// stops everything. Returns structure; the tool renders it.
import { classifyAttempt } from "../diagnose/classify.js";
import type { Category } from "../diagnose/types.js";
import { ExaApiError, RequestCancelledError } from "../exa/errors.js";
import { EVENT_RETENTION_MS } from "../exa/retention.js";
import type { ExaEvent, Webhook } from "../exa/schemas.js";
import { shortErrorText } from "../format/tool-error.js";
import type { EgressPolicy } from "../net/egress.js";
import { runPool } from "../net/pool.js";
import { EXA_SIGNATURE_HEADER, signExaPayload } from "../signature/sign.js";
import { createRedactor } from "../text/redact.js";
import { sanitizeResponseText } from "../text/untrusted.js";
import { redeliveryHeaders } from "./headers.js";
import type { KnownDelivery, RunClaims } from "./ledger.js";
import { type PostInput, type PostOutcome, postRedelivery } from "./post.js";
import type { PlannedEvent, RedeliveryResult } from "./schema.js";

/** One POST's whole exchange (connect, headers, body) may take this long. */
const POST_TIMEOUT_MS = 10_000;

interface RedeliveryRun {
  webhook: Pick<Webhook, "id" | "events">;
  eventIds: readonly string[];
  targetUrl: string;
  /** Where this server may POST: checked again before every POST (src/net/egress.ts). */
  policy: EgressPolicy;
  /** Required unless dryRun. Never copied into anything returned. */
  secret: string | undefined;
  dryRun: boolean;
  concurrency: number;
  /** Epoch ms: no event is read or POSTed after it. */
  deadline: number;
  signal: AbortSignal;
  fetchEvent(eventId: string, signal: AbortSignal): Promise<{ event: ExaEvent; body: string }>;
  /** The ledger: each POST is claimed before and recorded after; none without a claim. Absent: no memory. */
  claims?: RunClaims;
  /** Defaults to a real POST; the bench and tests pass none. */
  post?: (input: PostInput) => Promise<PostOutcome>;
  postTimeoutMs?: number;
  now?: () => number;
  onProgress?: (done: number, total: number) => void;
}

export interface RedeliveryRunOutcome {
  planned: PlannedEvent[];
  results: RedeliveryResult[];
  /** Ids neither sent nor skipped because time ran out. */
  notSent: string[];
  /** Exa's error text per event that could not be read (other than 404). */
  readErrors: Map<string, string>;
  /** Not sent: another run delivered it or holds it since this run's plan was made (the claim said so). */
  held: KnownDelivery[];
  /** Not sent: the store failed and could not claim them. */
  notClaimed: string[];
}

type EventOutcome =
  | { kind: "not_reached"; planned?: PlannedEvent }
  | { kind: "not_claimed"; planned: PlannedEvent }
  | { kind: "planned"; planned: PlannedEvent; result?: RedeliveryResult; readError?: string; held?: KnownDelivery };

export async function runRedelivery(run: RedeliveryRun): Promise<RedeliveryRunOutcome> {
  if (!run.dryRun && !run.secret) throw new Error("runRedelivery needs a secret to send");
  const now = run.now ?? Date.now;
  const post = run.post ?? postRedelivery;
  const subscribed = new Set(run.webhook.events);
  const outcomes: EventOutcome[] = run.eventIds.map(() => ({ kind: "not_reached" }));
  let next = 0;
  let done = 0;

  const timeLeft = () => now() < run.deadline;

  async function handle(eventId: string): Promise<EventOutcome> {
    let fetched: { event: ExaEvent; body: string };
    try {
      fetched = await run.fetchEvent(eventId, run.signal);
    } catch (error) {
      if (run.signal.aborted || error instanceof RequestCancelledError) throw new RequestCancelledError();
      const notFound = error instanceof ExaApiError && error.status === 404;
      return {
        kind: "planned",
        planned: unread(eventId, notFound ? "not_found" : "exa_error"),
        ...(notFound ? {} : { readError: shortErrorText(error) }),
      };
    }
    const { event, body } = fetched;
    const createdMs = Date.parse(event.createdAt);
    const expired = !Number.isNaN(createdMs) && now() - createdMs > EVENT_RETENTION_MS;
    const planned: PlannedEvent = {
      eventId,
      type: event.type,
      createdAt: event.createdAt,
      expired,
      subscribed: subscribed.has(event.type),
      ...(expired ? { skipped: "expired" as const } : {}),
    };
    if (expired || run.dryRun) return { kind: "planned", planned };
    // The read took time: a POST starts only while the budget lasts.
    if (!timeLeft()) return { kind: "not_reached", planned };
    const claim = await run.claims?.claim(eventId);
    if (claim?.kind === "not-claimed") return { kind: "not_claimed", planned };
    if (claim?.kind === "known") return { kind: "planned", planned, held: claim.known };
    const secret = run.secret as string;
    let outcome: PostOutcome;
    try {
      outcome = await post({
        url: run.targetUrl,
        body,
        headers: redeliveryHeaders(),
        signature: {
          header: EXA_SIGNATURE_HEADER,
          sign: (raw, unixSeconds) => signExaPayload(raw, secret, unixSeconds),
        },
        timeoutMs: run.postTimeoutMs ?? POST_TIMEOUT_MS,
        policy: run.policy,
        signal: run.signal,
      });
    } catch (error) {
      if (run.signal.aborted) throw new RequestCancelledError();
      throw error;
    }
    const result = toResult(eventId, outcome, secret);
    await claim?.record({
      status: outcome.statusCode || undefined,
      category: result.category ?? "delivered",
      latencyMs: outcome.durationMs,
      timedOut: outcome.timedOut,
    });
    return { kind: "planned", planned, result };
  }

  // One pass over the ids: each index is claimed once, and none is started after the budget or a cancel.
  await runPool(run.concurrency, () => {
    if (next >= run.eventIds.length || run.signal.aborted || !timeLeft()) return undefined;
    const index = next++;
    return async () => {
      outcomes[index] = await handle(run.eventIds[index] as string);
      done++;
      run.onProgress?.(done, run.eventIds.length);
    };
  });
  if (run.signal.aborted) throw new RequestCancelledError();

  const planned: PlannedEvent[] = [];
  const results: RedeliveryResult[] = [];
  const notSent: string[] = [];
  const readErrors = new Map<string, string>();
  const held: KnownDelivery[] = [];
  const notClaimed: string[] = [];
  for (const [index, outcome] of outcomes.entries()) {
    const eventId = run.eventIds[index] as string;
    if (outcome.kind === "not_reached") {
      planned.push(outcome.planned ?? { eventId, type: null, createdAt: null, expired: false, subscribed: null });
      notSent.push(eventId);
      continue;
    }
    planned.push(outcome.planned);
    if (outcome.kind === "not_claimed") {
      notClaimed.push(eventId);
      continue;
    }
    if (outcome.result) results.push(outcome.result);
    if (outcome.readError) readErrors.set(eventId, outcome.readError);
    if (outcome.held) held.push(outcome.held);
  }
  return { planned, results, notSent, readErrors, held, notClaimed };
}

function unread(eventId: string, skipped: "not_found" | "exa_error"): PlannedEvent {
  return { eventId, type: null, createdAt: null, expired: skipped === "not_found", subscribed: null, skipped };
}

function toResult(eventId: string, outcome: PostOutcome, secret: string): RedeliveryResult {
  const ok = outcome.statusCode >= 200 && outcome.statusCode < 300;
  // The receiver knows the secret; whatever it echoes back, in whatever encoding, is not repeated to the model.
  const text = createRedactor(secret).redact(outcome.responseText);
  return {
    eventId,
    statusCode: outcome.statusCode,
    ok,
    category: ok ? null : categoryOf(outcome, text),
    durationMs: outcome.durationMs,
    response: sanitizeResponseText(text),
  };
}

/** A timeout and a refusal are known from the outcome's structure; the rest from the receiver's answer. */
function categoryOf(outcome: PostOutcome, text: string): Category {
  if (outcome.timedOut) return "timeout";
  if (outcome.refusal) return "unreachable";
  return classifyAttempt({ responseStatusCode: outcome.statusCode, responseBody: text });
}
