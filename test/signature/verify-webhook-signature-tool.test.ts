// The verify_webhook_signature tool as a model sees it: the text it reads and the structured twin,
// produced by calling the handler directly (it is offline, so the context is never consulted).
import { describe, expect, it } from "vitest";
import { signExaPayload } from "../../src/signature/sign.js";
import type { ToolContext } from "../../src/tools/define.js";
import { verifyWebhookSignatureTool as tool } from "../../src/tools/verify-webhook-signature.js";

const SECRET = "Rt5yHn8mKo2pWq7eZx4c";
const NOW = 1_735_689_600;
const RAW =
  '{"id":"evt_01","object":"event","type":"webset.created","data":{"id":"ws_1"},"createdAt":"2025-01-01T00:00:00Z"}';
const HEADER = signExaPayload(RAW, SECRET, NOW - 30);
// Offline tools must not touch the context; a context whose every member throws proves it.
const context = new Proxy({} as ToolContext, {
  get() {
    throw new Error("an offline tool touched its context");
  },
});

async function call(input: Record<string, unknown>) {
  const parsed = tool.inputSchema.parse({ payload: RAW, signatureHeader: HEADER, secret: SECRET, now: NOW, ...input });
  const result = await tool.handler(parsed, context);
  expect(tool.outputSchema.parse(result.structured)).toEqual(result.structured);
  expect(JSON.stringify(result)).not.toContain(SECRET.slice(0, 8));
  return result;
}

describe("verify_webhook_signature", () => {
  it("is what its annotations say: it reaches nothing (its context throws on use) and answers the same twice", async () => {
    const first = await call({});
    const second = await call({});
    expect(second).toEqual(first);
    expect(tool.annotations).toEqual({
      readOnlyHint: true,
      destructiveHint: false,
      idempotentHint: true,
      openWorldHint: false,
    });
  });

  // The description promises four findings: each one named there is a finding the tool makes.
  it.each([
    ["re-serialized JSON", { payload: JSON.stringify(JSON.parse(RAW), null, 2) }, "payload_reserialized"],
    [
      "wrong scheme",
      { signatureHeader: "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=" },
      "wrong_scheme_standard_webhooks",
    ],
    ["secret format", { secret: `${SECRET}\n` }, "secret_whitespace"],
    ["stale timestamp", { now: NOW + 3600 }, "timestamp_outside_tolerance"],
  ])("finds the %s its description names", async (named, input, reason) => {
    expect(tool.description).toContain(named);
    expect((await call(input)).structured.reason).toBe(reason);
  });

  it("leads with 'Signature valid' and returns the structured twin", async () => {
    const result = await call({});
    expect(result.text).toMatch(/^Signature valid: /);
    expect(result.structured).toEqual({ valid: true, reason: "valid", timestamp: NOW - 30, ageSeconds: 30 });
  });

  it("leads with the cause, then the next step, when invalid", async () => {
    const result = await call({ payload: JSON.stringify(JSON.parse(RAW), null, 2) });
    expect(result.structured).toEqual({
      valid: false,
      reason: "payload_reserialized",
      timestamp: NOW - 30,
      ageSeconds: 30,
    });
    expect(result.text).toMatchInlineSnapshot(`
      "Signature invalid: the signature matches only after the payload is re-serialized as compact JSON, so the payload checked is not the raw body Exa signed.
      Verify the raw request body exactly as received (express.raw, await request.text(), the body bytes), then parse JSON only after the check passes."
    `);
  });

  it("keeps the secret out of the text even when the secret is the problem", async () => {
    const result = await call({ secret: `${SECRET}\n` });
    expect(result.structured.reason).toBe("secret_whitespace");
    expect(result.text.split("\n")).toHaveLength(2);
  });

  it("rejects unknown input keys and out-of-range tolerances", () => {
    const base = { payload: RAW, signatureHeader: HEADER, secret: SECRET };
    expect(tool.inputSchema.safeParse({ ...base, timestamp: NOW }).success).toBe(false);
    expect(tool.inputSchema.safeParse({ ...base, toleranceSeconds: -1 }).success).toBe(false);
    expect(tool.inputSchema.safeParse({ ...base, toleranceSeconds: 1.5 }).success).toBe(false);
  });
});
