// The never-attempted check: pages GET /v0/events for the webhook's subscribed types over a window and counts
// the events no scanned attempt carries. Design: docs/architecture.md, "Diagnosis engine".
import type { Page } from "../exa/schemas.js";
import { errorMessage, type Job, requestSignals, unlessAborted } from "../net/pool.js";
import { timestampMillis } from "./timestamps.js";
import type { CutCause } from "./types.js";

/** Exa's maximum page size. */
export const EVENTS_PAGE_LIMIT = 200;
/** Slices per lane at most: each split costs at most one extra (partial) page. */
const SLICES_PER_LANE = 8;
/** A slice is split only when both halves are likely to fill a page. */
const MIN_SPLIT_PAGES = 2;

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

export interface EventListingOptions {
  source: EventPageSource;
  /** The types that may be judged. */
  types: readonly string[];
  /** Inclusive epoch-ms bounds on createdAt: the widest window the check can end up with. */
  fromMs: number;
  toMs: number;
  /** Lanes of the pool: bounds how many slices the window is cut into. */
  concurrency: number;
  /** Some attempt scanned so far carries this event. */
  attempted(eventId: string, eventType: string): boolean;
  /** Aborts every request: the client's cancellation or the budget. */
  requestSignal: AbortSignal;
  /** Aborted when the time budget ran out. */
  budgetSignal: AbortSignal;
  /** The client's cancellation: rethrown. */
  clientSignal: AbortSignal;
}

export interface EventListing {
  /** The first page while nobody has asked for it: the scan gives it a slot before its chains. */
  headPage(): Job | undefined;
  /** The next page to read: a slice between pages, else a new slice split off the one with the most left. */
  nextPage(): Job | undefined;
  /**
   * The attempts are read: only `types`, from `fromMs` on, can still count, so nothing older is read and
   * new slices ask for those types only. No types (or an empty window): the listing stops.
   */
  narrow(types: readonly string[], fromMs: number): void;
  /**
   * What the listing found of `types` from `window.fromMs` on, with at most `keep` ids. The window reaches
   * back into [leadFromMs, fromMs) as far as the oldest event an attempt carries there: an event is created
   * before its first attempt, so a window starting at the oldest attempt would leave that event out.
   */
  result(types: readonly string[], window: EventsWindow, keep: number): NeverAttemptedResult;
}

/** Epoch ms: the window starts at fromMs, or earlier, down to leadFromMs, for events that were attempted. */
export interface EventsWindow {
  fromMs: number;
  leadFromMs: number;
}

export interface NeverAttemptedResult {
  /** Where the window starts: fromMs, or the oldest attempted event before it. */
  fromMs: number;
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
  /** Inclusive bounds of what the slice covers; a split raises fromMs (the older part is a slice of its own). */
  fromMs: number;
  toMs: number;
  /** The query its cursor belongs to, fixed by its first page. */
  query?: EventsQuery;
  cursor?: string;
  /** The oldest instant read so far (toMs before the first page): [fromMs, reachedMs] is what is left. */
  reachedMs: number;
  /** The newest instant read, and how many events were read down to reachedMs: the slice's own density. */
  newestMs: number;
  read: number;
  /** Events per ms of the slice it was split from, until it has read some of its own. */
  inheritedDensity: number;
  inFlight: boolean;
  done: boolean;
}

/** An event no attempt carried when it was listed; `type` indexes the listing's types. */
interface Unmatched {
  id: string;
  type: number;
  ms: number;
  /** Its index in the listed arrays. */
  listed: number;
}

const iso = (ms: number) => new Date(ms).toISOString();

