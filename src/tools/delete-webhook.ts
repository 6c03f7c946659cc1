// delete_webhook: removes a webhook for good; Exa stops delivering to it at once.
import { z } from "zod";
import { webhookDetail } from "../format/lines.js";
import { defineTool } from "./define.js";
import { strictInput, webhookId } from "./inputs.js";
import { toWebhookOutput, webhookOutput } from "./outputs.js";

const CONFIRMATION_TEXT = {
  body: "",
  "2xx": " (Exa confirmed it without returning the webhook)",
  retry: " (the first request was applied: its answer was lost, and the retry found the webhook already gone)",
} as const;

export const deleteWebhookTool = defineTool({
  name: "delete_webhook",
  title: "Delete a webhook",
  description: "Delete a webhook for good: deliveries stop and its secret is lost.",
  inputSchema: strictInput({ webhookId }),
  outputSchema: z.object({
    confirmed: z.enum(["body", "2xx", "retry"]),
    webhook: webhookOutput.optional(),
  }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  async handler(input, context) {
    const result = await context.exa().deleteWebhook(input.webhookId, context.signal);
    const what = result.webhook
      ? `Deleted ${webhookDetail(result.webhook)}`
      : `Deleted webhook ${result.webhookId}${CONFIRMATION_TEXT[result.confirmed]}.`;
    return {
      text: `${what}\nRecreating it needs create_webhook and gives a new secret.`,
      structured: {
        confirmed: result.confirmed,
        ...(result.webhook ? { webhook: toWebhookOutput(result.webhook) } : {}),
      },
    };
  },
});
