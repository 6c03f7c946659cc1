// Pages one webhook's delivery attempts through an injected page source and folds them into a diagnosis.
// The only I/O of src/diagnose/, through `source` and `events`. Design: docs/architecture.md, "Diagnosis engine".
import { EVENT_TYPES } from "../exa/event-types.js";
import type { Page, Webhook, WebhookAttempt } from "../exa/schemas.js";
import { errorMessage, type Job, requestSignals, runPool, unlessAborted } from "../net/pool.js";
import { createAttemptAggregator } from "./aggregate.js";
import { assembleDiagnosis, type NeverAttemptedFound, type PageFailure } from "./assemble.js";
import { CLOCK_SKEW_ALLOWANCE_MS } from "./hints.js";
import { type EventListing, type EventPageSource, startEventListing } from "./never-attempted.js";
import { belongsTo, type Partition, partitionLabel, SUCCESS_FLAGS, typedPartitions } from "./partitions.js";
import { timestampMillis } from "./timestamps.js";
import { type KnownRetrySchedule, MISSED_IDS_SHOWN, retryReachMs, type WebhookDiagnosis } from "./types.js";

/** Exa's maximum page size: fewer round trips per partition. */
export const ATTEMPTS_PAGE_LIMIT = 200;

export interface AttemptsQuery {
  webhookId: string;
  eventType?: string;
  successful?: boolean;
  cursor?: string;
  limit: number;
}

/** One page of GET /v0/webhooks/{id}/attempts, newest first (the Exa client, with its own retries). */
export type AttemptPageSource = (query: AttemptsQuery, signal: AbortSignal) => Promise<Page<WebhookAttempt>>;

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
  /** The sender's retry schedule, when known (the sandbox's): "may still be retried" then means what it says. */
  retrySchedule?: KnownRetrySchedule;
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

/** Where a chain stands: its partition, the cursor of its next page, and the pages read before it. */
interface ChainPosition {
  partition: Partition;
  cursor?: string;
  pagesRead: number;
}

/** A chain to follow, from its first page or on from a cursor the head page gave. */
interface Chain extends ChainPosition {
  /** Estimated attempts per ms of history (from the head page's type mix and span); 0 = no sign of any. */
  rate: number;
  inFlight: boolean;
  ended: boolean;
}

const chainKey = (eventType: string, successful: boolean) => `${eventType}\n${successful}`;

/** Newest first; equal instants by attempt id, so the fold order never depends on arrival order. */
function newestFirst(a: { attempt: WebhookAttempt; ms: number }, b: { attempt: WebhookAttempt; ms: number }) {
  return b.ms - a.ms || (a.attempt.id < b.attempt.id ? 1 : a.attempt.id > b.attempt.id ? -1 : 0);
}

/**
 * Longest chains first: a chain is sequential (each cursor comes from the page before), so the scan
 * cannot end before its longest chain, and one started last would run alone at the end while the other
 * lanes sit idle. Ties (and chains with no estimate) in type order, failed first.
 */
function longestFirst(a: Chain, b: Chain): number {
  const typeA = a.partition.eventType ?? "";
  const typeB = b.partition.eventType ?? "";
  return (
    b.rate - a.rate ||
    (typeA < typeB ? -1 : typeA > typeB ? 1 : 0) ||
    Number(a.partition.successful) - Number(b.partition.successful)
  );
}

/** Exa deletes events 60 days after they are created: older ones cannot be listed, fetched or replayed. */
export const EVENT_RETENTION_MS = 60 * 86_400_000;
/** A brand-new event may not have been attempted yet: the never-attempted window ends this long before now. */
export const NEW_EVENT_GRACE_MS = 10 * 60_000;
/** How far before the oldest scanned attempt a list_events look starts: events precede their first delivery. */
const EVENT_LEAD_MS = 3_600_000;
/** Failures this recent may still be retried (Exa's schedule is undocumented). */
export const RETRYING_MS = 3_600_000;

