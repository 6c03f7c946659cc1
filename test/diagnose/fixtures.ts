// Test data for the diagnosis engine: attempt builders, a seeded generator, and an in-memory attempts
// endpoint (the injected page source) that filters, pages newest first and counts its calls.

import type { AttemptsQuery } from "../../src/diagnose/index.js";
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
    const delay = options.delayMs?.(query, calls.length) ?? 0;
    if (delay > 0) {
      await new Promise<void>((resolve, reject) => {
        const onAbort = () => {
          clearTimeout(timer);
          reject(signal.reason);
        };
        const timer = setTimeout(() => {
          signal.removeEventListener("abort", onAbort);
          resolve();
        }, delay);
        if (!options.ignoreSignal) signal.addEventListener("abort", onAbort, { once: true });
      });
    }
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
