// Where the never-attempted check's remembered events (incremental-events.ts) live: one stored blob per webhook
// (outcome "events"), whose newestAttemptId holds the write id of its last save, and this process's decoded
// copy (incremental-kept.ts), used while the store still names that write id: read back only when another
// process wrote, the store was replaced, or nothing is kept here.

import { RememberedEvents } from "./incremental-events.js";
import type { HistoryPlace } from "./incremental-history.js";
import { KeptScans, newWriteId } from "./incremental-kept.js";

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

const eventsKey = (place: HistoryPlace) => ({
  account: place.account,
  webhookId: place.webhookId,
  eventType: "*",
  outcome: "events",
});
const keptKey = (place: HistoryPlace) => `${place.account}\n${place.webhookId}`;

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
  return { events: RememberedEvents.fromStored(stored?.aggregate, createdAt), writeId: stored?.newestAttemptId };
}

/** Saves the events when they changed, under a new write id, and keeps them in this process. */
export async function saveEvents(place: HistoryPlace, loaded: LoadedEvents, createdAt: string | null): Promise<void> {
  const { events } = loaded;
  let writeId = loaded.writeId;
  if (events.changed) {
    writeId = newWriteId();
    const aggregate = events.toStored(createdAt);
    await place.history.putCheckpoint(eventsKey(place), { newestAttemptId: writeId, newestAttemptAt: "", aggregate });
    events.changed = false;
  }
  if (writeId) keptEvents.put(keptKey(place), writeId, events.size, { events, createdAt });
}
