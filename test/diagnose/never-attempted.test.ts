// The never-attempted listing over an in-memory events endpoint: time slices paged concurrently, each
// event counted once even when the server answers outside the asked range, and cuts as structure.
import { describe, expect, it } from "vitest";
import { type EventsQuery, type ListedEvent, listNeverAttempted } from "../../src/diagnose/never-attempted.js";
import type { Page } from "../../src/exa/schemas.js";

const START = Date.parse("2026-03-01T00:00:00.000Z");

/** `count` events a minute apart from START, newest first when listed; ids by index. */
function events(count: number): ListedEvent[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `event_${String(i).padStart(5, "0")}`,
    type: i % 3 === 0 ? "webset.idle" : "webset.item.created",
    createdAt: new Date(START + i * 60_000).toISOString(),
  }));
}

/** Pages newest first by an offset cursor; `sloppy` ignores the date range (a server that filters nothing). */
function source(all: readonly ListedEvent[], options: { sloppy?: boolean; failAfter?: number } = {}) {
  const calls: EventsQuery[] = [];
  const pageOf = async (query: EventsQuery): Promise<Page<ListedEvent>> => {
    calls.push(query);
    if (options.failAfter !== undefined && calls.length > options.failAfter) throw new Error("HTTP 500 from Exa");
    const after = Date.parse(query.createdAfter);
    const before = Date.parse(query.createdBefore);
    const matching = all
      .filter((e) => query.types.includes(e.type))
      .filter((e) => options.sloppy || (Date.parse(e.createdAt) >= after && Date.parse(e.createdAt) <= before))
      .reverse();
    const offset = Number(query.cursor ?? 0);
    const data = matching.slice(offset, offset + query.limit);
    const hasMore = offset + query.limit < matching.length;
    return { data, hasMore, nextCursor: hasMore ? String(offset + query.limit) : null };
  };
  return { pageOf, calls };
}

function run(
  all: readonly ListedEvent[],
  attempted: ReadonlySet<string>,
  options: { sloppy?: boolean; failAfter?: number } = {},
) {
  const { pageOf, calls } = source(all, options);
  const never = new AbortController().signal;
  const result = listNeverAttempted({
    source: pageOf,
    types: ["webset.idle", "webset.item.created"],
    fromMs: START,
    toMs: START + all.length * 60_000,
    concurrency: 4,
    keep: 100,
    attempted: (id) => attempted.has(id),
    requestSignal: never,
    budgetSignal: never,
    clientSignal: never,
  });
  return { result, calls };
}

describe("listNeverAttempted", () => {
  it("pages the window in concurrent slices and counts every unattempted event once", async () => {
    const all = events(3000);
    const attempted = new Set(all.filter((_, i) => i % 2 === 0).map((e) => e.id));
    const { result, calls } = run(all, attempted);
    const found = await result;
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
    const { result } = run(all, new Set(), { sloppy: true });
    const found = await result;
    expect(found.listed).toBe(1000);
    expect(found.count).toBe(1000);
  });

  it("a page that keeps failing ends its slice and is a structured cut; the count is a lower bound", async () => {
    const all = events(2000);
    const { result } = run(all, new Set(), { failAfter: 3 });
    const found = await result;
    expect(found.count).toBeLessThan(2000);
    expect(found.causes).toEqual([
      { kind: "eventsCut", reason: "failed", listed: found.listed, error: "HTTP 500 from Exa" },
    ]);
  });
});
