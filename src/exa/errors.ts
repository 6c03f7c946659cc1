// Typed errors of the Exa client. Handlers just throw these; src/format/tool-error.ts turns them into
// text a model can act on.
import { htmlTitle, oneLine, sanitizeResponseText } from "../format/untrusted.js";

export class MissingApiKeyError extends Error {
  constructor() {
    super("EXA_API_KEY is not set.");
    this.name = "MissingApiKeyError";
  }
}

/** Exa answered with a non-2xx status. */
export class ExaApiError extends Error {
  readonly status: number;
  readonly code: string | undefined;
  readonly requestId: string | undefined;
  readonly method: string;
  readonly path: string;
  readonly attempts: number;
  /** Exa's Retry-After, in ms, when it sent one. */
  readonly retryAfterMs: number | undefined;

  constructor(init: {
    status: number;
    message: string;
    code?: string | undefined;
    requestId?: string | undefined;
    method: string;
    path: string;
    attempts: number;
    retryAfterMs?: number | undefined;
  }) {
    super(init.message);
    this.name = "ExaApiError";
    this.status = init.status;
    this.code = init.code;
    this.requestId = init.requestId;
    this.method = init.method;
    this.path = init.path;
    this.attempts = init.attempts;
    this.retryAfterMs = init.retryAfterMs;
  }
}

/** The request never got an HTTP answer: DNS, refused connection, reset, TLS. */
export class ExaNetworkError extends Error {
  readonly host: string;
  readonly attempts: number;
  constructor(host: string, detail: string, attempts: number) {
    super(detail);
    this.name = "ExaNetworkError";
    this.host = host;
    this.attempts = attempts;
  }
}

/** No answer within the per-request timeout. */
export class ExaTimeoutError extends Error {
  readonly host: string;
  readonly timeoutMs: number;
  readonly attempts: number;
  constructor(host: string, timeoutMs: number, attempts: number) {
    super(`No answer from ${host} within ${timeoutMs} ms.`);
    this.name = "ExaTimeoutError";
    this.host = host;
    this.timeoutMs = timeoutMs;
    this.attempts = attempts;
  }
}

/** Exa answered 2xx but the body is not what the contract says. */
export class ExaResponseError extends Error {
  readonly requestId: string | undefined;
  constructor(message: string, requestId: string | undefined) {
    super(message);
    this.name = "ExaResponseError";
    this.requestId = requestId;
  }
}

/** The MCP client cancelled the request. */
export class RequestCancelledError extends Error {
  constructor() {
    super("The request was cancelled.");
    this.name = "RequestCancelledError";
  }
}

export interface ParsedErrorBody {
  message: string;
  code?: string | undefined;
  requestId?: string | undefined;
}

const EXCERPT_LIMIT = 200;

/**
 * Exa's error bodies come in three JSON shapes plus gateway HTML; fold them into one.
 * 1 {statusCode, message, timestamp, path}  2 {error: "Bad Request", message}  3 {error: {type, code, message}, requestId}
 */
export function parseErrorBody(body: string, status: number): ParsedErrorBody {
  const json = tryParseJson(body);
  if (json && typeof json === "object") {
    const record = json as Record<string, unknown>;
    const nested = record.error;
    if (nested && typeof nested === "object") {
      const error = nested as Record<string, unknown>;
      return {
        message: messageText(error.message) ?? messageText(error.type) ?? `HTTP ${status}`,
        code: stringOrUndefined(error.code) ?? stringOrUndefined(error.type),
        requestId: stringOrUndefined(record.requestId),
      };
    }
    const message = messageText(record.message) ?? messageText(nested);
    if (message) {
      return {
        message,
        code: typeof nested === "string" ? nested : undefined,
        requestId: stringOrUndefined(record.requestId),
      };
    }
  }
  const excerpt = textExcerpt(body);
  return { message: excerpt ? `HTTP ${status}: ${excerpt}` : `HTTP ${status} with an empty body` };
}

function tryParseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

// Validation errors sometimes carry `message` as an array of field messages.
function messageText(value: unknown): string | undefined {
  if (typeof value === "string" && value.trim()) return oneLine(value, 500) || undefined;
  if (Array.isArray(value)) {
    const parts = value.filter((part): part is string => typeof part === "string");
    if (parts.length) return oneLine(parts.join("; "), 500) || undefined;
  }
  return undefined;
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === "string" && value ? value : undefined;
}

/** A short plain-text excerpt of a non-JSON body (gateway HTML pages): its title, or its visible text. */
function textExcerpt(body: string): string {
  return sanitizeResponseText(htmlTitle(body) ?? body, EXCERPT_LIMIT);
}
