// One total order for Exa timestamps. Attempts arrive from concurrent partitions in any order, so every
// "newest"/"oldest" choice must break ties the same way or results would depend on scheduling.

// Each attempt is compared with the current extremes (window, last success, group bounds) several times;
// remembering recent parses makes that one Date.parse per attempt instead of about ten.
const recentParses = new Map<string, number>();
const RECENT_PARSES_LIMIT = 256;

/** Epoch ms of an ISO timestamp; unparseable values sort before everything rather than poisoning comparisons. */
export function timestampMillis(value: string): number {
  const known = recentParses.get(value);
  if (known !== undefined) return known;
  const parsed = Date.parse(value);
  const ms = Number.isNaN(parsed) ? Number.NEGATIVE_INFINITY : parsed;
  if (recentParses.size >= RECENT_PARSES_LIMIT) recentParses.clear();
  recentParses.set(value, ms);
  return ms;
}

/** Orders by instant, then by the raw string, so two spellings of one instant still compare deterministically. */
export function compareTimestamps(a: string, b: string): number {
  const byInstant = timestampMillis(a) - timestampMillis(b);
  if (byInstant !== 0 && !Number.isNaN(byInstant)) return byInstant < 0 ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

export function olderOf(a: string | null, b: string): string {
  return a === null || compareTimestamps(b, a) < 0 ? b : a;
}

export function newerOf(a: string | null, b: string): string {
  return a === null || compareTimestamps(b, a) > 0 ? b : a;
}
