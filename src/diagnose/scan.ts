// Pages one webhook's delivery attempts through an injected page source and folds them into a diagnosis:
// the planner (scan-plan.ts), the chain scheduler (scan-chains.ts) and the fold (scan-fold.ts) share one pool
// with the events listing, and assembleDiagnosis turns what they read into the result. The only I/O of
// src/diagnose/, through `source` and `events`. Design: docs/architecture.md, "Diagnosis engine".
import { EVENT_RETENTION_MS } from "../exa/retention.js";
import type { Webhook } from "../exa/schemas.js";
import { runPool } from "../net/pool.js";
import { type AttemptAggregatorOptions, createAttemptAggregator } from "./aggregate.js";
import { assembleDiagnosis, type NeverAttemptedFound } from "./assemble.js";
import { CLOCK_SKEW_ALLOWANCE_MS } from "./hints.js";
import { type EventListing, type EventPageSource, startEventListing } from "./never-attempted.js";
import { partitionLabel } from "./partitions.js";
import { AttemptPageReader, type AttemptPageSource, ChainScheduler } from "./scan-chains.js";
import { AttemptFold, type StopChain } from "./scan-fold.js";
import { EVENT_LEAD_MS, headPartitions, planChains, planEventsWindow } from "./scan-plan.js";
import { type KnownRetrySchedule, MISSED_IDS_SHOWN, retryReachMs, type WebhookDiagnosis } from "./types.js";

export { ATTEMPTS_PAGE_LIMIT, type AttemptPageSource, type AttemptsQuery } from "./scan-chains.js";
export type { StopChain } from "./scan-fold.js";
export { NEW_EVENT_GRACE_MS } from "./scan-plan.js";

export interface ScanOptions {
  /** `events`, `createdAt` and `metadata` feed the never-attempted check and the label, when given. */
  webhook: Pick<Webhook, "id" | "url" | "status"> & Partial<Pick<Webhook, "events" | "createdAt" | "metadata">>;
  source: AttemptPageSource;
  /** GET /v0/events: without it there is no never-attempted check (recovery.neverAttempted is "off"). */
  events?: EventPageSource;
  /** Most ids per missedEvents list (default MISSED_IDS_SHOWN). */
  missedIdsLimit?: number;
  /** Epoch ms the windows are measured from (default: when the scan starts). */
  now?: number;
  /** Now by Exa's clock (its Date header), read at the end: what is "recent" (default: `now`). */
  exaNow?: () => number;
  /**
   * Inclusive lower bound on attemptedAt. Reaching it ends a partition; when older attempts exist the
   * diagnosis is incomplete (the window was read in full, the history was not).
   */
  since?: Date;
  /**
   * Ends a chain at an attempt the caller already holds (an incremental scan): the chain counts as read
   * through, not cut, and that attempt and the older ones of the chain are not folded. See StopChain.
   */
  stopChain?: StopChain;
  /** Restrict the scan to one event type. */
  eventType?: string;
  /** Overall cap on attempts folded in, across partitions. */
  maxAttempts: number;
  /** Requests in flight at once, attempts and events together. */
  concurrency: number;
  /** Time budget: the epoch ms at which the scan stops asking and returns what it has. */
  deadline?: number;
  /** Client cancellation: stops requests promptly and rethrows the abort. */
  signal?: AbortSignal;
  onProgress?: (scanned: number, message: string) => void;
  /** The sender runs on this machine (the sandbox): loopback URLs are not a finding. */
  senderIsLocal?: boolean;
  /** Failures the store remembers, classified when first read (see AttemptAggregatorOptions.recorded). */
  recorded?: AttemptAggregatorOptions["recorded"];
  /** The sender's retry schedule, when known (the sandbox's): "may still be retried" then means what it says. */
  retrySchedule?: KnownRetrySchedule;
  /**
   * The attempt pages cost no round trip (an incremental scan serves them from memory): the events listing's
   * pages go first, so its requests overlap the fold instead of waiting for every chain to end.
   */
  eventsFirst?: boolean;
}

function deadlineSignal(deadline: number | undefined): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  if (deadline === undefined) return { signal: controller.signal, dispose() {} };
  const remaining = deadline - Date.now();
  const expire = () => controller.abort(new Error("time budget exceeded"));
  // Already past: abort now, since even a 0 ms timer would let the first requests through.
  if (remaining <= 0) expire();
  const timer = remaining > 0 ? setTimeout(expire, remaining) : undefined;
  return { signal: controller.signal, dispose: () => clearTimeout(timer) };
}

/** Failures this recent may still be retried (Exa's schedule is undocumented). */
export const RETRYING_MS = 3_600_000;

