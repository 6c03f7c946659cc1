// The emulator's state: webhooks (with their secrets), events, and per-webhook delivery attempts.
// Routes read it through indexes; tests, benches and the demo seeder write it directly.
import { type EventType, isEventType } from "../exa/event-types.js";
import type { ExaEvent, Webhook, WebhookAttemptWire } from "../exa/schemas.js";
import { eventData } from "./event-data.js";
import { type IdSource, randomIds } from "./ids.js";
import { type LogEntry, TimeOrderedLog } from "./time-ordered-log.js";

type WebhookStatus = "active" | "inactive";
/** ISO string, ms epoch, or Date. */
type TimeInput = string | number | Date;

export interface CreateWebhookInput {
  url: string;
  events: string[];
  metadata?: Record<string, string> | null;
  status?: WebhookStatus;
  createdAt?: TimeInput;
  /** Fixed id / secret, for reproducible demos; random by default. */
  id?: string;
  secret?: string;
}

export interface UpdateWebhookInput {
  events?: string[];
  url?: string;
  metadata?: Record<string, string> | null;
}

interface AddEventInput {
  type: string;
  data?: unknown;
  createdAt?: TimeInput;
  id?: string;
}

export interface AddAttemptInput {
  webhookId: string;
  /** Defaults to a fresh event id (the event need not exist in the store). */
  eventId?: string;
  /** Defaults to the type of the stored event `eventId` names. */
  eventType?: string;
  /** Defaults to whether responseStatusCode is 2xx. */
  successful?: boolean;
  /** Defaults to 200 when successful, else 500. Transport failures are conventionally 0. */
  responseStatusCode?: number;
  responseBody?: string | null;
  responseHeaders?: Record<string, string>;
  attempt?: number;
  attemptedAt?: TimeInput;
  /** Defaults to the webhook's current url. */
  url?: string;
  id?: string;
}

/** Index names an attempt belongs to: all, by type, by outcome, and by both. */
export function attemptIndexKey(eventType?: string, successful?: boolean): string {
  return `type=${eventType ?? "*"}|ok=${successful ?? "*"}`;
}

export const ALL_EVENTS_INDEX = "type=*";
export const eventIndexKey = (type: string): string => `type=${type}`;

interface StoredWebhook {
  webhook: Webhook;
  secret: string;
}

export class EmulatorStore {
  private webhooks = new Map<string, StoredWebhook>();
  // Webhooks by createdAt. Deleted ones stay in the log and are skipped when paging (there are few);
  // a record counts as live only while the map still points at that same record.
  private webhookLog = new TimeOrderedLog<StoredWebhook>(() => ["*"]);
  private attemptLogs = new Map<string, TimeOrderedLog<WebhookAttemptWire>>();
  private events = new Map<string, ExaEvent>();
  private eventLog = new TimeOrderedLog<ExaEvent>((event) => [ALL_EVENTS_INDEX, eventIndexKey(event.type)]);

  // Ids are random: whatever a session creates is new in every run (the demo seeder passes its history's ids).
  private readonly ids: IdSource = randomIds;

  constructor(private readonly clock: () => number = Date.now) {}

  // ---- webhooks ----

  /** Creates a webhook; the returned copy is the only one that carries the secret (as in Exa). */
  createWebhook(input: CreateWebhookInput): Webhook {
    const at = input.createdAt === undefined ? this.clock() : toMs(input.createdAt);
    const id = input.id ?? this.ids.webhookId();
    if (this.webhooks.has(id)) throw new Error(`Webhook ${id} already exists`);
    assertEventTypes(input.events);
    const iso = new Date(at).toISOString();
    const webhook: Webhook = {
      id,
      object: "webhook",
      status: input.status ?? "active",
      events: [...input.events],
      url: input.url,
      secret: null,
      metadata: { ...(input.metadata ?? {}) },
      createdAt: iso,
      updatedAt: iso,
    };
    const secret = input.secret ?? this.ids.webhookSecret();
    const stored: StoredWebhook = { webhook, secret };
    this.webhooks.set(id, stored);
    this.webhookLog.append(at, stored);
    this.attemptLogs.set(id, newAttemptLog());
    return { ...webhook, secret };
  }

  getWebhook(id: string): Webhook | undefined {
    return this.webhooks.get(id)?.webhook;
  }

  /** The signing secret, for code that delivers real signed webhooks (never exposed over HTTP after create). */
  getWebhookSecret(id: string): string | undefined {
    return this.webhooks.get(id)?.secret;
  }

  updateWebhook(id: string, patch: UpdateWebhookInput): Webhook | undefined {
    const stored = this.webhooks.get(id);
    if (!stored) return undefined;
    if (patch.events !== undefined) assertEventTypes(patch.events);
    stored.webhook = {
      ...stored.webhook,
      ...(patch.events !== undefined && { events: [...patch.events] }),
      ...(patch.url !== undefined && { url: patch.url }),
      ...(patch.metadata !== undefined && { metadata: { ...(patch.metadata ?? {}) } }),
      updatedAt: new Date(this.clock()).toISOString(),
    };
    return stored.webhook;
  }

  /** Exa flips status on its own (the public API cannot); tests use this to emulate it. */
  setWebhookStatus(id: string, status: WebhookStatus): Webhook {
    const stored = this.webhooks.get(id);
    if (!stored) throw new Error(`No webhook ${id}`);
    stored.webhook = { ...stored.webhook, status, updatedAt: new Date(this.clock()).toISOString() };
    return stored.webhook;
  }

