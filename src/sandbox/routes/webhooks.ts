// Webhook CRUD: POST/GET /v0/webhooks and GET/PATCH/DELETE /v0/webhooks/{id}.
import type { Webhook } from "../../exa/schemas.js";
import { notFound } from "../errors.js";
import type { EmulatorStore } from "../store.js";
import { parseCreateWebhook, parseUpdateWebhook } from "../webhook-input.js";
import { pageOf } from "./page.js";
import { ok, type RouteHandler } from "./types.js";

// Only the create response carries the secret; every later read shows null, as in Exa.
const withoutSecret = (webhook: Webhook): Webhook => ({ ...webhook, secret: null });

export function requireWebhook(store: EmulatorStore, id: string): Webhook {
  const webhook = store.getWebhook(id);
  if (!webhook) throw notFound("Webhook not found");
  return webhook;
}

export const createWebhook: RouteHandler = ({ store, json }) => ok(store.createWebhook(parseCreateWebhook(json())));

export const listWebhooks: RouteHandler = ({ store, query }) =>
  ok(
    pageOf(
      { query, filterKey: "webhooks", sources: [store.webhookIndex()], skip: (stored) => !store.isLive(stored) },
      (stored) => withoutSecret(stored.webhook),
    ),
  );

export const getWebhook: RouteHandler = ({ store, id }) => ok(withoutSecret(requireWebhook(store, id)));

export const updateWebhook: RouteHandler = ({ store, id, json }) => {
  requireWebhook(store, id);
  const patch = parseUpdateWebhook(json());
  return ok(withoutSecret(store.updateWebhook(id, patch) as Webhook));
};

export const deleteWebhook: RouteHandler = ({ store, id }) => {
  requireWebhook(store, id);
  return ok(withoutSecret(store.deleteWebhook(id) as Webhook));
};
