// Emitting an event in the sandbox: store it, then deliver it in the background. Shared by the
// sandbox_emit_event tool (through SandboxHandle) and the emulator's POST /_sandbox/events control route.
import { isEventType } from "../exa/event-types.js";
import type { DeliveryEngine } from "./delivery/engine.js";
import { eventData } from "./event-data.js";
import { EmitEventError, type SandboxHandle } from "./handle.js";
import { invalidEventTypeMessage } from "./query.js";
import type { EmulatorStore } from "./store.js";

export type EmitEventInput = Parameters<SandboxHandle["emitEvent"]>[0];
export type EmitEventResult = Awaited<ReturnType<SandboxHandle["emitEvent"]>>;

export { EmitEventError } from "./handle.js";

/** Exa's own payloads nest about 8 levels deep; the emulator serialises recursively, so depth is bounded. */
export const MAX_EVENT_DATA_DEPTH = 32;
/** Serialised size of `data`; a real Exa event is a few kB. */
export const MAX_EVENT_DATA_BYTES = 256 * 1024;

/**
 * Targets: every active webhook subscribed to the type; or, with webhookId, that webhook even when it
 * does not subscribe to the type — naming a webhook is a deliberate test send, like a dashboard's
 * "send test event" button, and silently sending nothing would hide why the receiver saw nothing.
 * An inactive webhook gets nothing either way: Exa does not deliver to inactive webhooks.
 */
export function emitEvent(store: EmulatorStore, engine: DeliveryEngine, input: EmitEventInput): EmitEventResult {
  const { type, webhookId } = input;
  if (!isEventType(type)) throw new EmitEventError(400, invalidEventTypeMessage(type, "type"));
  if (input.data !== undefined) assertStorableData(input.data);
  const targets = webhookId === undefined ? subscribedWebhooks(store, type) : [namedWebhook(store, webhookId)];
  const at = Date.now();
  const event = store.addEvent({ type, data: input.data ?? eventData(type, at), createdAt: at });
  for (const webhook of targets) engine.dispatch(event, webhook.id);
  return { eventId: event.id, deliveredTo: targets.map((webhook) => ({ webhookId: webhook.id, url: webhook.url })) };
}

function subscribedWebhooks(store: EmulatorStore, type: string) {
  return store.listWebhooks().filter((webhook) => webhook.status === "active" && webhook.events.includes(type));
}

function namedWebhook(store: EmulatorStore, webhookId: string) {
  const webhook = store.getWebhook(webhookId);
  if (!webhook) throw new EmitEventError(404, `No webhook ${webhookId} in the sandbox. Call list_webhooks to see ids.`);
  if (webhook.status !== "active") {
    throw new EmitEventError(
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
      throw new EmitEventError(
        400,
        `data is nested deeper than ${MAX_EVENT_DATA_DEPTH} levels; the sandbox stores at most ${MAX_EVENT_DATA_DEPTH} levels of objects and arrays. Send a flatter resource, or omit data for a realistic one.`,
      );
    }
    for (const child of Object.values(value)) pending.push([child, depth + 1]);
  }
  const bytes = Buffer.byteLength(JSON.stringify(data) ?? "", "utf8");
  if (bytes > MAX_EVENT_DATA_BYTES) {
    throw new EmitEventError(
      400,
      `data is ${bytes} bytes as JSON; the sandbox accepts at most ${MAX_EVENT_DATA_BYTES} (256 kB). Send a smaller resource, or omit data for a realistic one.`,
    );
  }
}
