// Why a fetch or a request failed, in words: shared by the Exa client and the one outgoing POST (net/post.ts).

/**
 * Node's fetch reports "fetch failed" and hides the reason in `cause` (e.g. `connect ECONNREFUSED
 * 127.0.0.1:45678`, or an AggregateError with only a code when both localhost addresses refuse).
 */
export function fetchFailureText(error: unknown): string {
  const cause = (error as { cause?: unknown } | undefined)?.cause ?? error;
  const { message, code, errors } = (cause ?? {}) as { message?: unknown; code?: unknown; errors?: unknown };
  const inner = Array.isArray(errors) ? (errors[0] as { message?: unknown } | undefined)?.message : undefined;
  const text = [message, inner].find((part): part is string => typeof part === "string" && part !== "");
  const shown = text ?? (cause === undefined || cause === null ? "network error" : String(cause));
  return typeof code === "string" && !shown.includes(code) ? `${shown} (${code})` : shown;
}
