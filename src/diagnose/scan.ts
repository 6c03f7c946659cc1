// Pages one webhook's delivery attempts through an injected page source and folds them into a diagnosis.
// The only I/O of src/diagnose/ happens here, through `source`; everything else is pure.
//
// Partitioning: attempts are split into disjoint (eventType × successful) cursor chains paged concurrently.
// The types are ALL 19 valid event types, not the webhook's current subscription: attempts of a type the
// webhook has since dropped are still history, and partitioning by the subscription would silently lose
// them. An empty partition costs one request; that is the price of never missing a type. A probe runs
// first: one unfiltered page per success flag. If that page already holds the whole window for its flag,
// it IS the result for that flag (the common small webhook costs 2 requests); otherwise any type outside
// the 19 that it shows gets a partition too.
import { setMaxListeners } from "node:events";
import { EVENT_TYPES } from "../exa/event-types.js";
import type { Page, Webhook, WebhookAttempt } from "../exa/schemas.js";
import { createAttemptAggregator } from "./aggregate.js";
import { joinReasons, sinceReason } from "./coverage.js";
import { belongsTo, type Partition, partitionLabel, SUCCESS_FLAGS, typedPartitions } from "./partitions.js";
import { runWithConcurrency } from "./pool.js";
import { timestampMillis } from "./timestamps.js";
import type { WebhookDiagnosis } from "./types.js";
import { judgeVerdict } from "./verdict.js";

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
  webhook: Pick<Webhook, "id" | "url" | "status">;
  source: AttemptPageSource;
  /**
   * Inclusive lower bound on attemptedAt. Reaching it ends a partition; when older attempts exist the
   * diagnosis is incomplete (the window was read in full, the history was not).
   */
  since?: Date;
  /** Restrict the scan to one event type. */
  eventType?: string;
  /**
   * Extra types to partition over, on top of the 19 valid ones that are always covered (types outside
   * those are found by the probe). Not needed for correctness; the webhook's `events` add nothing.
   */
  eventTypes?: readonly string[];
  /** Overall cap on attempts folded in, across partitions. */
  maxAttempts: number;
  /** Pages in flight at once. */
  concurrency: number;
  /** Time budget: an epoch-ms deadline or a signal that fires when time is up. */
  deadline?: number | AbortSignal;
  /** Client cancellation: stops requests promptly and rethrows the abort. */
  signal?: AbortSignal;
  onProgress?: (scanned: number, message: string) => void;
  /** The sender runs on this machine (the sandbox): loopback URLs are not a finding. */
  senderIsLocal?: boolean;
}

function deadlineSignal(deadline: number | AbortSignal | undefined): { signal: AbortSignal; dispose(): void } {
  if (deadline === undefined) return { signal: new AbortController().signal, dispose() {} };
  if (typeof deadline !== "number") return { signal: deadline, dispose() {} };
  const controller = new AbortController();
  const remaining = deadline - Date.now();
  const expire = () => controller.abort(new Error("time budget exceeded"));
  // Already past: abort now, since even a 0 ms timer would let the first requests through.
  if (remaining <= 0) expire();
  const timer = remaining > 0 ? setTimeout(expire, remaining) : undefined;
  return { signal: controller.signal, dispose: () => clearTimeout(timer) };
}

/**
 * Settles like `promise`, or rejects as soon as `signal` aborts, so a source that ignores its signal cannot
 * hold the scan hostage. The listener is removed once the request settles: racing every page against one
 * long-lived promise instead would keep every page reachable from it until the scan ends.
 */
function unlessAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export async function scanWebhookAttempts(options: ScanOptions): Promise<WebhookDiagnosis> {
  const { webhook, source, since, onProgress } = options;
  const clientSignal = options.signal ?? new AbortController().signal;
  clientSignal.throwIfAborted();
  const budget = deadlineSignal(options.deadline);
  const requestSignal = AbortSignal.any([clientSignal, budget.signal]);
  // Each in-flight request listens on this one signal (here and in the source): that is not a leak.
  setMaxListeners(Math.max(10, options.concurrency * 4 + 10), requestSignal);
  const sinceMs = since?.getTime();
  const maxAttempts = Math.max(0, Math.floor(options.maxAttempts));
  const aggregator = createAttemptAggregator({
    webhookUrl: webhook.url,
    senderIsLocal: options.senderIsLocal ?? false,
  });

  let scanned = 0;
  let capped = false;
  let outOfTime = false;
  let olderThanSince = false;
  const failedPartitions: string[] = [];
  /** The cap is spent: any partition that still has pages in the window makes the scan incomplete. */
  function budgetSpent(): boolean {
    if (scanned >= maxAttempts) capped = true;
    return capped;
  }

  /** Folds a page in; returns true when the partition has reached `since` (nothing older is wanted). */
  function consume(partition: Partition, attempts: readonly WebhookAttempt[]): boolean {
    let reachedSince = false;
    for (const attempt of attempts) {
      if (!belongsTo(partition, attempt)) continue;
      // Newest first, but skip-and-continue rather than break in case a page is not perfectly sorted.
      if (sinceMs !== undefined && timestampMillis(attempt.attemptedAt) < sinceMs) {
        reachedSince = true;
        olderThanSince = true;
        continue;
      }
      if (scanned >= maxAttempts) {
        capped = true;
        return true;
      }
      aggregator.add(attempt);
      scanned++;
    }
    return reachedSince;
  }

  /** One request; undefined when the partition must end (time budget or a failed page, both recorded). */
  async function fetchPage(
    partition: Partition,
    cursor: string | undefined,
    label = `the ${partitionLabel(partition)} partition`,
  ): Promise<Page<WebhookAttempt> | undefined> {
    clientSignal.throwIfAborted();
    if (budget.signal.aborted) {
      outOfTime = true;
      return undefined;
    }
    const query: AttemptsQuery = {
      webhookId: webhook.id,
      limit: ATTEMPTS_PAGE_LIMIT,
      successful: partition.successful,
    };
    if (partition.eventType !== undefined) query.eventType = partition.eventType;
    if (cursor !== undefined) query.cursor = cursor;
    try {
      return await unlessAborted(source(query, requestSignal), requestSignal);
    } catch (error) {
      clientSignal.throwIfAborted();
      if (budget.signal.aborted) outOfTime = true;
      else failedPartitions.push(`${label} failed: ${errorMessage(error)}`);
      return undefined;
    }
  }

  function reportProgress(partition: Partition): void {
    onProgress?.(scanned, `Scanned ${scanned} attempts of ${webhook.id} (${partitionLabel(partition)})`);
  }

  /** Follows one cursor chain, optionally starting from an already fetched first page. */
  async function scanPartition(partition: Partition, firstPage?: Page<WebhookAttempt>): Promise<void> {
    let page = firstPage ?? (await fetchPage(partition, undefined));
    while (page) {
      const reachedSince = consume(partition, page.data);
      reportProgress(partition);
      if (reachedSince || !page.hasMore || !page.nextCursor) return;
      // More pages exist in the window; with the cap spent that is exactly an incomplete scan.
      if (budgetSpent()) return;
      page = await fetchPage(partition, page.nextCursor);
    }
  }

  /** The probe: one unfiltered page per success flag; returns the typed partitions still to page. */
  async function probeFlag(successful: boolean, knownTypes: ReadonlySet<string>): Promise<Partition[]> {
    const probe: Partition = { successful };
    const outcome = successful ? "successful" : "failed";
    const page = await fetchPage(probe, undefined, `the unfiltered probe of ${outcome} attempts`);
    // Without the probe, still page the known types: the recorded failure already marks the scan incomplete.
    if (!page) return outOfTime ? [] : typedPartitions(knownTypes, [successful]);
    const inWindow = page.data.filter(
      (attempt) => sinceMs === undefined || timestampMillis(attempt.attemptedAt) >= sinceMs,
    );
    const wholeWindow = !page.hasMore || !page.nextCursor || inWindow.length < page.data.length;
    if (wholeWindow) {
      await scanPartition(probe, page);
      return [];
    }
    const types = new Set(knownTypes);
    for (const attempt of inWindow) if (attempt.successful === successful) types.add(attempt.eventType);
    return typedPartitions(types, [successful]);
  }

  async function planPartitions(): Promise<Partition[]> {
    if (options.eventType !== undefined) return typedPartitions([options.eventType]);
    const knownTypes = new Set<string>([...EVENT_TYPES, ...(options.eventTypes ?? [])]);
    const planned: Partition[] = [];
    await runWithConcurrency(SUCCESS_FLAGS, options.concurrency, async (successful) => {
      planned.push(...(await probeFlag(successful, knownTypes)));
    });
    // Re-interleave by type so a capped scan samples both outcomes (see typedPartitions).
    const typeOf = (partition: Partition) => partition.eventType ?? "";
    return planned.sort(
      (a, b) =>
        (typeOf(a) < typeOf(b) ? -1 : typeOf(a) > typeOf(b) ? 1 : 0) || Number(a.successful) - Number(b.successful),
    );
  }

  try {
    const partitions = await planPartitions();
    await runWithConcurrency(partitions, options.concurrency, async (partition) => {
      if (!budgetSpent()) await scanPartition(partition);
    });
  } finally {
    budget.dispose();
  }
  clientSignal.throwIfAborted();

  const reasons: string[] = [];
  if (capped) {
    reasons.push(
      `stopped at maxAttempts=${maxAttempts} with more attempts in the window; raise maxAttempts or narrow with since/eventType`,
    );
  }
  if (outOfTime) {
    reasons.push(`the time budget ran out after ${scanned} attempts; retry, or narrow with since/eventType`);
  }
  reasons.push(...failedPartitions.sort());
  if (olderThanSince && since) reasons.push(sinceReason(since));
  const incompleteReason = joinReasons(reasons);

  const summary = aggregator.result();
  const diagnosis: WebhookDiagnosis = {
    webhookId: webhook.id,
    url: webhook.url,
    status: webhook.status,
    verdict: judgeVerdict({ ...summary, status: webhook.status }),
    attemptsScanned: summary.attemptsScanned,
    failedAttempts: summary.failedAttempts,
    failureRate: summary.failureRate,
    complete: incompleteReason === undefined,
    window: summary.window,
    events: summary.events,
    groups: summary.groups,
    lastSuccessAt: summary.lastSuccessAt,
    lastFailureAt: summary.lastFailureAt,
    consecutiveFailures: summary.consecutiveFailures,
  };
  if (incompleteReason !== undefined) diagnosis.incompleteReason = incompleteReason;
  return diagnosis;
}
