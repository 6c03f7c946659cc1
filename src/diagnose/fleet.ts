// Diagnosing one webhook or the whole account: which webhooks, in what order, with what share of the time
// budget, and the ranked report. I/O only through the injected sources (the Exa client in production).
// Worst first where the list already says so (inactive webhooks: Exa delivers nothing to them), one after
// another, each with an equal share of what is left but never less than MIN_SHARE_MS: an equal share of a
// big fleet is less than one round trip and would finish none. Webhooks the budget ends before are named.

import type { Page, Webhook } from "../exa/schemas.js";
import { plural } from "../text/words.js";
import { type DiagnoseMemory, diagnoseIncrementally } from "./incremental.js";
import type { EventPageSource } from "./never-attempted.js";
import { rankDiagnoses } from "./rank.js";
import type { AttemptPageSource } from "./scan.js";
import type { DiagnosisReport, KnownRetrySchedule, WebhookDiagnosis } from "./types.js";

/** Fleet mode reads at most this many webhooks; accounts rarely have more than a handful. */
export const MAX_FLEET_WEBHOOKS = 1000;
const WEBHOOKS_PAGE_LIMIT = 200;
/** A webhook's share is at least this: enough for a small webhook's few round trips, even to a slow upstream. */
export const MIN_SHARE_MS = 1_000;

export interface FleetSources {
  getWebhook(webhookId: string, signal: AbortSignal): Promise<Webhook>;
  listWebhooks(query: { limit: number; cursor?: string }, signal: AbortSignal): Promise<Page<Webhook>>;
  attempts: AttemptPageSource;
  /** GET /v0/events, for the never-attempted check. */
  events: EventPageSource;
}

export interface FleetOptions {
  sources: FleetSources;
  /** One webhook; omitted = every webhook of the account (up to maxWebhooks). */
  webhookId?: string;
  since?: Date;
  eventType?: string;
  /** Attempts per webhook. */
  maxAttempts: number;
  concurrency: number;
  /** Time for the whole call, shared across webhooks. */
  budgetMs: number;
  senderIsLocal: boolean;
  /** The sender's retry schedule, when known (the sandbox's). */
  retrySchedule?: KnownRetrySchedule | undefined;
  signal: AbortSignal;
  /** Default MAX_FLEET_WEBHOOKS. */
  maxWebhooks?: number;
  /** Most ids per missed-events list (default MISSED_IDS_SHOWN); more when the ledger is folded in after. */
  missedIdsLimit?: number;
  now: Date;
  /** Now by Exa's clock (the Exa client's exaNow), for what counts as recent; default `now`. */
  exaNow?: () => number;
  /** Attempts scanned so far in the whole call, and what is being scanned. */
  onProgress?: (scanned: number, message: string) => void;
  log?: (message: string) => void;
  /** The store each webhook's scan builds on and is remembered in (incremental.ts); undefined = none. */
  memory?: DiagnoseMemory;
}

interface WebhookList {
  webhooks: Webhook[];
  /** The account has more webhooks than were listed. */
  capped: boolean;
}

async function listWebhooksUpTo(sources: FleetSources, limit: number, signal: AbortSignal): Promise<WebhookList> {
  const webhooks: Webhook[] = [];
  let cursor: string | undefined;
  do {
    const page = await sources.listWebhooks({ limit: WEBHOOKS_PAGE_LIMIT, ...(cursor ? { cursor } : {}) }, signal);
    webhooks.push(...page.data);
    cursor = page.hasMore && page.nextCursor ? page.nextCursor : undefined;
  } while (cursor && webhooks.length < limit);
  return { webhooks: webhooks.slice(0, limit), capped: webhooks.length > limit || cursor !== undefined };
}

/** Inactive webhooks first (Exa delivers nothing to them), then the list's order: a stable sort. */
function worstKnownFirst(webhooks: readonly Webhook[]): Webhook[] {
  return [...webhooks].sort((a, b) => Number(b.status === "inactive") - Number(a.status === "inactive"));
}

export async function diagnoseFleet(options: FleetOptions): Promise<DiagnosisReport> {
  const { sources, signal } = options;
  const maxWebhooks = options.maxWebhooks ?? MAX_FLEET_WEBHOOKS;
  const budgetEndsAt = Date.now() + options.budgetMs;
  const { webhooks, capped } = options.webhookId
    ? { webhooks: [await sources.getWebhook(options.webhookId, signal)], capped: false }
    : await listWebhooksUpTo(sources, maxWebhooks, signal);

  options.log?.(
    `scanning the delivery attempts of ${plural(webhooks.length, "webhook")}${capped ? ` (the first ${maxWebhooks}; the account has more)` : ""}`,
  );
  let scannedBefore = 0;
  const diagnoses: WebhookDiagnosis[] = [];
  const notReached: string[] = [];
  const ordered = worstKnownFirst(webhooks);
  // Webhooks one after another, each scanned with the full concurrency: the cap holds for the whole call.
  for (const [index, webhook] of ordered.entries()) {
    const left = budgetEndsAt - Date.now();
    // One webhook asked for by id is always scanned: its diagnosis says what the budget cut.
    if (left <= 0 && ordered.length > 1) {
      notReached.push(...ordered.slice(index).map((unreached) => unreached.id));
      break;
    }
    // An equal share of what is left, so one huge history cannot starve the rest; time a quick webhook does
    // not use passes on to the next.
    const share = Math.min(left, Math.max(MIN_SHARE_MS, left / (ordered.length - index)));
    const { diagnosis } = await diagnoseIncrementally({
      memory: options.memory,
      webhook,
      source: sources.attempts,
      events: sources.events,
      now: options.now.getTime(),
      ...(options.exaNow ? { exaNow: options.exaNow } : {}),
      ...(options.since ? { since: options.since } : {}),
      ...(options.eventType ? { eventType: options.eventType } : {}),
      maxAttempts: options.maxAttempts,
      ...(options.missedIdsLimit === undefined ? {} : { missedIdsLimit: options.missedIdsLimit }),
      concurrency: options.concurrency,
      senderIsLocal: options.senderIsLocal,
      ...(options.retrySchedule ? { retrySchedule: options.retrySchedule } : {}),
      deadline: Date.now() + Math.max(0, share),
      signal,
      onProgress: (scanned, message) => {
        const label = ordered.length > 1 ? `webhook ${index + 1}/${ordered.length}: ${message}` : message;
        options.onProgress?.(scannedBefore + scanned, label);
      },
    });
    scannedBefore += diagnosis.attemptsScanned;
    diagnoses.push(diagnosis);
    options.log?.(
      `diagnosed ${webhook.id} (${index + 1}/${ordered.length}): ${diagnosis.verdict}, ${diagnosis.attemptsScanned} attempts scanned${diagnosis.complete ? "" : " (partial)"}`,
    );
  }
  if (notReached.length) options.log?.(`the time budget ran out before ${plural(notReached.length, "webhook")}`);
  const report: DiagnosisReport = { webhooks: rankDiagnoses(diagnoses), generatedAt: options.now.toISOString() };
  if (capped) report.webhookLimit = maxWebhooks;
  if (notReached.length) report.notReached = notReached;
  return report;
}
