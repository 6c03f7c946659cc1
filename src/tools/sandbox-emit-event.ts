// sandbox_emit_event (only with --sandbox): fires an event at the sandbox's webhooks through real signed
// HTTP deliveries, so a user can watch their own local receiver get, verify and answer it.
import { z } from "zod";
import { ToolInputError } from "../errors.js";
import { SANDBOX_RETRY_DELAYS_MS } from "../sandbox/delivery/schedule.js";
import { plural } from "../text/words.js";
import { defineTool } from "./define.js";
import { eventType, strictInput, webhookId } from "./inputs.js";

const retrySchedule = SANDBOX_RETRY_DELAYS_MS.map((ms) => ms / 1000).join(", ");

export const sandboxEmitEventTool = defineTool({
  name: "sandbox_emit_event",
  title: "Emit a sandbox event",
  description:
    "Sandbox: create an event and deliver it, signed, to every active subscribed webhook (or only webhookId) in the background; then check list_webhook_attempts.",
  sandboxOnly: true,
  inputSchema: strictInput({
    type: eventType,
    webhookId: webhookId.optional().describe("Only this webhook; omit for every subscriber."),
    data: z
      .record(z.string(), z.unknown())
      .optional()
      .describe("The resource the event carries (at most 32 levels deep, 256 kB as JSON); omit for a realistic one."),
  }),
  outputSchema: z.object({
    eventId: z.string(),
    type: z.string(),
    deliveredTo: z.array(z.object({ webhookId: z.string(), url: z.string() })),
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  async handler(input, context) {
    if (!context.sandbox)
      throw new ToolInputError("sandbox_emit_event works only when the server runs with --sandbox.");
    const result = await context.sandbox.emitEvent(input);
    const { eventId, deliveredTo } = result;
    const lines =
      deliveredTo.length === 0
        ? [
            `Emitted ${eventId} (${input.type}), but no active webhook subscribes to ${input.type}, so nothing was delivered.`,
            `Subscribe one with create_webhook or update_webhook, or pass webhookId to send to a specific webhook. The event itself is stored: get_event {"eventId":"${eventId}"}.`,
          ]
        : [
            `Emitted ${eventId} (${input.type}); delivering in the background to ${plural(deliveredTo.length, "webhook")}:`,
            ...deliveredTo.map((target) => `- ${target.webhookId} → ${target.url}`),
            `Check the outcome in a few seconds: list_webhook_attempts {"webhookId":"${deliveredTo[0]?.webhookId}"}. Failed deliveries are retried after ${retrySchedule} s.`,
          ];
    return { text: lines.join("\n"), structured: { eventId, type: input.type, deliveredTo } };
  },
});
