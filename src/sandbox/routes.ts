// Exa's webhook API routes: the route table, one pure handler per route over the store, and the newest-first
// page every list answers with. Matching works on the still-encoded path segments, so an id holding an
// encoded "/" (or "..") stays one segment and can only ever miss as an unknown id.
import type { ExaEvent, Webhook, WebhookAttemptWire } from "../exa/schemas.js";
import { badRequest, notFound } from "./errors.js";
import {
  parseBoolean,
  parseCreateWebhook,
  parseCursor,
  parseDate,
  parseEventType,
  parseEventTypes,
  parseLimit,
  parseUpdateWebhook,
} from "./input.js";
import { ALL_EVENTS_INDEX, attemptIndexKey, type EmulatorStore, eventIndexKey } from "./store.js";
import { type LogEntry, lastAtOrBefore, pageNewestFirst } from "./time-ordered-log.js";

// ---- what a handler receives and returns; handlers throw ApiError ----

interface RouteContext {
  store: EmulatorStore;
  /** The decoded `{id}` path segment, when the route has one. */
  id: string;
  query: URLSearchParams;
  /** The request body parsed as JSON (empty body = undefined); throws a 400 ApiError on malformed JSON. */
  json(): unknown;
}

export interface RouteResult {
  status: number;
  body: unknown;
}

type RouteHandler = (context: RouteContext) => RouteResult;

const ok = (body: unknown): RouteResult => ({ status: 200, body });

// ---- webhooks: POST/GET /v0/webhooks and GET/PATCH/DELETE /v0/webhooks/{id} ----

// Only the create response carries the secret; every later read shows null, as in Exa.
const withoutSecret = (webhook: Webhook): Webhook => ({ ...webhook, secret: null });

function requireWebhook(store: EmulatorStore, id: string): Webhook {
  const webhook = store.getWebhook(id);
  if (!webhook) throw notFound("Webhook not found");
  return webhook;
}

const createWebhook: RouteHandler = ({ store, json }) => ok(store.createWebhook(parseCreateWebhook(json())));

const listWebhooks: RouteHandler = ({ store, query }) =>
  ok(
    pageOf(
      { query, filterKey: "webhooks", sources: [store.webhookIndex()], skip: (stored) => !store.isLive(stored) },
      (stored) => withoutSecret(stored.webhook),
    ),
  );

const getWebhook: RouteHandler = ({ store, id }) => ok(withoutSecret(requireWebhook(store, id)));

const updateWebhook: RouteHandler = ({ store, id, json }) => {
  requireWebhook(store, id);
  const patch = parseUpdateWebhook(json());
  return ok(withoutSecret(store.updateWebhook(id, patch) as Webhook));
};

const deleteWebhook: RouteHandler = ({ store, id }) => {
  requireWebhook(store, id);
  return ok(withoutSecret(store.deleteWebhook(id) as Webhook));
};

// ---- GET /v0/webhooks/{id}/attempts: newest first, filtered by eventType and/or successful via indexes ----

const listAttempts: RouteHandler = ({ store, id, query }) => {
  requireWebhook(store, id);
  const indexKey = attemptIndexKey(parseEventType(query, "eventType"), parseBoolean(query, "successful"));
  const index = store.attemptIndex(id, indexKey) ?? [];
  return ok(
    pageOf(
      { query, filterKey: `attempts:${id}:${indexKey}`, sources: [index] },
      (attempt: WebhookAttemptWire) => attempt,
    ),
  );
};

// ---- GET /v0/events (types, createdAfter, createdBefore — both inclusive) and GET /v0/events/{id} ----

const listEvents: RouteHandler = ({ store, query }) => {
  const types = parseEventTypes(query, "types");
  const after = parseDate(query, "createdAfter");
  const before = parseDate(query, "createdBefore");
  if (after !== undefined && before !== undefined && after > before) {
    throw badRequest("createdAfter must be before or equal to createdBefore");
  }
  // One index per requested type (types are disjoint), merged newest first.
  const sources = (types ?? []).map((type) => store.eventIndex(eventIndexKey(type)));
  if (!types) sources.push(store.eventIndex(ALL_EVENTS_INDEX));
  const filterKey = `events:${types?.join(",") ?? "*"}:${after ?? ""}:${before ?? ""}`;
  const firstPositions = sources.map((source) =>
    before === undefined ? source.length - 1 : lastAtOrBefore(source, before),
  );
  return ok(pageOf({ query, filterKey, sources, firstPositions, floorAt: after }, (event: ExaEvent) => event));
};

const getEvent: RouteHandler = ({ store, id }) => {
  const event = store.getEvent(id);
  if (!event) throw notFound("Event not found");
  return ok(event);
};

// ---- the route table ----

const PREFIX = "/websets";

interface RouteDef {
  method: string;
  /** Segments after /v0; ":id" captures one. */
  pattern: readonly string[];
  handler: RouteHandler;
}

