// get_event: one event — a summary of the resource it carries, or its full JSON (capped) on request.
import { z } from "zod";
import { summarizeEventData } from "../format/events.js";
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
    event: z.object({ id: z.string(), type: z.string(), createdAt: z.string(), data: z.unknown() }),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler(input, context) {
    const event = await context.exa().getEvent(input.eventId, context.signal);
    const summary = summarizeEventData(event.data);
    const lines = [`Event ${event.id} · ${event.type} · ${event.createdAt}`];
    if (summary.resourceId) {
      lines.push(
        `Carries ${summary.resourceObject ?? "a resource"} ${summary.resourceId}${summary.resourceStatus ? `, status ${summary.resourceStatus}` : ""}${summary.websetId && summary.websetId !== summary.resourceId ? `, webset ${summary.websetId}` : ""}.`,
      );
    }
    const fields = event.data && typeof event.data === "object" ? Object.keys(event.data as object) : [];
    if (fields.length) lines.push(`data fields: ${fields.slice(0, 30).join(", ")}${fields.length > 30 ? ", …" : ""}`);
    if (input.responseFormat === "detailed") {
      const json = JSON.stringify(event, null, 2);
      const cut = json.length > DETAILED_LIMIT;
      lines.push(`\`\`\`json\n${cut ? json.slice(0, DETAILED_LIMIT) : json}\n\`\`\``);
      if (cut)
        lines.push(
          `(cut at ${DETAILED_LIMIT} of ${json.length} characters; the full payload is in structuredContent.event.data)`,
        );
    } else {
      lines.push(`For the full JSON payload: get_event {"eventId":"${event.id}","responseFormat":"detailed"}`);
    }
    return {
      text: lines.join("\n"),
      structured: { event: { id: event.id, type: event.type, createdAt: event.createdAt, data: event.data } },
    };
  },
});
