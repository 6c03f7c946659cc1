// What code outside the emulator can make the sandbox do, and the HTTP routes that expose it (not part of
// Exa's API). The sandbox tools reach these actions through SandboxHandle, scripts through
//   POST /_sandbox/events     {"type": "webset.item.created", "webhookId"?: "webhook_...", "data"?: {...}}
//     → 200 {"eventId": "event_...", "deliveredTo": [{"webhookId": "...", "url": "..."}]}
//   POST /_sandbox/receivers  {"webhookId": "webhook_...", "behavior": "healthy"}
//     → 200 {"webhookId": "...", "url": "...", "behavior": "healthy", "previous": "crashing", ...}
// The routes sit behind the same API-key check as the rest of the emulator; errors use Exa's 400/404 shapes.
import { isEventType } from "../exa/event-types.js";
import type { DeliveryEngine } from "./delivery/engine.js";
import type { DemoReceivers } from "./demo/seed.js";
import { badRequest, notFound } from "./errors.js";
import {
  RECEIVER_BEHAVIORS,
  type ReceiverBehavior,
  type SandboxHandle,
  SandboxInputError,
  type SetReceiverResult,
} from "./handle.js";
import type { ControlHandler } from "./http-server.js";
import { invalidEventTypeMessage } from "./input.js";
import type { EmulatorStore } from "./store.js";

export const CONTROL_EVENTS_PATH = "/_sandbox/events";
export const CONTROL_RECEIVERS_PATH = "/_sandbox/receivers";

type EmitEventInput = Parameters<SandboxHandle["emitEvent"]>[0];
type EmitEventResult = Awaited<ReturnType<SandboxHandle["emitEvent"]>>;

/** Exa's own payloads nest about 8 levels deep; the emulator serialises recursively, so depth is bounded. */
const MAX_EVENT_DATA_DEPTH = 32;
/** Serialised size of `data`; a real Exa event is a few kB. */
const MAX_EVENT_DATA_BYTES = 256 * 1024;

/**
 * Targets: every active webhook subscribed to the type; or, with webhookId, that webhook even when it
 * does not subscribe to the type — naming a webhook is a deliberate test send, like a dashboard's
 * "send test event" button, and silently sending nothing would hide why the receiver saw nothing.
 * An inactive webhook gets nothing either way: Exa does not deliver to inactive webhooks.
 */
export function emitEvent(store: EmulatorStore, engine: DeliveryEngine, input: EmitEventInput): EmitEventResult {
  const { type, webhookId } = input;
  if (!isEventType(type)) throw new SandboxInputError(400, invalidEventTypeMessage(type, "type"));
  if (input.data !== undefined) assertStorableData(input.data);
  const targets = webhookId === undefined ? subscribedWebhooks(store, type) : [namedWebhook(store, webhookId)];
  const event = store.addEvent({ type, data: input.data, createdAt: Date.now() });
  for (const webhook of targets) engine.dispatch(event, webhook.id);
  return { eventId: event.id, deliveredTo: targets.map((webhook) => ({ webhookId: webhook.id, url: webhook.url })) };
}

function subscribedWebhooks(store: EmulatorStore, type: string) {
  return store.listWebhooks().filter((webhook) => webhook.status === "active" && webhook.events.includes(type));
}

function existingWebhook(store: EmulatorStore, webhookId: string) {
  const webhook = store.getWebhook(webhookId);
  if (!webhook)
    throw new SandboxInputError(404, `No webhook ${webhookId} in the sandbox. Call list_webhooks to see ids.`);
  return webhook;
}

function namedWebhook(store: EmulatorStore, webhookId: string) {
  const webhook = existingWebhook(store, webhookId);
  if (webhook.status !== "active") {
    throw new SandboxInputError(
      400,
      `Webhook ${webhookId} is ${webhook.status}: Exa delivers nothing to inactive webhooks, so neither does the sandbox. Create a new webhook with create_webhook to receive events.`,
    );
  }
  return webhook;
}

/**
 * Refuses `data` the emulator could not serve back: serialising it on every read would overflow the stack
 * (and answer 500 to every later list_events) or cost megabytes. Walks iteratively, so the check itself
 * cannot overflow, and runs before anything is stored.
 */
