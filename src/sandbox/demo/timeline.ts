// The demo's event history: three websets built over the past three days (search, items, enrichments,
// idle), two CSV imports and a weekly monitor with runs. Times are virtual ms epochs relative to `now`.
import type { EventType } from "../../exa/event-types.js";
import { eventData, type ResourceRefs } from "../event-data.js";
import type { IdSource } from "../ids.js";

interface TimelineEvent {
  type: EventType;
  at: number;
  data: Record<string, unknown>;
}

const HOUR = 3_600_000;
const MINUTE = 60_000;
const ITEMS_PER_WEBSET = 30;
const ENRICHED_PER_WEBSET = 18;

export function demoTimeline(now: number, ids: IdSource): TimelineEvent[] {
  const events: TimelineEvent[] = [];
  const add = (type: EventType, at: number, refs: ResourceRefs): void => {
    events.push({ type, at: Math.round(at), data: eventData(type, at, ids, refs) });
  };

  for (const startHoursAgo of [69, 45, 19]) {
    const start = now - startHoursAgo * HOUR;
    const refs = { websetId: ids.resourceId("webset"), searchId: ids.resourceId("webset_search") };
    add("webset.created", start, refs);
    add("webset.search.created", start + 2_000, refs);
    for (let i = 1; i <= 4; i++) add("webset.search.updated", start + i * 6 * MINUTE, refs);
    // Items trickle in over about three hours, enrichments trail them by a few minutes.
    for (let i = 0; i < ITEMS_PER_WEBSET; i++) {
      const itemAt = start + 5 * MINUTE + i * 6 * MINUTE;
      add("webset.item.created", itemAt, { ...refs, itemIndex: i });
      if (i < ENRICHED_PER_WEBSET) add("webset.item.enriched", itemAt + 3 * MINUTE, { ...refs, itemIndex: i });
    }
    const done = start + 3.5 * HOUR;
    add("webset.search.completed", done, refs);
    add("webset.idle", done + 40_000, refs);
  }

  for (const hoursAgo of [64, 28]) {
    const at = now - hoursAgo * HOUR;
    add("import.created", at, {});
    add("import.completed", at + 11 * MINUTE, {});
  }

  const monitorRefs = { websetId: ids.resourceId("webset"), monitorId: ids.resourceId("monitor") };
  add("monitor.created", now - 62 * HOUR, monitorRefs);
  for (const hoursAgo of [50, 26, 2]) {
    add("monitor.run.created", now - hoursAgo * HOUR, monitorRefs);
    add("monitor.run.completed", now - hoursAgo * HOUR + 14 * MINUTE, monitorRefs);
  }
  return events.sort((a, b) => a.at - b.at);
}
