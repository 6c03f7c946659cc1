// parseSince: relative spans and ISO timestamps, and errors that say what is accepted.
import { describe, expect, it } from "vitest";
import { parseSince } from "../../src/diagnose/index.js";
import { runBin } from "../helpers/harness.js";

const now = new Date("2026-02-01T12:00:00.000Z");

describe("parseSince", () => {
  it.each([
    ["90s", "2026-02-01T11:58:30.000Z"],
    ["30m", "2026-02-01T11:30:00.000Z"],
    ["24h", "2026-01-31T12:00:00.000Z"],
    ["7d", "2026-01-25T12:00:00.000Z"],
    ["2w", "2026-01-18T12:00:00.000Z"],
    [" 12H ", "2026-02-01T00:00:00.000Z"],
  ])("parses the span %s", (input, expected) => {
    expect(parseSince(input, now).toISOString()).toBe(expected);
  });

  it.each([
    ["2026-01-31T08:00:00Z", "2026-01-31T08:00:00.000Z"],
    ["2026-01-31T08:00:00.123+02:00", "2026-01-31T06:00:00.123Z"],
    ["2026-01-30", "2026-01-30T00:00:00.000Z"],
  ])("parses the timestamp %s", (input, expected) => {
    expect(parseSince(input, now).toISOString()).toBe(expected);
  });

  it.each(["", "yesterday", "1", "0h", "-5m", "5y", "2026-13-45", "March 3"])(
    "rejects %j with a helpful message",
    (input) => {
      expect(() => parseSince(input, now)).toThrow(
        /Use a span like "90s", "30m", "24h", "7d", "2w", or an ISO timestamp/,
      );
    },
  );

  it.each([
    ["9999999999d", /reaches before any date/],
    ["2026-02-30", /is not a valid date/],
    ["2025-02-29T00:00:00Z", /is not a valid date/],
    ["2026-01-31T24:00:00Z", /is not a valid date/],
    ["2026-01-31T12:00:00+25:00", /is not a valid date/],
  ])("refuses %j, which Date would turn into an Invalid Date or roll into the next month", (input, why) => {
    expect(() => parseSince(input, now)).toThrow(why);
    expect(() => parseSince(input, now)).toThrow(/Use a span like "90s"/);
  });

  it("keeps a leap day and a far but real span", () => {
    expect(parseSince("2024-02-29", now).toISOString()).toBe("2024-02-29T00:00:00.000Z");
    expect(parseSince("36500d", now).toISOString()).toBe("1926-02-26T12:00:00.000Z");
  });

  it("rejects a future timestamp", () => {
    expect(() => parseSince("2027-01-01T00:00:00Z", now)).toThrow(/in the future/);
  });
});

// Through the built bin: both tools that take `since` refuse these with the usual message (before the fix the
// span crashed both with "Invalid time value" and the date was read as March 2).
describe("a since Date cannot hold, through the bin", () => {
  it.each([
    ["9999999999d", "reaches before any date"],
    ["2026-02-30", "is not a valid date"],
  ])("%j is refused by diagnose_failures and redeliver_events", (since, why) => {
    for (const [tool, args] of [
      ["diagnose_failures", { since }],
      ["redeliver_events", { webhookId: "webhook_x", undelivered: true, since }],
    ] as const) {
      const run = runBin(["call", tool, JSON.stringify(args), "--sandbox"]);
      expect(run.status).toBe(1);
      expect(run.stdout).toContain(
        `Invalid input for ${tool}: since "${since}" ${why}. Use a span like "90s", "30m", "24h", "7d", "2w", or an ISO timestamp`,
      );
    }
  });
});
