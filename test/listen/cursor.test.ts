// The pure parts of listen: each event's own bytes out of a page, the cursor over a log whose events become
// listable late and out of order, the poll waits, and where --since starts.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  advance,
  CursorTrail,
  DEFAULT_OVERLAP_MS,
  type ListedEvent,
  type ListenCursor,
  pollFrom,
  startAt,
  unseenInOrder,
} from "../../src/listen/cursor.js";
import { nextPollDelay } from "../../src/listen/poll-policy.js";
import { rawEventTexts } from "../../src/listen/raw-events.js";
import { backfillStart } from "../../src/listen/since.js";

const SEED = Number(process.env.LISTEN_TEST_SEED ?? 2112);
console.log(`cursor.test.ts seed ${SEED} (LISTEN_TEST_SEED to replay)`);

describe("rawEventTexts", () => {
  it("returns each element's exact source text, whatever spacing and strings the page holds", () => {
    const body = `{ "hasMore" : false,\n  "data" : [\n    {"id":"event_1","data":{"x":"a ] , } \\" [ {"}},\n\t{ "id" : "event_2" , "data" : [1, {"data": []}] }  ],\n "nextCursor": null }`;
    const texts = rawEventTexts(body);
    expect(texts).toEqual([
      `{"id":"event_1","data":{"x":"a ] , } \\" [ {"}}`,
      `{ "id" : "event_2" , "data" : [1, {"data": []}] }`,
    ]);
    expect(texts?.map((text) => JSON.parse(text).id)).toEqual(["event_1", "event_2"]);
  });

  it("matches JSON.parse element for element on generated pages", () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue(), { maxLength: 8 }), fc.boolean(), (items, pretty) => {
        const body = JSON.stringify({ nextCursor: "data", data: items, hasMore: true }, null, pretty ? 2 : 0);
        const texts = rawEventTexts(body) ?? [];
        expect(texts.map((text) => JSON.parse(text))).toEqual(JSON.parse(body).data);
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it("finds no array when the page has no top-level data", () => {
    expect(rawEventTexts(`{"items":[{"data":[1]}]}`)).toBeUndefined();
  });
});

function event(id: string, at: number): ListedEvent {
  const createdAt = new Date(at).toISOString();
  return { id, type: "webset.item.created", createdAt, at, raw: JSON.stringify({ id, createdAt }) };
}

/** A listener polling a log: at each poll only the events already visible are listed from pollFrom on. */
function simulate(log: { event: ListedEvent; visibleAtPoll: number }[], polls: number, start: ListenCursor) {
  let cursor = start;
  const forwarded: string[] = [];
  for (let poll = 0; poll < polls; poll++) {
    const from = pollFrom(cursor, DEFAULT_OVERLAP_MS);
    const window = log
      .filter((entry) => entry.visibleAtPoll <= poll && entry.event.at >= Date.parse(from))
      .map((entry) => entry.event);
    const ats = new Map(window.map((listed) => [listed.id, listed.at]));
    for (const listed of unseenInOrder(cursor, window)) {
      forwarded.push(listed.id);
      cursor = advance(cursor, listed, ats, DEFAULT_OVERLAP_MS);
    }
  }
  return { forwarded, cursor };
}

/** The cursor rule spelled out the slow way (filter every seen id per event), to check CursorTrail against. */
function advanceByFilter(cursor: ListenCursor, listed: ListedEvent, ats: ReadonlyMap<string, number>): ListenCursor {
  const watermark = listed.at > Date.parse(cursor.watermark) ? listed.createdAt : cursor.watermark;
  const floor = Date.parse(watermark) - DEFAULT_OVERLAP_MS;
  const seen = cursor.seen.filter((id) => (ats.get(id) ?? Number.NEGATIVE_INFINITY) >= floor);
  if (listed.at >= floor && !seen.includes(listed.id)) seen.push(listed.id);
  return { watermark, seen };
}

/** A cursor from before every event of these tests. */
const EMPTY: ListenCursor = { watermark: "2000-01-01T00:00:00.000Z", seen: [] };

describe("the cursor", () => {
  it("forwards every event once, in (createdAt, id) order within a poll, when events show up to 59 s late", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ offset: fc.integer({ min: 0, max: 600_000 }), lagPolls: fc.integer({ min: 0, max: 5 }) }),
          {
            maxLength: 60,
          },
        ),
        (specs) => {
          // Polls are 10 s apart; an event becomes listable lagPolls polls after its createdAt (at most 50 s).
          const base = Date.parse("2026-03-01T00:00:00Z");
          const log = specs.map((spec, i) => ({
            event: event(`event_${String(i).padStart(3, "0")}`, base + spec.offset),
            visibleAtPoll: Math.floor(spec.offset / 10_000) + spec.lagPolls,
          }));
          const { forwarded } = simulate(log, 70, EMPTY);
          expect([...forwarded].sort()).toEqual(log.map((entry) => entry.event.id).sort());
          expect(new Set(forwarded).size).toBe(forwarded.length);
        },
      ),
      { seed: SEED, numRuns: 150 },
    );
  });

  it("a CursorTrail moved event by event saves the cursor advance gives, late events and pruning included", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 400_000 }), { minLength: 1, maxLength: 80 }),
        fc.array(fc.integer({ min: 0, max: 79 }), { maxLength: 10 }),
        (offsets, lateAt) => {
          const base = Date.parse("2026-03-01T00:00:00Z");
          const window = offsets.map((offset, i) => event(`event_${String(i).padStart(3, "0")}`, base + offset));
          const ats = new Map(window.map((listed) => [listed.id, listed.at]));
          // In order, with a few late events (older than the watermark) handled in between.
          const order = [...window].sort((a, b) => a.at - b.at);
          for (const i of lateAt) {
            const late = window[i % window.length] as ListedEvent;
            order.splice(Math.min(order.length, i + 5), 0, late);
          }
          const start: ListenCursor = { watermark: new Date(base - 1).toISOString(), seen: [] };
          const trail = new CursorTrail(start, ats, DEFAULT_OVERLAP_MS);
          let expected = start;
          for (const listed of order) {
            trail.advance(listed);
            expected = advanceByFilter(expected, listed, ats);
            expect(trail.cursor()).toEqual(expected);
          }
        },
      ),
      { seed: SEED, numRuns: 150 },
    );
  });

  it("keeps ties at one createdAt apart by id, and sends an id repeated across pages once", () => {
    const at = Date.parse("2026-03-01T00:00:00Z");
    const window = [event("event_b", at), event("event_a", at), event("event_0", at - 5), event("event_b", at)];
    expect(unseenInOrder(EMPTY, window).map((listed) => listed.id)).toEqual(["event_0", "event_a", "event_b"]);
  });

  it("a fresh cursor does not forward what existed at its start, even inside the overlap or its own second", () => {
    const from = Date.parse("2026-03-01T00:10:00Z");
    // Listed at the start: Exa's Date has whole seconds, so one of them is 400 ms after `from`.
    const existing = [event("event_old", from - 30_000), event("event_same_second", from + 400)];
    const older = event("event_older", from - 120_000);
    const cursor = startAt(new Date(from).toISOString(), existing, DEFAULT_OVERLAP_MS);
    expect(cursor.watermark).toBe(new Date(from + 400).toISOString());
    const log = [older, ...existing, event("event_new", from + 1_000)].map((listed) => ({
      event: listed,
      visibleAtPoll: 0,
    }));
    expect(simulate(log, 3, cursor).forwarded).toEqual(["event_new"]);
  });

  it("drops seen ids once they fall below the overlap, so the cursor stays small", () => {
    const base = Date.parse("2026-03-01T00:00:00Z");
    const log = Array.from({ length: 50 }, (_, i) => ({
      event: event(`event_${i}`, base + i * 10_000),
      visibleAtPoll: i,
    }));
    const { cursor } = simulate(log, 50, EMPTY);
    expect(cursor.watermark).toBe(new Date(base + 49 * 10_000).toISOString());
    expect(cursor.seen).toEqual(["event_43", "event_44", "event_45", "event_46", "event_47", "event_48", "event_49"]);
  });
});

