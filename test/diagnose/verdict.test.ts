// Each verdict rule, in its precedence order, and the fleet ranking built on them.
import { describe, expect, it } from "vitest";
import { judgeVerdict, rankDiagnoses, type WebhookDiagnosis } from "../../src/diagnose/index.js";
import type { CutCause, Outcome } from "../../src/diagnose/types.js";
import type { VerdictInput } from "../../src/diagnose/verdict.js";
import { at } from "./fixtures.js";

function input(overrides: Partial<VerdictInput> = {}): VerdictInput {
  return {
    status: "active",
    attemptsScanned: 100,
    failedAttempts: 0,
    failureRate: 0,
    events: { total: 100, delivered: 100, recovered: 0, undelivered: 0, neverAttempted: 0 },
    lastSuccessAt: at(10),
    lastFailureAt: null,
    consecutiveFailures: 0,
    ...overrides,
  };
}

describe("judgeVerdict", () => {
  it("inactive wins over everything", () => {
    expect(judgeVerdict(input({ status: "inactive", attemptsScanned: 0 }))).toBe("inactive");
    expect(judgeVerdict(input({ status: "inactive" }))).toBe("inactive");
  });

  it("no_traffic when nothing was scanned", () => {
    expect(
      judgeVerdict(
        input({
          attemptsScanned: 0,
          events: { total: 0, delivered: 0, recovered: 0, undelivered: 0, neverAttempted: 0 },
        }),
      ),
    ).toBe("no_traffic");
  });

  it("never-attempted events: degraded, not no_traffic or healthy; inactive still first; an unread events page is unknown", () => {
    const missed = { total: 100, delivered: 100, recovered: 0, undelivered: 0, neverAttempted: 3 };
    expect(judgeVerdict(input({ events: missed }))).toBe("degraded");
    expect(judgeVerdict(input({ attemptsScanned: 0, events: { ...missed, total: 0, delivered: 0 } }))).toBe("degraded");
    expect(judgeVerdict(input({ status: "inactive", events: missed }))).toBe("inactive");
    const eventsFailed: CutCause = { kind: "eventsCut", reason: "failed", listed: 10, error: "HTTP 500" };
    expect(judgeVerdict(input({ causes: [eventsFailed] }))).toBe("unknown");
    expect(judgeVerdict(input({ attemptsScanned: 0, causes: [eventsFailed] }))).toBe("unknown");
    // Out of time listing events: the verdict is about what was read, and the text says it is partial.
    expect(judgeVerdict(input({ causes: [{ kind: "eventsCut", reason: "budget", listed: 10 }] }))).toBe("healthy");
  });

  it("failing when every scanned attempt failed, even a single one", () => {
    expect(
      judgeVerdict(
        input({ attemptsScanned: 1, failedAttempts: 1, failureRate: 1, lastSuccessAt: null, lastFailureAt: at(1) }),
      ),
    ).toBe("failing");
  });

  it("failing when the newest attempt failed and at least 2 failures follow the newest success", () => {
    const streak = { failedAttempts: 2, failureRate: 0.02, lastSuccessAt: at(5), lastFailureAt: at(9) };
    const oneUndelivered = { total: 100, delivered: 99, recovered: 0, undelivered: 1, neverAttempted: 0 };
    expect(judgeVerdict(input({ ...streak, consecutiveFailures: 2, events: oneUndelivered }))).toBe("failing");
    expect(judgeVerdict(input({ ...streak, consecutiveFailures: 3, events: oneUndelivered }))).toBe("failing");
    // One newest failure after successes is a blip, not a broken receiver: degraded (an event is undelivered).
    expect(judgeVerdict(input({ ...streak, failedAttempts: 1, consecutiveFailures: 1, events: oneUndelivered }))).toBe(
      "degraded",
    );
  });

  it("degraded on undelivered events or a failure rate of 5% while recent attempts succeed", () => {
    expect(
      judgeVerdict(
        input({
          failedAttempts: 1,
          failureRate: 0.01,
          lastFailureAt: at(1),
          events: { total: 100, delivered: 99, recovered: 0, undelivered: 1, neverAttempted: 0 },
        }),
      ),
    ).toBe("degraded");
    expect(
      judgeVerdict(
        input({
          failedAttempts: 5,
          failureRate: 0.05,
          lastFailureAt: at(1),
          events: { total: 95, delivered: 90, recovered: 5, undelivered: 0, neverAttempted: 0 },
        }),
      ),
    ).toBe("degraded");
  });

  it("healthy when everything got delivered and failures are rare", () => {
    expect(judgeVerdict(input())).toBe("healthy");
    expect(
      judgeVerdict(
        input({
          failedAttempts: 4,
          failureRate: 0.04,
          lastFailureAt: at(1),
          events: { total: 96, delivered: 92, recovered: 4, undelivered: 0, neverAttempted: 0 },
        }),
      ),
    ).toBe("healthy");
  });
});

