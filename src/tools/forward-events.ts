// forward_events: real events forwarded to a local handler for a bounded time, for "test my handler with real
// events". Input and output here; the engine is src/listen/ (the same loop as `exa-webhooks-mcp listen`).
import { z } from "zod";
import { isEventType } from "../exa/event-types.js";
import {
  DEFAULT_FORWARD_EVENTS,
  DEFAULT_FORWARD_SECONDS,
  MAX_FORWARD_EVENTS,
  MAX_FORWARD_SECONDS,
} from "../listen/limits.js";
import { defineTool } from "./define.js";
import { sinceInput, strictInput } from "./inputs.js";

const wholeNumber = (name: string, max: number) =>
  z.preprocess(
    (value) => (typeof value === "string" && /^\s*\d+\s*$/.test(value) ? Number(value) : value),
    z
      .number()
      .int(`${name} must be a whole number`)
      .min(1, `${name} must be between 1 and ${max}`)
      .max(max, `${name} must be between 1 and ${max}`),
  );

const forwardedOutput = z.object({
  eventId: z.string(),
  type: z.string(),
  statusCode: z.number().describe("0 when no complete answer came (refused, reset, timed out)."),
  latencyMs: z.number(),
  accepted: z.boolean(),
  reason: z.string().optional().describe("Why it failed (the handler's words are untrusted)."),
});

export const forwardEventsTool = defineTool({
  name: "forward_events",
  title: "Forward real events to a local handler",
  description:
    "Test a local handler with real events: forward new Exa events, signed, to a loopback URL for up to maxSeconds or maxEvents; returns each with status and latency.",
  inputSchema: strictInput({
    targetUrl: z
      .string()
      .refine((value) => value.length <= 2048, "targetUrl is too long (2048 characters at most)")
      .describe("Loopback only, e.g. http://localhost:3000/webhooks/exa."),
    webhookId: z.string().optional().describe("Its subscribed types and secret."),
    types: z
      .array(z.string().refine(isEventType, "types must be Exa event types (exa-webhooks://event-types)"))
      .optional()
      .describe("Instead of the webhook's."),
    since: sinceInput.optional().describe("Replay from this far back (1h), then new ones."),
    maxSeconds: wholeNumber("maxSeconds", MAX_FORWARD_SECONDS)
      .optional()
      .describe(`Default ${DEFAULT_FORWARD_SECONDS}.`),
    maxEvents: wholeNumber("maxEvents", MAX_FORWARD_EVENTS).optional().describe(`Default ${DEFAULT_FORWARD_EVENTS}.`),
  }),
  outputSchema: z.object({
    secretSource: z.enum(["env", "flag", "sandbox", "local"]),
    localSecret: z.string().optional(),
    forwarded: z.array(forwardedOutput),
    skipped: z.number(),
    stoppedBy: z.enum(["max_events", "max_seconds", "error"]),
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  async handler(input, context) {
    const { forwardEvents } = await import("../listen/forward-events.js");
    const { renderForwardEvents } = await import("../listen/forward-events-text.js");
    // The ledger redeliver_events and listen share: an event already accepted at this target is not sent again.
    const memory = await context.memory();
    const outcome = await forwardEvents(input, {
      client: context.exa(),
      ledger: memory.ok ? { ledger: memory.store.ledger, account: memory.account } : undefined,
      webhookSecrets: context.config.webhookSecrets,
      sandboxSecret: context.sandbox
        ? (id) => context.sandbox?.webhookSecret(id) ?? Promise.resolve(undefined)
        : undefined,
      remoteCallers: context.config.remoteCallers ?? false,
      signal: context.signal,
      progress: (done, total, message) => context.progress(done, total, message),
    });
    const { notRememberedBecause } = await import("../store/unavailable.js");
    const forgotten = memory.ok
      ? ""
      : `\nThese forwards are not remembered because ${notRememberedBecause(memory.unavailable)}`;
    return {
      text: `${renderForwardEvents(outcome)}${forgotten}`,
      structured: {
        secretSource: outcome.secretSource,
        ...(outcome.localSecret ? { localSecret: outcome.localSecret } : {}),
        forwarded: outcome.forwarded.map((result) => ({
          eventId: result.eventId,
          type: result.type,
          statusCode: result.statusCode,
          latencyMs: result.durationMs,
          accepted: result.accepted,
          ...(result.reason ? { reason: result.reason } : {}),
        })),
        skipped: outcome.skipped,
        stoppedBy: outcome.stoppedBy,
      },
    };
  },
});
