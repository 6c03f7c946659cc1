// Validation of webhook create/update bodies, mirroring Exa's rules and its 400 messages.
import { EVENT_TYPES, isEventType } from "../exa/event-types.js";
import { badRequest } from "./errors.js";
import { invalidEventTypeMessage } from "./query.js";
import type { CreateWebhookInput, UpdateWebhookInput } from "./store.js";

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

function validUrl(value: unknown): string {
  if (typeof value !== "string" || !URL.canParse(value)) throw badRequest("url must be a URL address");
  const protocol = new URL(value).protocol;
  if (protocol !== "http:" && protocol !== "https:") throw badRequest("url must be a URL address");
  return value;
}

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
