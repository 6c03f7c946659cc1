// What a scan folds into its aggregate, under its cuts: the maxAttempts cap, the since bound, the caller's
// per-chain stop, and the probe's attempts that typed chains page again. Design: docs/architecture.md.
import type { WebhookAttempt } from "../exa/schemas.js";
import type { AttemptAggregator } from "./aggregate.js";
import { belongsTo, type Partition } from "./partitions.js";
import { timestampMillis } from "./timestamps.js";

/**
 * Whether a chain ends at this attempt (read through: not a cut). Asked in page order, newest first, of
 * every attempt of the chain not already folded and not older than since; once it says yes, that attempt
 * and the rest of the chain are not folded. On an outcome's head page the partition is the head's.
 */
export type StopChain = (partition: Partition, attempt: WebhookAttempt) => boolean;

/** How a page of a chain ended: on to the next page, at since, at the caller's stop, or at the cap. */
export type PageEnd = "more" | "since" | "stopped" | "capped";

export interface FoldCuts {
  maxAttempts: number;
  sinceMs: number | undefined;
  stopChain: StopChain | undefined;
}

export class AttemptFold {
  scanned = 0;
  /** Infinity until an attempt is folded. */
  oldestMs = Number.POSITIVE_INFINITY;
  /** The cap stopped a fold, or found itself spent with pages left. */
  capped = false;
  /** Some chain met attempts older than since. */
  olderThanSince = false;
  /** The newest attempt a chain stopped at (the caller holds it and what is older): -Infinity = none. */
  stoppedAtMs = Number.NEGATIVE_INFINITY;
  /** Attempts folded from a probe page: the typed chains that page them again skip them. */
  private readonly fromProbe = new Set<string>();

  constructor(
    private readonly aggregator: AttemptAggregator,
    private readonly cuts: FoldCuts,
  ) {}

  /** Older than since: recorded, and the caller skips it. */
  beforeSince(ms: number): boolean {
    if (this.cuts.sinceMs === undefined || ms >= this.cuts.sinceMs) return false;
    this.olderThanSince = true;
    return true;
  }

  /** The caller's stop hook said this chain ends here. */
  stopsAt(partition: Partition, attempt: WebhookAttempt, ms: number): boolean {
    if (!this.cuts.stopChain?.(partition, attempt)) return false;
    this.stoppedAtMs = Math.max(this.stoppedAtMs, ms);
    return true;
  }

  /** The cap is spent: a chain that still has pages in the window makes the scan incomplete. */
  budgetSpent(): boolean {
    if (this.scanned >= this.cuts.maxAttempts) this.capped = true;
    return this.capped;
  }

  /** Some attempt may still be folded (without marking the scan capped). */
  roomLeft(): boolean {
    return this.scanned < this.cuts.maxAttempts;
  }

  /** Adds one attempt unless the cap is spent (then false). */
  fold(attempt: WebhookAttempt, ms: number): boolean {
    if (this.budgetSpent()) return false;
    this.aggregator.add(attempt, ms);
    this.scanned++;
    if (ms < this.oldestMs) this.oldestMs = ms;
    return true;
  }

  /** Folds a probe's attempt that typed chains will page again. */
  foldFromProbe(attempt: WebhookAttempt, ms: number): boolean {
    if (!this.fold(attempt, ms)) return false;
    this.fromProbe.add(attempt.id);
    return true;
  }

  /** Folds a typed chain's page, in page order. */
  foldPage(partition: Partition, attempts: readonly WebhookAttempt[]): PageEnd {
    let end: PageEnd = "more";
    for (const attempt of attempts) {
      if (!belongsTo(partition, attempt)) continue;
      const ms = timestampMillis(attempt.attemptedAt);
      // Newest first, but skip-and-continue rather than break in case a page is not perfectly sorted.
      if (this.beforeSince(ms)) {
        end = "since";
        continue;
      }
      if (this.fromProbe.delete(attempt.id)) continue;
      if (this.stopsAt(partition, attempt, ms)) return "stopped";
      if (!this.fold(attempt, ms)) return "capped";
    }
    return end;
  }
}
