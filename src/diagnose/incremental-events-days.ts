// Where the never-attempted check's remembered events (incremental-events.ts) live: per webhook and UTC day one
// stored segment (event type "*@<day>", outcome "events") with that day's events and covered spans, under an
// index (event type "*") that lists the days, so new events rewrite only their own days, not 100k events.
// The index's newestAttemptId holds the write id of its last save: while the store still names it, this
// process's decoded copy (incremental-kept.ts) is used and nothing is read back. The one blob written before
// days (formats 1 and 2 at the index's key) is still read, and replaced by days at the next save.
import { dayName } from "./incremental-days.js";
import { RememberedEvents } from "./incremental-events.js";
import type { HistoryPlace } from "./incremental-history.js";
import { KeptScans, keptKey, newWriteId } from "./incremental-kept.js";

const INDEX_VERSION = 3;

interface EventDaysIndex {
  v: typeof INDEX_VERSION;
  webhookCreatedAt: string | null;
  /** Newest first. */
  days: string[];
}

interface KeptEvents {
  events: RememberedEvents;
  /** The webhook's createdAt they were listed for: another webhook under the same id starts over. */
  createdAt: string | null;
}

export interface LoadedEvents {
  events: RememberedEvents;
  /** The write id the store named when they were loaded ("" or undefined: none). */
  writeId: string | undefined;
}

const keptEvents = new KeptScans<KeptEvents>();

const eventsKey = (place: HistoryPlace, day?: string) => ({
  account: place.account,
  webhookId: place.webhookId,
  eventType: day === undefined ? "*" : `*@${day}`,
  outcome: "events",
});

/** The remembered events: this process's copy while the store names its write id, else the store's. */
export async function loadEvents(place: HistoryPlace, createdAt: string | null): Promise<LoadedEvents> {
  const head = await place.history.getCheckpointHead(eventsKey(place));
  const writeId = head?.newestAttemptId;
  const kept = keptEvents.take(keptKey(place), writeId);
  if (kept && kept.createdAt === createdAt) {
    kept.events.startCall();
    return { events: kept.events, writeId };
  }
  const stored = await place.history.getCheckpoint(eventsKey(place));
  const index = stored?.aggregate as Partial<EventDaysIndex> | undefined;
  if (index?.v !== INDEX_VERSION) {
    // The blob before days (or nothing): every day is written at the next save.
    const events = RememberedEvents.fromStored(stored ? [stored.aggregate] : [], createdAt);
    events.changedDays = undefined;
    return { events, writeId: stored?.newestAttemptId };
  }
  if (index.webhookCreatedAt !== createdAt || !Array.isArray(index.days))
    return { events: new RememberedEvents(), writeId: undefined };
  const segments: unknown[] = [];
  for (const day of index.days) {
    const segment = await place.history.getCheckpoint(eventsKey(place, String(day)));
    // A day missing (a store cut short): start over, a full listing says it right.
    if (!segment) return { events: new RememberedEvents(), writeId: undefined };
    segments.push(segment.aggregate);
  }
  return { events: RememberedEvents.fromStored(segments, createdAt), writeId: stored?.newestAttemptId };
}

/** Saves the days whose events changed and the index, under a new write id, and keeps them in this process. */
export async function saveEvents(place: HistoryPlace, loaded: LoadedEvents, createdAt: string | null): Promise<void> {
  const { events } = loaded;
  let writeId = loaded.writeId;
  if (events.changed) {
    writeId = newWriteId();
    const days = [...events.storedDays()].sort((a, b) => b - a);
    for (const day of days) {
      if (events.changedDays && !events.changedDays.has(day)) continue;
      const aggregate = events.toStored(createdAt, day);
      await place.history.putCheckpoint(eventsKey(place, dayName(day)), {
        newestAttemptId: "",
        newestAttemptAt: "",
        aggregate,
      });
    }
    const index: EventDaysIndex = { v: INDEX_VERSION, webhookCreatedAt: createdAt, days: days.map(dayName) };
    await place.history.putCheckpoint(eventsKey(place), {
      newestAttemptId: writeId,
      newestAttemptAt: "",
      aggregate: index,
    });
    events.changed = false;
    events.changedDays = new Set();
  }
  if (writeId) keptEvents.put(keptKey(place), writeId, events.size, { events, createdAt });
}
