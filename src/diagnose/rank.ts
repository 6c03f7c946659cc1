// Fleet ordering: the webhooks that need a human first. Deterministic, so repeated calls read the same.
import type { Verdict, WebhookDiagnosis } from "./types.js";

/**
 * inactive before failing (Exa has stopped delivering: nothing else matters until it is re-enabled), then
 * unknown (could not be read: may be broken), degraded, no_traffic (silence can be a broken subscription,
 * so it outranks healthy), then healthy.
 */
export const VERDICT_RANK: Record<Verdict, number> = {
  inactive: 0,
  failing: 1,
  unknown: 2,
  degraded: 3,
  no_traffic: 4,
  healthy: 5,
};

/** Worst first: verdict rank, then missed events (undelivered + never attempted), failure rate, failed attempts, then webhook id. */
export function rankDiagnoses(diagnoses: readonly WebhookDiagnosis[]): WebhookDiagnosis[] {
  return [...diagnoses].sort(
    (a, b) =>
      VERDICT_RANK[a.verdict] - VERDICT_RANK[b.verdict] ||
      b.events.undelivered + b.events.neverAttempted - (a.events.undelivered + a.events.neverAttempted) ||
      b.failureRate - a.failureRate ||
      b.failedAttempts - a.failedAttempts ||
      (a.webhookId < b.webhookId ? -1 : a.webhookId > b.webhookId ? 1 : 0),
  );
}
