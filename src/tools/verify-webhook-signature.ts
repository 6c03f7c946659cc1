// verify_webhook_signature: checks an Exa-Signature header offline and, when it fails, names the cause
// (re-serialized body, wrong scheme, secret whitespace/prefix, stale or millisecond timestamp).
// No network and no Exa client: everything needed is in the input.
import { z } from "zod";
import { VERIFY_REASONS } from "../signature/reasons.js";
import { DEFAULT_TOLERANCE_SECONDS, verifyExaSignature } from "../signature/verify.js";
import { defineTool } from "./define.js";

// A week: enough for a slow queue; older captured deliveries should be checked with `now` instead.
const MAX_TOLERANCE_SECONDS = 604_800;

const inputSchema = z
  .object({
    payload: z
      .string()
      .describe(
        "The RAW request body exactly as received, byte for byte. Not parsed and re-stringified JSON: Exa signs the raw body, so any re-serialization breaks the signature.",
      ),
    signatureHeader: z
      .string()
      .describe(
        'The Exa-Signature header value, e.g. "t=1735689600,v1=<hex>" (the "Exa-Signature:" name may be included).',
      ),
    secret: z
      .string()
      .describe(
        "The webhook secret returned by create_webhook. It is used only to compute the HMAC and is never echoed.",
      ),
    toleranceSeconds: z
      .number()
      .int()
      .min(0)
      .max(MAX_TOLERANCE_SECONDS)
      .optional()
      .describe(`Maximum age (or clock skew into the future) of t in seconds. Default ${DEFAULT_TOLERANCE_SECONDS}.`),
    now: z
      .number()
      .int()
      .positive()
      .optional()
      .describe(
        "Unix seconds to verify at, instead of the current time. Set it near the delivery time to check an old captured delivery.",
      ),
  })
  .strict();

const outputSchema = z.object({
  valid: z.boolean(),
  reason: z.enum(VERIFY_REASONS),
  timestamp: z.number().nullable(),
  ageSeconds: z.number().nullable(),
});

export const verifyWebhookSignatureTool = defineTool({
  name: "verify_webhook_signature",
  title: "Verify an Exa webhook signature",
  description:
    "Check an Exa-Signature header against a delivery's raw body and the webhook secret, offline. Use it when a receiver rejects Exa's signature: it names the cause (re-serialized JSON, wrong scheme, secret whitespace or prefix, stale or millisecond timestamp) and the fix. The secret is never echoed.",
  kind: "offline",
  inputSchema,
  outputSchema,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async handler(input) {
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
