// delete_webhook: removes a webhook for good; Exa stops delivering to it at once.
import { z } from "zod";
import { webhookDetail } from "../format/lines.js";
import { defineTool } from "./define.js";
import { strictInput, webhookId } from "./inputs.js";
import { toWebhookOutput, webhookOutput } from "./outputs.js";

export const deleteWebhookTool = defineTool({
  name: "delete_webhook",
  title: "Delete a webhook",
  description: "Delete a webhook for good: deliveries stop and its secret is lost.",
  inputSchema: strictInput({ webhookId }),
  outputSchema: z.object({ webhook: webhookOutput }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  async handler(input, context) {
    const webhook = await context.exa().deleteWebhook(input.webhookId, context.signal);
    return {
      text: `Deleted ${webhookDetail(webhook)}\nRecreating it needs create_webhook and gives a new secret.`,
      structured: { webhook: toWebhookOutput(webhook) },
    };
  },
});