describe("poll waits", () => {
  it("polls every 2 s while events flow and for 30 s after, backs off to 20 s when idle, and waits out a longer Retry-After", () => {
    expect(nextPollDelay({ found: 3, idleStreak: 0 })).toBe(2_000);
    expect([1, 2, 15, 16, 17, 18, 19, 25].map((idleStreak) => nextPollDelay({ found: 0, idleStreak }))).toEqual([
      2_000, 2_000, 2_000, 4_000, 8_000, 16_000, 20_000, 20_000,
    ]);
    expect(nextPollDelay({ found: 1, idleStreak: 0, retryAfterMs: 45_000 })).toBe(45_000);
    expect(nextPollDelay({ found: 0, idleStreak: 25, retryAfterMs: 1_000 })).toBe(20_000);
    // Polls start an interval apart: a poll that took 1.5 s leaves 0.5 s; one that took longer, none.
    expect(nextPollDelay({ found: 2, idleStreak: 0, elapsedMs: 1_500 })).toBe(500);
    expect(nextPollDelay({ found: 2, idleStreak: 0, elapsedMs: 80_000 })).toBe(0);
    expect(nextPollDelay({ found: 0, idleStreak: 1, elapsedMs: 1_900, retryAfterMs: 3_000 })).toBe(3_000);
  });
});

describe("--since", () => {
  const exaNow = new Date("2026-05-01T00:00:00Z");
  it("counts a span back from Exa's clock", () => {
    expect(backfillStart("2h", exaNow)).toEqual({ from: "2026-04-30T22:00:00.000Z" });
  });
  it("starts at the 60-day retention and names the deleted span when asked for more", () => {
    expect(backfillStart("90d", exaNow)).toEqual({
      from: "2026-03-02T00:00:00.000Z",
      expired: { from: "2026-01-31T00:00:00.000Z", until: "2026-03-02T00:00:00.000Z" },
    });
  });
  it("refuses text it does not understand, saying what it accepts", () => {
    expect(() => backfillStart("yesterday", exaNow)).toThrow(/not understood\. Use a span like "90s"/);
  });
});
