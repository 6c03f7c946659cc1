// The one place that turns any thrown error into text a model can act on: what went wrong, with the id
// or field, and what to do next. No stack traces, never the API key.

import { ToolInputError } from "../errors.js";
import type { ExaApiError, ExaError, ExaFailure, ExaWriteUnconfirmedError, LostAnswer } from "../exa/errors.js";
import { isExaError } from "../exa/errors.js";
import { InvalidIdError } from "../exa/ids.js";
import { currentLaunch, type Launch } from "../launch.js";
import { plural } from "../text/words.js";

/** The problems with a tool's input (src/tools/inputs.ts words them), one per line; a few, the rest counted. */
export function inputIssuesText(issues: readonly string[]): string {
  const shown = issues.slice(0, MAX_INPUT_ISSUES);
  const rest = issues.length - shown.length;
  return rest ? [...shown, `(and ${plural(rest, "more problem")})`].join("\n") : shown.join("\n");
}

const MAX_INPUT_ISSUES = 5;

interface ErrorContext {
  tool: string;
  args: Record<string, unknown>;
  baseUrl: string;
}

/** Guidance for the setup this process runs in (src/launch.ts): the extension's settings, or its command. */
function missingKeyText(launch: Launch): string {
  if (launch.kind === "mcpb") {
    return [
      "EXA_API_KEY is not set, so this tool cannot reach Exa.",
      'This server runs as the Claude Desktop extension "Exa Websets Webhooks": create a key at https://dashboard.exa.ai/api-keys, then open Settings > Extensions > Exa Websets Webhooks > Configure, paste it into "Exa API key", save, and turn the extension off and on.',
    ].join("\n");
  }
  const command = launch.kind === "npx" ? "npx -y exa-webhooks-mcp" : `node ${shellWord(launch.binPath)}`;
  return [
    "EXA_API_KEY is not set, so this tool cannot reach Exa.",
    "Create a key at https://dashboard.exa.ai/api-keys and give it to the server:",
    '- Claude Desktop: add "env": { "EXA_API_KEY": "your-key" } to this server in claude_desktop_config.json, then restart.',
    `- Claude Code: add the server again with the key: claude mcp add exa-webhooks -e EXA_API_KEY=your-key -- ${command}`,
    "- Cursor: add the same env block to the server in .cursor/mcp.json.",
    "To try every tool without a key, start the server with --sandbox.",
  ].join("\n");
}

/** A path as one POSIX-shell word: bare when it is plain, else single-quoted. */
function shellWord(text: string): string {
  return /^[\w./@+-]+$/.test(text) ? text : `'${text.replace(/'/g, "'\\''")}'`;
}

/** Over HTTP without a server key: each caller sends their own. */
const MISSING_REQUEST_KEY_TEXT = [
  "No Exa API key came with this request, so this tool cannot reach Exa.",
  "This server is hosted: send your own key in the X-Exa-Api-Key header of every request (create one at https://dashboard.exa.ai/api-keys). It is used for that request only, never stored or logged.",
  '- Clients that take headers: add "headers": { "X-Exa-Api-Key": "your-key" } to this server\'s entry.',
].join("\n");

export function toolErrorText(error: unknown, context: ErrorContext): string {
  if (isExaError(error)) return exaErrorText(error, context);
  if (error instanceof ToolInputError) return `Invalid input for ${context.tool}: ${error.message}`;
  if (error instanceof InvalidIdError) {
    return `${error.message} Call ${listToolFor(error.field)} to see valid ids.`;
  }
  const message = error instanceof Error ? error.message : String(error);
  return `${context.tool} failed unexpectedly: ${message.split("\n")[0]?.slice(0, 300)}`;
}