const byNewest = (a: Unmatched, b: Unmatched) => b.ms - a.ms || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export function startEventListing(options: EventListingOptions): EventListing {
  const types = [...new Set(options.types)];
  const typeIndex = new Map(types.map((type, index) => [type, index]));
  /** What new slices ask for; narrow() drops the types that cannot be judged. */
  let queryTypes = types;
  /** Per type index: still counted (narrow() turns the unjudged ones off). */
  const counted = types.map(() => true);
  const maxSlices = SLICES_PER_LANE * Math.max(1, Math.floor(options.concurrency));
  // Stops this listing's own requests when narrow() finds nothing left to judge.
  const stop = new AbortController();
  const openRequest = requestSignals(AbortSignal.any([options.requestSignal, stop.signal]));
  const head: Slice = newSlice(options.fromMs, options.toMs);
  const slices: Slice[] = [head];
  let headAsked = false;
  // Every listed event of a counted type, in arrival order: its type index and instant.
  const listedType: number[] = [];
  const listedMs: number[] = [];
  /** Per listed event: no attempt carried it when listed (its Unmatched entry is asked again at the end). */
  const listedUnmatched: boolean[] = [];
  const unmatched: Unmatched[] = [];
  let outOfTime = false;
  let failure: string | undefined;

  function newSlice(fromMs: number, toMs: number, inheritedDensity = 0): Slice {
    const done = fromMs > toMs;
    return { fromMs, toMs, reachedMs: toMs, newestMs: toMs, read: 0, inheritedDensity, inFlight: false, done };
  }

  /**
   * Events per ms where the slice has read, over the span its events cover (a quiet stretch above them
   * says nothing of the rest); inherited until then. Density varies over an account's history, so each
   * slice goes by what it saw itself.
   */
  function densityOf(slice: Slice): number {
    return slice.read > 0 ? slice.read / (slice.newestMs - slice.reachedMs + 1) : slice.inheritedDensity;
  }

  /** Pages the slice still holds, by its density. */
  function pagesLeft(slice: Slice): number {
    return ((slice.reachedMs - slice.fromMs + 1) * densityOf(slice)) / EVENTS_PAGE_LIMIT;
  }

  function take(page: Page<ListedEvent>, slice: Slice): void {
    let older = false;
    for (const event of page.data) {
      const ms = timestampMillis(event.createdAt);
      if (ms < slice.fromMs) {
        older = true;
        continue;
      }
      if (ms > slice.toMs) continue;
      if (slice.read++ === 0) slice.newestMs = ms;
      slice.reachedMs = Math.min(slice.reachedMs, ms);
      const type = typeIndex.get(event.type);
      if (type === undefined || !counted[type]) continue;
      const unattempted = !options.attempted(event.id, event.type);
      if (unattempted) unmatched.push({ id: event.id, type, ms, listed: listedType.length });
      listedType.push(type);
      listedMs.push(ms);
      listedUnmatched.push(unattempted);
    }
    // Newest first: a page that reached below the slice holds the last of it.
    slice.done ||= older || !page.hasMore || !page.nextCursor;
    if (page.nextCursor) slice.cursor = page.nextCursor;
  }

  async function fetchPage(slice: Slice): Promise<Page<ListedEvent> | undefined> {
    options.clientSignal.throwIfAborted();
    if (options.budgetSignal.aborted) {
      outOfTime = true;
      return undefined;
    }
    slice.query ??= {
      types: queryTypes,
      createdAfter: iso(slice.fromMs),
      createdBefore: iso(slice.toMs),
      limit: EVENTS_PAGE_LIMIT,
    };
    const query = slice.cursor === undefined ? slice.query : { ...slice.query, cursor: slice.cursor };
    const request = openRequest();
    try {
      return await unlessAborted(options.source(query, request.signal), request.signal);
    } catch (error) {
      options.clientSignal.throwIfAborted();
      if (stop.signal.aborted) return undefined;
      if (options.budgetSignal.aborted) outOfTime = true;
      else failure ??= errorMessage(error);
      return undefined;
    } finally {
      request.release();
    }
  }

  function pageOf(slice: Slice): Job {
    slice.inFlight = true;
    return async () => {
      const page = await fetchPage(slice);
      slice.inFlight = false;
      if (page) take(page, slice);
      else slice.done = true;
    };
  }

  /** Splits the slice with the most left: it keeps the newer half, the older half is returned. */
  function split(): Slice | undefined {
    if (slices.length >= maxSlices) return undefined;
    let widest: Slice | undefined;
    for (const slice of slices) if (!slice.done && (!widest || pagesLeft(slice) > pagesLeft(widest))) widest = slice;
    if (!widest || pagesLeft(widest) < MIN_SPLIT_PAGES || widest.reachedMs <= widest.fromMs) return undefined;
    const middleMs = widest.fromMs + Math.ceil((widest.reachedMs - widest.fromMs) / 2);
    const older = newSlice(widest.fromMs, middleMs - 1, densityOf(widest));
    widest.fromMs = middleMs;
    slices.push(older);
    return older;
  }

  function headPage(): Job | undefined {
    if (headAsked) return undefined;
    headAsked = true;
    return pageOf(head);
  }

  return {
    headPage,

    nextPage() {
      if (!headAsked) return headPage();
      let ready: Slice | undefined;
      for (const slice of slices) {
        if (slice.done || slice.inFlight) continue;
        if (!ready || pagesLeft(slice) > pagesLeft(ready)) ready = slice;
      }
      const slice = ready ?? split();
      return slice ? pageOf(slice) : undefined;
    },

    narrow(judged, fromMs) {
      const keep = new Set(judged);
      if (keep.size === 0 || fromMs > options.toMs) {
        for (const slice of slices) slice.done = true;
        headAsked = true;
        stop.abort();
        return;
      }
      types.forEach((type, index) => {
        counted[index] = keep.has(type);
      });
      queryTypes = types.filter((type) => keep.has(type));
      for (const slice of slices) {
        slice.fromMs = Math.max(slice.fromMs, fromMs);
        if (slice.fromMs > slice.reachedMs) slice.done = true;
      }
    },

    result(judged, window, keep) {
      const judgedIndex = types.map((type) => judged.includes(type));
      // An event listed before the attempt that carries it was scanned: attempted after all.
      const stillUnattempted: Unmatched[] = [];
      const attemptedLate = new Set<number>();
      for (const event of unmatched) {
        if (options.attempted(event.id, types[event.type] as string)) attemptedLate.add(event.listed);
        else stillUnattempted.push(event);
      }
      let fromMs = window.fromMs;
      for (let i = 0; i < listedType.length; i++) {
        const ms = listedMs[i] as number;
        const attempted = !listedUnmatched[i] || attemptedLate.has(i);
        if (attempted && ms < fromMs && ms >= window.leadFromMs && judgedIndex[listedType[i] as number]) fromMs = ms;
      }
      let listed = 0;
      for (let i = 0; i < listedType.length; i++) {
        if (judgedIndex[listedType[i] as number] && (listedMs[i] as number) >= fromMs) listed++;
      }
      const missed = stillUnattempted.filter((event) => judgedIndex[event.type] && event.ms >= fromMs);
      const causes: CutCause[] = [];
      if (outOfTime) causes.push({ kind: "eventsCut", reason: "budget", listed });
      if (failure !== undefined) causes.push({ kind: "eventsCut", reason: "failed", listed, error: failure });
      return {
        fromMs,
        listed,
        count: missed.length,
        ids: missed
          .sort(byNewest)
          .slice(0, keep)
          .map((event) => event.id),
        causes,
      };
    },
  };
}
