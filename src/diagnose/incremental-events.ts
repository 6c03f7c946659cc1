// The never-attempted check's events, remembered: every event a listing page showed (id, type, createdAt) and,
// per type, the spans of time whose events were all listed. A later listing asks Exa only for what is not
// covered; a query wholly inside the covered spans is answered from memory with exactly what Exa would list
// (events are created once and never change; Exa deletes them after 60 days, so are older ones here).
import type { Page } from "../exa/schemas.js";
import { DAY_MS, dayNumber } from "./incremental-days.js";
import {
  addSpan,
  columnsOf,
  EVENTS_FORMAT_VERSION,
  type Span,
  type StoredEvents,
} from "./incremental-events-stored.js";
import { EVENTS_PAGE_LIMIT, type EventPageSource, type EventsQuery, type ListedEvent } from "./never-attempted.js";
import { SharedStrings } from "./shared-strings.js";
import { timestampMillis } from "./timestamps.js";

const MEMORY_CURSOR = "remembered:";

/** The first index of a newest-first list whose event is not newer than `ms` (binary search). */
function firstAtOrBefore(list: readonly { ms: number }[], ms: number): number {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((list[middle] as { ms: number }).ms > ms) low = middle + 1;
    else high = middle;
  }
  return low;
}

export class RememberedEvents {
  private readonly events = new Map<string, ListedEvent & { ms: number }>();
  private covered = new Map<string, Span[]>();
  /** The upper bound of the chain a cursor continues. */
  private readonly chainUpper = new Map<string, number>();
  /** Matching events per query served from memory, newest first: sorted once, then paged. */
  private readonly served = new Map<string, ListedEvent[]>();
  /** Every event, newest first (ties by id, larger first), sorted once per change: a query takes its range. */
  private newestFirst: (ListedEvent & { ms: number })[] | undefined;
  /** Each listed event's type as one instance per type (a few types over 100k events). */
  private readonly types = new SharedStrings();
  changed = false;
  /** The UTC days (dayNumber) whose events or spans changed since the last save; all of them when undefined. */
  changedDays: Set<number> | undefined = new Set();

  /**
   * Reads stored events back: one blob (the format before days), or the segments of each day, whose spans
   * join again where they touch. Empty when any is unreadable or of another webhook (then it starts over).
   */
  static fromStored(segments: readonly unknown[], webhookCreatedAt: string | null): RememberedEvents {
    const remembered = new RememberedEvents();
    for (const stored of segments) {
      const data = columnsOf(stored);
      if (!data || data.webhookCreatedAt !== webhookCreatedAt) return new RememberedEvents();
      const { types, ids, typeIndexes, createdAt, ms } = data;
      for (let i = 0; i < ids.length; i++) {
        const id = ids[i] as string;
        const type = types[typeIndexes[i] as number];
        const at = createdAt[i];
        const eventMs = ms[i] as number;
        if (typeof id !== "string" || type === undefined || typeof at !== "string" || !Number.isFinite(eventMs))
          return new RememberedEvents();
        remembered.events.set(id, { id, type, createdAt: at, ms: eventMs });
      }
      for (const [type, spans] of Object.entries(data.covered ?? {}))
        for (const span of spans) remembered.covered.set(type, addSpan(remembered.covered.get(type) ?? [], span));
    }
    return remembered;
  }

  /** The days that hold an event or a covered span: what is stored. */
  storedDays(): Set<number> {
    const days = new Set<number>();
    for (const event of this.events.values()) days.add(dayNumber(event.ms));
    for (const spans of this.covered.values())
      for (const [from, to] of spans) for (let day = dayNumber(from); day <= dayNumber(to); day++) days.add(day);
    return days;
  }

  private markChanged(fromMs: number, toMs = fromMs): void {
    this.changed = true;
    if (!this.changedDays) return;
    for (let day = dayNumber(fromMs); day <= dayNumber(toMs); day++) this.changedDays.add(day);
  }

  /** How many events are remembered. */
  get size(): number {
    return this.events.size;
  }

  /** Forgets what one call's listing built (its cursors and served queries): kept events serve the next call. */
  startCall(): void {
    this.chainUpper.clear();
    this.served.clear();
  }

  /** The stored form of every event, or of one UTC day's events and the spans within that day. */
  toStored(webhookCreatedAt: string | null, day?: number): StoredEvents {
    const types = new Map<string, number>();
    const [dayFrom, dayTo] = day === undefined ? [-Infinity, Infinity] : [day * DAY_MS, (day + 1) * DAY_MS - 1];
    const covered: Record<string, Span[]> = {};
    for (const [type, spans] of this.covered) {
      const within = spans
        .filter(([from, to]) => to >= dayFrom && from <= dayTo)
        .map(([from, to]): Span => [Math.max(from, dayFrom), Math.min(to, dayTo)]);
      if (within.length > 0 || day === undefined) covered[type] = within;
    }
    const stored: StoredEvents = {
      v: EVENTS_FORMAT_VERSION,
      webhookCreatedAt,
      types: [],
      ids: [],
      typeIndexes: [],
      createdAt: [],
      ms: [],
      covered,
    };
    for (const event of this.events.values()) {
      if (event.ms < dayFrom || event.ms > dayTo) continue;
      let index = types.get(event.type);
      if (index === undefined) {
        index = types.size;
        types.set(event.type, index);
      }
      stored.ids.push(event.id);
      stored.typeIndexes.push(index);
      stored.createdAt.push(event.createdAt);
      stored.ms.push(event.ms);
    }
    stored.types = [...types.keys()];
    return stored;
  }

