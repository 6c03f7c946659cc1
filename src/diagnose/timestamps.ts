// One total order for Exa timestamps. Attempts arrive from concurrent partitions in any order, so every
// "newest"/"oldest" choice must break ties the same way or results would depend on scheduling.

/** Epoch ms of an ISO timestamp; unparseable values sort before everything rather than poisoning comparisons. */
export function timestampMillis(value: string): number {
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? Number.NEGATIVE_INFINITY : ms;
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
