// Parsing what clients send, with Exa's 400 messages: list query parameters, and webhook create/update bodies
// (Exa whitelists body properties; `status` in particular cannot be set through the API).
// Where Exa's OpenAPI file and its server's validation differ, the emulator answers as the server does: its 400
// messages are class-validator's (the README's sandbox section lists the four known cases).
import { closestEventType, EVENT_TYPES, isEventType } from "../exa/event-types.js";
import { badRequest } from "./errors.js";
import type { CreateWebhookInput, UpdateWebhookInput } from "./store.js";

const DEFAULT_LIMIT = 25;
const MAX_LIMIT = 200;

export function parseLimit(query: URLSearchParams): number {
  const raw = query.get("limit");
  if (raw === null) return DEFAULT_LIMIT;
  const limit = /^\d{1,6}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(limit >= 1 && limit <= MAX_LIMIT)) {
    throw badRequest(`limit must be an integer between 1 and ${MAX_LIMIT} (got ${JSON.stringify(raw)})`);
  }
  return limit;
}

/** The cursor string, or undefined on a first page. An empty cursor is invalid (min length 1). */
export function parseCursor(query: URLSearchParams): string | undefined {
  const raw = query.get("cursor");
  if (raw === null) return undefined;
  if (raw === "") throw badRequest("cursor must be longer than or equal to 1 characters");
  return raw;
}

export function parseBoolean(query: URLSearchParams, name: string): boolean | undefined {
  const raw = query.get(name);
  if (raw === null) return undefined;
  if (raw === "true") return true;
  if (raw === "false") return false;
  throw badRequest(`${name} must be a boolean value (true or false)`);
}

export function parseEventType(query: URLSearchParams, name: string): string | undefined {
  const raw = query.get(name);
  if (raw === null) return undefined;
  assertEventType(raw, name);
  return raw;
}

/** Repeated-key list (`types=a&types=b`); also tolerates `types[]=a`. Deduplicated and sorted. */
export function parseEventTypes(query: URLSearchParams, name: string): string[] | undefined {
  const values = [...query.getAll(name), ...query.getAll(`${name}[]`)];
  if (values.length === 0) return undefined;
  for (const value of values) assertEventType(value, name);
  return [...new Set(values)].sort();
}

/**
 * An ISO 8601 parameter as ms epoch. The schema says date-time, but a bare date is accepted (midnight UTC), as
 * Exa's ISO 8601 check accepts it and list_events passes one through.
 */
export function parseDate(query: URLSearchParams, name: string): number | undefined {
  const raw = query.get(name);
  if (raw === null) return undefined;
  const ms = /^\d{4}-\d{2}-\d{2}/.test(raw) ? Date.parse(raw) : Number.NaN;
  if (!Number.isFinite(ms)) throw badRequest(`${name} must be a valid ISO 8601 date string`);
  return ms;
}

export function invalidEventTypeMessage(value: unknown, where: string): string {
  const hint = typeof value === "string" ? closestEventType(value) : undefined;
  const didYouMean = hint ? ` Did you mean "${hint}"?` : "";
  return `Invalid event type ${JSON.stringify(value)} in ${where}.${didYouMean} Valid types: ${EVENT_TYPES.join(", ")}`;
}

function assertEventType(value: string, name: string): void {
  if (!isEventType(value)) throw badRequest(invalidEventTypeMessage(value, name));
}

// ---- webhook bodies ----

const MAX_METADATA_VALUE = 1000;
const ALLOWED_FIELDS = new Set(["events", "url", "metadata"]);

export function parseCreateWebhook(body: unknown): CreateWebhookInput {
  const fields = asObject(body);
  if (fields.events === undefined) throw badRequest("events should not be empty");
  if (fields.url === undefined) throw badRequest("url must be a URL address");
  return {
    events: validEvents(fields.events),
    url: validUrl(fields.url),
    ...(fields.metadata !== undefined && { metadata: validMetadata(fields.metadata) }),
  };
}

export function parseUpdateWebhook(body: unknown): UpdateWebhookInput {
  const fields = asObject(body);
  return {
    ...(fields.events !== undefined && { events: validEvents(fields.events) }),
    ...(fields.url !== undefined && { url: validUrl(fields.url) }),
    ...(fields.metadata !== undefined && { metadata: validMetadata(fields.metadata) }),
  };
}

// Exa whitelists body properties; `status` in particular cannot be set through the API.
function asObject(body: unknown): Record<string, unknown> {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw badRequest("Request body must be a JSON object");
  }
  const fields = body as Record<string, unknown>;
  for (const key of Object.keys(fields)) {
    if (!ALLOWED_FIELDS.has(key)) throw badRequest(`property ${key} should not exist`);
  }
  return fields;
}

function validEvents(value: unknown): string[] {
  if (!Array.isArray(value)) throw badRequest("events must be an array");
  if (value.length < 1) throw badRequest("events should not be empty");
  if (value.length > EVENT_TYPES.length) {
    throw badRequest(`events must contain no more than ${EVENT_TYPES.length} elements`);
  }
  value.forEach((item, i) => {
    if (!isEventType(item)) throw badRequest(invalidEventTypeMessage(item, `events[${i}]`));
  });
  if (new Set(value).size !== value.length) throw badRequest("All events's elements must be unique");
  return value as string[];
}

// WHATWG URL parsing would percent-encode a space in the path; a URI has none, and Exa's URL check refuses it.
const NOT_IN_A_URL = /[\s<>]/;

function validUrl(value: unknown): string {
  if (typeof value !== "string" || NOT_IN_A_URL.test(value) || !URL.canParse(value)) {
    throw badRequest("url must be a URL address");
  }
  const protocol = new URL(value).protocol;
  if (protocol !== "http:" && protocol !== "https:") throw badRequest("url must be a URL address");
  return value;
}

// null is accepted as "no metadata" (an optional property's null passes Exa's check), and reads back as {}.
function validMetadata(value: unknown): Record<string, string> | null {
  if (value === null) return null;
  if (typeof value !== "object" || Array.isArray(value)) throw badRequest("metadata must be an object");
  for (const [key, item] of Object.entries(value)) {
    if (typeof item !== "string") throw badRequest(`metadata.${key} must be a string`);
    if (item.length > MAX_METADATA_VALUE) {
      throw badRequest(`metadata.${key} must be shorter than or equal to ${MAX_METADATA_VALUE} characters`);
    }
  }
  return value as Record<string, string>;
}
