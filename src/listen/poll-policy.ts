// How long a listener waits before its next look at the event log: quick while events flow and for 15 more polls
// after the last one (30 s at the default 2 s: someone testing a handler sends events seconds apart), then slower
// and slower while nothing comes (Exa documents no rate limit), and never sooner than a Retry-After says.

export interface PollPolicy {
  /** The wait while events flow. */
  activeMs: number;
  /** The longest wait when idle. */
  idleMaxMs: number;
  /** Empty polls at the active wait before backing off: one empty poll between two events is not idleness. */
  quietPolls: number;
}

export const DEFAULT_POLL_POLICY: PollPolicy = { activeMs: 2_000, idleMaxMs: 20_000, quietPolls: 15 };

export interface PollOutcome {
  /** Events forwarded (or found) by the poll that just ended. */
  found: number;
  /** Polls in a row, this one included, that found nothing. */
  idleStreak: number;
  /** Retry-After of a refused poll, in ms. */
  retryAfterMs?: number | undefined;
  /** How long the poll that just ended took: polls start an interval apart, so it is taken off the wait. */
  elapsedMs?: number | undefined;
}

/**
 * The wait before the next poll: the interval (active while events flow and for quietPolls empty polls after,
 * then doubling per empty poll up to idleMaxMs) less the time the last poll took, and never less than a
 * Retry-After.
 */
export function nextPollDelay(outcome: PollOutcome, policy: PollPolicy = DEFAULT_POLL_POLICY): number {
  const base =
    outcome.found > 0 || outcome.idleStreak <= policy.quietPolls
      ? policy.activeMs
      : Math.min(policy.idleMaxMs, policy.activeMs * 2 ** (outcome.idleStreak - policy.quietPolls));
  return Math.max(base - (outcome.elapsedMs ?? 0), outcome.retryAfterMs ?? 0, 0);
}