export async function scanWebhookAttempts(options: ScanOptions): Promise<WebhookDiagnosis> {
  const { webhook, since } = options;
  const clientSignal = options.signal ?? new AbortController().signal;
  clientSignal.throwIfAborted();
  const nowMs = options.now ?? Date.now();
  const budget = deadlineSignal(options.deadline);
  const signals = {
    client: clientSignal,
    budget: budget.signal,
    request: AbortSignal.any([clientSignal, budget.signal]),
  };
  const maxAttempts = Math.max(0, Math.floor(options.maxAttempts));
  const keep = Math.max(0, Math.floor(options.missedIdsLimit ?? MISSED_IDS_SHOWN));
  const exaNow = options.exaNow ?? (() => nowMs);
  const aggregator = createAttemptAggregator({
    webhookUrl: webhook.url,
    senderIsLocal: options.senderIsLocal ?? false,
    clock: exaNow,
    ...(options.recorded ? { recorded: options.recorded } : {}),
  });
  const fold = new AttemptFold(aggregator, { maxAttempts, sinceMs: since?.getTime(), stopChain: options.stopChain });
  const reader = new AttemptPageReader(webhook.id, options.source, signals);
  const eventsWindow = planEventsWindow({
    subscribed: webhook.events,
    eventType: options.eventType,
    createdAt: webhook.createdAt,
    sinceMs: since?.getTime(),
    nowMs,
  });
  const { candidates } = eventsWindow;
  const oldestScanned = () => (Number.isFinite(fold.oldestMs) ? fold.oldestMs : undefined);
  const eventsFromMs = (oldestMs: number | undefined, leadMs: number) =>
    eventsWindow.fromMs(oldestMs, leadMs, fold.stoppedAtMs);
  let listing: EventListing | undefined;

  const chains: ChainScheduler = new ChainScheduler({
    heads: headPartitions(options.eventType),
    reader,
    fold,
    plan: (heads) => planChains(heads, { eventType: options.eventType, outOfTime: reader.outOfTime }, fold),
    progress: (partition) =>
      options.onProgress?.(
        fold.scanned,
        `Scanned ${fold.scanned} attempts of ${webhook.id} (${partitionLabel(partition)})`,
      ),
    // The listing starts when some candidate type can still be judged, over the widest window it may get.
    planned() {
      if (!options.events || eventsFromMs(undefined, 0) > eventsWindow.toMs) return;
      const judgeable = candidates.filter((type) => chains.canStillRead(type));
      if (judgeable.length === 0) return;
      listing = startEventListing({
        source: options.events,
        types: judgeable,
        fromMs: eventsFromMs(undefined, EVENT_LEAD_MS),
        toMs: eventsWindow.toMs,
        concurrency: options.concurrency,
        attempted: (eventId, eventType) => aggregator.attempted(eventId, eventType),
        requestSignal: signals.request,
        budgetSignal: budget.signal,
        clientSignal,
      });
    },
    // The judged types and the window are known: the listing reads only those, from an hour before the
    // oldest scanned attempt (the oldest attempted events were created before their first attempt).
    settled: () =>
      listing?.narrow(candidates.filter(chains.countsEventsOf), eventsFromMs(oldestScanned(), EVENT_LEAD_MS)),
  });

  // The events' first page goes before the chains: the rest of the listing is planned from it.
  try {
    const eventsFirst = options.eventsFirst === true;
    await runPool(
      options.concurrency,
      () =>
        listing?.headPage() ??
        (eventsFirst ? listing?.nextPage() : undefined) ??
        chains.nextJob() ??
        listing?.nextPage(),
    );
    clientSignal.throwIfAborted();
  } finally {
    budget.dispose();
  }

  const { countsEventsOf } = chains;
  // Attempt times are Exa's: recent means within the retry reach before Exa's clock, not ours, and not after it.
  const judgedAt = exaNow();
  return assembleDiagnosis({
    webhook,
    ...(since ? { since } : {}),
    ...(options.eventType !== undefined ? { eventType: options.eventType } : {}),
    cut: {
      capped: fold.capped,
      maxAttempts,
      outOfTime: reader.outOfTime,
      scanned: fold.scanned,
      headRead: chains.headRead,
      failures: reader.failures,
      olderThanSince: fold.olderThanSince,
    },
    summary: aggregator.result(countsEventsOf),
    neverAttempted: neverAttemptedFound(),
    undelivered: aggregator.undelivered(countsEventsOf, {
      keep,
      expiredBeforeMs: nowMs - EVENT_RETENTION_MS,
      recentFromMs: judgedAt - (options.retrySchedule ? retryReachMs(options.retrySchedule) : RETRYING_MS),
      recentUntilMs: judgedAt + CLOCK_SKEW_ALLOWANCE_MS,
    }),
    ...(options.retrySchedule ? { retrySchedule: options.retrySchedule } : {}),
    oldestScannedMs: fold.oldestMs,
    eventLeadMs: EVENT_LEAD_MS,
    retainedFromMs: nowMs - EVENT_RETENTION_MS,
  });

  /** The never-attempted check, for the subscribed types whose attempts were read in full. */
  function neverAttemptedFound(): NeverAttemptedFound {
    if (!options.events) return { check: { kind: "off" } };
    const judged = candidates.filter(countsEventsOf);
    const unjudgedTypes = candidates.filter((type) => !countsEventsOf(type));
    const fromMs = eventsFromMs(oldestScanned(), 0);
    if (candidates.length === 0 || fromMs > eventsWindow.toMs) return { check: { kind: "empty" } };
    // No listing means planned() saw that no type could be judged, and none was.
    if (judged.length === 0 || !listing) return { check: { kind: "unjudged", unjudgedTypes } };
    const window = { fromMs, leadFromMs: eventsFromMs(oldestScanned(), EVENT_LEAD_MS) };
    const found = listing.result(judged, window, keep);
    return {
      check: {
        kind: "listed",
        from: new Date(found.fromMs).toISOString(),
        to: new Date(eventsWindow.toMs).toISOString(),
        types: judged,
        unjudgedTypes,
        listed: found.listed,
      },
      found,
    };
  }
}
