// The one span grammar that `since`, --interval and --cooldown share.
import { describe, expect, it } from "vitest";
import { parseSpanMs } from "../../src/text/duration.js";

describe("parseSpanMs", () => {
  it("reads every unit, case and spacing as people type them", () => {
    expect(parseSpanMs("1500ms")).toBe(1_500);
    expect(parseSpanMs("90s")).toBe(90_000);
    expect(parseSpanMs("30 m")).toBe(1_800_000);
    expect(parseSpanMs("24H")).toBe(86_400_000);
    expect(parseSpanMs("7d")).toBe(604_800_000);
    expect(parseSpanMs("2w")).toBe(1_209_600_000);
    expect(parseSpanMs("1.5h")).toBe(5_400_000);
  });

  it("gives a bare number the caller's unit, and no meaning without one", () => {
    expect(parseSpanMs("60", "s")).toBe(60_000);
    expect(parseSpanMs("60")).toBeUndefined();
  });

  it("is not a span for anything else", () => {
    for (const text of ["", "h", "-5m", "5 minutes", "2026-01-31", "1e3s", "5y"])
      expect(parseSpanMs(text, "s"), text).toBeUndefined();
  });
});
