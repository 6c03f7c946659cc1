// A minimal promise pool: run async work over a list with at most `limit` in flight. No dependency for
// something this small, and the first rejection propagates (cancellation relies on that).

export async function runWithConcurrency<T>(
  items: readonly T[],
  limit: number,
  worker: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lanes = Math.max(1, Math.min(Math.floor(limit) || 1, items.length));
  async function lane(): Promise<void> {
    while (next < items.length) {
      const item = items[next++] as T;
      await worker(item);
    }
  }
  await Promise.all(Array.from({ length: lanes }, lane));
}
