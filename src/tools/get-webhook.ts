// get_webhook: one webhook's configuration (the secret is never readable again after create).
import { z } from "zod";
import { webhookDetail } from "../format/lines.js";
import { defineTool } from "./define.js";
import { strictInput, webhookId } from "./inputs.js";
import { toWebhookOutput, webhookOutput } from "./outputs.js";

export const getWebhookTool = defineTool({
  name: "get_webhook",
  title: "Get a webhook",
  description: "Show one webhook's status, URL, subscribed events and metadata.",
  inputSchema: strictInput({ webhookId }),
  outputSchema: z.object({ webhook: webhookOutput }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler(input, context) {
    const webhook = await context.exa().getWebhook(input.webhookId, context.signal);
    const inactive =
      webhook.status === "inactive" ? "\nExa is not delivering to it (inactive). Run diagnose_failures for why." : "";
    return { text: `${webhookDetail(webhook)}${inactive}`, structured: { webhook: toWebhookOutput(webhook) } };
  },
});
