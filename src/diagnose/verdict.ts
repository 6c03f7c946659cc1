// The webhook-level verdict: one word an agent can branch on. Rules are checked in order, first match wins.
// A verdict is a claim about the whole window, so each rule asks whether what the scan could not read
// (its structured cut causes) could contradict it; where it could, the verdict is `unknown`.
import { coveredWindow, eventsListingFailed, outcomePagesFailed, unreadOutcomes } from "./coverage.js";
import { compareTimestamps } from "./timestamps.js";
import type { AttemptSummary, CutCause, Verdict } from "./types.js";

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
> & { status: string; causes?: readonly CutCause[] };

/** The newest scanned attempt failed. A success and a failure at the same instant count as a success. */
function newestAttemptFailed(input: VerdictInput): boolean {
  if (input.lastFailureAt === null) return false;
  if (input.lastSuccessAt === null) return true;
  return compareTimestamps(input.lastFailureAt, input.lastSuccessAt) > 0 && input.consecutiveFailures > 0;
}

/**
 * 1. inactive   — the webhook's status is "inactive": Exa is not delivering at all.
 * 2. unknown    — the newest attempts of an outcome could not be read (its probe, or its only partition,
 *                 failed; or time ran out first): recency, "no success" and rates are all unknown.
 * 3. no_traffic — nothing scanned and the window was covered (else unknown: nothing could be read), unless
 *                 events of its types were never attempted: then degraded (events were missed, none failed).
 * 4. failing    — nothing scanned succeeded, or the newest attempt failed and at least FAILING_STREAK
 *                 failures came after the newest success (a streak, not one blip). The scan reads the
 *                 newest page of each outcome first, so what it missed is older and cannot undo this.
 * 5. degraded   — some counted event undelivered (counts only cover types whose outcomes were both read)
 *                 or never attempted (events of its types no attempt carries), or failureRate >= DEGRADED_FAILURE_RATE while no successful page failed to load (missing
 *                 successes could bring the rate down).
 * 6. unknown    — some page failed to load (attempts or events): the missing part could hold failures,
 *                 undelivered or never-attempted events.
 * 7. healthy    — everything else.
 * A cap or the time budget cutting typed partitions is not a failure to read: the verdict is then about the
 * attempts scanned, and the text says the scan was partial.
 */
export function judgeVerdict(input: VerdictInput): Verdict {
  const causes = input.causes ?? [];
  if (input.status === "inactive") return "inactive";
  if (unreadOutcomes(causes).length > 0) return "unknown";
  if (input.attemptsScanned === 0) {
    if (input.events.neverAttempted > 0) return "degraded";
    return coveredWindow(causes) ? "no_traffic" : "unknown";
  }
  if (input.failedAttempts === input.attemptsScanned) return "failing";
  if (newestAttemptFailed(input) && input.consecutiveFailures >= FAILING_STREAK) return "failing";
  if (input.events.undelivered > 0 || input.events.neverAttempted > 0) return "degraded";
  if (input.failureRate >= DEGRADED_FAILURE_RATE && !outcomePagesFailed(causes, "successful")) return "degraded";
  if (outcomePagesFailed(causes, "successful") || outcomePagesFailed(causes, "failed")) return "unknown";
  if (eventsListingFailed(causes)) return "unknown";
  return "healthy";
}
