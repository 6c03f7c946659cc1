// Deterministic attempt histories for tests and benches: events with retried failures, spread over time.
import type { AddAttemptInput, EmulatorStore } from "../../src/sandbox/index.js";
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
  for (let i = 0; i < history.events; i++) {
    const eventType = history.types[i % history.types.length] as string;
    const eventId = `event_seed_${history.webhookId}_${i}`;
    const at = history.startMs + i * history.stepMs;
    const fails = random() < history.failureRate;
    if (!fails) {
      attempts.push({
        webhookId: history.webhookId,
        eventId,
        eventType,
        successful: true,
        responseStatusCode: 200,
        responseBody: "ok",
        attempt: 1,
        attemptedAt: at,
      });
      continue;
    }
    attempts.push({
      webhookId: history.webhookId,
      eventId,
      eventType,
      successful: false,
      responseStatusCode: history.failure.status,
      responseBody: history.failure.body,
      attempt: 1,
      attemptedAt: at,
    });
    if (random() < (history.recoveryRate ?? 0)) {
      attempts.push({
        webhookId: history.webhookId,
        eventId,
        eventType,
        successful: true,
        responseStatusCode: 200,
        responseBody: "ok",
        attempt: 2,
        attemptedAt: at + 1000,
      });
    }
  }
  store.addAttempts(attempts);
  return attempts.length;
}
