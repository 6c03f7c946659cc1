// update_webhook: change a webhook's URL, events or metadata (status cannot be changed through Exa's API).
import { z } from "zod";
import { webhookDetail } from "../format/lines.js";
import { ToolInputError } from "../format/tool-error.js";
import { defineTool } from "./define.js";
import { eventTypeList, metadata, strictInput, webhookId, webhookUrl } from "./inputs.js";
import { toWebhookOutput, webhookOutput } from "./outputs.js";

export const updateWebhookTool = defineTool({
  name: "update_webhook",
  title: "Update a webhook",
  description: "Change a webhook's url, events or metadata (at least one). The secret stays the same.",
  inputSchema: strictInput({
    webhookId,
    url: webhookUrl.optional(),
    events: eventTypeList.optional().describe("Replaces the whole list."),
    metadata: metadata.optional(),
  }),
  outputSchema: z.object({ webhook: webhookOutput }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler(input, context) {
    const { webhookId: id, ...changes } = input;
    if (changes.url === undefined && changes.events === undefined && changes.metadata === undefined) {
      throw new ToolInputError("nothing to change. Give url, events or metadata (or several).");
    }
    const webhook = await context.exa().updateWebhook(id, changes, context.signal);
    return { text: `Updated ${webhookDetail(webhook)}`, structured: { webhook: toWebhookOutput(webhook) } };
  },
});
