// The scan over an in-memory attempts endpoint (the injected page source): bounds, partial results,
// time budget, cancellation, unsubscribed types, and identical results for any concurrency.
import { describe, expect, it } from "vitest";
import { createAttemptAggregator, type ScanOptions, scanWebhookAttempts } from "../../src/diagnose/index.js";
import { EVENT_TYPES } from "../../src/exa/event-types.js";
import type { WebhookAttempt } from "../../src/exa/schemas.js";
import { quietFor } from "../helpers/wait.js";
import {
  at,
  attempt,
  eventsOf,
  type FakeSourceOptions,
  failed,
  fakeAttemptsSource,
  fakeEventsSource,
  generateHistory,
  TYPES,
  WEBHOOK_URL,
} from "./fixtures.js";

const webhook = { id: "whk_1", url: WEBHOOK_URL, status: "active", events: TYPES };

function scan(history: readonly WebhookAttempt[], options: Partial<ScanOptions> = {}, fake: FakeSourceOptions = {}) {
  const { source, calls } = fakeAttemptsSource(history, fake);
  // A fixed now: the recovery facts (retention, "may still be retrying") are measured from it.
  const now = Date.parse(at(10_000));
  const result = scanWebhookAttempts({ webhook, source, maxAttempts: 100_000, concurrency: 4, now, ...options });
  return { result, calls };
}

function expectedSummary(history: readonly WebhookAttempt[]) {
  const aggregator = createAttemptAggregator({ webhookUrl: WEBHOOK_URL });
  for (const a of history) aggregator.add(a);
  return aggregator.result();
}

// ~1.5 attempts per event → several pages per (type, outcome) partition.
const BIG = generateHistory(2000, 3);

