// Zod pieces shared by the tools' input schemas, each described once for a model.
import { z } from "zod";
import { closestEventType, EVENT_TYPES, isEventType } from "../exa/event-types.js";
import { isValidHost } from "../exa/hosts.js";
import { isValidId } from "../exa/ids.js";

/** A strict object whose "unknown field" error names the fields that do exist. */
export function strictInput<T extends z.ZodRawShape>(shape: T) {
  const known = Object.keys(shape).join(", ") || "none";
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === "unrecognized_keys"
        ? `Unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((key) => `"${key}"`).join(", ")}. Valid fields: ${known}.`
        : undefined,
  });
}

const idMessage = "letters, digits, '_', '-', ':' and '.' only, as returned by list_webhooks";

// Ids are checked with a refinement, not `regex`, so the pattern stays out of every tool's JSON Schema.
export const webhookId = z
  .string()
  .refine(isValidId, `webhookId must be an Exa webhook id (${idMessage})`)
  .describe("Webhook id (from list_webhooks).");

export const eventId = z
  .string()
  .refine(isValidId, "eventId must be an Exa event id, as returned by list_events or an attempt's eventId")
  .describe("Event id (an attempt's eventId, or from list_events).");

export const limit = z
  .number()
  .int("limit must be a whole number")
  .min(1, "limit must be between 1 and 200")
  .max(200, "limit must be between 1 and 200")
  .describe("Default 25.");

export const cursor = z
  .string()
  .min(1, "cursor must not be empty: omit it for the first page")
  // Length caps are refinements so they guard without adding to every schema a model reads.
  .refine((value) => value.length <= 4096, "cursor is too long (4096 characters at most)")
  .describe("nextCursor of the previous page.");

/** One message for every wrong name at once, with "did you mean" where a valid type is close. */
export function eventTypeMessage(wrong: unknown[]): string {
  const named = wrong.map((input) => {
    if (typeof input !== "string") return `a ${input === null ? "null" : typeof input}`;
    const closest = closestEventType(input);
    return closest ? `"${input}" (did you mean "${closest}"?)` : `"${input}"`;
  });
  const verb = named.length === 1 ? "is not an Exa event type" : "are not Exa event types";
  return `${named.join(", ")} ${verb}. Valid types: ${EVENT_TYPES.join(", ")}.`;
}

// The enum lives in the JSON Schema (models see the valid values) while validation happens in a refinement,
// so several wrong names produce one message instead of one long list per name.
const eventTypeName = z.string().meta({ enum: [...EVENT_TYPES] });

// Filters carry no enum (it would repeat 19 names in every tool's schema); a wrong name gets the list back.
export const eventType = z
  .string()
  .refine(isEventType, { error: (issue) => eventTypeMessage([issue.input]) })
  .describe("Event type, e.g. webset.item.created.");

/** A list of event types: 1-19, unique, every wrong name reported in one message. */
function eventTypeListOf(item: z.ZodString) {
  return z.array(item).superRefine((types, context) => {
    const problem = eventTypeListProblem(types);
    if (problem) context.addIssue({ code: "custom", message: problem });
  });
}

/** Checked in a refinement (not min/max) so the bounds cost no schema bytes; the description states them. */
function eventTypeListProblem(types: readonly string[]): string | undefined {
  if (types.length === 0) return "events needs at least one event type";
  const wrong = types.filter((type) => !isEventType(type));
  if (wrong.length) return eventTypeMessage(wrong);
  if (new Set(types).size !== types.length) return "events must not repeat a type";
  return undefined;
}

/** With the enum in its JSON Schema: for create_webhook, where a model chooses types from scratch. */
export const eventTypes = eventTypeListOf(eventTypeName).describe("Event types to deliver (1-19, unique).");

/** The same validation without the enum, where repeating 19 names would only cost context. */
export const eventTypeList = eventTypeListOf(z.string());

export const webhookUrl = z
  .string()
  .refine((value) => value.length <= 2048, "url is too long (2048 characters at most)")
  .refine(isHttpUrl, "url must be an absolute http(s) URL, e.g. https://example.com/webhooks/exa")
  .refine(
    (value) => !isHttpUrl(value) || isValidHost(new URL(value).hostname),
    "url's host is not a valid DNS name, IPv4 or bracketed IPv6 address (e.g. hooks.example.com, 203.0.113.7, [2001:db8::1])",
  )
  .describe("Public https URL that receives the events.");

export const metadata = z
  .record(z.string(), z.string())
  .refine(
    (values) => Object.values(values).every((value) => value.length <= 1000),
    "metadata values must be at most 1000 characters",
  )
  .describe("Your string labels (values <= 1000 chars).");

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === "http:" || url.protocol === "https:") && url.hostname.length > 0;
  } catch {
    return false;
  }
}

export const isoTimestamp = z
  .string()
  .refine((value) => /^\d{4}-\d{2}-\d{2}/.test(value) && !Number.isNaN(Date.parse(value)), {
    message: "must be an ISO 8601 timestamp, e.g. 2026-11-21T00:00:00Z",
  });
