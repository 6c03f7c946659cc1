// GET /v0/webhooks/{id}/attempts: newest first, filtered by eventType and/or successful via prebuilt indexes.
import type { WebhookAttemptWire } from "../../exa/schemas.js";
import { parseBoolean, parseEventType } from "../query.js";
import { attemptIndexKey } from "../store.js";
import { pageOf } from "./page.js";
import { ok, type RouteHandler } from "./types.js";
import { requireWebhook } from "./webhooks.js";

export const listAttempts: RouteHandler = ({ store, id, query }) => {
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
