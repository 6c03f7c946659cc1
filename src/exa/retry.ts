// When and how long to wait before retrying an Exa request. Exa documents no rate limits or Retry-After,
// so Retry-After is honored when present and exponential backoff with jitter is used otherwise.

export const MAX_RETRIES = 3;
/** A Retry-After longer than this is not waited out inside one tool call: the error says when to come back. */
export const MAX_RETRY_WAIT_MS = 20_000;

const RETRYABLE_STATUSES = new Set([429, 500, 502, 503, 504]);

export type RetryCause =
  | { kind: "status"; status: number }
  | { kind: "network"; code?: string | undefined }
  | { kind: "timeout" };

/** Failures that happen before a request leaves the machine: the write cannot have reached Exa. */
const NEVER_SENT_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "UND_ERR_CONNECT_TIMEOUT",
  "ERR_TLS_CERT_ALTNAME_INVALID",
  "CERT_HAS_EXPIRED",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
]);

/**
 * Whether a write that ended this way may have been applied by Exa although no answer says so: a timeout, a
 * connection lost after sending, or a 5xx (a gateway can fail after Exa made the change). A 429 or another
 * 4xx is a refusal; a connection that was never made sent nothing. Reads change nothing, so never.
 */
export function mayHaveBeenApplied(method: string, cause: RetryCause): boolean {
  if (method === "GET") return false;
  if (cause.kind === "status") return cause.status >= 500;
  if (cause.kind === "network") return cause.code === undefined || !NEVER_SENT_CODES.has(cause.code);
  return true;
}

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
