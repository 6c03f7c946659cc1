// A minimal job pool: at most `limit` jobs in flight, the next one asked for whenever a slot frees. No
// dependency for something this small, and the first rejection propagates (cancellation relies on that).
// Also the one way a scan waits on a request it may have to abandon (requestSignals, unlessAborted).

/** One unit of work: in a scan, one request and what is done with its answer. */
export type Job = () => Promise<void>;

/**
 * Runs jobs with at most `limit` in flight. `next` is asked each time a slot is free and gives the job to
 * start, or undefined when none is ready now: a running job may make more ready, so `next` is asked again
 * whenever one ends. Resolves once `next` has nothing and nothing runs; rejects with the first failure
 * (jobs still running then are left to their own cancellation).
 */
export function runPool(limit: number, next: () => Job | undefined): Promise<void> {
  const lanes = Math.max(1, Math.floor(limit) || 1);
  return new Promise<void>((resolve, reject) => {
    let running = 0;
    let failed = false;
    const fail = (error: unknown) => {
      failed = true;
      reject(error);
    };
    const ended = () => {
      running--;
      fill();
    };
    function fill(): void {
      if (failed) return;
      try {
        for (let job = running < lanes ? next() : undefined; job; job = running < lanes ? next() : undefined) {
          running++;
          job().then(ended, fail);
        }
      } catch (error) {
        fail(error);
        return;
      }
      if (running === 0) resolve();
    }
    fill();
  });
}

/** A fixed list of work, each item once, with at most `limit` in flight. */
export function runWithConcurrency<T>(
  items: readonly T[],
  limit: number,
  worker: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  return runPool(limit, () => {
    if (next >= items.length) return undefined;
    const item = items[next++] as T;
    return () => worker(item);
  });
}

/** A signal for one request, and its release once the request has settled. */
export interface RequestSignal {
  signal: AbortSignal;
  release(): void;
}

/**
 * Hands each request a signal of its own that aborts with `parent`, through one listener on `parent` for
 * them all. A listener per request on the scan-long signal would chain every request to the next: a removed
 * entry of its listener list keeps pointing at the ones added after it until a full collection, so the
 * answers those listeners' closures can reach (every page in flight) survive collection after collection
 * and pile up in the old generation.
 */
export function requestSignals(parent: AbortSignal): () => RequestSignal {
  const open = new Set<AbortController>();
  parent.addEventListener("abort", () => {
    for (const controller of open) controller.abort(parent.reason);
    open.clear();
  });
  return () => {
    const controller = new AbortController();
    if (parent.aborted) controller.abort(parent.reason);
    else open.add(controller);
    return { signal: controller.signal, release: () => open.delete(controller) };
  };
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
