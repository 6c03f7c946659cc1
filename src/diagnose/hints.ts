// The "next check" line for each failure group: one concrete command or change, aimed at this webhook's
// URL, so an agent can act without first working out which tool or flag applies.
import { isValidHost } from "../exa/hosts.js";
import { oneLine } from "../text/untrusted.js";
import { shows } from "./classify.js";
import type { Category } from "./types.js";

interface Target {
  /** The URL as one POSIX-shell word; undefined when no command may be built from it (see `commandable`). */
  quotedUrl: string | undefined;
  host: string;
  port: string;
  path: string;
  isHttps: boolean;
  isPrivate: boolean;
}

const INVALID_HOST = "the host is not a valid DNS name or IP address, so no command is suggested";

// Hosts a sender on the public internet can never reach: the most common "unreachable" root cause.
const PRIVATE_HOST =
  /^(localhost|.*\.localhost|.*\.local|.*\.internal|127\.\d+\.\d+\.\d+|10\.\d+\.\d+\.\d+|192\.168\.\d+\.\d+|172\.(1[6-9]|2\d|3[01])\.\d+\.\d+|169\.254\.\d+\.\d+|0\.0\.0\.0|\[?::1?\]?|\[?f[cd][0-9a-f]*:.*)$/i;

/** One word for a POSIX shell, whatever it holds: single quotes, each `'` written as `'\''`. */
function shellQuote(text: string): string {
  return `'${text.replace(/'/g, "'\\''")}'`;
}

function describeTarget(webhookUrl: string, senderIsLocal: boolean): Target {
  const url = URL.canParse(webhookUrl) ? new URL(webhookUrl) : undefined;
  // The URL is set by whoever created the webhook: build commands only from a host a resolver could accept,
  // and keep every value inside its quotes (and the backticked span: a backtick becomes %60, the same URL).
  if (!url || !isValidHost(url.hostname)) {
    const path = oneLine(url?.pathname) || "/";
    return { quotedUrl: undefined, host: "", port: "", path, isHttps: true, isPrivate: false };
  }
  const isHttps = url.protocol === "https:";
  return {
    quotedUrl: shellQuote(url.href.replace(/`/g, "%60")),
    host: url.hostname,
    port: url.port || (isHttps ? "443" : "80"),
    path: oneLine(url.pathname) || "/",
    isHttps,
    // A local sender (the sandbox) reaches loopback fine: the private-address diagnosis would mislead.
    isPrivate: !senderIsLocal && PRIVATE_HOST.test(url.hostname),
  };
}

/** `curl ...` with the URL as the last word, or the reason there is no command. */
function curl(t: Target, flags: string): string {
  return t.quotedUrl ? `run \`curl ${flags} ${t.quotedUrl}\`` : `check the webhook URL (${INVALID_HOST})`;
}

function openssl(t: Target): string {
  return `\`openssl s_client -connect ${shellQuote(`${t.host}:${t.port}`)} -servername ${shellQuote(t.host)}\``;
}

function unreachableHint(t: Target, sample: string): string {
  if (!t.quotedUrl)
    return `Nothing accepted the connection and ${INVALID_HOST}: fix the webhook URL with update_webhook.`;
  if (t.isPrivate) {
    return `${t.host} is a local/private address Exa cannot reach: expose the receiver publicly (a tunnel in development) and update the webhook URL.`;
  }
  if (shows(sample, "dns")) {
    return `The host name does not resolve: run \`dig +short ${shellQuote(t.host)}\`, then fix DNS or the webhook URL.`;
  }
  if (shows(sample, "dropped")) {
    return `The connection was dropped mid-request: ${curl(t, "-sv -X POST")} and check the receiver's logs for crashes and any firewall/WAF in front of it.`;
  }
  return `Nothing accepted the connection: ${curl(t, "-sv -X POST")}; check the process is up, port ${t.port} is open and no firewall blocks Exa.`;
}

function tlsHint(t: Target, sample: string): string {
  if (!t.quotedUrl) return `The TLS handshake failed and ${INVALID_HOST}: fix the webhook URL with update_webhook.`;
  if (shows(sample, "plainHttpOnTls")) {
    return `Port ${t.port} speaks plain HTTP, not TLS: serve HTTPS there or fix the port in the webhook URL (check with ${openssl(t)}).`;
  }
  return `Run ${openssl(t)}: renew an expired certificate, serve the full chain and make the name match ${t.host}.`;
}

function notFoundHint(t: Target, status: number): string {
  if (status === 410) {
    return `The receiver answers 410 Gone for ${t.path}: it wants no more deliveries, so delete the webhook or update its URL.`;
  }
  return `Nothing is routed at ${t.path}: ${curl(t, "-sv -X POST")} and deploy the route (or fix the path) in the environment the URL points at.`;
}

function badRequestHint(t: Target, status: number): string {
  switch (status) {
    case 405:
      return `${t.path} does not accept POST: allow POST with an application/json body on that route.`;
    case 409:
      return "The receiver reports a conflict, usually a duplicate: treat a repeated event id as success (idempotent handler) and return 2xx.";
    case 413:
      return `The payload is too large for the receiver or its proxy: raise the body-size limit for ${t.path} (e.g. nginx client_max_body_size).`;
    case 415:
      return `The receiver rejects the content type: accept application/json on ${t.path}.`;
    default:
      return "Return 2xx for event types you ignore, or narrow the webhook's events with update_webhook; compare the sample response with the event schema for schema drift.";
  }
}

function authHint(t: Target, sample: string): string {
  if (shows(sample, "cloudflare", "cloudflareChallenge")) {
    return `A Cloudflare WAF/bot check blocks Exa: add a WAF skip rule for ${t.path} so server-to-server POSTs reach the handler.`;
  }
  if (shows(sample, "csrf")) {
    return `CSRF middleware rejects the POST: exempt ${t.path} from CSRF/session auth and rely on the Exa-Signature check instead.`;
  }
  return `Check the signature code: verify with verify_webhook_signature against the RAW body and this webhook's secret; exempt ${t.path} from session auth/CSRF and NTP-sync the clock.`;
}

/** `lastSeen` is undefined when it cannot be a time to look at (dated after Exa's own clock). */
function serverErrorHint(t: Target, status: number, lastSeen: string | undefined): string {
  const when = lastSeen ? `around ${lastSeen}` : "when these requests failed (their dates are skewed)";
  if (status === 504 || status === 524) {
    return `The proxy in front of ${t.host || "the receiver"} gave up waiting: answer 2xx before slow work and queue it; make the handler idempotent on the event id.`;
  }
  if (status === 502 || status === 503 || (status >= 520 && status <= 530)) {
    return `The proxy at ${t.host || "the receiver"} could not reach the app: check the app process behind it and the deploy timeline ${when}.`;
  }
  return `The handler crashed: read the sample response (stack trace) and the app logs ${when}.`;
}

/**
 * How far after Exa's clock an attempt may be dated before its date is called skewed: Date headers have whole
 * seconds and answers take a while, so a little is noise; hours (or 9999-12-31) are not.
 */
export const CLOCK_SKEW_ALLOWANCE_MS = 5 * 60_000;

function skewNote(lastSeen: string, judgedAt: number): string {
  return `Exa dates these attempts up to ${oneLine(lastSeen, 40)}, after its own clock (${new Date(judgedAt).toISOString()}): their timestamps are skewed, so read times here with care. `;
}

/** The webhook's URL changed: the group's attempts went to an earlier URL than the one it has now. */
export interface UrlChange {
  currentUrl: string;
  /** The newest scanned attempt at the earlier URL: the change came after it. */
  lastAttemptAtEarlier: string;
  /** The oldest scanned attempt at the current URL, when there is one: the change came before it. */
  firstAttemptAtCurrent: string | null;
}

const URL_SHOWN_CHARS = 200;

/** Said before the hint, so the hint's commands (aimed at the URL the attempts went to) are not misread. */
function urlChangeNote(attemptUrl: string, change: UrlChange): string {
  const when = change.firstAttemptAtCurrent
    ? `between ${oneLine(change.lastAttemptAtEarlier)} and ${oneLine(change.firstAttemptAtCurrent)}`
    : `after ${oneLine(change.lastAttemptAtEarlier)}`;
  return `These attempts went to ${oneLine(attemptUrl, URL_SHOWN_CHARS)}, not to the webhook's current URL ${oneLine(change.currentUrl, URL_SHOWN_CHARS)} (changed ${when}): if the change was the fix, they are history; otherwise: `;
}

export interface HintInput {
  category: Category;
  statusCode: number;
  /** The URL the group's attempts went to (`attempt.url`): every command in the hint is aimed at it. */
  webhookUrl: string;
  /** Set when that URL is not the webhook's current one. */
  urlChange?: UrlChange;
  /** The sanitized sample response: some hints depend on the error text (DNS vs refused, WAF vs signature). */
  sampleResponse: string;
  lastSeen: string;
  /** The sender runs on this machine (the sandbox), so loopback and private URLs are reachable. */
  senderIsLocal?: boolean;
  /** Now by Exa's clock (ms): a lastSeen after it (beyond CLOCK_SKEW_ALLOWANCE_MS) is named as skew. */
  judgedAt?: number;
}

/** One line, one next check, specific to the URL the attempts went to and the evidence. */
export function hintFor(input: HintInput): string {
  const lastSeenMs = Date.parse(input.lastSeen);
  const skewed = input.judgedAt !== undefined && lastSeenMs > input.judgedAt + CLOCK_SKEW_ALLOWANCE_MS;
  const hint = hintForTarget(input, skewed);
  const notes = [
    input.urlChange ? urlChangeNote(input.webhookUrl, input.urlChange) : "",
    skewed && input.judgedAt !== undefined ? skewNote(input.lastSeen, input.judgedAt) : "",
  ];
  return notes.join("") + hint;
}

function hintForTarget(
  { category, statusCode, webhookUrl, sampleResponse, lastSeen: lastSeenAt, senderIsLocal }: HintInput,
  skewed: boolean,
): string {
  const target = describeTarget(webhookUrl, senderIsLocal ?? false);
  const lastSeen = skewed ? undefined : oneLine(lastSeenAt);
  switch (category) {
    case "unreachable":
      return unreachableHint(target, sampleResponse);
    case "timeout":
      return `The receiver is too slow: ${target.quotedUrl ? `time it with \`curl -s -o /dev/null -w '%{time_total}\\n' -X POST ${target.quotedUrl}\`` : `check the webhook URL (${INVALID_HOST})`}; answer 2xx first and queue the work; make the handler idempotent on the event id.`;
    case "tls":
      return tlsHint(target, sampleResponse);
    case "redirect":
      return `Exa does not follow redirects: ${curl(target, "-sI -X POST")} to see Location and set the webhook URL to the final URL${target.isHttps ? "" : " (likely https://)"}.`;
    case "auth_rejected":
      return authHint(target, sampleResponse);
    case "not_found":
      return notFoundHint(target, statusCode);
    case "bad_request":
      return badRequestHint(target, statusCode);
    case "rate_limited":
      return `The receiver throttles Exa: exempt Exa's requests to ${target.path} from rate limiting (deliveries come in bursts).`;
    case "server_error":
      return serverErrorHint(target, statusCode, lastSeen);
    case "other":
      return statusCode >= 200 && statusCode < 300
        ? `Exa counted a ${statusCode} as failed: ${curl(target, "-sv -X POST")} and check the response arrives promptly and completely.`
        : `Unusual response ${statusCode}: ${curl(target, "-sv -X POST")} and compare with the sample response.`;
  }
}
