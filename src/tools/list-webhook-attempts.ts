// list_webhook_attempts: delivery attempts of one webhook, newest first, filterable by type and outcome.
import { z } from "zod";
import { renderAttemptLines } from "../format/attempts.js";
import { nextPageLine } from "../format/lines.js";
import { plural } from "../text/words.js";
import { defineTool } from "./define.js";
import { booleanLike, cursor, eventType, limit, strictInput, webhookId } from "./inputs.js";
import { attemptOutput, pageInfo, toAttemptOutput } from "./outputs.js";

export const listWebhookAttemptsTool = defineTool({
  name: "list_webhook_attempts",
  title: "List delivery attempts",
  description: "Raw delivery attempts of one webhook, newest first. For why deliveries fail, prefer diagnose_failures.",
  inputSchema: strictInput({
    webhookId,
    eventType: eventType.optional(),
    successful: booleanLike.optional().describe("true: only successful attempts; false: only failed ones."),
    limit: limit.optional(),
    cursor: cursor.optional(),
  }),
  outputSchema: z.object({ attempts: z.array(attemptOutput), ...pageInfo }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler(input, context) {
    const { webhookId: id, ...query } = input;
    const page = await context.exa().listAttempts(id, query, context.signal);
    const failed = page.data.filter((attempt) => !attempt.successful).length;
    const lines: string[] = [];
    if (page.data.length === 0) {
      lines.push(`No delivery attempts for webhook ${id}${input.cursor ? " on this page" : " match"}.`);
    } else {
      lines.push(
        `${plural(page.data.length, "attempt")} for ${id}, newest first (${failed} failed)${page.hasMore ? ", more exist" : ""}:`,
      );
      lines.push("time status outcome eventType eventId #attempt [response]", ...renderAttemptLines(page.data));
    }
    if (page.hasMore) {
      const { cursor: _previous, ...rest } = input;
      lines.push(nextPageLine("list_webhook_attempts", rest, page.nextCursor));
    }
    return {
      text: lines.join("\n"),
      structured: {
        attempts: page.data.map(toAttemptOutput),
        hasMore: page.hasMore,
        nextCursor: page.nextCursor ?? null,
      },
    };
  },
});
