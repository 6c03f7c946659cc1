// create_webhook: subscribes a URL to event types. The result carries the signing secret, once.
import { z } from "zod";
import { webhookDetail } from "../format/lines.js";
import { defineTool } from "./define.js";
import { eventTypes, metadata, strictInput, webhookUrl } from "./inputs.js";
import { createdWebhookOutput, toWebhookOutput } from "./outputs.js";

export const createWebhookTool = defineTool({
  name: "create_webhook",
  title: "Create a webhook",
  description:
    "Create a webhook that POSTs the chosen event types to a URL. Shows the signing secret once: tell the user to store it.",
  inputSchema: strictInput({ url: webhookUrl, events: eventTypes, metadata: metadata.optional() }),
  outputSchema: z.object({ webhook: createdWebhookOutput }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  async handler(input, context) {
    const webhook = await context.exa().createWebhook(input, context.signal);
    const secretLines = webhook.secret
      ? [
          `Signing secret: ${webhook.secret}`,
          "This secret is shown only this once: Exa never returns it again. Store it now (e.g. as EXA_WEBHOOK_SECRET in the receiver's environment); verify deliveries with it via the Exa-Signature header.",
        ]
      : ["Exa returned no signing secret for this webhook."];
    return {
      text: [`Created ${webhookDetail(webhook)}`, ...secretLines].join("\n"),
      structured: { webhook: toWebhookOutput(webhook, { includeSecret: true }) },
      secret: webhook.secret ?? undefined,
    };
  },
});
