// parseSince: relative spans and ISO timestamps, and errors that say what is accepted.
import { describe, expect, it } from "vitest";
import { parseSince } from "../../src/diagnose/index.js";

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

  it("rejects a future timestamp", () => {
    expect(() => parseSince("2027-01-01T00:00:00Z", now)).toThrow(/in the future/);
  });
});
