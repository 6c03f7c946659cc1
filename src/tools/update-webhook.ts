// update_webhook: change a webhook's URL, events or metadata (status cannot be changed through Exa's API).
// Exa's answer is checked against what was asked: a 200 that shows the old value is not reported as done.
import { z } from "zod";
import { ToolInputError } from "../errors.js";
import type { WebhookChanges } from "../exa/client.js";
import type { Webhook } from "../exa/schemas.js";
import { webhookDetail } from "../format/lines.js";
import { defineTool } from "./define.js";
import { eventTypeList, metadata, strictInput, webhookId, webhookUrl } from "./inputs.js";
import { toWebhookOutput, webhookOutput } from "./outputs.js";

const CHANGEABLE_FIELDS = ["url", "events", "metadata"] as const;
type ChangeableField = (typeof CHANGEABLE_FIELDS)[number];

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
  outputSchema: z.object({
    webhook: webhookOutput,
    unchanged: z.array(z.enum(CHANGEABLE_FIELDS)),
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler(input, context) {
    const { webhookId: id, ...changes } = input;
    if (changes.url === undefined && changes.events === undefined && changes.metadata === undefined) {
      throw new ToolInputError("nothing to change. Give url, events or metadata (or several).");
    }
    const webhook = await context.exa().updateWebhook(id, changes, context.signal);
    const unchanged = unappliedChanges(changes, webhook);
    const text = unchanged.length
      ? [
          `Exa answered update_webhook without applying every change: ${unchanged.join(", ")} still show${unchanged.length === 1 ? "s" : ""} another value than asked.`,
          webhookDetail(webhook),
          `Call get_webhook ${JSON.stringify({ webhookId: id })} to see the current values, then call update_webhook again for ${unchanged.join(", ")} if needed.`,
        ].join("\n")
      : `Updated ${webhookDetail(webhook)}`;
    return { text, structured: { webhook: toWebhookOutput(webhook), unchanged } };
  },
});

/**
 * The asked fields the returned webhook does not reflect. Events compare as a set (order carries no meaning),
 * URLs after URL normalization, and metadata by the asked keys (Exa may keep others).
 */
function unappliedChanges(changes: WebhookChanges, webhook: Webhook): ChangeableField[] {
  const unchanged: ChangeableField[] = [];
  if (changes.url !== undefined && normalizedUrl(changes.url) !== normalizedUrl(webhook.url)) unchanged.push("url");
  if (changes.events !== undefined) {
    const returned = new Set(webhook.events);
    const asked = new Set(changes.events);
    if (returned.size !== asked.size || [...asked].some((event) => !returned.has(event))) unchanged.push("events");
  }
  if (changes.metadata !== undefined) {
    const returned = webhook.metadata ?? {};
    if (Object.entries(changes.metadata).some(([key, value]) => returned[key] !== value)) unchanged.push("metadata");
  }
  return CHANGEABLE_FIELDS.filter((field) => unchanged.includes(field));
}

function normalizedUrl(url: string): string {
  try {
    return new URL(url).href;
  } catch {
    return url;
  }
}