/** One case per kind of Exa error: a new kind does not compile until it has its words. */
function exaErrorText(error: ExaError, context: ErrorContext): string {
  switch (error.kind) {
    case "missing_key":
      return error.perRequest ? MISSING_REQUEST_KEY_TEXT : missingKeyText(currentLaunch());
    case "cancelled":
      return `${context.tool} was cancelled before Exa answered.`;
    case "unconfirmed":
      return unconfirmedWriteText(error, context);
    case "api":
      return apiErrorText(error, context);
    case "timeout":
      return `${timeoutProblem(error, context)} Exa may be slow or down: retry in a minute, or raise EXA_TIMEOUT_MS.`;
    case "network":
      return `${networkProblem(error, context)} Check the network connection and EXA_BASE_URL (now ${context.baseUrl}).`;
    case "too_large": {
      const pages = context.tool.startsWith("list_") || "limit" in context.args;
      const retry = pages ? `Call ${context.tool} again with a smaller limit; if` : "If";
      return `${tooLargeProblem(error, context)} ${retry} it persists, check EXA_BASE_URL (now ${context.baseUrl}): whatever answers there sends far more than Exa does.${requestIdSuffix(error.requestId)}`;
    }
    case "response":
      return `${error.message} This does not match Exa's documented API; retry, and report it with the request id if it persists.${requestIdSuffix(error.requestId)}`;
  }
}

function apiErrorText(error: ExaApiError, context: ErrorContext): string {
  const exaSays = `Exa said: ${error.message}${error.code ? ` (${error.code})` : ""}`;
  const suffix = requestIdSuffix(error.requestId);
  const tries = error.attempts > 1 ? ` after ${error.attempts} attempts` : "";
  switch (true) {
    case error.status === 401 || error.status === 403:
      return `Exa rejected the API key (HTTP ${error.status}). ${exaSays}. Check that EXA_API_KEY holds a valid, active key from https://dashboard.exa.ai/api-keys, then restart the server.${suffix}`;
    case error.status === 404:
      return `${notFoundText(context)} ${exaSays}.${suffix}`;
    case error.status === 402:
      return `Exa says the account is out of credits (HTTP 402). ${exaSays}. Add credits or upgrade the plan at https://dashboard.exa.ai, then retry.${suffix}`;
    case error.status === 400 || error.status === 422 || error.status === 409:
      return `Exa rejected ${context.tool} (HTTP ${error.status}). ${exaSays}. Fix that field and call ${context.tool} again.${suffix}`;
    case error.status === 429: {
      const wait = error.retryAfterMs ? `Exa asks to wait ${Math.ceil(error.retryAfterMs / 1000)} s` : "Wait a minute";
      return `Exa is rate limiting requests (HTTP 429${tries}). ${wait}, then retry ${context.tool}.${suffix}`;
    }
    case error.status >= 500:
      return `Exa is having trouble (HTTP ${error.status}${tries}). ${exaSays}. Retry later; if it persists, contact Exa support with the request id.${suffix}`;
    default:
      return `Exa answered ${context.tool} with HTTP ${error.status}. ${exaSays}.${suffix}`;
  }
}

function timeoutProblem(error: Extract<ExaError, { kind: "timeout" }>, context: ErrorContext): string {
  const tries = plural(error.attempts, "attempt");
  return error.phase === "body"
    ? `Exa started answering ${context.tool} but did not finish within ${error.timeoutMs} ms (${tries}).`
    : `Exa did not answer ${context.tool} within ${error.timeoutMs} ms (${tries}).`;
}

function networkProblem(error: Extract<ExaError, { kind: "network" }>, context: ErrorContext): string {
  const detail = `${error.message}; ${plural(error.attempts, "attempt")}`;
  return error.phase === "body"
    ? `The connection to the Exa API at ${error.host} broke while Exa was answering ${context.tool} (${detail}).`
    : `Cannot reach the Exa API at ${error.host} (${detail}).`;
}

function tooLargeProblem(error: Extract<ExaError, { kind: "too_large" }>, context: ErrorContext): string {
  return `Exa's answer to ${context.tool} was larger than ${megabytes(error.limitBytes)} MB, so it was not read (a full page of 200 attempts is about 80 KB).`;
}

/**
 * A write that may have landed although no answer says so: say so, say why the answer is missing, and name
 * the read that settles it, instead of "retry" (which duplicates a create) or the bare transport error.
 */
function unconfirmedWriteText(error: ExaWriteUnconfirmedError, context: ErrorContext): string {
  const isCreate = context.tool === "create_webhook";
  const outcome =
    error.applied === "probably"
      ? `${context.tool} was probably applied`
      : isCreate
        ? `${context.tool} may have created the webhook`
        : `${context.tool} may have been applied`;
  const tries = plural(error.attempts, "attempt");
  const last = lastFailureText(error.lost, error.final);
  return `${outcome}: ${lostAnswerText(error.lost, error.final)} (${tries}${last ? `; the last got ${last}` : ""}). ${settlingReadText(context)}${requestIdSuffix(error.requestId)}`;
}

