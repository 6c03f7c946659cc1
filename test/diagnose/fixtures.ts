// Test data for the diagnosis engine: attempt builders, a seeded generator, and in-memory attempts and
// events endpoints (the injected page sources) that filter, page newest first and count their calls.

import type { AttemptsQuery, EventsQuery, ListedEvent } from "../../src/diagnose/index.js";
import type { Page, WebhookAttempt } from "../../src/exa/schemas.js";

export const WEBHOOK_URL = "https://hooks.example.com/exa/webhook";

let nextId = 0;

export function attempt(overrides: Partial<WebhookAttempt> = {}): WebhookAttempt {
  nextId++;
  return {
    id: `watt_${String(nextId).padStart(5, "0")}`,
    object: "webhook_attempt",
    eventId: `evt_${nextId}`,
    eventType: "webset.item.created",
    webhookId: "whk_1",
    url: WEBHOOK_URL,
    successful: true,
    responseBody: "ok",
    responseStatusCode: 200,
    attempt: 1,
    attemptedAt: "2026-01-01T00:00:00.000Z",
    ...overrides,
  };
}

export function failed(overrides: Partial<WebhookAttempt> = {}): WebhookAttempt {
  return attempt({ successful: false, responseStatusCode: 500, responseBody: "Internal Server Error", ...overrides });
}

export function at(minute: number): string {
  return new Date(Date.UTC(2026, 0, 1, 0, 0) + minute * 60_000).toISOString();
}

/** Deterministic PRNG (mulberry32) so generated histories are reproducible. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

const FAILURES: Array<Pick<WebhookAttempt, "responseStatusCode" | "responseBody">> = [
  { responseStatusCode: 0, responseBody: "connect ECONNREFUSED 127.0.0.1:9" },
  { responseStatusCode: 502, responseBody: "<html><head><title>502 Bad Gateway</title></head></html>" },
  { responseStatusCode: 401, responseBody: '{"error":"invalid signature"}' },
  { responseStatusCode: 0, responseBody: "TimeoutError: The operation was aborted due to timeout" },
  { responseStatusCode: 400, responseBody: "unhandled event type" },
];

export const TYPES = ["webset.item.created", "webset.item.enriched", "webset.idle", "monitor.run.completed"];

/** A realistic history: events with retries, some recovering, some never delivered. */
export function generateHistory(eventCount: number, seed = 1, types = TYPES): WebhookAttempt[] {
  const random = seeded(seed);
  const attempts: WebhookAttempt[] = [];
  for (let e = 0; e < eventCount; e++) {
    const eventType = types[Math.floor(random() * types.length)] as string;
    const failuresBeforeSuccess = random() < 0.6 ? 0 : Math.floor(random() * 5); // 4 = never delivered here
    const failure = FAILURES[Math.floor(random() * FAILURES.length)] ?? FAILURES[0];
    const start = e * 3;
    for (let n = 1; n <= Math.min(failuresBeforeSuccess + 1, 4); n++) {
      const ok = n > failuresBeforeSuccess;
      attempts.push(
        attempt({
          id: `watt_${e}_${n}`,
          eventId: `evt_${e}`,
          eventType,
          attempt: n,
          attemptedAt: at(start + n * 2),
          successful: ok,
          ...(ok ? { responseStatusCode: 200, responseBody: "ok" } : failure),
        }),
      );
    }
  }
  return attempts;
}

/** The event of each attempt in a history (created a minute before its first attempt), oldest first. */
export function eventsOf(history: readonly WebhookAttempt[]): ListedEvent[] {
  const byId = new Map<string, ListedEvent>();
  for (const a of history) {
    const createdAt = new Date(Date.parse(a.attemptedAt) - 60_000).toISOString();
    const known = byId.get(a.eventId);
    if (!known || createdAt < known.createdAt) byId.set(a.eventId, { id: a.eventId, type: a.eventType, createdAt });
  }
  return [...byId.values()].sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
}

export interface FakeEventsOptions {
  /** Ignore the date range (a server that filters nothing). */
  sloppy?: boolean;
  /** Every call after this many fails. */
  failAfter?: number;
  /** Milliseconds before answering a call. */
  delayMs?: (query: EventsQuery, call: number) => number;
}

/** GET /v0/events in memory: newest first, filtered by types and the inclusive range, offset cursors. */
export function fakeEventsSource(all: readonly ListedEvent[], options: FakeEventsOptions = {}) {
  const calls: EventsQuery[] = [];
  async function source(query: EventsQuery, signal: AbortSignal): Promise<Page<ListedEvent>> {
    calls.push(query);
    await delay(options.delayMs?.(query, calls.length) ?? 0, signal);
    if (options.failAfter !== undefined && calls.length > options.failAfter) throw new Error("HTTP 500 from Exa");
    const after = Date.parse(query.createdAfter);
    const before = Date.parse(query.createdBefore);
    const matching = all
      .filter((e) => query.types.includes(e.type))
      .filter((e) => options.sloppy || (Date.parse(e.createdAt) >= after && Date.parse(e.createdAt) <= before))
      .reverse();
    const offset = Number(query.cursor ?? 0);
    const data = matching.slice(offset, offset + query.limit);
    const hasMore = offset + query.limit < matching.length;
    return { data, hasMore, nextCursor: hasMore ? String(offset + query.limit) : null };
  }
  return { source, calls };
}

function delay(ms: number, signal: AbortSignal, ignoreSignal = false): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    if (!ignoreSignal) signal.addEventListener("abort", onAbort, { once: true });
  });
}

export interface FakeSourceOptions {
  /** Throw for queries matching this predicate (after counting the call). */
  failWhen?: (query: AttemptsQuery) => Error | undefined;
  /** Milliseconds before answering a call; varies timing across partitions. */
  delayMs?: (query: AttemptsQuery, call: number) => number;
  /** Ignore the signal (a badly behaved client) to test that the scan still returns promptly. */
  ignoreSignal?: boolean;
}

/** The attempts endpoint in memory: newest first, filters by eventType/successful, opaque offset cursors. */
export function fakeAttemptsSource(all: readonly WebhookAttempt[], options: FakeSourceOptions = {}) {
  const sorted = [...all].sort((a, b) =>
    a.attemptedAt === b.attemptedAt ? (a.id < b.id ? 1 : -1) : a.attemptedAt < b.attemptedAt ? 1 : -1,
  );
  const calls: AttemptsQuery[] = [];
  async function source(query: AttemptsQuery, signal: AbortSignal): Promise<Page<WebhookAttempt>> {
    calls.push({ ...query });
    await delay(options.delayMs?.(query, calls.length) ?? 0, signal, options.ignoreSignal);
    if (!options.ignoreSignal) signal.throwIfAborted();
    const error = options.failWhen?.(query);
    if (error) throw error;
    const matching = sorted.filter(
      (a) =>
        (query.eventType === undefined || a.eventType === query.eventType) &&
        (query.successful === undefined || a.successful === query.successful),
    );
    const offset = query.cursor ? Number(query.cursor.slice("cur_".length)) : 0;
    const data = matching.slice(offset, offset + query.limit);
    const hasMore = offset + query.limit < matching.length;
    return { data, hasMore, nextCursor: hasMore ? `cur_${offset + query.limit}` : null };
  }
  return { source, calls };
}
