// Typed errors of the Exa client. Handlers just throw these; src/format/tool-error.ts turns them into
// text a model can act on.
import { htmlTitle, oneLine, sanitizeResponseText } from "../text/untrusted.js";

export class MissingApiKeyError extends Error {
  readonly kind = "missing_key";
  /** `perRequest`: the server is hosted over HTTP and takes each caller's key from the X-Exa-Api-Key header. */
  constructor(readonly perRequest = false) {
    super(perRequest ? "No X-Exa-Api-Key header came with the request." : "EXA_API_KEY is not set.");
    this.name = "MissingApiKeyError";
  }
}

/** Exa answered with a non-2xx status. */
export class ExaApiError extends Error {
  readonly kind = "api";
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

/** Where an attempt stopped: before the status line and headers arrived, or while the body was read. */
export type AnswerPhase = "headers" | "body";

/** The request got no complete HTTP answer: DNS, refused connection, reset, TLS, a body cut off. */
export class ExaNetworkError extends Error {
  readonly kind = "network";
  readonly host: string;
  readonly attempts: number;
  readonly phase: AnswerPhase;
  constructor(host: string, detail: string, attempts: number, phase: AnswerPhase = "headers") {
    super(detail);
    this.name = "ExaNetworkError";
    this.host = host;
    this.attempts = attempts;
    this.phase = phase;
  }
}

/** No complete answer within the per-request timeout (the deadline covers the body too). */
export class ExaTimeoutError extends Error {
  readonly kind = "timeout";
  readonly host: string;
  readonly timeoutMs: number;
  readonly attempts: number;
  readonly phase: AnswerPhase;
  constructor(host: string, timeoutMs: number, attempts: number, phase: AnswerPhase = "headers") {
    super(
      phase === "body"
        ? `${host} started answering but did not finish within ${timeoutMs} ms.`
        : `No answer from ${host} within ${timeoutMs} ms.`,
    );
    this.name = "ExaTimeoutError";
    this.host = host;
    this.timeoutMs = timeoutMs;
    this.attempts = attempts;
    this.phase = phase;
  }
}

/** A 2xx body larger than the client reads (declared by content-length or counted while streaming). */
export class ExaResponseTooLargeError extends Error {
  readonly kind = "too_large";
  readonly limitBytes: number;
  readonly status: number;
  readonly requestId: string | undefined;
  constructor(init: { limitBytes: number; status: number; label: string; requestId: string | undefined }) {
    super(`Exa answered ${init.label} with more than ${init.limitBytes} bytes; the read was stopped there.`);
    this.name = "ExaResponseTooLargeError";
    this.limitBytes = init.limitBytes;
    this.status = init.status;
    this.requestId = init.requestId;
  }
}

/** Why a write's answer is missing, for the first attempt that may have been applied. */
export type LostAnswer =
  | { kind: "timeout"; timeoutMs: number }
  | { kind: "network"; detail: string }
  /** A 5xx: a gateway or Exa itself can fail after the change was made. */
  | { kind: "status"; status: number }
  /** A 2xx (so the write was applied) whose body could not be read or parsed. */
  | { kind: "unreadable"; status: number };

export type ExaFailure = ExaApiError | ExaNetworkError | ExaTimeoutError | ExaResponseError | ExaResponseTooLargeError;

/**
 * A write (POST, PATCH, DELETE) reached Exa, or may have, but no answer confirms what it did. `final` is how
 * the last attempt ended (the same failure as `lost` when there was no retry); a read settles the outcome.
 */
export class ExaWriteUnconfirmedError extends Error {
  readonly kind = "unconfirmed";
  readonly method: string;
  readonly path: string;
  readonly lost: LostAnswer;
  readonly final: ExaFailure;
  readonly attempts: number;
  readonly requestId: string | undefined;
  constructor(init: {
    method: string;
    path: string;
    lost: LostAnswer;
    final: ExaFailure;
    attempts: number;
    requestId: string | undefined;
  }) {
    super(`${init.method} ${init.path} may have been applied: ${init.final.message}`, { cause: init.final });
    this.name = "ExaWriteUnconfirmedError";
    this.method = init.method;
    this.path = init.path;
    this.lost = init.lost;
    this.final = init.final;
    this.attempts = init.attempts;
    this.requestId = init.requestId;
  }

  /** A 2xx whose body was unreadable means applied; a lost answer means maybe. */
  get applied(): "probably" | "maybe" {
    return this.lost.kind === "unreadable" ? "probably" : "maybe";
  }
}

/** Exa answered 2xx but the body is not what the contract says. */
export class ExaResponseError extends Error {
  readonly kind = "response";
  readonly requestId: string | undefined;
  /** What is wrong with the body, as a short phrase ("not JSON"), for messages that embed it. */
  readonly problem: string;
  constructor(message: string, requestId: string | undefined, problem = "unreadable") {
    super(message);
    this.name = "ExaResponseError";
    this.requestId = requestId;
    this.problem = problem;
  }
}

/** The MCP client cancelled the request. */
export class RequestCancelledError extends Error {
  readonly kind = "cancelled";
  constructor() {
    super("The request was cancelled.");
    this.name = "RequestCancelledError";
  }
}

/** Every error the Exa client throws; `kind` tells them apart, so a switch over it names each one. */
export type ExaError = MissingApiKeyError | ExaFailure | ExaWriteUnconfirmedError | RequestCancelledError;

const EXA_ERRORS = [
  MissingApiKeyError,
  ExaApiError,
  ExaNetworkError,
  ExaTimeoutError,
  ExaResponseTooLargeError,
  ExaWriteUnconfirmedError,
  ExaResponseError,
  RequestCancelledError,
];

export function isExaError(error: unknown): error is ExaError {
  return EXA_ERRORS.some((type) => error instanceof type);
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
