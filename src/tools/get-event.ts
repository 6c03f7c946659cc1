// get_event: one event — a summary of the resource it carries, or its full JSON (capped) on request.
import { z } from "zod";
import { summarizeEventData } from "../format/events.js";
import { oneLine, untrustedJsonBlock } from "../text/untrusted.js";
import { defineTool } from "./define.js";
import { eventId, strictInput } from "./inputs.js";

const DETAILED_LIMIT = 8000;

export const getEventTool = defineTool({
  name: "get_event",
  title: "Get an event",
  description: 'One event (e.g. an attempt\'s eventId): type, time, resource; responseFormat "detailed" adds its JSON.',
  inputSchema: strictInput({
    eventId,
    responseFormat: z.enum(["concise", "detailed"]).optional(),
  }),
  outputSchema: z.object({
    // The resource the event carries is an object in Exa's contract; anything else is reported as null.
    event: z.object({
      id: z.string(),
      type: z.string(),
      createdAt: z.string(),
      data: z.record(z.string(), z.unknown()).nullable(),
    }),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler(input, context) {
    const event = await context.exa().getEvent(input.eventId, context.signal);
    const summary = summarizeEventData(event.data);
    const lines = [`Event ${oneLine(event.id)} · ${oneLine(event.type)} · ${oneLine(event.createdAt)}`];
    if (summary.resourceId) {
      lines.push(
        `Carries ${summary.resourceObject ?? "a resource"} ${summary.resourceId}${summary.resourceStatus ? `, status ${summary.resourceStatus}` : ""}${summary.websetId && summary.websetId !== summary.resourceId ? `, webset ${summary.websetId}` : ""}.`,
      );
    }
    const fields = event.data && typeof event.data === "object" ? Object.keys(event.data as object) : [];
    if (fields.length) {
      const shown = fields.slice(0, 30).map((field) => oneLine(field, 60));
      lines.push(`data fields: ${shown.join(", ")}${fields.length > 30 ? ", …" : ""}`);
    }
    if (input.responseFormat === "detailed") {
      lines.push(untrustedJsonBlock("Event JSON", event, DETAILED_LIMIT));
      if (JSON.stringify(event).length > DETAILED_LIMIT)
        lines.push("(the full payload is in structuredContent.event.data)");
    } else {
      lines.push(
        `For the full JSON payload: get_event ${JSON.stringify({ eventId: input.eventId, responseFormat: "detailed" })}`,
      );
    }
    return {
      text: lines.join("\n"),
      structured: {
        event: {
          id: event.id,
          type: event.type,
          createdAt: event.createdAt,
          data: isRecord(event.data) ? event.data : null,
        },
      },
    };
  },
});

function isRecord(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === "object" && !Array.isArray(value);
}
