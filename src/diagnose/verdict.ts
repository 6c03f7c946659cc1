// The webhook-level verdict: one word an agent can branch on. Rules are checked in order, first match wins.

import { compareTimestamps } from "./timestamps.js";
import type { AttemptSummary, Verdict } from "./types.js";

/**
 * Failures in a row (newest first) that make the receiver broken now rather than flaky: the taxonomy's
 * "the most recent attempts are all failures" (plural), so two; one newest failure after successes is a blip.
 */
export const FAILING_STREAK = 2;
/** Failure rate at which a webhook whose recent attempts succeed is still worth attention. */
export const DEGRADED_FAILURE_RATE = 0.05;

export type VerdictInput = Pick<
  AttemptSummary,
  | "attemptsScanned"
  | "failedAttempts"
  | "failureRate"
  | "events"
  | "lastSuccessAt"
  | "lastFailureAt"
  | "consecutiveFailures"
> & { status: string };

/** The newest scanned attempt failed. A success and a failure at the same instant count as a success. */
function newestAttemptFailed(input: VerdictInput): boolean {
  if (input.lastFailureAt === null) return false;
  if (input.lastSuccessAt === null) return true;
  return compareTimestamps(input.lastFailureAt, input.lastSuccessAt) > 0 && input.consecutiveFailures > 0;
}

/**
 * 1. inactive   — the webhook's status is "inactive": Exa is not delivering at all.
 * 2. no_traffic — nothing scanned in the window (or nothing could be read: the scan's `complete` and
 *                 incompleteReason tell the two apart; no other verdict is true of an unread webhook).
 * 3. failing    — nothing scanned succeeded, or the newest attempt failed and at least FAILING_STREAK
 *                 failures came after the newest success (a streak, not one blip).
 * 4. degraded   — some event undelivered, or failureRate >= DEGRADED_FAILURE_RATE; recent attempts succeed
 *                 (or fail fewer than FAILING_STREAK times in a row).
 * 5. healthy    — everything else.
 */
export function judgeVerdict(input: VerdictInput): Verdict {
  if (input.status === "inactive") return "inactive";
  if (input.attemptsScanned === 0) return "no_traffic";
  if (input.failedAttempts === input.attemptsScanned) return "failing";
  if (newestAttemptFailed(input) && input.consecutiveFailures >= FAILING_STREAK) return "failing";
  if (input.events.undelivered > 0 || input.failureRate >= DEGRADED_FAILURE_RATE) return "degraded";
  return "healthy";
}
