// The streaming aggregator: event outcomes on retried events, groups, streaks, and order independence.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createAttemptAggregator } from "../../src/diagnose/index.js";
import type { WebhookAttempt } from "../../src/exa/schemas.js";
import { at, attempt, failed, generateHistory, seeded, shuffle, WEBHOOK_URL } from "./fixtures.js";

function summarize(attempts: readonly WebhookAttempt[]) {
  const aggregator = createAttemptAggregator({ webhookUrl: WEBHOOK_URL });
  for (const a of attempts) aggregator.add(a);
  return aggregator.result();
}

describe("event outcomes", () => {
  it("counts delivered, recovered and undelivered events across retries", () => {
    const summary = summarize([
      attempt({ eventId: "evt_delivered", attempt: 1, attemptedAt: at(1) }),
      failed({ eventId: "evt_recovered", attempt: 1, attemptedAt: at(2) }),
      failed({ eventId: "evt_recovered", attempt: 2, attemptedAt: at(3) }),
      attempt({ eventId: "evt_recovered", attempt: 3, attemptedAt: at(4) }),
      failed({ eventId: "evt_lost", attempt: 1, attemptedAt: at(5) }),
      failed({ eventId: "evt_lost", attempt: 2, attemptedAt: at(6) }),
    ]);
    expect(summary.events).toEqual({ total: 3, delivered: 1, recovered: 1, undelivered: 1, neverAttempted: 0 });
    expect(summary.attemptsScanned).toBe(6);
    expect(summary.failedAttempts).toBe(4);
    expect(summary.failureRate).toBeCloseTo(4 / 6);
  });

  it("judges by attempt numbers, not by the order attempts arrive in", () => {
    const events = [
      attempt({ eventId: "evt_a", attempt: 2, attemptedAt: at(2) }),
      failed({ eventId: "evt_a", attempt: 1, attemptedAt: at(1) }),
    ];
    expect(summarize(events).events.recovered).toBe(1);
    expect(summarize([...events].reverse()).events.recovered).toBe(1);
  });

  it("treats a partial view (first attempt outside the window) by what was scanned", () => {
    // Only the successful retry is in the window: no failed attempt has a lower number → delivered.
    const summary = summarize([attempt({ eventId: "evt_a", attempt: 3, attemptedAt: at(9) })]);
    expect(summary.events).toEqual({ total: 1, delivered: 1, recovered: 0, undelivered: 0, neverAttempted: 0 });
  });
});

