// The scan over an in-memory attempts endpoint (the injected page source): bounds, partial results,
// time budget, cancellation, unsubscribed types, and identical results for any concurrency.
import { describe, expect, it } from "vitest";
import { createAttemptAggregator, type ScanOptions, scanWebhookAttempts } from "../../src/diagnose/index.js";
import type { WebhookAttempt } from "../../src/exa/schemas.js";
import {
  at,
  attempt,
  type FakeSourceOptions,
  fakeAttemptsSource,
  generateHistory,
  TYPES,
  WEBHOOK_URL,
} from "./fixtures.js";

const webhook = { id: "whk_1", url: WEBHOOK_URL, status: "active", events: TYPES };

function scan(history: readonly WebhookAttempt[], options: Partial<ScanOptions> = {}, fake: FakeSourceOptions = {}) {
  const { source, calls } = fakeAttemptsSource(history, fake);
  const result = scanWebhookAttempts({ webhook, source, maxAttempts: 100_000, concurrency: 4, ...options });
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

  it("stops each partition at since without marking the scan incomplete", async () => {
    const fullScanCalls = scan(BIG).calls;
    await scan(BIG).result;
    const since = new Date(at(3000));
    const { result, calls } = scan(BIG, { since });
    const diagnosis = await result;
    const inWindow = BIG.filter((a) => a.attemptedAt >= since.toISOString());
    expect(diagnosis).toMatchObject({ ...expectedSummary(inWindow), complete: true });
    expect(diagnosis.window.from && diagnosis.window.from >= since.toISOString()).toBe(true);
    expect(calls.length).toBeLessThan(fullScanCalls.length);
  });

  it("needs only the two probe pages when the window is small", async () => {
    const since = new Date(at(5900));
    const { result, calls } = scan(BIG, { since });
    expect(await result).toMatchObject({ ...expectedSummary(BIG.filter((a) => a.attemptedAt >= since.toISOString())) });
    expect(calls.map((q) => q.eventType)).toEqual([undefined, undefined]);
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

  it("still pages the subscribed types when the unsubscribed-type probe fails, and says so", async () => {
    const { result } = scan(
      BIG,
      {},
      { failWhen: (q) => (q.eventType === undefined && !q.successful ? new Error("socket hang up") : undefined) },
    );
    const diagnosis = await result;
    expect(diagnosis).toMatchObject({ attemptsScanned: BIG.length, complete: false });
    expect(diagnosis.incompleteReason).toBe(
      "the check for unsubscribed event types (failed attempts) failed: socket hang up",
    );
  });

  it("stops at the time budget with a partial result", async () => {
    const budget = new AbortController();
    const { result, calls } = scan(
      BIG,
      { concurrency: 2, deadline: budget.signal, onProgress: (scanned) => scanned >= 400 && budget.abort() },
      { delayMs: () => 2 },
    );
    const diagnosis = await result;
    expect(diagnosis.complete).toBe(false);
    expect(diagnosis.incompleteReason).toMatch(/time budget ran out/);
    expect(diagnosis.attemptsScanned).toBeGreaterThanOrEqual(400);
    expect(diagnosis.attemptsScanned).toBeLessThan(BIG.length);
    const callsAtStop = calls.length;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(calls.length).toBe(callsAtStop);
  });

  it("treats an epoch-ms deadline in the past as no time at all", async () => {
    const diagnosis = await scan(BIG, { deadline: Date.now() - 1 }).result;
    expect(diagnosis).toMatchObject({ attemptsScanned: 0, complete: false, verdict: "no_traffic" });
  });

  it("rethrows client cancellation and issues no further requests", async () => {
    const client = new AbortController();
    const { result, calls } = scan(
      BIG,
      { concurrency: 4, signal: client.signal, onProgress: (scanned) => scanned >= 400 && client.abort() },
      { delayMs: () => 3 },
    );
    await expect(result).rejects.toMatchObject({ name: "AbortError" });
    const callsAtAbort = calls.length;
    expect(callsAtAbort).toBeLessThan(12);
    await new Promise((resolve) => setTimeout(resolve, 30));
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

  it("partitions by outcome only when no types are known", async () => {
    const { result, calls } = scan(BIG, { eventTypes: [] });
    expect(await result).toMatchObject({ ...expectedSummary(BIG), complete: true });
    expect(calls.every((q) => q.eventType === undefined)).toBe(true);
  });

  describe("event types the webhook no longer subscribes to", () => {
    const subscribedOnly = { ...webhook, events: ["webset.item.created"] };

    it("are included when the probe page holds the whole window", async () => {
      const small = generateHistory(40, 9);
      const { source } = fakeAttemptsSource(small);
      const diagnosis = await scanWebhookAttempts({
        webhook: subscribedOnly,
        source,
        maxAttempts: 10_000,
        concurrency: 4,
      });
      expect(diagnosis).toMatchObject({ ...expectedSummary(small), complete: true });
    });

    it("get their own partitions when the probe sees them among the newest attempts", async () => {
      const { source, calls } = fakeAttemptsSource(BIG);
      const diagnosis = await scanWebhookAttempts({
        webhook: subscribedOnly,
        source,
        maxAttempts: 100_000,
        concurrency: 4,
      });
      expect(diagnosis).toMatchObject({ ...expectedSummary(BIG), complete: true });
      expect(new Set(calls.map((q) => q.eventType))).toEqual(new Set([undefined, ...TYPES]));
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
