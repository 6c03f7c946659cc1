// The never-attempted check: pages GET /v0/events for the webhook's subscribed types over a window and
// counts the events no scanned attempt carries (the aggregate's per-event state answers "attempted?").
// I/O only through the injected page source, under the scan's signals and concurrency cap.
//
// Events are account-wide and newest first, filtered by types and an inclusive createdAfter/createdBefore.
// One cursor chain over a long window would be one request after another, so the first page (the newest
// slice, also the whole answer for a quiet webhook) estimates how many pages the rest holds, and the rest of
// the window is cut into disjoint time slices paged concurrently. Each event is kept only inside the range
// its slice asked for (checked here too, so overlapping server answers cannot count an event twice).
import type { Page } from "../exa/schemas.js";
import { errorMessage, runWithConcurrency, unlessAborted } from "./pool.js";
import { timestampMillis } from "./timestamps.js";
import type { CutCause } from "./types.js";

/** Exa's maximum page size. */
export const EVENTS_PAGE_LIMIT = 200;
/** Slices per lane at most: spare slices even out uneven density, each costs at most one extra request. */
const SLICES_PER_LANE = 4;

export interface EventsQuery {
  types: string[];
  /** Inclusive ISO bounds. */
  createdAfter: string;
  createdBefore: string;
  limit: number;
  cursor?: string;
}

/** What the check reads of an event. */
export interface ListedEvent {
  id: string;
  type: string;
  createdAt: string;
}

/** One page of GET /v0/events, newest first (the Exa client, with its own retries). */
export type EventPageSource = (query: EventsQuery, signal: AbortSignal) => Promise<Page<ListedEvent>>;

export interface NeverAttemptedOptions {
  source: EventPageSource;
  types: readonly string[];
  /** Inclusive epoch-ms bounds on createdAt. */
  fromMs: number;
  toMs: number;
  concurrency: number;
  /** Ids kept, newest first. */
  keep: number;
  attempted(eventId: string, eventType: string): boolean;
  /** Aborts every request: the client's cancellation or the budget. */
  requestSignal: AbortSignal;
  /** Aborted when the time budget ran out. */
  budgetSignal: AbortSignal;
  /** The client's cancellation: rethrown. */
  clientSignal: AbortSignal;
}

export interface NeverAttemptedResult {
  /** Events of the types in the window (each once). */
  listed: number;
  /** Of those, the ones no attempt carries. */
  count: number;
  /** At most `keep`, newest first (ties by id). */
  ids: string[];
  /** eventsCut causes: the count is a lower bound. */
  causes: CutCause[];
}

interface Slice {
  fromMs: number;
  toMs: number;
}

const iso = (ms: number) => new Date(ms).toISOString();

export async function listNeverAttempted(options: NeverAttemptedOptions): Promise<NeverAttemptedResult> {
  const types = [...options.types];
  const typeSet = new Set(types);
  let listed = 0;
  let count = 0;
  let kept: { id: string; ms: number }[] = [];
  let outOfTime = false;
  let failure: string | undefined;
  /** The first page's ids: the slice after it starts at its oldest instant, which it may repeat. */
  const headIds = new Set<string>();

  const byNewest = (a: { id: string; ms: number }, b: { id: string; ms: number }) =>
    b.ms - a.ms || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

  function take(page: Page<ListedEvent>, slice: Slice, head: boolean): void {
    for (const event of page.data) {
      const ms = timestampMillis(event.createdAt);
      if (ms < slice.fromMs || ms > slice.toMs || !typeSet.has(event.type)) continue;
      if (head) headIds.add(event.id);
      else if (headIds.has(event.id)) continue;
      listed++;
      if (options.attempted(event.id, event.type)) continue;
      count++;
      kept.push({ id: event.id, ms });
      if (kept.length >= options.keep * 2 + 16) kept = kept.sort(byNewest).slice(0, options.keep);
    }
  }

  async function fetchPage(slice: Slice, cursor: string | undefined): Promise<Page<ListedEvent> | undefined> {
    options.clientSignal.throwIfAborted();
    if (options.budgetSignal.aborted) {
      outOfTime = true;
      return undefined;
    }
    const query: EventsQuery = {
      types,
      createdAfter: iso(slice.fromMs),
      createdBefore: iso(slice.toMs),
      limit: EVENTS_PAGE_LIMIT,
    };
    if (cursor !== undefined) query.cursor = cursor;
    try {
      return await unlessAborted(options.source(query, options.requestSignal), options.requestSignal);
    } catch (error) {
      options.clientSignal.throwIfAborted();
      if (options.budgetSignal.aborted) outOfTime = true;
      else failure ??= errorMessage(error);
      return undefined;
    }
  }

  /** Follows one slice's cursor chain to its end (or the first page that cannot be read). */
  async function pageSlice(slice: Slice, cursor?: string): Promise<void> {
    let next = cursor;
    do {
      const page = await fetchPage(slice, next);
      if (!page) return;
      take(page, slice, false);
      next = page.hasMore && page.nextCursor ? page.nextCursor : undefined;
    } while (next !== undefined);
  }

  const window: Slice = { fromMs: options.fromMs, toMs: options.toMs };
  const head = await fetchPage(window, undefined);
  if (head) {
    take(head, window, true);
    if (head.hasMore && head.nextCursor) {
      const shown = head.data.map((event) => timestampMillis(event.createdAt)).filter((ms) => ms >= window.fromMs);
      if (shown.length === 0) {
        // Nothing dated in the window on a full page: no estimate, so follow the one chain.
        await pageSlice(window, head.nextCursor);
      } else {
        await runWithConcurrency(
          restOfWindow(window, Math.min(...shown), shown.length, options.concurrency),
          options.concurrency,
          (slice) => pageSlice(slice),
        );
      }
    }
  }

  const causes: CutCause[] = [];
  if (outOfTime) causes.push({ kind: "eventsCut", reason: "budget", listed });
  if (failure !== undefined) causes.push({ kind: "eventsCut", reason: "failed", listed, error: failure });
  return {
    listed,
    count,
    ids: kept
      .sort(byNewest)
      .slice(0, options.keep)
      .map((event) => event.id),
    causes,
  };
}

/**
 * The window older than the first page, as disjoint slices from newest to oldest: as many as its estimated
 * pages (the first page's density over its span), at most SLICES_PER_LANE per lane. The newest slice ends
 * at the first page's oldest instant, inclusive: events there may not all have fit on the page.
 */
function restOfWindow(window: Slice, oldestShownMs: number, shown: number, concurrency: number): Slice[] {
  const restMs = oldestShownMs - window.fromMs + 1;
  const headMs = Math.max(1, window.toMs - oldestShownMs + 1);
  const pages = Math.ceil((shown * restMs) / headMs / EVENTS_PAGE_LIMIT);
  const count = Math.max(1, Math.min(pages, SLICES_PER_LANE * Math.max(1, Math.floor(concurrency)), restMs));
  const slices: Slice[] = [];
  for (let i = 0; i < count; i++) {
    const toMs = oldestShownMs - Math.floor((i * restMs) / count);
    const fromMs = oldestShownMs - Math.floor(((i + 1) * restMs) / count) + 1;
    slices.push({ fromMs, toMs });
  }
  return slices;
}
