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
  const watermark = event.at > Date.parse(cursor.watermark) ? event.createdAt : cursor.watermark;
  const floor = Date.parse(watermark) - overlapMs;
  const seen = cursor.seen.filter((id) => (window.get(id) ?? Number.NEGATIVE_INFINITY) >= floor);
  if (event.at >= floor && !seen.includes(event.id)) seen.push(event.id);
  return { watermark, seen };
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
