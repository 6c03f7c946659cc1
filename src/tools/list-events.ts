// list_events: the account's events, newest first — what was (or should have been) delivered, and how
// to recover events a broken receiver missed.
import { z } from "zod";
import { eventLine, summarizeEventData } from "../format/events.js";
import { nextPageLine } from "../format/lines.js";
import { ToolInputError } from "../format/tool-error.js";
import { defineTool } from "./define.js";
import { cursor, eventType, isoTimestamp, limit, strictInput } from "./inputs.js";
import { eventOutput, pageInfo } from "./outputs.js";

export const listEventsTool = defineTool({
  name: "list_events",
  title: "List events",
  description:
    "List Exa events newest first, filtered by types and a createdAfter/createdBefore window. Use it to recover events a receiver missed (Exa has no redeliver).",
  kind: "read",
  inputSchema: strictInput({
    types: z.array(eventType).min(1).max(19).optional().describe("Only these event types."),
    createdAfter: isoTimestamp.optional().describe("Only events created at or after this ISO 8601 time."),
    createdBefore: isoTimestamp.optional().describe("Only events created at or before this ISO 8601 time."),
    limit: limit.optional(),
    cursor: cursor.optional(),
  }),
  outputSchema: z.object({ events: z.array(eventOutput), ...pageInfo }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler(input, context) {
    if (input.createdAfter && input.createdBefore && Date.parse(input.createdAfter) > Date.parse(input.createdBefore)) {
      throw new ToolInputError("createdAfter is later than createdBefore, so no event can match. Swap them.");
    }
    const page = await context.exa().listEvents(input, context.signal);
    const lines = [
      page.data.length
        ? `${page.data.length} event${page.data.length === 1 ? "" : "s"}, newest first${page.hasMore ? " (more exist)" : ""}:`
        : "No events match.",
      ...page.data.map(eventLine),
    ];
    if (page.hasMore) {
      const { cursor: _previous, ...rest } = input;
      lines.push(nextPageLine("list_events", rest, page.nextCursor));
    }
    return {
      text: lines.join("\n"),
      structured: {
        events: page.data.map((event) => ({
          id: event.id,
          type: event.type,
          createdAt: event.createdAt,
          ...summarizeEventData(event.data),
        })),
        hasMore: page.hasMore,
        nextCursor: page.nextCursor ?? null,
      },
    };
  },
});