const ROUTES: readonly RouteDef[] = [
  { method: "POST", pattern: ["webhooks"], handler: createWebhook },
  { method: "GET", pattern: ["webhooks"], handler: listWebhooks },
  { method: "GET", pattern: ["webhooks", ":id"], handler: getWebhook },
  { method: "PATCH", pattern: ["webhooks", ":id"], handler: updateWebhook },
  { method: "DELETE", pattern: ["webhooks", ":id"], handler: deleteWebhook },
  { method: "GET", pattern: ["webhooks", ":id", "attempts"], handler: listAttempts },
  { method: "GET", pattern: ["events"], handler: listEvents },
  { method: "GET", pattern: ["events", ":id"], handler: getEvent },
];

interface RouteMatch {
  handler: RouteHandler;
  id: string;
}

/** The path as Exa reports it in error bodies: without the `/websets` prefix. */
export function apiPathOf(rawPath: string): string {
  return rawPath.startsWith(`${PREFIX}/`) ? rawPath.slice(PREFIX.length) : rawPath;
}

export function matchRoute(method: string, rawPath: string): RouteMatch | undefined {
  if (!rawPath.startsWith(`${PREFIX}/v0/`)) return undefined;
  const segments = rawPath.slice(`${PREFIX}/v0/`.length).split("/");
  if (segments.length > 1 && segments[segments.length - 1] === "") segments.pop(); // tolerate one trailing slash
  for (const route of ROUTES) {
    if (route.method !== method || route.pattern.length !== segments.length) continue;
    let id = "";
    const matches = route.pattern.every((part, i) => {
      const segment = segments[i] as string;
      if (part !== ":id") return part === segment;
      id = decodeSegment(segment);
      return true;
    });
    if (matches) return { handler: route.handler, id };
  }
  return undefined;
}

// An undecodable segment is kept raw: it then matches no stored id and yields the resource's 404.
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

// ---- pages: index arrays + query parameters → Exa's `{data, hasMore, nextCursor}` ----

interface PageRequest<T> {
  query: URLSearchParams;
  /** Identifies the list and its filters; a cursor is only accepted for the same key. */
  filterKey: string;
  /** Disjoint index arrays (oldest first) merged newest first. */
  sources: readonly (readonly LogEntry<T>[])[];
  /** Where a first page starts in each source (default: its newest entry). */
  firstPositions?: readonly number[];
  /** Entries older than this end the page (inclusive lower bound, ms). */
  floorAt?: number;
  skip?: (value: T) => boolean;
}

interface PageBody<R> {
  data: R[];
  hasMore: boolean;
  nextCursor: string | null;
}

function pageOf<T, R>(request: PageRequest<T>, toResponse: (value: T) => R): PageBody<R> {
  const limit = parseLimit(request.query);
  const cursor = parseCursor(request.query);
  const sizes = request.sources.map((source) => source.length);
  const positions =
    cursor === undefined
      ? (request.firstPositions ?? sizes.map((size) => size - 1))
      : decodeCursor(cursor, request.filterKey, sizes);
  const { items, next } = pageNewestFirst(request.sources, positions, limit, request.floorAt, request.skip);
  return {
    data: items.map(toResponse),
    hasMore: next !== null,
    nextCursor: next === null ? null : encodeCursor(request.filterKey, next),
  };
}

// Opaque cursors: base64url JSON of {f: the filter the cursor was made for, p: index positions}. Carrying the
// filter lets a cursor be rejected when reused with other filters instead of paging wrongly.
interface CursorPayload {
  f: string;
  p: number[];
}

function encodeCursor(filterKey: string, positions: readonly number[]): string {
  const payload: CursorPayload = { f: filterKey, p: [...positions] };
  return Buffer.from(JSON.stringify(payload)).toString("base64url");
}

/** Throws a 400 for anything that is not a cursor this emulator issued for this query and these index sizes. */
function decodeCursor(cursor: string, filterKey: string, sourceSizes: readonly number[]): number[] {
  if (cursor.length > 4096 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw badRequest("Invalid cursor");
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw badRequest("Invalid cursor");
  }
  if (!isCursorPayload(payload)) throw badRequest("Invalid cursor");
  if (payload.f !== filterKey) throw badRequest("Cursor does not match the query parameters it was issued for");
  const { p } = payload;
  const inRange = p.length === sourceSizes.length && p.every((i, k) => i >= -1 && i < (sourceSizes[k] ?? 0));
  if (!inRange) throw badRequest("Invalid cursor");
  return p;
}

function isCursorPayload(value: unknown): value is CursorPayload {
  if (typeof value !== "object" || value === null) return false;
  const { f, p } = value as Record<string, unknown>;
  return typeof f === "string" && Array.isArray(p) && p.every((i) => Number.isSafeInteger(i));
}
