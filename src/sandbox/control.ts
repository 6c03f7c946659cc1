// The emulator's control endpoint (not part of Exa's API): lets code outside the process fire events.
//   POST /_sandbox/events  {"type": "webset.item.created", "webhookId"?: "webhook_...", "data"?: {...}}
//   → 200 {"eventId": "event_...", "deliveredTo": [{"webhookId": "...", "url": "..."}]}
// It sits behind the same API-key check as the rest of the emulator; errors use Exa's 400/404 body shapes.
import type { DeliveryEngine } from "./delivery/engine.js";
import { EmitEventError, emitEvent } from "./emit.js";
import { badRequest, notFound } from "./errors.js";
import type { ControlHandler } from "./http-server.js";
import type { EmulatorStore } from "./store.js";

export const CONTROL_EVENTS_PATH = "/_sandbox/events";

export function createControlHandler(store: EmulatorStore, engine: DeliveryEngine): ControlHandler {
  return ({ method, path, json }) => {
    if (path !== CONTROL_EVENTS_PATH && path !== `${CONTROL_EVENTS_PATH}/`) return undefined;
    if (method !== "POST") throw notFound(`Cannot ${method} ${CONTROL_EVENTS_PATH}`);
    const body = json();
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      throw badRequest('Body must be a JSON object like {"type":"webset.item.created","webhookId":"webhook_..."}');
    }
    const { type, webhookId, data, ...rest } = body as Record<string, unknown>;
    const unknown = Object.keys(rest);
    if (unknown.length) throw badRequest(`property ${unknown[0]} should not exist (allowed: type, webhookId, data)`);
    if (typeof type !== "string") throw badRequest("type must be a string, e.g. webset.item.created");
    if (webhookId !== undefined && typeof webhookId !== "string") throw badRequest("webhookId must be a string");
    try {
      return { status: 200, body: emitEvent(store, engine, { type, webhookId, data }) };
    } catch (error) {
      if (!(error instanceof EmitEventError)) throw error;
      throw error.status === 404 ? notFound(error.message) : badRequest(error.message);
    }
  };
}
