// One string instance per distinct value of a field that repeats across every remembered record (webhook id,
// URL, event type): JSON.parse makes a copy per attempt, ~40 bytes each, some 15 MB over 100k attempts.

/** Distinct values kept at most: a peer sending a new value per record gets no sharing, not a growing table. */
const MAX_DISTINCT = 1_000;

export class SharedStrings {
  private readonly byValue = new Map<string, string>();

  /** The instance kept for `value` (the first one seen), or `value` itself once the table is full. */
  of(value: string): string {
    const kept = this.byValue.get(value);
    if (kept !== undefined) return kept;
    if (this.byValue.size < MAX_DISTINCT) this.byValue.set(value, value);
    return value;
  }
}
