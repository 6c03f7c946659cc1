// The never-attempted listing over an in-memory events endpoint, driven by the pool the way the scan drives
// it: time slices paged concurrently, each event counted once even when the server answers outside the
// asked range, and cuts as structure.
import { describe, expect, it } from "vitest";
import { type ListedEvent, startEventListing } from "../../src/diagnose/never-attempted.js";
import { runPool } from "../../src/net/pool.js";
import { fakeEventsSource } from "./fixtures.js";

const START = Date.parse("2026-03-01T00:00:00.000Z");

/** `count` events a minute apart from START, newest first when listed; ids by index. */
function events(count: number): ListedEvent[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `event_${String(i).padStart(5, "0")}`,
    type: i % 3 === 0 ? "webset.idle" : "webset.item.created",
    createdAt: new Date(START + i * 60_000).toISOString(),
  }));
}

const TYPES = ["webset.idle", "webset.item.created"];

async function run(
  all: readonly ListedEvent[],
  attempted: ReadonlySet<string>,
  options: { sloppy?: boolean; failAfter?: number } = {},
) {
  const { source: pageOf, calls } = fakeEventsSource(all, options);
  const never = new AbortController().signal;
  const toMs = START + all.length * 60_000;
  const listing = startEventListing({
    source: pageOf,
    types: TYPES,
    fromMs: START,
    toMs,
    concurrency: 4,
    attempted: (id) => attempted.has(id),
    requestSignal: never,
    budgetSignal: never,
    clientSignal: never,
  });
  await runPool(4, () => listing.nextPage());
  return { found: listing.result(TYPES, { fromMs: START, leadFromMs: START }, 100), calls };
}

describe("startEventListing", () => {
  it("pages the window in concurrent slices and counts every unattempted event once", async () => {
    const all = events(3000);
    const attempted = new Set(all.filter((_, i) => i % 2 === 0).map((e) => e.id));
    const { found, calls } = await run(all, attempted);
    expect(found.listed).toBe(3000);
    expect(found.count).toBe(1500);
    expect(found.ids).toEqual(
      all
        .filter((e) => !attempted.has(e.id))
        .reverse()
        .slice(0, 100)
        .map((e) => e.id),
    );
    expect(found.causes).toEqual([]);
    // 15 pages of events: the first, then slices of the rest (at most 16), each ending on a partial page.
    expect(calls.length).toBeGreaterThanOrEqual(15);
    expect(calls.length).toBeLessThanOrEqual(15 + 16);
  });

  it("keeps each event only inside the range its slice asked for, whatever the server answers", async () => {
    const all = events(1000);
    const { found } = await run(all, new Set(), { sloppy: true });
    expect(found.listed).toBe(1000);
    expect(found.count).toBe(1000);
  });

  it("a page that keeps failing ends its slice and is a structured cut; the count is a lower bound", async () => {
    const all = events(2000);
    const { found } = await run(all, new Set(), { failAfter: 3 });
    expect(found.count).toBeLessThan(2000);
    expect(found.causes).toEqual([
      { kind: "eventsCut", reason: "failed", listed: found.listed, error: "HTTP 500 from Exa" },
    ]);
  });
});
