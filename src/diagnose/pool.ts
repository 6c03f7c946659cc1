// A minimal promise pool: run async work over a list with at most `limit` in flight. No dependency for
// something this small, and the first rejection propagates (cancellation relies on that). Also the one
// way a scan waits on a request it may have to abandon (unlessAborted).

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

/**
 * Settles like `promise`, or rejects as soon as `signal` aborts, so a source that ignores its signal cannot
 * hold the scan hostage. The listener is removed once the request settles: racing every page against one
 * long-lived promise instead would keep every page reachable from it until the scan ends.
 */
export function unlessAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
