// list_events and get_event against the emulator: filters, pagination, 404, detailed payloads.

import type { z } from "zod";
import type { getEventTool } from "../../src/tools/get-event.js";
import type { listEventsTool } from "../../src/tools/list-events.js";
import { describe, expect, test } from "../helpers/fixtures.js";
import type { OutputOf } from "../helpers/harness.js";

const base = Date.parse("2026-11-20T00:00:00Z");

/** Every test's emulator holds 12 events, an hour apart from `base`, of three types in turn. */
const it = test.extend("seededEvents", { auto: true }, async ({ harness }) => {
  const types = ["webset.item.created", "webset.idle", "monitor.run.completed"];
  for (let i = 0; i < 12; i++) {
    harness.emulator.store.addEvent({
      type: types[i % 3] as string,
      createdAt: base + i * 3_600_000,
      data: { id: `witem_${i}`, object: "webset_item", status: "completed", websetId: "webset_demo" },
    });
  }
  return harness.emulator.store.listEvents();
});

type EventPage = z.infer<typeof listEventsTool.outputSchema>;

describe("list_events", () => {
  it("filters by several types and a time window, inclusive", async ({ harness }) => {
    const answer = await harness.call("list_events", {
      types: ["webset.item.created", "webset.idle"],
      createdAfter: new Date(base + 3 * 3_600_000).toISOString(),
      createdBefore: new Date(base + 9 * 3_600_000).toISOString(),
    });
    expect(answer.isError).toBe(false);
    const page = answer.structured as EventPage;
    // Hours 3..9 inclusive: 7 events, of which monitor.run.completed (i % 3 === 2: 5 and 8) are excluded.
    expect(page.events.map((event) => event.type).sort()).toEqual(
      ["webset.item.created", "webset.item.created", "webset.item.created", "webset.idle", "webset.idle"].sort(),
    );
    expect(page.events[0]?.resourceId).toBe("witem_9");
    expect(answer.text).toContain("witem_9");
    expect(answer.text).toContain("webset webset_demo");
  });

  it("pages through every event exactly once", async ({ harness }) => {
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const answer = await harness.call("list_events", { limit: 5, ...(cursor ? { cursor } : {}) });
      const page = answer.structured as EventPage;
      ids.push(...page.events.map((event) => event.id));
      if (page.hasMore) expect(answer.text).toContain('Next page: list_events {"limit":5,"cursor":');
      cursor = page.hasMore ? (page.nextCursor ?? undefined) : undefined;
    } while (cursor);
    expect(ids).toHaveLength(12);
    expect(new Set(ids).size).toBe(12);
  });

  it("rejects a reversed window and bad timestamps locally", async ({ harness }) => {
    const before = harness.emulator.requests.length;
    const reversed = await harness.call("list_events", {
      createdAfter: "2026-11-21T00:00:00Z",
      createdBefore: "2026-11-20T00:00:00Z",
    });
    expect(reversed.isError).toBe(true);
    expect(reversed.text).toContain("createdAfter is later than createdBefore");
    const bad = await harness.call("list_events", { createdAfter: "yesterday" });
    expect(bad.isError).toBe(true);
    expect(bad.text).toContain("ISO 8601");
    expect(harness.emulator.requests.length).toBe(before);
  });
});

describe("get_event", () => {
  it("summarises the event and offers the detailed JSON", async ({ harness }) => {
    const event = harness.emulator.store.listEvents()[0];
    if (!event) throw new Error("no event seeded");
    const concise = await harness.call("get_event", { eventId: event.id });
    expect(concise.isError).toBe(false);
    expect(concise.text).toContain(`Event ${event.id}`);
    expect(concise.text).toContain('"responseFormat":"detailed"');
    expect(concise.text).not.toContain("```json");
    const detailed = await harness.call("get_event", { eventId: event.id, responseFormat: "detailed" });
    expect(detailed.text).toContain("```json");
    expect(detailed.text).toContain('"websetId": "webset_demo"');
    expect((detailed.structured as OutputOf<typeof getEventTool>).event.id).toBe(event.id);
  });

  it("caps a huge payload and says it was cut", async ({ harness }) => {
    const big = harness.emulator.store.addEvent({
      type: "webset.item.enriched",
      data: { id: "witem_big", blob: "x".repeat(50_000) },
    });
    const answer = await harness.call("get_event", { eventId: big.id, responseFormat: "detailed" });
    expect(answer.text.length).toBeLessThan(9_000);
    expect(answer.text).toMatch(/cut at 8000 of \d+ characters/);
  });

  it("404 names the event and points to list_events", async ({ harness }) => {
    const answer = await harness.call("get_event", { eventId: "event_missing" });
    expect(answer.isError).toBe(true);
    expect(answer.text).toContain("No event event_missing. Call list_events");
  });
});
