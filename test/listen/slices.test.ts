// A backfill's window cut into time slices against the emulator: walked as the listener walks it (each
// slice's unseen events in order, the cursor advanced per event), every event comes out once and in
// (createdAt, id) order, those exactly at a slice border too (both slices list them), and a dense start is
// cut smaller before anything would be forwarded.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ExaClient } from "../../src/exa/client.js";
import { CursorTrail, DEFAULT_OVERLAP_MS, type ListenCursor } from "../../src/listen/cursor.js";
import { type Slice, type SliceSizes, slicedWindow } from "../../src/listen/slices.js";
import { type Emulator, startEmulator } from "../../src/sandbox/emulator.js";

const SEED = Number(process.env.LISTEN_TEST_SEED ?? 4711);
console.log(`slices.test.ts seed ${SEED} (LISTEN_TEST_SEED to replay)`);

const TYPE = "webset.item.created";
const MINUTE = 60_000;

function seeded(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

let emulator: Emulator;
let client: ExaClient;
beforeEach(async () => {
  emulator = await startEmulator();
  client = new ExaClient({ baseUrl: emulator.baseUrl, apiKey: "exa-test-key-slices", retryBaseMs: 1 });
  // One answer, so the client knows Exa's clock before the window is cut.
  await client.listEventsWithBody({ types: [TYPE], limit: 1 });
});
afterEach(async () => {
  await emulator.close();
});

/** Walks every slice as the listener does; returns the ids in the order they would be forwarded. */
async function walk(from: number, sizes: SliceSizes) {
  const cursor: ListenCursor = { watermark: new Date(from - 1).toISOString(), seen: [] };
  const slices = slicedWindow(
    client,
    { types: [TYPE], from: new Date(from).toISOString(), seenUpTo: cursor.watermark },
    new AbortController().signal,
    sizes,
  );
  const listed: Slice[] = [];
  const forwarded: string[] = [];
  let trail: CursorTrail | undefined;
  for (let slice = await slices.next(); slice; slice = await slices.next()) {
    listed.push(slice);
    trail ??= new CursorTrail(cursor, new Map(slice.events.map((event) => [event.id, event.at])), DEFAULT_OVERLAP_MS);
    for (const event of trail.unseenInOrder(slice.events)) {
      forwarded.push(event.id);
      trail.advance(event);
    }
  }
  return { listed, forwarded, cursor: trail?.cursor() };
}

function inForwardingOrder(events: { id: string; createdAt: string }[]): string[] {
  return [...events]
    .sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((event) => event.id);
}

const listingsBefore = () =>
  emulator.requests
    .filter((request) => request.path.endsWith("/events") && request.query.has("createdBefore"))
    .map((request) => String(request.query.get("createdBefore")));

describe("a backfill in slices", () => {
  it("forwards every event once, in order, those exactly at slice borders too", async () => {
    const random = seeded(SEED);
    const from = Math.floor((Date.now() - 4 * 60 * MINUTE) / 1000) * 1000;
    // Spans of 10, 40 and 160 minutes (nothing counts as too many), then the open-ended rest.
    const sizes: SliceSizes = { wholeMs: 0, firstMs: 10 * MINUTE, targetEvents: Number.MAX_SAFE_INTEGER, minMs: 1_000 };
    const borders = [10, 50, 210].map((minutes) => from + minutes * MINUTE);
    const added = [];
    for (let i = 0; i < 120; i++)
      added.push(
        emulator.store.addEvent({ type: TYPE, createdAt: new Date(from + random() * 239 * MINUTE).toISOString() }),
      );
    // Three at each border and at the very start, sharing one createdAt, with ids out of insertion order.
    for (const at of [from, ...borders])
      for (const suffix of ["b", "c", "a"])
        added.push(
          emulator.store.addEvent({ id: `event_${at}_${suffix}`, type: TYPE, createdAt: new Date(at).toISOString() }),
        );

    const { listed, forwarded, cursor } = await walk(from, sizes);

    expect(listingsBefore()).toEqual(borders.map((at) => new Date(at).toISOString()));
    expect(listed).toHaveLength(4);
    // Each border's events were listed by the slice it ends and by the one it starts, and forwarded once.
    for (const [i, at] of borders.entries()) {
      const id = `event_${at}_a`;
      expect(listed[i]?.events.map((event) => event.id)).toContain(id);
      expect(listed[i + 1]?.events.map((event) => event.id)).toContain(id);
    }
    expect(forwarded).toEqual(inForwardingOrder(added));
    expect(new Set(forwarded).size).toBe(added.length);
    expect(cursor?.watermark).toBe(
      added
        .map((event) => event.createdAt)
        .sort()
        .at(-1),
    );
  });

  it("cuts a first slice of more than a page smaller, and still forwards every event once, in order", async () => {
    const random = seeded(SEED + 1);
    const from = Math.floor((Date.now() - 60 * MINUTE) / 1000) * 1000;
    const added = [];
    // 700 events in the first 20 minutes: the first 30-minute slice is more than a page.
    for (let i = 0; i < 700; i++)
      added.push(
        emulator.store.addEvent({ type: TYPE, createdAt: new Date(from + random() * 20 * MINUTE).toISOString() }),
      );
    const sizes: SliceSizes = { wholeMs: 0, firstMs: 30 * MINUTE, targetEvents: 250, minMs: 1_000 };

    const { listed, forwarded } = await walk(from, sizes);

    const befores = listingsBefore().map((iso) => Date.parse(iso));
    expect(befores[0]).toBe(from + 30 * MINUTE);
    expect(befores[1]).toBeLessThan(from + 30 * MINUTE);
    expect(listed[0]?.events.length).toBeLessThanOrEqual(200);
    expect(listed.length).toBeGreaterThan(2);
    expect(forwarded).toEqual(inForwardingOrder(added));
  });
});
