// list_webhooks: the account's webhooks, one line each, with the exact call for the next page.
import { z } from "zod";
import { nextPageLine, webhookLine } from "../format/lines.js";
import { plural } from "../text/words.js";
import { defineTool } from "./define.js";
import { cursor, limit, strictInput } from "./inputs.js";
import { pageInfo, toWebhookOutput, webhookOutput } from "./outputs.js";

export const listWebhooksTool = defineTool({
  name: "list_webhooks",
  title: "List webhooks",
  description: "The account's Exa Websets webhooks: id, status, URL, events. Start here to find a webhook id.",
  inputSchema: strictInput({ limit: limit.optional(), cursor: cursor.optional() }),
  outputSchema: z.object({ webhooks: z.array(webhookOutput), ...pageInfo }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler(input, context) {
    const page = await context.exa().listWebhooks(input, context.signal);
    const webhooks = page.data.map((webhook) => toWebhookOutput(webhook));
    const lines = [
      page.data.length === 0 && !input.cursor
        ? "No webhooks yet. Create one with create_webhook {url, events}."
        : `${plural(page.data.length, "webhook")}${page.hasMore ? " (more exist)" : ""}:`,
      ...page.data.map(webhookLine),
    ];
    if (page.hasMore) lines.push(nextPageLine("list_webhooks", { limit: input.limit }, page.nextCursor));
    return {
      text: lines.join("\n"),
      structured: { webhooks, hasMore: page.hasMore, nextCursor: page.nextCursor ?? null },
    };
  },
});
