// Where a listener is in the event log, taken only from events' own createdAt (never the local clock).
// The watermark is the newest createdAt handled; `seen` holds the ids handled within `overlapMs` below it.
// Each poll re-lists from watermark − overlap (createdAfter is inclusive), so an event that becomes
// listable late, with an older createdAt, is still found; `seen` keeps the ones already handled out.

export interface ListenCursor {
  /** createdAt of the newest event handled, as Exa wrote it (or just below the start, before any). */
  watermark: string;
  /** Ids handled (forwarded or found there at the start) with createdAt in [watermark − overlap, watermark]. */
  seen: string[];
}

/** An event of a page: what ordering and the cursor need, and the bytes a forward sends. */
export interface ListedEvent {
  id: string;
  type: string;
  createdAt: string;
  /** ms epoch of createdAt. */
  at: number;
  /** The event's JSON exactly as Exa returned it. */
  raw: string;
}

/** How far below the watermark each poll looks again for events that became listable late. */
export const DEFAULT_OVERLAP_MS = 60_000;

/** Ascending (createdAt, id): the order events are forwarded in, whatever order the pages came in. */
export function compareEvents(a: ListedEvent, b: ListedEvent): number {
  return a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** The createdAfter of the next poll: the watermark less the overlap. */
export function pollFrom(cursor: ListenCursor, overlapMs: number): string {
  return new Date(Date.parse(cursor.watermark) - overlapMs).toISOString();
}

/** The events of a listed window not handled yet, in forwarding order. */
export function unseenInOrder(cursor: ListenCursor, window: readonly ListedEvent[]): ListedEvent[] {
  const seen = new Set(cursor.seen);
  const fresh = new Map<string, ListedEvent>();
  // A page boundary moving under a live list can repeat an event; it is forwarded once.
  for (const event of window) if (!seen.has(event.id)) fresh.set(event.id, event);
  return [...fresh.values()].sort(compareEvents);
}

/**
 * The cursor after handling `event`. The watermark never moves back: a late event older than it is
 * remembered in `seen` only. Ids that fell below the overlap are dropped, using the createdAt known from
 * `window` (the listing the event came from, which holds every seen id still above the old floor).
 */
export function advance(
  cursor: ListenCursor,
  event: ListedEvent,
  window: ReadonlyMap<string, number>,
  overlapMs: number,
): ListenCursor {
  const trail = new CursorTrail(cursor, window, overlapMs);
  trail.advance(event);
  return trail.cursor();
}

/**
 * A cursor moved event by event through a backfill: `advance` costs O(1) amortized (the ids live in a Map
 * in the order they were handled, and those that fell below the overlap are pruned from its front), and the
 * persisted ListenCursor is built only when asked (a save), the same as `advance` would give.
 */
export class CursorTrail {
  #watermark: string;
  #watermarkAt: number;
  /** id → createdAt ms, in the order handled (a late event older than earlier ones may sit behind them). */
  readonly #seen = new Map<string, number>();
  readonly #overlapMs: number;
  #built: ListenCursor | undefined;

  /** `window`: the createdAt of every listed id (the ids of `cursor.seen` not in it are dropped). */
  constructor(cursor: ListenCursor, window: ReadonlyMap<string, number>, overlapMs: number) {
    this.#watermark = cursor.watermark;
    this.#watermarkAt = Date.parse(cursor.watermark);
    this.#overlapMs = overlapMs;
    for (const id of cursor.seen) {
      const at = window.get(id);
      if (at !== undefined) this.#seen.set(id, at);
    }
    this.#prune();
    this.#built = cursor;
  }

  has(id: string): boolean {
    return this.#seen.has(id);
  }

  /** The events of a listing not handled yet, in forwarding order (an id listed twice once). */
  unseenInOrder(events: readonly ListedEvent[]): ListedEvent[] {
    const fresh = new Map<string, ListedEvent>();
    for (const event of events) if (!this.#seen.has(event.id)) fresh.set(event.id, event);
    return [...fresh.values()].sort(compareEvents);
  }

  advance(event: ListedEvent): void {
    if (event.at > this.#watermarkAt) {
      this.#watermark = event.createdAt;
      this.#watermarkAt = event.at;
    }
    if (event.at >= this.#floor() && !this.#seen.has(event.id)) this.#seen.set(event.id, event.at);
    this.#prune();
    this.#built = undefined;
  }

  /** The cursor to persist: the watermark and the ids still within the overlap below it. */
  cursor(): ListenCursor {
    if (!this.#built) {
      const floor = this.#floor();
      const seen: string[] = [];
      for (const [id, at] of this.#seen) if (at >= floor) seen.push(id);
      this.#built = { watermark: this.#watermark, seen };
    }
    return this.#built;
  }

  #floor(): number {
    return this.#watermarkAt - this.#overlapMs;
  }

  /** Drops ids below the floor from the front; one held behind a newer id waits for `cursor()` to leave it out. */
  #prune(): void {
    const floor = this.#floor();
    for (const [id, at] of this.#seen) {
      if (at >= floor) return;
      this.#seen.delete(id);
    }
  }
}

/**
 * A fresh cursor starting at `from`: `existing` (the events listed when the listener started, at most
 * `overlapMs` below `from`) are marked seen, so the first polls' overlap does not forward what was there before.
 * Exa's Date has whole seconds: an event from the start's own second is in `existing`, and the watermark
 * moves up to it.
 */
export function startAt(from: string, existing: readonly ListedEvent[], overlapMs: number): ListenCursor {
  const at = Date.parse(from);
  const kept = existing.filter((event) => event.at >= at - overlapMs);
  const newest = kept.reduce((max, event) => (event.at > max.at ? event : max), {
    at: at - 1,
    createdAt: new Date(at - 1).toISOString(),
  });
  return { watermark: newest.createdAt, seen: kept.map((event) => event.id) };
}