describe("judgeVerdict when part of the history could not be read", () => {
  const probeFailed = (outcome: Outcome): CutCause => ({
    kind: "partitionFailed",
    eventType: null,
    outcome,
    pagesRead: 0,
    outcomeUnread: true,
    error: "Exa API 500",
  });
  const laterPageFailed = (outcome: Outcome): CutCause => ({
    kind: "partitionFailed",
    eventType: "webset.idle",
    outcome,
    pagesRead: 2,
    outcomeUnread: false,
    error: "Exa API 503",
  });
  const allFailed = { failedAttempts: 100, failureRate: 1, lastSuccessAt: null, lastFailureAt: at(9) };

  it("unknown when an outcome's newest attempts were not read, whatever was read of the other", () => {
    expect(judgeVerdict(input({ causes: [probeFailed("failed")] }))).toBe("unknown");
    expect(judgeVerdict(input({ ...allFailed, causes: [probeFailed("successful")] }))).toBe("unknown");
    expect(
      judgeVerdict(input({ attemptsScanned: 0, causes: [{ kind: "budget", scanned: 0, unreadOutcomes: ["failed"] }] })),
    ).toBe("unknown");
    // Still inactive first: that is known without the attempts.
    expect(judgeVerdict(input({ status: "inactive", causes: [probeFailed("failed")] }))).toBe("inactive");
  });

  it("nothing read is no_traffic only when the window was covered", () => {
    const none = {
      attemptsScanned: 0,
      events: { total: 0, delivered: 0, recovered: 0, undelivered: 0, neverAttempted: 0 },
    };
    expect(judgeVerdict(input({ ...none, causes: [{ kind: "since", at: at(0) }] }))).toBe("no_traffic");
    expect(judgeVerdict(input({ ...none, causes: [laterPageFailed("failed")] }))).toBe("unknown");
  });

  it("never healthy with a failed page; degraded and failing only where the missing part cannot undo them", () => {
    expect(judgeVerdict(input({ causes: [laterPageFailed("failed")] }))).toBe("unknown");
    expect(judgeVerdict(input({ causes: [laterPageFailed("successful")] }))).toBe("unknown");
    // Newest pages were read: a streak of failures after the newest success stands.
    expect(judgeVerdict(input({ ...allFailed, causes: [laterPageFailed("successful")] }))).toBe("failing");
    // Undelivered events are only counted where both outcomes were read in full: they stand too.
    const undelivered = { total: 100, delivered: 99, recovered: 0, undelivered: 1, neverAttempted: 0 };
    expect(judgeVerdict(input({ events: undelivered, causes: [laterPageFailed("failed")] }))).toBe("degraded");
    // A high rate with successes missing could be lower: not degraded, unknown.
    const rate = { failedAttempts: 10, failureRate: 0.1, lastFailureAt: at(1) };
    expect(judgeVerdict(input({ ...rate, causes: [laterPageFailed("failed")] }))).toBe("degraded");
    expect(judgeVerdict(input({ ...rate, causes: [laterPageFailed("successful")] }))).toBe("unknown");
  });

  it("a cap or the clock cutting typed partitions judges the attempts scanned", () => {
    expect(judgeVerdict(input({ causes: [{ kind: "maxAttempts", maxAttempts: 100 }] }))).toBe("healthy");
    expect(judgeVerdict(input({ causes: [{ kind: "budget", scanned: 100, unreadOutcomes: [] }] }))).toBe("healthy");
  });
});

describe("rankDiagnoses", () => {
  function diagnosis(webhookId: string, verdict: WebhookDiagnosis["verdict"], undelivered = 0): WebhookDiagnosis {
    return {
      webhookId,
      url: `https://example.com/${webhookId}`,
      status: verdict === "inactive" ? "inactive" : "active",
      verdict,
      attemptsScanned: 10,
      failedAttempts: undelivered,
      failureRate: undelivered / 10,
      complete: true,
      window: { from: at(0), to: at(9) },
      events: { total: 10, delivered: 10 - undelivered, recovered: 0, undelivered, neverAttempted: 0 },
      missedEvents: { undelivered: [], neverAttempted: [], truncated: false },
      groups: [],
      lastSuccessAt: at(9),
      lastFailureAt: null,
      consecutiveFailures: 0,
    };
  }

  it("orders inactive, failing, unknown, degraded, no_traffic, healthy; then by undelivered and id", () => {
    const ranked = rankDiagnoses([
      diagnosis("h", "healthy"),
      diagnosis("n", "no_traffic"),
      diagnosis("u", "unknown"),
      diagnosis("d", "degraded", 1),
      diagnosis("f1", "failing", 2),
      diagnosis("f2", "failing", 5),
      diagnosis("i", "inactive"),
      diagnosis("a", "healthy"),
    ]);
    expect(ranked.map((d) => d.webhookId)).toEqual(["i", "f2", "f1", "u", "d", "n", "a", "h"]);
  });
});