describe("groups", () => {
  it("groups by (category, status), sorts by count and samples the newest attempt", () => {
    const summary = summarize([
      failed({ id: "a1", responseStatusCode: 0, responseBody: "connect ECONNREFUSED 127.0.0.1:9", attemptedAt: at(1) }),
      failed({
        id: "a2",
        eventId: "evt_x",
        eventType: "webset.idle",
        responseStatusCode: 0,
        responseBody: "connect ECONNREFUSED 127.0.0.1:9 (newest)",
        attemptedAt: at(5),
      }),
      failed({ id: "a3", responseStatusCode: 0, responseBody: "read ECONNRESET", attemptedAt: at(3) }),
      failed({ id: "b1", responseStatusCode: 401, responseBody: "invalid signature", attemptedAt: at(2) }),
    ]);
    expect(summary.groups.map((g) => [g.category, g.statusCode, g.count])).toEqual([
      ["unreachable", 0, 3],
      ["auth_rejected", 401, 1],
    ]);
    const [unreachable] = summary.groups;
    expect(unreachable).toMatchObject({
      eventTypes: ["webset.idle", "webset.item.created"],
      firstSeen: at(1),
      lastSeen: at(5),
      sampleAttemptId: "a2",
      sampleEventId: "evt_x",
      sampleResponse: "connect ECONNREFUSED 127.0.0.1:9 (newest)",
    });
    expect(unreachable?.hint).toContain("curl -sv -X POST 'https://hooks.example.com/exa/webhook'");
  });

  it("keeps samples short, single-line and free of control characters", () => {
    const body = `Error\u0000\u001b[31m boom\r\n${"x".repeat(1000)}\u202e`;
    const [group] = summarize([failed({ responseBody: body })]).groups;
    expect(group?.sampleResponse.length).toBeLessThanOrEqual(300);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: asserting none survive.
    expect(group?.sampleResponse).not.toMatch(/[\u0000-\u001f\u007f\u202e]/);
    expect(group?.sampleResponse.startsWith("Error[31m boom x")).toBe(true);
  });

  it("samples the newest attempt with a response body, so an empty newest attempt hides no evidence", () => {
    const group = [
      failed({
        id: "a1",
        responseStatusCode: 0,
        responseBody: "connect ECONNREFUSED 10.0.0.5:443",
        attemptedAt: at(1),
      }),
      failed({
        id: "a2",
        responseStatusCode: 0,
        responseBody: "getaddrinfo ENOTFOUND hooks.example.com",
        attemptedAt: at(2),
      }),
      failed({ id: "a3", responseStatusCode: 0, responseBody: "", attemptedAt: at(3) }),
      failed({ id: "a4", responseStatusCode: 0, responseBody: null, attemptedAt: at(4) }),
      failed({ id: "a5", responseStatusCode: 0, responseBody: " \n\t", attemptedAt: at(4) }),
    ];
    for (const seed of [1, 2, 3, 4, 5]) {
      const [unreachable] = summarize(shuffle(group, seeded(seed))).groups;
      expect(unreachable).toMatchObject({
        count: 5,
        lastSeen: at(4),
        sampleAttemptId: "a2",
        sampleResponse: "getaddrinfo ENOTFOUND hooks.example.com",
      });
      // The hint reads the sample: DNS advice, not "nothing accepted the connection".
      expect(unreachable?.hint).toContain("dig +short 'hooks.example.com'");
    }
  });

  it("falls back to the newest attempt when no response has a body, ties by attempt id", () => {
    const empty = [
      failed({ id: "b1", responseStatusCode: 0, responseBody: "", attemptedAt: at(1) }),
      failed({ id: "b3", responseStatusCode: 0, responseBody: null, attemptedAt: at(2) }),
      failed({ id: "b2", responseStatusCode: 0, responseBody: "", attemptedAt: at(2) }),
    ];
    for (const seed of [1, 2, 3]) {
      expect(summarize(shuffle(empty, seeded(seed))).groups[0]).toMatchObject({
        sampleAttemptId: "b3",
        sampleResponse: "",
      });
    }
  });

  it("reduces gateway HTML pages to their text", () => {
    const [group] = summarize([
      failed({
        responseStatusCode: 502,
        responseBody: "<html><head><title>502 Bad Gateway</title></head><body><center>nginx</center></body></html>",
      }),
    ]).groups;
    expect(group?.sampleResponse).toBe("502 Bad Gateway nginx");
  });
});

describe("timeline", () => {
  it("tracks the window, last success/failure and the failure streak after the newest success", () => {
    const summary = summarize([
      failed({ attemptedAt: at(1) }),
      attempt({ attemptedAt: at(2) }),
      failed({ attemptedAt: at(3) }),
      attempt({ attemptedAt: at(4) }),
      failed({ attemptedAt: at(5) }),
      failed({ attemptedAt: at(6) }),
      failed({ attemptedAt: at(7) }),
    ]);
    expect(summary.window).toEqual({ from: at(1), to: at(7) });
    expect(summary.lastSuccessAt).toBe(at(4));
    expect(summary.lastFailureAt).toBe(at(7));
    expect(summary.consecutiveFailures).toBe(3);
  });

  it("counts every failure as the streak when nothing succeeded, and handles an empty stream", () => {
    expect(summarize([failed({ attemptedAt: at(1) }), failed({ attemptedAt: at(2) })]).consecutiveFailures).toBe(2);
    expect(summarize([])).toMatchObject({
      attemptsScanned: 0,
      failureRate: 0,
      window: { from: null, to: null },
      lastSuccessAt: null,
      lastFailureAt: null,
      consecutiveFailures: 0,
      groups: [],
    });
  });

  it("gets the streak right with many out-of-order failures (pruning path)", () => {
    const history = [
      ...Array.from({ length: 300 }, (_, i) => failed({ attemptedAt: at(i) })),
      attempt({ attemptedAt: at(250) }),
    ];
    for (const seed of [1, 2, 3]) {
      expect(summarize(shuffle(history, seeded(seed))).consecutiveFailures).toBe(49);
    }
  });
});

describe("order independence", () => {
  it("gives an identical result for any insertion order (generated histories)", () => {
    const history = generateHistory(150, 7);
    const expected = summarize(history);
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        expect(summarize(shuffle(history, seeded(seed)))).toEqual(expected);
      }),
      { numRuns: 50 },
    );
  });

  it("breaks sample ties on equal timestamps by attempt id", () => {
    const tied = [
      failed({ id: "att_b", responseBody: "b", attemptedAt: at(1) }),
      failed({ id: "att_a", responseBody: "a", attemptedAt: at(1) }),
    ];
    expect(summarize(tied).groups[0]?.sampleAttemptId).toBe("att_b");
    expect(summarize([...tied].reverse()).groups[0]?.sampleAttemptId).toBe("att_b");
  });
});
