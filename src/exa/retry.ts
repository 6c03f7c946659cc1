// When and how long to wait before retrying an Exa request. Exa documents no rate limits or Retry-After,
// so Retry-After is honored when present and exponential backoff with jitter is used otherwise.

export const MAX_RETRIES = 3;
/** A Retry-After longer than this is not waited out inside one tool call: the error says when to come back. */
export const MAX_RETRY_WAIT_MS = 20_000;

const RETRYABLE_STATUSES = new Set([429, 500, 502, 503, 504]);

export type RetryCause = { kind: "status"; status: number } | { kind: "network" } | { kind: "timeout" };

/**
 * POST creates a webhook: retrying it after a 5xx or a timeout could create a duplicate, so POST is retried
 * only on 429 (the request was refused before it did anything). GET, PATCH and DELETE are idempotent.
 */
export function isRetryable(method: string, cause: RetryCause): boolean {
  if (cause.kind === "status") {
    if (method === "POST") return cause.status === 429;
    return RETRYABLE_STATUSES.has(cause.status);
  }
  return method !== "POST";
}

/** Retry-After as seconds or an HTTP date, in ms from now; undefined when absent or unreadable. */
export function parseRetryAfter(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** Exponential backoff with jitter: between half and all of base * 2^retry. */
export function backoffDelay(retry: number, baseMs: number, random = Math.random): number {
  const ceiling = baseMs * 2 ** retry;
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** Resolves after ms, or rejects as soon as the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
