// Fleet ordering: the webhooks that need a human first. Deterministic, so repeated calls read the same.
import { isUnscanned } from "./coverage.js";
import type { Verdict, WebhookDiagnosis } from "./types.js";

/**
 * inactive before failing (Exa has stopped delivering: nothing else matters until it is re-enabled), then
 * degraded, then no_traffic (silence can be a broken subscription, so it outranks healthy), then healthy.
 */
export const VERDICT_RANK: Record<Verdict, number> = {
  inactive: 0,
  failing: 1,
  degraded: 2,
  no_traffic: 3,
  healthy: 4,
};

/**
 * Worst first: verdict rank, then undelivered events, failure rate, failed attempts, then webhook id. A
 * no_traffic webhook that could not be read at all (see isUnscanned) comes first among no_traffic: its state
 * is unknown, so it outranks the genuinely quiet and the healthy, but not a known failure.
 */
export function rankDiagnoses(diagnoses: readonly WebhookDiagnosis[]): WebhookDiagnosis[] {
  return [...diagnoses].sort(
    (a, b) =>
      VERDICT_RANK[a.verdict] - VERDICT_RANK[b.verdict] ||
      Number(isUnscanned(b)) - Number(isUnscanned(a)) ||
      b.events.undelivered - a.events.undelivered ||
      b.failureRate - a.failureRate ||
      b.failedAttempts - a.failedAttempts ||
      (a.webhookId < b.webhookId ? -1 : a.webhookId > b.webhookId ? 1 : 0),
  );
}