describe("scanWebhookAttempts", () => {
  it("covers every attempt exactly once and matches the aggregator over the full history", async () => {
    const { result, calls } = scan(BIG);
    const diagnosis = await result;
    expect(diagnosis).toMatchObject({ ...expectedSummary(BIG), complete: true, webhookId: "whk_1" });
    expect(diagnosis.incompleteReason).toBeUndefined();
    expect(calls.every((q) => q.limit === 200 && q.cursor !== "")).toBe(true);
  });

  it("gives identical results for concurrency 1, 4 and 16, whatever the page timing", async () => {
    const results = await Promise.all(
      [1, 4, 16].map(async (concurrency) => {
        const { result } = scan(BIG, { concurrency }, { delayMs: (_q, call) => (call * 7 + concurrency) % 5 });
        return result;
      }),
    );
    expect(results[1]).toEqual(results[0]);
    expect(results[2]).toEqual(results[0]);
  });

  describe("with the never-attempted check sharing the lanes", () => {
    // The events of BIG, plus 30 that no attempt carries, spread over its window.
    const missed = Array.from({ length: 30 }, (_, i) => ({
      id: `evt_missed_${i}`,
      type: TYPES[i % TYPES.length] as string,
      createdAt: at(100 + i * 190),
    }));
    const EVENTS = [...eventsOf(BIG), ...missed].sort((a, b) => (a.createdAt < b.createdAt ? -1 : 1));
    const withCheck = { ...webhook, createdAt: at(-100) };

    function scanWithEvents(concurrency: number, history: readonly WebhookAttempt[] = BIG, listed = EVENTS) {
      let inFlight = 0;
      let maxInFlight = 0;
      const order: ("attempts" | "events")[] = [];
      const counted =
        <Q, R>(kind: "attempts" | "events", page: (query: Q, signal: AbortSignal) => Promise<R>) =>
        async (query: Q, signal: AbortSignal) => {
          order.push(kind);
          maxInFlight = Math.max(maxInFlight, ++inFlight);
          try {
            return await page(query, signal);
          } finally {
            inFlight--;
          }
        };
      const attempts = fakeAttemptsSource(history, { delayMs: (_q, call) => 1 + ((call * 7 + concurrency) % 5) });
      const events = fakeEventsSource(listed, { delayMs: (_q, call) => 1 + ((call * 3 + concurrency) % 4) });
      const result = scanWebhookAttempts({
        webhook: withCheck,
        source: counted("attempts", attempts.source),
        events: counted("events", events.source),
        maxAttempts: 100_000,
        concurrency,
        now: Date.parse(at(10_000)),
      });
      return { result, order, maxInFlight: () => maxInFlight };
    }

    it("finds the same events and gives identical results for concurrency 1, 4 and 16", async () => {
      const results = await Promise.all([1, 4, 16].map((concurrency) => scanWithEvents(concurrency).result));
      const [first] = results;
      expect(first).toMatchObject({ complete: true, events: { neverAttempted: 30 } });
      expect(first?.missedEvents.neverAttempted).toEqual(missed.map((e) => e.id).reverse());
      expect(first?.recovery?.neverAttempted).toMatchObject({ kind: "listed", listed: EVENTS.length });
      expect(results[1]).toEqual(first);
      expect(results[2]).toEqual(first);
    });

    it("counts only the types read in full, though their events were listed before that was known", async () => {
      const attempts = fakeAttemptsSource(BIG, {
        failWhen: (q) =>
          q.eventType === "webset.idle" && q.successful === true && q.cursor ? new Error("Exa API 503") : undefined,
      });
      const events = fakeEventsSource(EVENTS);
      const diagnosis = await scanWebhookAttempts({
        webhook: withCheck,
        source: attempts.source,
        events: events.source,
        maxAttempts: 100_000,
        concurrency: 4,
        now: Date.parse(at(10_000)),
      });
      const judged = TYPES.filter((t) => t !== "webset.idle").sort();
      expect(diagnosis.recovery?.neverAttempted).toMatchObject({
        kind: "listed",
        types: judged,
        unjudgedTypes: ["webset.idle"],
      });
      const expected = missed.filter((e) => e.type !== "webset.idle").map((e) => e.id);
      expect(diagnosis.missedEvents.neverAttempted).toEqual(expected.reverse());
      expect(diagnosis.events.neverAttempted).toBe(expected.length);
    });

    it("keeps every lane busy and never more: events fill the slots a long chain leaves idle", async () => {
      // One long chain (webset.idle, successful) and a few short ones: most lanes would idle behind it.
      const history = generateHistory(3000, 11, ["webset.idle"]);
      const { result, order, maxInFlight } = scanWithEvents(4, history, eventsOf(history));
      const diagnosis = await result;
      expect(diagnosis.complete).toBe(true);
      expect(maxInFlight()).toBe(4);
      // Events were listed while the chain still had pages to read, not after it.
      expect(order.indexOf("events")).toBeLessThan(order.lastIndexOf("attempts"));
    });
  });

  it("stops each partition at since and is incomplete when older attempts were left unscanned", async () => {
    const fullScanCalls = scan(BIG).calls;
    await scan(BIG).result;
    const since = new Date(at(3000));
    const { result, calls } = scan(BIG, { since });
    const diagnosis = await result;
    const inWindow = BIG.filter((a) => a.attemptedAt >= since.toISOString());
    expect(diagnosis).toMatchObject({ ...expectedSummary(inWindow), complete: false });
    expect(diagnosis.incompleteReason).toBe(
      `limited to attempts since ${since.toISOString()}; older attempts were not scanned`,
    );
    expect(diagnosis.window.from && diagnosis.window.from >= since.toISOString()).toBe(true);
    expect(calls.length).toBeLessThan(fullScanCalls.length);
  });

  it("stays complete when since reaches back past the oldest attempt", async () => {
    for (const history of [BIG, generateHistory(20, 5)]) {
      const diagnosis = await scan(history, { since: new Date(at(-10)) }).result;
      expect(diagnosis).toMatchObject({ ...expectedSummary(history), complete: true });
      expect(diagnosis.incompleteReason).toBeUndefined();
    }
  });

  it("is incomplete through since on the two-request fast path too", async () => {
    const since = new Date(at(5900));
    const diagnosis = await scan(BIG, { since }).result;
    expect(diagnosis.complete).toBe(false);
    expect(diagnosis.incompleteReason).toMatch(/^limited to attempts since .*; older attempts were not scanned$/);
  });

  it("needs only the two probe pages when the window is small", async () => {
    const since = new Date(at(5900));
    const { result, calls } = scan(BIG, { since });
    expect(await result).toMatchObject({ ...expectedSummary(BIG.filter((a) => a.attemptedAt >= since.toISOString())) });
    expect(calls.map((q) => q.eventType)).toEqual([undefined, undefined]);
  });

  it("starts the chains the probes show to be longest first", async () => {
    // webset.idle is most of the traffic: its chains are the longest and must not wait behind the others.
    const history = generateHistory(3000, 11, ["webset.idle", "webset.idle", "webset.idle", "monitor.run.completed"]);
    const { result, calls } = scan(history, { concurrency: 1 });
    await result;
    const typed = calls.filter((q) => q.eventType !== undefined && q.cursor === undefined);
    expect(typed.slice(0, 2).map((q) => q.eventType)).toEqual(["webset.idle", "webset.idle"]);
    expect(typed[2]?.eventType).toBe("monitor.run.completed");
  });

  it("stops at maxAttempts overall and says how to raise it", async () => {
    const { result } = scan(BIG, { maxAttempts: 250, concurrency: 3 });
    const diagnosis = await result;
    expect(diagnosis.attemptsScanned).toBe(250);
    expect(diagnosis.complete).toBe(false);
    expect(diagnosis.incompleteReason).toMatch(/maxAttempts=250.*raise maxAttempts/);
  });

  it("is complete when maxAttempts exactly covers the window", async () => {
    const small = generateHistory(20, 5);
    const diagnosis = await scan(small, { maxAttempts: small.length }).result;
    expect(diagnosis).toMatchObject({ attemptsScanned: small.length, complete: true });
  });

  it("ends only the partition whose page fails and names it in the reason", async () => {
    const { result } = scan(
      BIG,
      {},
      {
        failWhen: (q) =>
          q.eventType === "webset.idle" && q.successful === false && q.cursor
            ? new Error("Exa API 503: Service Unavailable (request req_abc)")
            : undefined,
      },
    );
    const diagnosis = await result;
    expect(diagnosis.complete).toBe(false);
    expect(diagnosis.incompleteReason).toBe(
      "the webset.idle/failed partition failed: Exa API 503: Service Unavailable (request req_abc)",
    );
    // The other partitions were scanned in full; only the failed partition's later pages are missing.
    const otherPartitions = BIG.filter((a) => a.eventType !== "webset.idle" || a.successful);
    expect(diagnosis.attemptsScanned).toBe(otherPartitions.length + 200);
  });

  it("joins several reasons without doubled punctuation", async () => {
    const since = new Date(at(3000));
    const { result } = scan(
      BIG,
      { since },
      {
        failWhen: (q) =>
          q.eventType === "webset.idle" && q.successful === false && q.cursor === undefined
            ? new Error("Exa API 503: the gateway gave up after 30 s….")
            : undefined,
      },
    );
    const diagnosis = await result;
    expect(diagnosis.incompleteReason).toBe(
      `the webset.idle/failed partition failed: Exa API 503: the gateway gave up after 30 s…; limited to attempts since ${since.toISOString()}; older attempts were not scanned`,
    );
  });

  it("still pages every valid type when the unfiltered probe fails, and says so", async () => {
    const { result } = scan(
      BIG,
      {},
      { failWhen: (q) => (q.eventType === undefined && !q.successful ? new Error("socket hang up") : undefined) },
    );
    const diagnosis = await result;
    expect(diagnosis).toMatchObject({ attemptsScanned: BIG.length, complete: false, verdict: "unknown" });
    expect(diagnosis.incompleteReason).toBe("the unfiltered probe of failed attempts failed: socket hang up");
    expect(diagnosis.incompleteCauses).toEqual([
      {
        kind: "partitionFailed",
        eventType: null,
        outcome: "failed",
        pagesRead: 0,
        outcomeUnread: true,
        error: "socket hang up",
      },
    ]);
  });

  it("counts events only of types whose outcomes were both read in full", async () => {
    const { result } = scan(
      BIG,
      {},
      {
        failWhen: (q) =>
          q.eventType === "webset.idle" && q.successful === true && q.cursor
            ? new Error("Exa API 503: Service Unavailable")
            : undefined,
      },
    );
    const diagnosis = await result;
    const counted = BIG.filter((a) => a.eventType !== "webset.idle");
    expect(diagnosis.events).toEqual({ ...expectedSummary(counted).events, uncountedEventTypes: ["webset.idle"] });
    // The failures of webset.idle were read; its recovering successes only in part: never healthy.
    expect(diagnosis.verdict).not.toBe("healthy");
    expect(diagnosis.incompleteCauses).toEqual([
      {
        kind: "partitionFailed",
        eventType: "webset.idle",
        outcome: "successful",
        pagesRead: 1,
        outcomeUnread: false,
        error: "Exa API 503: Service Unavailable",
      },
    ]);
  });

  it("folds the newest attempts of both outcomes first, so a small cap reads the newest", async () => {
    const diagnosis = await scan(BIG, { maxAttempts: 50, concurrency: 1 }).result;
    const newest = [...BIG].sort((a, b) => (a.attemptedAt < b.attemptedAt ? 1 : -1)).slice(0, 50);
    expect(diagnosis.attemptsScanned).toBe(50);
    expect(diagnosis.window.from).toBe(newest.at(-1)?.attemptedAt);
    expect(diagnosis.lastSuccessAt).toBe(newest.find((a) => a.successful)?.attemptedAt);
    expect(diagnosis.lastFailureAt).toBe(newest.find((a) => !a.successful)?.attemptedAt);
  });

  it("an eventType scan whose one outcome cannot be read is unknown", async () => {
    const { result } = scan(
      BIG,
      { eventType: "webset.idle" },
      { failWhen: (q) => (q.successful === false ? new Error("Exa API 500") : undefined) },
    );
    const diagnosis = await result;
    expect(diagnosis.verdict).toBe("unknown");
    expect(diagnosis.incompleteCauses).toEqual([
      {
        kind: "partitionFailed",
        eventType: "webset.idle",
        outcome: "failed",
        pagesRead: 0,
        outcomeUnread: true,
        error: "Exa API 500",
      },
    ]);
  });

  it("stops at the time budget with a partial result", async () => {
    // The heads answer at once and every later page is held until the scan gives up: it can only end at
    // its deadline, whatever the machine's speed (the budget only has to outlast two in-memory pages).
    const { result, calls } = scan(
      BIG,
      { concurrency: 2, deadline: Date.now() + 1000 },
      { delayMs: (q) => (q.eventType !== undefined || q.cursor !== undefined ? 600_000 : 0) },
    );
    const diagnosis = await result;
    expect(diagnosis.complete).toBe(false);
    expect(diagnosis.incompleteReason).toMatch(/time budget ran out/);
    expect(diagnosis.attemptsScanned).toBe(400);
    expect(diagnosis.attemptsScanned).toBeLessThan(BIG.length);
    const callsAtStop = calls.length;
    await quietFor(20);
    expect(calls.length).toBe(callsAtStop);
  });

  it("treats an epoch-ms deadline in the past as no time at all", async () => {
    const diagnosis = await scan(BIG, { deadline: Date.now() - 1 }).result;
    expect(diagnosis).toMatchObject({ attemptsScanned: 0, complete: false, verdict: "unknown" });
    expect(diagnosis.incompleteCauses).toEqual([
      { kind: "budget", scanned: 0, unreadOutcomes: ["failed", "successful"] },
    ]);
  });

  it("rethrows client cancellation and issues no further requests", async () => {
    const client = new AbortController();
    let callsAtAbort = -1;
    const { result, calls } = scan(
      BIG,
      {
        concurrency: 4,
        signal: client.signal,
        onProgress: (scanned) => {
          if (scanned < 400 || client.signal.aborted) return;
          callsAtAbort = calls.length;
          client.abort();
        },
      },
      { delayMs: () => 3 },
    );
    await expect(result).rejects.toMatchObject({ name: "AbortError" });
    expect(callsAtAbort).toBeGreaterThan(0);
    expect(calls.length).toBe(callsAtAbort);
    await quietFor(30);
    expect(calls.length).toBe(callsAtAbort);
  });

  it("returns promptly on cancellation even if the source ignores its signal", async () => {
    const client = new AbortController();
    const { result } = scan(BIG, { signal: client.signal }, { delayMs: () => 10_000, ignoreSignal: true });
    setTimeout(() => client.abort(), 10);
    await expect(result).rejects.toMatchObject({ name: "AbortError" });
  });

  it("rejects at once when already cancelled", async () => {
    const { result, calls } = scan(BIG, { signal: AbortSignal.abort() });
    await expect(result).rejects.toMatchObject({ name: "AbortError" });
    expect(calls).toHaveLength(0);
  });

  it("scans one type only when eventType is given", async () => {
    const { result, calls } = scan(BIG, { eventType: "webset.idle" });
    const diagnosis = await result;
    expect(calls.every((q) => q.eventType === "webset.idle")).toBe(true);
    expect(diagnosis).toMatchObject(expectedSummary(BIG.filter((a) => a.eventType === "webset.idle")));
  });

  describe("event types the webhook no longer subscribes to", () => {
    const subscribedOnly = { ...webhook, events: ["webset.item.created"] };
    const scanAs = (history: readonly WebhookAttempt[]) => {
      const { source, calls } = fakeAttemptsSource(history);
      const result = scanWebhookAttempts({ webhook: subscribedOnly, source, maxAttempts: 100_000, concurrency: 4 });
      return { result, calls };
    };

    it("are included when the probe page holds the whole window", async () => {
      const small = generateHistory(40, 9);
      const diagnosis = await scanAs(small).result;
      expect(diagnosis).toMatchObject({ ...expectedSummary(small), complete: true });
    });

    it("are included even when all their attempts are older than the probe page", async () => {
      // A type dropped from the subscription long ago: none of its attempts is among the newest 200.
      const dropped = Array.from({ length: 30 }, (_, i) =>
        failed({ eventType: "webset.export.completed", attemptedAt: at(-1000 + i) }),
      );
      const history = [...BIG, ...dropped];
      const diagnosis = await scanAs(history).result;
      expect(diagnosis).toMatchObject({ ...expectedSummary(history), complete: true });
    });

    it("partition over all 19 valid types, plus any other type the probe shows", async () => {
      const odd = attempt({ eventType: "webset.legacy.ping", attemptedAt: at(9000) });
      const history = [...BIG, odd];
      const { result, calls } = scanAs(history);
      expect(await result).toMatchObject({ ...expectedSummary(history), complete: true });
      expect(new Set(calls.map((q) => q.eventType))).toEqual(new Set([undefined, ...EVENT_TYPES, odd.eventType]));
    });
  });

  it("drops attempts a server returned outside the partition's filter instead of double counting", async () => {
    const history = [attempt({ attemptedAt: at(1) }), attempt({ eventType: "webset.idle", attemptedAt: at(2) })];
    const diagnosis = await scanWebhookAttempts({
      webhook,
      // A server that ignores every filter: each partition sees everything.
      source: async () => ({ data: [...history].reverse(), hasMore: false, nextCursor: null }),
      maxAttempts: 100,
      concurrency: 4,
    });
    expect(diagnosis.attemptsScanned).toBe(2);
  });

  it("reports progress with the running count", async () => {
    const seen: number[] = [];
    await scan(generateHistory(300, 2), { concurrency: 1, onProgress: (scanned) => seen.push(scanned) }).result;
    expect(seen.length).toBeGreaterThan(1);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
  });
});