function lostAnswerText(lost: LostAnswer, final: ExaFailure): string {
  switch (lost.kind) {
    case "timeout":
      return `Exa did not answer within ${lost.timeoutMs} ms, and the request may have reached it`;
    case "network":
      return `the connection broke after the request was sent (${lost.detail})`;
    case "status":
      return `Exa answered HTTP ${lost.status}, which a gateway or Exa can send after the change was made`;
    case "unreadable":
      return `Exa accepted it (HTTP ${lost.status}), but its answer could not be read (${unreadableReason(final)})`;
  }
}

function unreadableReason(final: ExaFailure): string {
  if (final.kind === "too_large") return `larger than ${megabytes(final.limitBytes)} MB`;
  if (final.kind === "response") return final.problem;
  return final.message;
}

/** How the last attempt ended, when it adds something to the first lost answer. */
function lastFailureText(lost: LostAnswer, final: ExaFailure): string | undefined {
  if (lost.kind === "unreadable") return undefined;
  if (final.kind === "api") {
    if (lost.kind === "status" && lost.status === final.status) return undefined;
    return `HTTP ${final.status}: ${final.message}`;
  }
  if (final.kind === "timeout") return lost.kind === "timeout" ? undefined : "no answer in time";
  if (final.kind === "network") return lost.kind === "network" ? undefined : final.message;
  return final.message;
}

/** The read that tells whether the write happened, per tool. */
function settlingReadText(context: ErrorContext): string {
  const { webhookId, url } = context.args;
  const getCall = typeof webhookId === "string" ? `get_webhook ${JSON.stringify({ webhookId })}` : "get_webhook";
  switch (context.tool) {
    case "create_webhook":
      return `Call list_webhooks and look for ${typeof url === "string" ? url : "the url"} before calling create_webhook again: a second create would make a duplicate webhook. If it is there, its signing secret was lost with the answer: delete it and create it again to get a secret.`;
    case "update_webhook":
      return `Call ${getCall} to see whether the change is there before calling update_webhook again.`;
    case "delete_webhook":
      return `Call ${getCall}: "No webhook" means it is deleted; otherwise call delete_webhook again.`;
    default:
      return `Check with a read before calling ${context.tool} again.`;
  }
}

function notFoundText(context: ErrorContext): string {
  const { webhookId, eventId } = context.args;
  if (typeof eventId === "string") return `No event ${eventId}. Call list_events to see event ids.`;
  if (typeof webhookId === "string") return `No webhook ${webhookId}. Call list_webhooks to see webhook ids.`;
  return `Exa could not find what ${context.tool} asked for.`;
}

function listToolFor(field: string): string {
  return field === "eventId" ? "list_events" : "list_webhooks";
}

function requestIdSuffix(requestId: string | undefined): string {
  return requestId ? ` Request id: ${requestId}.` : "";
}

function megabytes(bytes: number): number {
  return Math.round(bytes / (1024 * 1024));
}

/**
 * For a page source's `.catch`: a failed page rethrown as the short text a scan records, so a partial result
 * names it in one line; cancellation passes through as itself.
 */
export function rethrowShort(error: unknown): never {
  if (isExaError(error) && error.kind === "cancelled") throw error;
  throw new Error(shortErrorText(error));
}

/** A one-line description of an Exa failure, for places that report it inline (e.g. a partial diagnosis). */
export function shortErrorText(error: unknown): string {
  if (!isExaError(error)) return error instanceof Error ? error.message : String(error);
  switch (error.kind) {
    case "api": {
      const requestId = error.requestId ? ` (request id ${error.requestId})` : "";
      return `HTTP ${error.status} after ${plural(error.attempts, "attempt")}: ${error.message}${requestId}`;
    }
    case "timeout":
    case "network":
      return `${error.message} (${plural(error.attempts, "attempt")})`;
    case "too_large":
      return `an answer larger than ${megabytes(error.limitBytes)} MB was not read${error.requestId ? ` (request id ${error.requestId})` : ""}`;
    default:
      return error.message;
  }
}
