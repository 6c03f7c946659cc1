// verify_webhook_signature: checks an Exa-Signature header offline and, when it fails, names the cause
// (re-serialized body, wrong scheme, secret whitespace/prefix, stale or millisecond timestamp).
// No network and no Exa client: everything needed is in the input.
import { z } from "zod";
import { DEFAULT_TOLERANCE_SECONDS } from "../signature/reasons.js";
import { defineTool } from "./define.js";
import { numberLike } from "./inputs.js";

// A week: enough for a slow queue; older captured deliveries should be checked with `now` instead.
const MAX_TOLERANCE_SECONDS = 604_800;

const inputSchema = z
  .object({
    payload: z.string().describe("Raw request body as received (not re-serialized JSON)."),
    signatureHeader: z.string().describe('Exa-Signature value, "t=<unix>,v1=<hex>".'),
    secret: z.string().describe("The webhook's secret; never echoed."),
    toleranceSeconds: numberLike(z.number().int().min(0).max(MAX_TOLERANCE_SECONDS))
      .optional()
      .describe(`Max age of t in seconds, default ${DEFAULT_TOLERANCE_SECONDS}.`),
    now: numberLike(z.number().int().positive())
      .refine((value) => value < 1e11, "now is in unix seconds, not milliseconds")
      .optional()
      .describe("Unix seconds to check at (old deliveries)."),
  })
  .strict();

const outputSchema = z.object({
  valid: z.boolean(),
  reason: z.string(),
  timestamp: z.number().nullable(),
  ageSeconds: z.number().nullable(),
});

export const verifyWebhookSignatureTool = defineTool({
  name: "verify_webhook_signature",
  title: "Verify an Exa webhook signature",
  description:
    "Why does my receiver reject Exa's signature? Checks an Exa-Signature header against the raw body and secret, offline, and names the mistake (re-serialized JSON, wrong scheme, secret format, stale timestamp). Works for Websets and Search Monitors deliveries.",
  inputSchema,
  outputSchema,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async handler(input) {
    // Loaded on first use: node:crypto costs ~5 ms to load, a tenth of the whole start-up.
    const { verifyExaSignature } = await import("../signature/verify.js");
    const result = verifyExaSignature(input);
    const text = result.valid
      ? `Signature valid: ${result.summary}`
      : `Signature invalid: ${result.summary}\n${result.nextStep}`;
    return {
      text,
      structured: {
        valid: result.valid,
        reason: result.reason,
        timestamp: result.timestamp,
        ageSeconds: result.ageSeconds,
      },
    };
  },
});
