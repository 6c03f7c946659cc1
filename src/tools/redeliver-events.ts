// redeliver_events: replays missed events to the webhook's receiver, signed with its secret like Exa signs
// them. A dry run (the default) shows the plan. Input and output here; the engine is src/redeliver/.
import { z } from "zod";
import { isValidId } from "../exa/ids.js";
import { DEFAULT_MAX_EVENTS, MAX_EVENTS, MAX_LISTED, redeliveryOutput } from "../redeliver/schema.js";
import { WEBHOOK_SECRETS_VARIABLE } from "../redeliver/secrets.js";
import { defineTool } from "./define.js";
import { booleanLike, numberLike, sinceInput, strictInput, webhookId } from "./inputs.js";

const maxEvents = numberLike(
  z
    .number()
    .int("maxEvents must be a whole number")
    .min(1, `maxEvents must be between 1 and ${MAX_EVENTS}`)
    .max(MAX_EVENTS, `maxEvents must be between 1 and ${MAX_EVENTS}`),
);

export const redeliverEventsTool = defineTool({
  name: "redeliver_events",
  title: "Redeliver missed events",
  description:
    "Replay missed Websets events to the webhook's receiver, signed like Exa (which has no redeliver): eventIds or undelivered:true. Default dry run shows the plan; dryRun:false sends.",
  inputSchema: strictInput({
    webhookId,
    // Bounds as refinements and ids without their shared description: fewer tools/list bytes.
    eventIds: z
      .array(z.string().refine(isValidId, "eventIds must be Exa event ids, as returned by list_events"))
      .refine((ids) => ids.length >= 1 && ids.length <= MAX_LISTED, `eventIds needs 1 to ${MAX_LISTED} ids`)
      .optional()
      .describe(`1-${MAX_LISTED} ids.`),
    undelivered: booleanLike.optional().describe("true: what a fresh diagnosis finds missed."),
    since: sinceInput.optional().describe("With undelivered: ISO time or span (24h)."),
    targetUrl: z
      .string()
      .refine((value) => value.length <= 2048, "targetUrl is too long (2048 characters at most)")
      .optional()
      .describe("Default: the webhook's URL; else its origin or loopback only."),
    secret: z.string().min(1, "secret must not be empty").optional().describe(`Unless in ${WEBHOOK_SECRETS_VARIABLE}.`),
    dryRun: booleanLike.optional().describe("Default true."),
    maxEvents: maxEvents.optional().describe(`Default ${DEFAULT_MAX_EVENTS}.`),
    force: booleanLike.optional().describe("true: send even if delivered or unknown."),
  }),
  outputSchema: redeliveryOutput,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  async handler(input, context) {
    // The engine loads on the first redelivery, not at start: tools/list needs only the schemas above.
    const { redeliverEvents } = await import("../redeliver/index.js");
    return redeliverEvents(input, context);
  },
});
