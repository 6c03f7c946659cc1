// One total order for Exa timestamps. Attempts arrive from concurrent partitions in any order, so every
// "newest"/"oldest" choice must break ties the same way or results would depend on scheduling. The scan
// parses each attempt's timestamp once, where it reads the attempt, and hands the instant along with it.

/** A timestamp as Exa wrote it, with its instant parsed once. */
export interface Instant {
  text: string;
  ms: number;
}

/** Epoch ms of an ISO timestamp; unparseable values sort before everything rather than poisoning comparisons. */
export function timestampMillis(value: string): number {
  const parsed = Date.parse(value);
  return Number.isNaN(parsed) ? Number.NEGATIVE_INFINITY : parsed;
}

export function instant(text: string, ms = timestampMillis(text)): Instant {
  return { text, ms };
}

/** Orders by instant, then by the raw string, so two spellings of one instant still compare deterministically. */
export function compareInstants(a: Instant, b: Instant): number {
  const byInstant = a.ms - b.ms;
  if (byInstant !== 0 && !Number.isNaN(byInstant)) return byInstant < 0 ? -1 : 1;
  return a.text < b.text ? -1 : a.text > b.text ? 1 : 0;
}

/** compareInstants for two raw strings (parses both: for the odd comparison, not per attempt). */
export function compareTimestamps(a: string, b: string): number {
  return compareInstants(instant(a), instant(b));
}

export function olderOf(a: Instant | null, b: Instant): Instant {
  return a === null || compareInstants(b, a) < 0 ? b : a;
}

export function newerOf(a: Instant | null, b: Instant): Instant {
  return a === null || compareInstants(b, a) > 0 ? b : a;
}
