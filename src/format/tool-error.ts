// The one place that turns any thrown error into text a model can act on: what went wrong, with the id
// or field, and what to do next. No stack traces, never the API key.
import {
  ExaApiError,
  ExaNetworkError,
  ExaResponseError,
  ExaTimeoutError,
  MissingApiKeyError,
  RequestCancelledError,
} from "../exa/errors.js";
import { InvalidIdError } from "../exa/ids.js";
import { plural } from "./words.js";

/** Thrown by handlers for input that passed the schema but still cannot be sent (e.g. nothing to change). */
export class ToolInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ToolInputError";
  }
}

/** The problems with a tool's input (src/tools/inputs.ts words them), one per line; a few, the rest counted. */
export function inputIssuesText(issues: readonly string[]): string {
  const shown = issues.slice(0, MAX_INPUT_ISSUES);
  const rest = issues.length - shown.length;
  return rest ? [...shown, `(and ${plural(rest, "more problem")})`].join("\n") : shown.join("\n");
}

const MAX_INPUT_ISSUES = 5;

export interface ErrorContext {
  tool: string;
  args: Record<string, unknown>;
  baseUrl: string;
}

export const MISSING_KEY_TEXT = [
  "EXA_API_KEY is not set, so this tool cannot reach Exa.",
  "Create a key at https://dashboard.exa.ai/api-keys and give it to the server:",
  '- Claude Desktop: add "env": { "EXA_API_KEY": "your-key" } to this server in claude_desktop_config.json, then restart.',
  "- Claude Code: claude mcp add exa-webhooks -e EXA_API_KEY=your-key -- npx -y exa-webhooks-mcp",
  "- Cursor: add the same env block to the server in .cursor/mcp.json.",
  "To try every tool without a key, start the server with --sandbox.",
].join("\n");

export function toolErrorText(error: unknown, context: ErrorContext): string {
  if (error instanceof MissingApiKeyError) return MISSING_KEY_TEXT;
  if (error instanceof ToolInputError) return `Invalid input for ${context.tool}: ${error.message}`;
  if (error instanceof InvalidIdError) {
    return `${error.message} Call ${listToolFor(error.field)} to see valid ids.`;
  }
  if (error instanceof RequestCancelledError) return `${context.tool} was cancelled before Exa answered.`;
  if (error instanceof ExaApiError) return apiErrorText(error, context);
  if (error instanceof ExaTimeoutError) {
    return `Exa did not answer ${context.tool} within ${error.timeoutMs} ms (${plural(error.attempts, "attempt")}). Exa may be slow or down: retry in a minute, or raise EXA_TIMEOUT_MS.`;
  }
  if (error instanceof ExaNetworkError) {
    return `Cannot reach the Exa API at ${error.host} (${error.message}; ${plural(error.attempts, "attempt")}). Check the network connection and EXA_BASE_URL (now ${context.baseUrl}).`;
  }
  if (error instanceof ExaResponseError) {
    return `${error.message} This does not match Exa's documented API; retry, and report it with the request id if it persists.${requestIdSuffix(error.requestId)}`;
  }
  const message = error instanceof Error ? error.message : String(error);
  return `${context.tool} failed unexpectedly: ${message.split("\n")[0]?.slice(0, 300)}`;
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

/** A one-line description of an Exa failure, for places that report it inline (e.g. a partial diagnosis). */
export function shortErrorText(error: unknown): string {
  if (error instanceof ExaApiError) {
    const requestId = error.requestId ? ` (request id ${error.requestId})` : "";
    return `HTTP ${error.status} after ${plural(error.attempts, "attempt")}: ${error.message}${requestId}`;
  }
  if (error instanceof ExaTimeoutError || error instanceof ExaNetworkError) {
    return `${error.message} (${plural(error.attempts, "attempt")})`;
  }
  return error instanceof Error ? error.message : String(error);
}
