// GET /v0/events (types, createdAfter, createdBefore — both inclusive) and GET /v0/events/{id}.
import type { ExaEvent } from "../../exa/schemas.js";
import { badRequest, notFound } from "../errors.js";
import { parseDate, parseEventTypes } from "../query.js";
import { ALL_EVENTS_INDEX, eventIndexKey } from "../store.js";
import { lastAtOrBefore } from "../time-ordered-log.js";
import { pageOf } from "./page.js";
import { ok, type RouteHandler } from "./types.js";

export const listEvents: RouteHandler = ({ store, query }) => {
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

export const getEvent: RouteHandler = ({ store, id }) => {
  const event = store.getEvent(id);
  if (!event) throw notFound("Event not found");
  return ok(event);
};
