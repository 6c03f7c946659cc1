// How a test waits. For something to become true: `expect.poll`. For an event a promise stands for (a child
// announcing its URL or exiting): `within`. For proof that nothing more happens (no retry after a cancel):
// `quietFor`. Nothing else sleeps or loops on a timer.

/** A wait that had no bound of its own (it ended with vitest's 30 s test timeout) polls this long, so it fails with the poll's message just before. */
export const UNTIL_TEST_TIMEOUT = { timeout: 29_000, interval: 5 };

/** `promise`, or a rejection saying what did not happen once `ms` have passed. */
export async function within<T>(promise: Promise<T>, ms: number, what: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what()} (waited ${ms} ms)`)), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Lets `ms` pass so that what should not happen (a retry, one more request) would have happened by now; the
 * test then checks it did not. The only plain pause a test takes.
 */
export function quietFor(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