  /** Removes the webhook and its attempts; returns what was deleted. */
  deleteWebhook(id: string): Webhook | undefined {
    const stored = this.webhooks.get(id);
    if (!stored) return undefined;
    this.webhooks.delete(id);
    this.attemptLogs.delete(id);
    return stored.webhook;
  }

  /** Newest first. */
  listWebhooks(): Webhook[] {
    return this.webhookLog
      .newestFirst()
      .filter((stored) => this.isLive(stored))
      .map((stored) => stored.webhook);
  }

  /** Webhooks by createdAt, oldest first; includes deleted records, so filter with isLive. */
  webhookIndex(): readonly LogEntry<StoredWebhook>[] {
    return this.webhookLog.index("*");
  }

  isLive(stored: StoredWebhook): boolean {
    return this.webhooks.get(stored.webhook.id) === stored;
  }

  // ---- events ----

  addEvent(input: AddEventInput): ExaEvent {
    assertEventTypes([input.type]);
    const at = input.createdAt === undefined ? this.clock() : toMs(input.createdAt);
    const id = input.id ?? this.ids.eventId();
    if (this.events.has(id)) throw new Error(`Event ${id} already exists`);
    const event: ExaEvent = {
      id,
      object: "event",
      type: input.type,
      data: input.data === undefined ? eventData(input.type as EventType, at, this.ids) : input.data,
      createdAt: new Date(at).toISOString(),
    };
    this.events.set(id, event);
    this.eventLog.append(at, event);
    return event;
  }

  getEvent(id: string): ExaEvent | undefined {
    return this.events.get(id);
  }

  /** Newest first. */
  listEvents(): ExaEvent[] {
    return this.eventLog.newestFirst();
  }

  /** Events by createdAt, oldest first: ALL_EVENTS_INDEX or eventIndexKey(type). */
  eventIndex(key: string): readonly LogEntry<ExaEvent>[] {
    return this.eventLog.index(key);
  }

  // ---- attempts ----

  addAttempt(input: AddAttemptInput): WebhookAttemptWire {
    const [attempt] = this.addAttempts([input]);
    return attempt as WebhookAttemptWire;
  }

  /** Bulk insert; out-of-order timestamps cost one sort per webhook at the next read, not one per item. */
  addAttempts(inputs: readonly AddAttemptInput[]): WebhookAttemptWire[] {
    const built = inputs.map((input) => this.buildAttempt(input));
    for (const { at, value } of built)
      (this.attemptLogs.get(value.webhookId) as TimeOrderedLog<WebhookAttemptWire>).append(at, value);
    return built.map((item) => item.value);
  }

  /** Newest first. */
  listAttempts(webhookId: string): WebhookAttemptWire[] {
    return this.attemptLogs.get(webhookId)?.newestFirst() ?? [];
  }

  /** Attempts of one webhook by attemptedAt, oldest first; key from attemptIndexKey. Undefined if no such webhook. */
  attemptIndex(webhookId: string, key: string): readonly LogEntry<WebhookAttemptWire>[] | undefined {
    return this.attemptLogs.get(webhookId)?.index(key);
  }

  private buildAttempt(input: AddAttemptInput): { at: number; value: WebhookAttemptWire } {
    const stored = this.webhooks.get(input.webhookId);
    if (!stored) throw new Error(`No webhook ${input.webhookId}`);
    const eventType = input.eventType ?? (input.eventId ? this.events.get(input.eventId)?.type : undefined);
    if (eventType === undefined) throw new Error("addAttempt needs eventType or the eventId of a stored event");
    assertEventTypes([eventType]);
    const status = input.responseStatusCode ?? (input.successful === false ? 500 : 200);
    const at = input.attemptedAt === undefined ? this.clock() : toMs(input.attemptedAt);
    const value: WebhookAttemptWire = {
      id: input.id ?? this.ids.attemptId(),
      object: "webhook_attempt",
      eventId: input.eventId ?? this.ids.eventId(),
      eventType,
      webhookId: input.webhookId,
      url: input.url ?? stored.webhook.url,
      successful: input.successful ?? (status >= 200 && status < 300),
      responseHeaders: input.responseHeaders ?? {},
      responseBody: input.responseBody ?? null,
      responseStatusCode: status,
      attempt: input.attempt ?? 1,
      attemptedAt: new Date(at).toISOString(),
    };
    return { at, value };
  }
}

function newAttemptLog(): TimeOrderedLog<WebhookAttemptWire> {
  return new TimeOrderedLog<WebhookAttemptWire>((attempt) => [
    attemptIndexKey(),
    attemptIndexKey(attempt.eventType),
    attemptIndexKey(undefined, attempt.successful),
    attemptIndexKey(attempt.eventType, attempt.successful),
  ]);
}

function assertEventTypes(types: readonly string[]): void {
  for (const type of types) if (!isEventType(type)) throw new Error(`Unknown event type ${JSON.stringify(type)}`);
}

function toMs(time: TimeInput): number {
  const ms = time instanceof Date ? time.getTime() : typeof time === "number" ? time : Date.parse(time);
  if (!Number.isFinite(ms)) throw new Error(`Invalid time ${String(time)}`);
  return ms;
}
