// Receiver text made safe to quote: one line, bounded in JavaScript characters, never a broken surrogate.
import { describe, expect, it } from "vitest";
import { SAMPLE_RESPONSE_MAX_CHARS, sanitizeResponseText } from "../../src/diagnose/sanitize.js";

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

describe("sanitizeResponseText", () => {
  it("keeps at most 300 UTF-16 units, which is what the contract and .length count", () => {
    const sample = sanitizeResponseText("🔥".repeat(400));
    expect(SAMPLE_RESPONSE_MAX_CHARS).toBe(300);
    expect(sample.length).toBeLessThanOrEqual(300);
    expect(sample.endsWith("…")).toBe(true);
  });

  it.each([0, 1, 2, 3])("never splits a surrogate pair at the cut (offset %i)", (offset) => {
    const sample = sanitizeResponseText(`${"a".repeat(offset)}${"é🔥".repeat(300)}`);
    expect(sample.length).toBeLessThanOrEqual(300);
    expect(sample).not.toMatch(LONE_SURROGATE);
  });

  it("replaces lone surrogates the receiver sent", () => {
    expect(sanitizeResponseText("bad \ud83d here \udd25")).toBe("bad \ufffd here \ufffd");
  });

  it("leaves short text alone and respects a smaller limit", () => {
    expect(sanitizeResponseText("Cannot POST /exa")).toBe("Cannot POST /exa");
    expect(sanitizeResponseText("abcdefghij", 5)).toBe("abcd…");
    expect(sanitizeResponseText("abc🔥defgh", 5)).toBe("abc…");
  });
});
