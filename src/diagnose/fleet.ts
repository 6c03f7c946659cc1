// Diagnosing one webhook or the whole account: which webhooks, in what order, with what share of the time
// budget, and the ranked report. I/O only through the injected sources (the Exa client in production).

import type { Page, Webhook } from "../exa/schemas.js";
import { plural } from "../text/words.js";
import type { EventPageSource } from "./never-attempted.js";
import { rankDiagnoses } from "./rank.js";
import { type AttemptPageSource, scanWebhookAttempts } from "./scan.js";
import type { DiagnosisReport, WebhookDiagnosis } from "./types.js";

/** Fleet mode reads at most this many webhooks; accounts rarely have more than a handful. */
export const MAX_FLEET_WEBHOOKS = 1000;
const WEBHOOKS_PAGE_LIMIT = 200;

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
  // Webhooks one after another, each scanned with the full concurrency: the cap holds for the whole call.
  for (const [index, webhook] of webhooks.entries()) {
    // Each webhook gets an equal share of what is left, so one huge history cannot starve the rest;
    // time a quick webhook does not use passes on to the next.
    const share = Math.max(0, budgetEndsAt - Date.now()) / (webhooks.length - index);
    const diagnosis = await scanWebhookAttempts({
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
      deadline: Date.now() + share,
      signal,
      onProgress: (scanned, message) => {
        const label = webhooks.length > 1 ? `webhook ${index + 1}/${webhooks.length}: ${message}` : message;
        options.onProgress?.(scannedBefore + scanned, label);
      },
    });
    scannedBefore += diagnosis.attemptsScanned;
    diagnoses.push(diagnosis);
    options.log?.(
      `diagnosed ${webhook.id} (${index + 1}/${webhooks.length}): ${diagnosis.verdict}, ${diagnosis.attemptsScanned} attempts scanned${diagnosis.complete ? "" : " (partial)"}`,
    );
  }
  const report: DiagnosisReport = { webhooks: rankDiagnoses(diagnoses), generatedAt: options.now.toISOString() };
  if (capped) report.webhookLimit = maxWebhooks;
  return report;
}
