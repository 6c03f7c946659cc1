// Decides the failure category of one unsuccessful attempt from its status code AND its response body.
// Transport failures reach Exa's records as status 0 (or none) plus an error string, so for those the
// body is all there is; for real HTTP statuses the status table decides and the body only refines it.
import type { WebhookAttempt } from "../exa/schemas.js";
import type { Category } from "./types.js";

type AttemptEvidence = Pick<WebhookAttempt, "responseStatusCode" | "responseBody">;

/**
 * What a response body or transport error shows, matched here and nowhere else: the category below and the
 * next-check hints (hints.ts) read the same facts.
 */
export const EVIDENCE = {
  /** The host name does not resolve. */
  dns: /ENOTFOUND|EAI_AGAIN|getaddrinfo/i,
  refused: /ECONNREFUSED|EHOSTUNREACH|ENETUNREACH|connection refused|no route to host/i,
  /** The connection was dropped mid-request. */
  dropped: /ECONNRESET|socket hang up|other side closed/i,
  /** A TLS client met a plain-HTTP port. */
  plainHttpOnTls: /wrong version number/i,
  /** Cloudflare's challenge page ("Just a moment..."), whatever status it is served with. */
  cloudflareChallenge: /just a moment|cf-chl|attention required/i,
  cloudflare: /cloudflare/i,
  csrf: /csrf/i,
} as const satisfies Record<string, RegExp>;
export type Evidence = keyof typeof EVIDENCE;

/** Whether `text` shows any of the kinds of evidence. */
export function shows(text: string, ...kinds: Evidence[]): boolean {
  return kinds.some((kind) => EVIDENCE[kind].test(text));
}

// Checked in this order. TLS first: a failed handshake often also reports a reset socket. Then the
// unambiguous "no one there" codes (DNS, refused, no route), which can carry the word "timeout" (EAI_AGAIN is
// a DNS timeout) but are fixed by fixing the address. Then timeouts, so Node's "The operation was aborted
// due to timeout" is a timeout. Anything else without an HTTP answer (resets, hang-ups, empty) is unreachable.
const TLS_PATTERN =
  /CERT_HAS_EXPIRED|SELF_SIGNED|self[- ]signed|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT|ERR_TLS_CERT_ALTNAME_INVALID|altnames|handshake|certificate|secure TLS connection|ERR_SSL_|EPROTO/i;
const TIMEOUT_PATTERN =
  /ETIMEDOUT|ESOCKETTIMEDOUT|UND_ERR_(?:CONNECT|HEADERS|BODY)_TIMEOUT|time(?:d)?[ -]?out|aborted/i;

// A WAF or auth middleware answering in front of the handler: rejects deliveries whatever status it picks.
const AUTH_BODY_PATTERN = /signature|unauthori[sz]ed|forbidden|access denied/i;

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** Status 0/none: the receiver never answered over HTTP, so only the error text can tell us why. */
function classifyTransportFailure(body: string): Category {
  if (TLS_PATTERN.test(body) || shows(body, "plainHttpOnTls")) return "tls";
  if (shows(body, "dns", "refused")) return "unreachable";
  if (TIMEOUT_PATTERN.test(body)) return "timeout";
  // ECONNRESET, "socket hang up", "other side closed", an empty or unknown error: still no HTTP answer.
  return "unreachable";
}

function classifyClientError(status: number, body: string): Category {
  if (status === 401 || status === 403) return "auth_rejected";
  if (status === 404 || status === 410) return "not_found";
  if (status === 429) return "rate_limited";
  if (status === 408) return "timeout";
  // Many receivers answer a failed signature check with 400 ("Webhook signature verification failed"):
  // the fix is the secret or the raw body, not the payload shape, so the body wins over the status.
  if (AUTH_BODY_PATTERN.test(body) || shows(body, "csrf", "cloudflare", "cloudflareChallenge")) return "auth_rejected";
  // The taxonomy's 400/405/409/413/415/422, and the rarer 4xx (402, 406, 411, 412, 414, 431, ...) too:
  // all are the receiver refusing this request's shape, which the bad_request hints address.
  return "bad_request";
}

/**
 * The category of an UNSUCCESSFUL attempt (callers skip successful ones).
 *
 * 5xx stays `server_error` whatever the body says — a 502 mentioning ECONNREFUSED is the receiver's proxy
 * failing to reach its app, so the fix is behind that proxy, not in the webhook URL. The one exception is a
 * WAF challenge page (Cloudflare "Just a moment...") served with 503: that is the WAF blocking Exa.
 */
export function classifyAttempt(attempt: AttemptEvidence): Category {
  const status = attempt.responseStatusCode ?? 0;
  const body = attempt.responseBody ?? "";
  if (!Number.isFinite(status) || status <= 0) return classifyTransportFailure(body);
  if (status >= 200 && status < 300) return "other"; // answered 2xx but Exa still counted it as failed
  if (REDIRECT_STATUSES.has(status)) return "redirect";
  if (status >= 400 && status < 500) return classifyClientError(status, body);
  if (status >= 500 && status < 600) {
    return shows(body, "cloudflareChallenge") ? "auth_rejected" : "server_error";
  }
  return "other"; // 1xx, 300/304/305, out-of-range codes: show the raw evidence
}