export async function scanWebhookAttempts(options: ScanOptions): Promise<WebhookDiagnosis> {
  const { webhook, source, since, onProgress } = options;
  const clientSignal = options.signal ?? new AbortController().signal;
  clientSignal.throwIfAborted();
  const nowMs = options.now ?? Date.now();
  const budget = deadlineSignal(options.deadline);
  const requestSignal = AbortSignal.any([clientSignal, budget.signal]);
  const openRequest = requestSignals(requestSignal);
  const sinceMs = since?.getTime();
  const maxAttempts = Math.max(0, Math.floor(options.maxAttempts));
  const keep = Math.max(0, Math.floor(options.missedIdsLimit ?? MISSED_IDS_SHOWN));
  const exaNow = options.exaNow ?? (() => nowMs);
  const aggregator = createAttemptAggregator({
    webhookUrl: webhook.url,
    senderIsLocal: options.senderIsLocal ?? false,
    clock: exaNow,
  });

  // The never-attempted check: the subscribed types (of the one eventType, if given) over a window that
  // starts at since, else at the oldest scanned attempt, never before the webhook existed or Exa's retention.
  const subscribed = [...new Set(webhook.events ?? [])].sort();
  const candidates = options.eventType === undefined ? subscribed : subscribed.filter((t) => t === options.eventType);
  const createdMs = webhook.createdAt === undefined ? Number.NEGATIVE_INFINITY : timestampMillis(webhook.createdAt);
  const eventsToMs = nowMs - NEW_EVENT_GRACE_MS;
  const eventsFromMs = (oldestScannedMs?: number, leadMs = 0) =>
    Math.max((sinceMs ?? oldestScannedMs ?? createdMs) - leadMs, createdMs, nowMs - EVENT_RETENTION_MS);

  let scanned = 0;
  let oldestScannedMs = Number.POSITIVE_INFINITY;
  let capped = false;
  let outOfTime = false;
  let olderThanSince = false;
  const failures: PageFailure[] = [];
  /** Flags whose newest page was read (the probe, or the eventType's head page). */
  const headRead = new Set<boolean>();
  /** Flags whose head page held the whole window: every type of that outcome was read. */
  const wholeOutcome = new Set<boolean>();
  /** (type, flag) chains read to their end or to since. */
  const readThrough = new Set<string>();
  /** Attempts folded in from a probe page: the typed partitions that page them again skip them. */
  const fromProbe = new Set<string>();
  const heads = SUCCESS_FLAGS.map((successful): Partition => {
    return options.eventType === undefined ? { successful } : { eventType: options.eventType, successful };
  });
  const headsToAsk = [...heads];
  const headPages = new Map<boolean, Page<WebhookAttempt> | undefined>();
  /** The chains past the heads, longest first; planned once both head pages are in. */
  let chains: Chain[] = [];
  let attemptsRead = false;
  let listing: EventListing | undefined;

  const countEventsOf = (eventType: string) =>
    SUCCESS_FLAGS.every((flag) => wholeOutcome.has(flag) || readThrough.has(chainKey(eventType, flag)));
  const oldestScanned = () => (Number.isFinite(oldestScannedMs) ? oldestScannedMs : undefined);

  /** The cap is spent: any partition that still has pages in the window makes the scan incomplete. */
  function budgetSpent(): boolean {
    if (scanned >= maxAttempts) capped = true;
    return capped;
  }

  /** Adds one attempt unless the cap is spent (then false). */
  function fold(attempt: WebhookAttempt, ms: number): boolean {
    if (scanned >= maxAttempts) {
      capped = true;
      return false;
    }
    aggregator.add(attempt, ms);
    scanned++;
    if (ms < oldestScannedMs) oldestScannedMs = ms;
    return true;
  }

  /** Folds a page in: "since" when the partition has reached since, "capped" when the cap stopped it. */
  function consume(partition: Partition, attempts: readonly WebhookAttempt[]): "more" | "since" | "capped" {
    let end: "more" | "since" = "more";
    for (const attempt of attempts) {
      if (!belongsTo(partition, attempt)) continue;
      const ms = timestampMillis(attempt.attemptedAt);
      // Newest first, but skip-and-continue rather than break in case a page is not perfectly sorted.
      if (sinceMs !== undefined && ms < sinceMs) {
        end = "since";
        olderThanSince = true;
        continue;
      }
      if (fromProbe.delete(attempt.id)) continue;
      if (!fold(attempt, ms)) return "capped";
    }
    return end;
  }

  /** One request; undefined when the chain must end (time budget or a failed page, both recorded). */
  async function fetchPage(position: ChainPosition, head: boolean): Promise<Page<WebhookAttempt> | undefined> {
    clientSignal.throwIfAborted();
    if (budget.signal.aborted) {
      outOfTime = true;
      return undefined;
    }
    const { partition, cursor } = position;
    const query: AttemptsQuery = {
      webhookId: webhook.id,
      limit: ATTEMPTS_PAGE_LIMIT,
      successful: partition.successful,
    };
    if (partition.eventType !== undefined) query.eventType = partition.eventType;
    if (cursor !== undefined) query.cursor = cursor;
    const request = openRequest();
    try {
      return await unlessAborted(source(query, request.signal), request.signal);
    } catch (error) {
      clientSignal.throwIfAborted();
      if (budget.signal.aborted) outOfTime = true;
      else failures.push({ partition, pagesRead: position.pagesRead, head, error: errorMessage(error) });
      return undefined;
    } finally {
      request.release();
    }
  }

  function reportProgress(partition: Partition): void {
    onProgress?.(scanned, `Scanned ${scanned} attempts of ${webhook.id} (${partitionLabel(partition)})`);
  }

  /** One head page; the second one in plans the rest. */
  function headJob(partition: Partition): Job {
    return async () => {
      headPages.set(partition.successful, await fetchPage({ partition, pagesRead: 0 }, true));
      if (headPages.size === heads.length) planFromHeads();
    };
  }

  /**
   * The heads are the newest page of each outcome (unfiltered, or of the one eventType), folded newest
   * first across both. What they show plans the chains still to page and starts the events listing.
   */
  function planFromHeads(): void {
    // A type either probe shows gets a partition for both outcomes: its other outcome may be older than
    // the other probe's page.
    const knownTypes = new Set<string>(EVENT_TYPES);
    for (const page of headPages.values()) for (const attempt of page?.data ?? []) knownTypes.add(attempt.eventType);
    const inWindow: { attempt: WebhookAttempt; ms: number; whole: boolean }[] = [];
    const work: Chain[] = [];
    const chain = (partition: Partition, rate: number, cursor?: string): Chain => ({
      partition,
      ...(cursor === undefined ? { pagesRead: 0 } : { cursor, pagesRead: 1 }),
      rate,
      inFlight: false,
      ended: false,
    });
    for (const partition of heads) {
      const page = headPages.get(partition.successful);
      if (!page) {
        // Without the probe, still page the known types: the recorded failure already says what is unknown.
        if (!outOfTime && options.eventType === undefined) {
          for (const typed of typedPartitions(knownTypes, [partition.successful])) work.push(chain(typed, 0));
        }
        continue;
      }
      headRead.add(partition.successful);
      let reachedSince = false;
      const typeCounts = new Map<string, number>();
      let newestMs = Number.NEGATIVE_INFINITY;
      let oldestMs = Number.POSITIVE_INFINITY;
      for (const attempt of page.data) {
        if (!belongsTo(partition, attempt)) continue;
        const ms = timestampMillis(attempt.attemptedAt);
        if (sinceMs !== undefined && ms < sinceMs) {
          reachedSince = true;
          olderThanSince = true;
          continue;
        }
        inWindow.push({ attempt, ms, whole: false });
        typeCounts.set(attempt.eventType, (typeCounts.get(attempt.eventType) ?? 0) + 1);
        newestMs = Math.max(newestMs, ms);
        oldestMs = Math.min(oldestMs, ms);
      }
      const whole = reachedSince || !page.hasMore || !page.nextCursor;
      // The head page is the newest slice of this outcome: a type's share of it over the time it spans
      // estimates how fast that chain's history accrues, hence its length (the same history for all).
      const span = Math.max(1, newestMs - oldestMs);
      const rateOf = (eventType: string) => (typeCounts.get(eventType) ?? 0) / span;
      if (whole) {
        wholeOutcome.add(partition.successful);
        for (const entry of inWindow) if (entry.attempt.successful === partition.successful) entry.whole = true;
      } else if (options.eventType !== undefined) {
        work.push(chain(partition, rateOf(options.eventType), page.nextCursor as string));
      } else {
        for (const typed of typedPartitions(knownTypes, [partition.successful]))
          work.push(chain(typed, rateOf(typed.eventType ?? "")));
      }
    }
    headPages.clear();
    inWindow.sort(newestFirst);
    for (const { attempt, ms, whole } of inWindow) {
      if (!fold(attempt, ms)) {
        // The cap cut a head page: its outcome was not read through after all.
        wholeOutcome.delete(attempt.successful);
        continue;
      }
      // Typed partitions will page this attempt again; an eventType head continues past it instead.
      if (!whole && options.eventType === undefined) fromProbe.add(attempt.id);
    }
    if (headRead.size > 0) reportProgress(heads[0] as Partition);
    chains = work.sort(longestFirst);
    startListing();
    settleAttempts();
  }

  /**
   * Starts the events listing when some candidate type can still be judged: each outcome either read in
   * full by its head or still to be paged by a chain, and room left under the cap to page it.
   */
  function startListing(): void {
    if (!options.events || eventsFromMs() > eventsToMs) return;
    const planned = new Set(chains.map((c) => chainKey(c.partition.eventType ?? "", c.partition.successful)));
    const roomLeft = scanned < maxAttempts;
    const judgeable = candidates.filter((type) =>
      SUCCESS_FLAGS.every((flag) => wholeOutcome.has(flag) || (roomLeft && planned.has(chainKey(type, flag)))),
    );
    if (judgeable.length === 0) return;
    listing = startEventListing({
      source: options.events,
      types: judgeable,
      fromMs: eventsFromMs(undefined, EVENT_LEAD_MS),
      toMs: eventsToMs,
      concurrency: options.concurrency,
      attempted: (eventId, eventType) => aggregator.attempted(eventId, eventType),
      requestSignal,
      budgetSignal: budget.signal,
      clientSignal,
    });
  }

  /** Once no chain is left, the judged types and the window are known: the listing reads only those. */
  function settleAttempts(): void {
    if (attemptsRead || chains.some((c) => !c.ended)) return;
    attemptsRead = true;
    // From an hour before: the oldest attempted events were created before their first attempt.
    listing?.narrow(candidates.filter(countEventsOf), eventsFromMs(oldestScanned(), EVENT_LEAD_MS));
  }

  /** The next page of the longest chain not waiting on one, if the cap leaves room for it. */
  function nextChainPage(): Job | undefined {
    const head = headsToAsk.shift();
    if (head) return headJob(head);
    const next = chains.find((c) => !c.inFlight && !c.ended);
    if (!next) return undefined;
    if (budgetSpent()) {
      for (const c of chains) if (!c.inFlight) c.ended = true;
      settleAttempts();
      return undefined;
    }
    next.inFlight = true;
    return async () => {
      const page = await fetchPage(next, false);
      next.inFlight = false;
      if (page) readChainPage(next, page);
      else next.ended = true;
      settleAttempts();
    };
  }

  function readChainPage(chain: Chain, page: Page<WebhookAttempt>): void {
    const { partition } = chain;
    chain.pagesRead++;
    const end = consume(partition, page.data);
    reportProgress(partition);
    if (end === "capped") {
      chain.ended = true;
    } else if (end === "since" || !page.hasMore || !page.nextCursor) {
      readThrough.add(chainKey(partition.eventType ?? "", partition.successful));
      chain.ended = true;
    } else if (budgetSpent()) {
      // More pages exist in the window; with the cap spent that is exactly an incomplete scan.
      chain.ended = true;
    } else {
      chain.cursor = page.nextCursor;
    }
  }

  // The events' first page goes before the chains: the rest of the listing is planned from it.
  try {
    await runPool(options.concurrency, () => listing?.headPage() ?? nextChainPage() ?? listing?.nextPage());
    clientSignal.throwIfAborted();
  } finally {
    budget.dispose();
  }

  const summary = aggregator.result(countEventsOf);
  // Attempt times are Exa's: recent means within the retry reach before Exa's clock, not ours, and not after it.
  const judgedAt = exaNow();
  return assembleDiagnosis({
    webhook,
    ...(since ? { since } : {}),
    ...(options.eventType !== undefined ? { eventType: options.eventType } : {}),
    cut: { capped, maxAttempts, outOfTime, scanned, headRead, failures, olderThanSince },
    summary,
    neverAttempted: neverAttemptedFound(),
    undelivered: aggregator.undelivered(countEventsOf, {
      keep,
      expiredBeforeMs: nowMs - EVENT_RETENTION_MS,
      recentFromMs: judgedAt - (options.retrySchedule ? retryReachMs(options.retrySchedule) : RETRYING_MS),
      recentUntilMs: judgedAt + CLOCK_SKEW_ALLOWANCE_MS,
    }),
    ...(options.retrySchedule ? { retrySchedule: options.retrySchedule } : {}),
    oldestScannedMs,
    eventLeadMs: EVENT_LEAD_MS,
    retainedFromMs: nowMs - EVENT_RETENTION_MS,
  });

  /** The never-attempted check, for the subscribed types whose attempts were read in full. */
  function neverAttemptedFound(): NeverAttemptedFound {
    if (!options.events) return { check: { kind: "off" } };
    const judged = candidates.filter(countEventsOf);
    const unjudgedTypes = candidates.filter((type) => !countEventsOf(type));
    const fromMs = eventsFromMs(oldestScanned());
    if (candidates.length === 0 || fromMs > eventsToMs) return { check: { kind: "empty" } };
    // No listing means startListing() saw that no type could be judged, and none was.
    if (judged.length === 0 || !listing) return { check: { kind: "unjudged", unjudgedTypes } };
    const window = { fromMs, leadFromMs: eventsFromMs(oldestScanned(), EVENT_LEAD_MS) };
    const found = listing.result(judged, window, keep);
    return {
      check: {
        kind: "listed",
        from: new Date(found.fromMs).toISOString(),
        to: new Date(eventsToMs).toISOString(),
        types: judged,
        unjudgedTypes,
        listed: found.listed,
      },
      found,
    };
  }
}