function assertStorableData(data: unknown): void {
  const pending: [value: unknown, depth: number][] = [[data, 1]];
  while (pending.length > 0) {
    const [value, depth] = pending.pop() as [unknown, number];
    if (typeof value !== "object" || value === null) continue;
    if (depth > MAX_EVENT_DATA_DEPTH) {
      throw new SandboxInputError(
        400,
        `data is nested deeper than ${MAX_EVENT_DATA_DEPTH} levels; the sandbox stores at most ${MAX_EVENT_DATA_DEPTH} levels of objects and arrays. Send a flatter resource, or omit data for a realistic one.`,
      );
    }
    for (const child of Object.values(value)) pending.push([child, depth + 1]);
  }
  const bytes = Buffer.byteLength(JSON.stringify(data) ?? "", "utf8");
  if (bytes > MAX_EVENT_DATA_BYTES) {
    throw new SandboxInputError(
      400,
      `data is ${bytes} bytes as JSON; the sandbox accepts at most ${MAX_EVENT_DATA_BYTES} (256 kB). Send a smaller resource, or omit data for a realistic one.`,
    );
  }
}

/**
 * Changes how the demo receiver behind a webhook answers from the next request on. Only the demo webhooks
 * have one: a webhook created in the session points at the user's own receiver.
 */
export async function setReceiver(
  store: EmulatorStore,
  receivers: DemoReceivers,
  input: { webhookId: string; behavior: string },
): Promise<SetReceiverResult> {
  const { webhookId, behavior } = input;
  if (!Object.hasOwn(RECEIVER_BEHAVIORS, behavior)) {
    throw new SandboxInputError(
      400,
      `Unknown behavior ${JSON.stringify(behavior.slice(0, 100))}; use one of: ${Object.keys(RECEIVER_BEHAVIORS).join(", ")}.`,
    );
  }
  const webhook = existingWebhook(store, webhookId);
  const receiver = receivers.get(webhookId);
  if (!receiver) {
    const why =
      receivers.size === 0
        ? "this sandbox has no demo receivers (it was started with an empty account)"
        : "only the demo account's webhooks have a sandbox receiver";
    throw new SandboxInputError(
      400,
      `Webhook ${webhookId} points at ${webhook.url}, not at a sandbox receiver: ${why}. Fix your own receiver, or pick a demo webhook from list_webhooks.`,
    );
  }
  const previous = receiver.behavior;
  await receiver.setBehavior(behavior as ReceiverBehavior);
  return {
    webhookId,
    name: webhook.metadata?.name,
    url: receiver.url,
    webhookUrl: webhook.url,
    webhookStatus: webhook.status,
    behavior: behavior as ReceiverBehavior,
    previous,
  };
}

export function createControlHandler(
  store: EmulatorStore,
  engine: DeliveryEngine,
  receivers: () => DemoReceivers,
): ControlHandler {
  return async ({ method, path, json }) => {
    const route = path.endsWith("/") ? path.slice(0, -1) : path;
    if (route !== CONTROL_EVENTS_PATH && route !== CONTROL_RECEIVERS_PATH) return undefined;
    if (method !== "POST") throw notFound(`Cannot ${method} ${route}`);
    try {
      if (route === CONTROL_EVENTS_PATH) {
        const { type, webhookId, data } = bodyOf(
          json(),
          ["type", "webhookId", "data"],
          '{"type":"webset.item.created"}',
        );
        if (typeof type !== "string") throw badRequest("type must be a string, e.g. webset.item.created");
        if (webhookId !== undefined && typeof webhookId !== "string") throw badRequest("webhookId must be a string");
        return { status: 200, body: emitEvent(store, engine, { type, webhookId, data }) };
      }
      const { webhookId, behavior } = bodyOf(
        json(),
        ["webhookId", "behavior"],
        '{"webhookId":"webhook_...","behavior":"healthy"}',
      );
      if (typeof webhookId !== "string") throw badRequest("webhookId must be a string");
      if (typeof behavior !== "string")
        throw badRequest(`behavior must be one of: ${Object.keys(RECEIVER_BEHAVIORS).join(", ")}`);
      return { status: 200, body: await setReceiver(store, receivers(), { webhookId, behavior }) };
    } catch (error) {
      if (!(error instanceof SandboxInputError)) throw error;
      throw error.status === 404 ? notFound(error.message) : badRequest(error.message);
    }
  };
}

function bodyOf(body: unknown, allowed: readonly string[], example: string): Record<string, unknown> {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw badRequest(`Body must be a JSON object like ${example}`);
  }
  const unknown = Object.keys(body).filter((key) => !allowed.includes(key));
  if (unknown.length) throw badRequest(`property ${unknown[0]} should not exist (allowed: ${allowed.join(", ")})`);
  return body as Record<string, unknown>;
}
