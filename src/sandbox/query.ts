// Parsing of query-string parameters shared by the list routes, with Exa-style 400s for bad values.
import { closestEventType, EVENT_TYPES, isEventType } from "../exa/event-types.js";
import { badRequest } from "./errors.js";

export const DEFAULT_LIMIT = 25;
export const MAX_LIMIT = 200;

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

/** An ISO date-time parameter as ms epoch. */
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
