// list_events: the account's events, newest first — what was (or should have been) delivered, and how
// to recover events a broken receiver missed.
import { z } from "zod";
import { ToolInputError } from "../errors.js";
import { eventLine, summarizeEventData } from "../format/events.js";
import { nextPageLine } from "../format/lines.js";
import { plural } from "../text/words.js";
import { defineTool } from "./define.js";
import { cursor, eventTypeList, isoTimestamp, limit, strictInput } from "./inputs.js";
import { eventOutput, pageInfo } from "./outputs.js";

export const listEventsTool = defineTool({
  name: "list_events",
  title: "List events",
  description:
    "Events newest first, by type and time window: what a receiver missed. To replay them, redeliver_events.",
  inputSchema: strictInput({
    types: eventTypeList.optional().describe("Only these event types."),
    createdAfter: isoTimestamp.optional().describe("ISO 8601, inclusive."),
    createdBefore: isoTimestamp.optional().describe("ISO 8601, inclusive."),
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
        ? `${plural(page.data.length, "event")}, newest first${page.hasMore ? " (more exist)" : ""}:`
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
