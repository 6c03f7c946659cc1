// How events read to a model: one line each, with the resource id and status their data carries.
import type { ExaEvent } from "../exa/schemas.js";
import { definedOnly } from "../text/objects.js";
import { oneLine } from "../text/untrusted.js";

interface EventSummary {
  resourceObject?: string;
  resourceId?: string;
  resourceStatus?: string;
  websetId?: string;
}

/** The id, object kind and status of the resource an event carries, when its data has them. */
export function summarizeEventData(data: unknown): EventSummary {
  if (!data || typeof data !== "object") return {};
  const record = data as Record<string, unknown>;
  // Cleaned and cut here, so the structured twin and every line that prints them get the same safe text.
  const text = (value: unknown) => (typeof value === "string" && value ? oneLine(value, 120) || undefined : undefined);
  return definedOnly({
    resourceObject: text(record.object),
    resourceId: text(record.id),
    resourceStatus: text(record.status),
    websetId: text(record.websetId),
  });
}

export function eventLine(event: ExaEvent): string {
  const summary = summarizeEventData(event.data);
  const resource = summary.resourceId
    ? ` · ${summary.resourceObject ?? "resource"} ${summary.resourceId}${summary.resourceStatus ? ` (${summary.resourceStatus})` : ""}`
    : "";
  const webset = summary.websetId && summary.websetId !== summary.resourceId ? ` · webset ${summary.websetId}` : "";
  return `- ${oneLine(event.id)} · ${oneLine(event.type)}${resource}${webset} · ${oneLine(event.createdAt)}`;
}
