// Deterministic attempt histories for tests and benches: events with retried failures, spread over time.
import type { AddAttemptInput, EmulatorStore } from "../../src/sandbox/emulator.js";
import { seeded } from "../diagnose/fixtures.js";

export interface SeedHistory {
  webhookId: string;
  events: number;
  types: readonly string[];
  /** Chance that an event's first attempt fails. */
  failureRate: number;
  /** Of failed events, the chance a retry later succeeds. */
  recoveryRate?: number;
  failure: { status: number; body: string };
  startMs: number;
  stepMs: number;
  seed?: number;
}

/** Adds attempts in bulk; returns how many were added. */
export function seedHistory(store: EmulatorStore, history: SeedHistory): number {
  const random = seeded(history.seed ?? 42);
  const attempts: AddAttemptInput[] = [];
  const success = { successful: true, responseStatusCode: 200, responseBody: "ok" };
  const failure = { successful: false, responseStatusCode: history.failure.status, responseBody: history.failure.body };
  for (let i = 0; i < history.events; i++) {
    const event = {
      webhookId: history.webhookId,
      eventId: `event_seed_${history.webhookId}_${i}`,
      eventType: history.types[i % history.types.length] as string,
    };
    const at = history.startMs + i * history.stepMs;
    if (random() >= history.failureRate) {
      attempts.push({ ...event, ...success, attempt: 1, attemptedAt: at });
      continue;
    }
    attempts.push({ ...event, ...failure, attempt: 1, attemptedAt: at });
    if (random() < (history.recoveryRate ?? 0))
      attempts.push({ ...event, ...success, attempt: 2, attemptedAt: at + 1000 });
  }
  store.addAttempts(attempts);
  return attempts.length;
}

/**
 * `count` events a second apart, the last `ageMs` ago (1 h by default), each with one failed attempt (500
 * "boom") and none since: what redelivery finds to send. Returns their ids, oldest first.
 */
export function seedUndelivered(
  store: EmulatorStore,
  options: { webhookId: string; count: number; types: readonly string[]; ageMs?: number },
): string[] {
  const now = Date.now();
  const ids: string[] = [];
  const attempts: AddAttemptInput[] = [];
  for (let i = 0; i < options.count; i++) {
    const at = now - (options.ageMs ?? 3_600_000) - (options.count - i) * 1000;
    const event = store.addEvent({ type: options.types[i % options.types.length] as string, createdAt: at });
    attempts.push({
      webhookId: options.webhookId,
      eventId: event.id,
      successful: false,
      responseStatusCode: 500,
      responseBody: "boom",
      attemptedAt: at + 10,
    });
    ids.push(event.id);
  }
  store.addAttempts(attempts);
  return ids;
}