  /** Forgets what Exa deleted: events created before `ms`, and the spans before it. */
  dropOlderThan(ms: number): void {
    for (const [id, event] of this.events) {
      if (event.ms >= ms) continue;
      this.events.delete(id);
      this.newestFirst = undefined;
      this.markChanged(event.ms);
    }
    for (const [type, spans] of this.covered) {
      if (!spans.some(([from]) => from < ms)) continue;
      const kept = spans.filter(([, to]) => to >= ms).map(([from, to]): Span => [Math.max(from, ms), to]);
      this.covered.set(type, kept);
      // Only the day of `ms` keeps a clipped span; the days before it leave the index.
      this.markChanged(ms);
    }
  }

  private isCovered(types: readonly string[], from: number, to: number): boolean {
    return types.every((type) => (this.covered.get(type) ?? []).some(([a, b]) => a <= from && to <= b));
  }

  /**
   * Lists from Exa what was created after the spans of `types` (all of them) up to `toMs`, so that a listing
   * ending there is answered from memory: run beside the store's reads rather than paged during the scan.
   * Nothing when a type has no span yet (a full listing reads it). Never rejects: a failed page leaves the
   * gap to the scan's listing, which asks Exa again and reports what fails.
   */
  async readNewer(exa: EventPageSource, types: readonly string[], toMs: number, signal: AbortSignal): Promise<void> {
    let fromMs = Number.POSITIVE_INFINITY;
    for (const type of types) {
      // Sorted and disjoint: the last span ends highest.
      const top = this.covered.get(type)?.at(-1)?.[1];
      if (top === undefined) return;
      fromMs = Math.min(fromMs, top + 1);
    }
    if (!(fromMs <= toMs)) return;
    const source = this.source(exa);
    const query: EventsQuery = {
      types: [...types],
      createdAfter: new Date(fromMs).toISOString(),
      createdBefore: new Date(toMs).toISOString(),
      limit: EVENTS_PAGE_LIMIT,
    };
    try {
      for (let cursor: string | undefined; ; ) {
        const page = await source(cursor === undefined ? query : { ...query, cursor }, signal);
        if (!page.hasMore || !page.nextCursor) return;
        cursor = page.nextCursor;
      }
    } catch {
      // Left to the scan's listing (and a cancellation to the scan, which checks the same signal).
    }
  }

  /** The listing's events source: from memory where every event is known, else from Exa, remembering it. */
  source(exa: EventPageSource): EventPageSource {
    return async (query, signal) => {
      const from = timestampMillis(query.createdAfter);
      const to = timestampMillis(query.createdBefore);
      if (query.cursor?.startsWith(MEMORY_CURSOR))
        return this.page(query, from, to, Number(query.cursor.slice(MEMORY_CURSOR.length)));
      if (query.cursor === undefined && this.isCovered(query.types, from, to)) return this.page(query, from, to, 0);
      const page = await exa(query, signal);
      this.learn(query, page, from, to);
      return page;
    };
  }

  private page(query: EventsQuery, from: number, to: number, offset: number): Page<ListedEvent> {
    const key = `${[...query.types].sort().join(",")}|${from}|${to}`;
    let matching = this.served.get(key);
    if (!matching) {
      const types = new Set(query.types);
      this.newestFirst ??= [...this.events.values()].sort(
        (a, b) => b.ms - a.ms || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0),
      );
      const all = this.newestFirst;
      // Served as kept (with their `ms`, which the listing ignores): no copy of 100k events per query.
      matching = [];
      for (let i = firstAtOrBefore(all, to); i < all.length && (all[i]?.ms as number) >= from; i++) {
        const event = all[i] as ListedEvent & { ms: number };
        if (types.has(event.type)) matching.push(event);
      }
      this.served.set(key, matching);
    }
    const end = offset + query.limit;
    const hasMore = end < matching.length;
    return {
      data: matching.slice(offset, end),
      hasMore,
      nextCursor: hasMore ? `${MEMORY_CURSOR}${end}` : null,
    };
  }

  /** Keeps the page's events, and marks as covered the span this chain has now read in full. */
  private learn(query: EventsQuery, page: Page<ListedEvent>, from: number, to: number): void {
    const upper = query.cursor === undefined ? to : this.chainUpper.get(query.cursor);
    let oldest = Number.POSITIVE_INFINITY;
    for (const event of page.data) {
      const ms = timestampMillis(event.createdAt);
      if (!Number.isFinite(ms)) continue;
      oldest = Math.min(oldest, ms);
      if (!this.events.has(event.id)) {
        this.events.set(event.id, { id: event.id, type: this.types.of(event.type), createdAt: event.createdAt, ms });
        this.newestFirst = undefined;
        this.markChanged(ms);
      }
    }
    if (upper === undefined) return;
    const more = page.hasMore && !!page.nextCursor;
    // Events at the oldest instant may continue on the next page: that instant is covered only by it.
    const span: Span | undefined = !more ? [from, upper] : Number.isFinite(oldest) ? [oldest + 1, upper] : undefined;
    if (more && page.nextCursor && Number.isFinite(oldest)) this.chainUpper.set(page.nextCursor, oldest);
    if (!span) return;
    for (const type of query.types) this.covered.set(type, addSpan(this.covered.get(type) ?? [], span));
    this.markChanged(span[0], span[1]);
  }
}
