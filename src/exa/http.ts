// One Exa HTTP request with auth, a per-attempt deadline (body included), a byte cap, caller cancellation,
// retries and typed errors, including writes whose outcome no answer confirms.
// Everything above this file deals in parsed objects; nothing below it knows about MCP.
import type { z } from "zod";
import { fetchFailureText } from "../net/fetch-failure.js";
import {
  type AnswerPhase,
  ExaApiError,
  type ExaFailure,
  ExaNetworkError,
  ExaResponseError,
  ExaResponseTooLargeError,
  ExaTimeoutError,
  ExaWriteUnconfirmedError,
  type LostAnswer,
  parseErrorBody,
  RequestCancelledError,
} from "./errors.js";
import {
  backoffDelay,
  isRetryable,
  MAX_RETRIES,
  MAX_RETRY_WAIT_MS,
  mayHaveBeenApplied,
  parseRetryAfter,
  sleep,
} from "./retry.js";

export type QueryValue = string | number | boolean | string[] | undefined;

export interface RetryNotice {
  method: string;
  path: string;
  retry: number;
  delayMs: number;
  reason: string;
}

export interface ExaHttpOptions {
  baseUrl: string;
  apiKey: string;
  timeoutMs: number;
  retryBaseMs: number;
  userAgent: string;
  /** Largest body read from one answer; a 2xx past it fails, an error body is cut there. */
  maxBodyBytes: number;
  onRetry?: (notice: RetryNotice) => void;
  /** Each answer's `Date` header (null without one): Exa's clock, which judges how recent its attempts are. */
  onDate?: (date: string | null) => void;
}

/** 8 MB: a full page of 200 attempts is about 80 KB, so this is only ever reached by something wrong. */
export const DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024;

export interface ExaRequest<S extends z.ZodType> {
  method: "GET" | "POST" | "PATCH" | "DELETE";
  /** Path under /websets/v0, already built from validated segments (see pathSegment). */
  path: string;
  query?: Record<string, QueryValue>;
  body?: unknown;
  /** An empty 2xx body is accepted only when this schema accepts undefined (e.g. DELETE's optional webhook). */
  schema: S;
  signal?: AbortSignal | undefined;
}

type AttemptOutcome =
  | { kind: "response"; response: Response; body: BodyRead }
  | { kind: "network"; detail: string; code: string | undefined; phase: AnswerPhase }
  | { kind: "timeout"; phase: AnswerPhase };

interface BodyRead {
  text: string;
  /** The body went past maxBodyBytes: `text` holds only what came before the cap (nothing if declared). */
  overCap: boolean;
}

export async function exaRequest<S extends z.ZodType>(
  options: ExaHttpOptions,
  request: ExaRequest<S>,
): Promise<z.infer<S>> {
  return (await exaRequestWithBody(options, request)).value;
}

/** The parsed answer plus the body text exactly as Exa sent it (redelivery signs and sends those bytes). */
export async function exaRequestWithBody<S extends z.ZodType>(
  options: ExaHttpOptions,
  request: ExaRequest<S>,
): Promise<{ value: z.infer<S>; body: string }> {
  const url = buildUrl(options.baseUrl, request.path, request.query);
  const host = new URL(options.baseUrl).host;
  const label = `${request.method} ${request.path}`;
  // The first attempt of a write whose answer was lost; every later failure is reported against it.
  let lost: LostAnswer | undefined;
  let lostRequestId: string | undefined;
  const fail = (final: ExaFailure, attempts: number): never => {
    if (!lost) throw final;
    throw new ExaWriteUnconfirmedError({
      method: request.method,
      path: request.path,
      lost,
      final,
      attempts,
      requestId: ("requestId" in final ? final.requestId : undefined) ?? lostRequestId,
    });
  };

  for (let retry = 0; ; retry++) {
    const attempts = retry + 1;
    const outcome = await attemptOnce(options, request, url);

    if (outcome.kind === "response") {
      const { response, body } = outcome;
      const requestId = response.headers.get("x-request-id") ?? undefined;
      options.onDate?.(response.headers.get("date"));
      if (response.ok) {
        try {
          if (body.overCap) {
            throw new ExaResponseTooLargeError({
              limitBytes: options.maxBodyBytes,
              status: response.status,
              label,
              requestId,
            });
          }
          return { value: parseBody(request.schema, body.text, label, requestId), body: body.text };
        } catch (error) {
          const failure = error as ExaResponseError | ExaResponseTooLargeError;
          // A 2xx to a write means it was applied, even when the answer cannot be read.
          if (request.method !== "GET") lost = { kind: "unreadable", status: response.status };
          return fail(failure, attempts);
        }
      }

      const parsed = parseErrorBody(body.text, response.status);
      const retryAfter = parseRetryAfter(response.headers.get("retry-after"));
      const error = new ExaApiError({
        status: response.status,
        message: parsed.message,
        code: parsed.code,
        requestId: requestId ?? parsed.requestId,
        method: request.method,
        path: request.path,
        attempts,
        retryAfterMs: retryAfter,
      });
      const cause = { kind: "status", status: response.status } as const;
      if (!lost && mayHaveBeenApplied(request.method, cause)) {
        lost = { kind: "status", status: response.status };
        lostRequestId = error.requestId;
      }
      if (retry >= MAX_RETRIES || !isRetryable(request.method, cause)) return fail(error, attempts);
      if (retryAfter !== undefined && retryAfter > MAX_RETRY_WAIT_MS) return fail(error, attempts);
      const delayMs = retryAfter ?? backoffDelay(retry, options.retryBaseMs);
      options.onRetry?.({
        method: request.method,
        path: request.path,
        retry: attempts,
        delayMs,
        reason: `HTTP ${response.status}`,
      });
      await sleepOrCancel(delayMs, request.signal);
      continue;
    }

    const failure =
      outcome.kind === "timeout"
        ? new ExaTimeoutError(host, options.timeoutMs, attempts, outcome.phase)
        : new ExaNetworkError(host, outcome.detail, attempts, outcome.phase);
    const cause = outcome.kind === "timeout" ? outcome : { kind: outcome.kind, code: outcome.code };
    if (!lost && mayHaveBeenApplied(request.method, cause)) {
      lost =
        outcome.kind === "timeout"
          ? { kind: "timeout", timeoutMs: options.timeoutMs }
          : { kind: "network", detail: outcome.detail };
    }
    if (retry >= MAX_RETRIES || !isRetryable(request.method, cause)) return fail(failure, attempts);
    const delayMs = backoffDelay(retry, options.retryBaseMs);
    options.onRetry?.({
      method: request.method,
      path: request.path,
      retry: attempts,
      delayMs,
      reason: failure.message,
    });
    await sleepOrCancel(delayMs, request.signal);
  }
}

/**
 * One try. The deadline covers the status line, the headers and the whole body: one controller aborts
 * fetch and any body read in flight, on the deadline or the caller's cancellation. (Node 20's fetch could
 * leave a body read pending after an abort, which once took a race against every read; on Node 22+ the
 * trickle, silence and cancel tests of test/exa/http.test.ts pass without it.)
 */
async function attemptOnce<S extends z.ZodType>(
  options: ExaHttpOptions,
  request: ExaRequest<S>,
  url: string,
): Promise<AttemptOutcome> {
  if (request.signal?.aborted) throw new RequestCancelledError();
  const controller = new AbortController();
  let stopReason: "timeout" | "cancelled" | undefined;
  const stop = (reason: "timeout" | "cancelled") => {
    if (stopReason) return;
    stopReason = reason;
    controller.abort();
  };
  const timer = setTimeout(() => stop("timeout"), options.timeoutMs);
  const onCallerAbort = () => stop("cancelled");
  request.signal?.addEventListener("abort", onCallerAbort, { once: true });
  let phase: AnswerPhase = "headers";
  try {
    const response = await fetch(url, {
      method: request.method,
      headers: {
        "x-api-key": options.apiKey,
        accept: "application/json",
        "user-agent": options.userAgent,
        ...(request.body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      signal: controller.signal,
      redirect: "error",
    });
    phase = "body";
    const body = await readBody(response, options.maxBodyBytes);
    return { kind: "response", response, body };
  } catch (error) {
    if (stopReason === "cancelled" || request.signal?.aborted) throw new RequestCancelledError();
    if (stopReason === "timeout") return { kind: "timeout", phase };
    return { kind: "network", ...networkErrorDetail(error), phase };
  } finally {
    clearTimeout(timer);
    request.signal?.removeEventListener("abort", onCallerAbort);
    // Frees the socket of a body we stopped reading (cap, deadline); a no-op once the body was read.
    controller.abort();
  }
}

/**
 * The body as text, read chunk by chunk up to `maxBytes`. A body declared or found larger is not read
 * further: memory stays bounded by the cap, whatever the peer sends.
 */
async function readBody(response: Response, maxBytes: number): Promise<BodyRead> {
  const declared = Number(response.headers.get("content-length"));
  if (response.ok && Number.isFinite(declared) && declared > maxBytes) {
    void response.body?.cancel().catch(() => {});
    return { text: "", overCap: true };
  }
  if (!response.body) return { text: "", overCap: false };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let overCap = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (size + value.byteLength > maxBytes) {
        chunks.push(value.subarray(0, maxBytes - size));
        size = maxBytes;
        overCap = true;
        break;
      }
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    // Not awaited: after an abort, cancel() can stay pending as long as read() would.
    reader.cancel().catch(() => {});
  }
  return { text: new TextDecoder().decode(Buffer.concat(chunks, size)), overCap };
}
async function sleepOrCancel(ms: number, signal: AbortSignal | undefined): Promise<void> {
  try {
    await sleep(ms, signal);
  } catch {
    throw new RequestCancelledError();
  }
}

function parseBody<S extends z.ZodType>(
  schema: S,
  text: string,
  label: string,
  requestId: string | undefined,
): z.infer<S> {
  if (text.trim() === "") {
    const empty = schema.safeParse(undefined);
    if (empty.success) return empty.data;
    throw new ExaResponseError(`Exa answered ${label} with an empty body.`, requestId, "empty");
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ExaResponseError(`Exa answered ${label} with a body that is not JSON.`, requestId, "not JSON");
  }
  const result = schema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue?.path.length ? ` at ${issue.path.join(".")}` : "";
    const shape = `unexpected shape (${issue?.message ?? "invalid"}${where})`;
    throw new ExaResponseError(`Exa answered ${label} with an ${shape}.`, requestId, shape);
  }
  return result.data;
}

/** fetch reports "fetch failed" and hides the useful part (ECONNREFUSED, ENOTFOUND) in `cause`. */
function networkErrorDetail(error: unknown): { detail: string; code: string | undefined } {
  const code = (error as { cause?: { code?: unknown } } | undefined)?.cause?.code;
  return { detail: fetchFailureText(error), code: typeof code === "string" ? code : undefined };
}

function buildUrl(baseUrl: string, path: string, query: Record<string, QueryValue> | undefined): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === "") continue;
    if (Array.isArray(value)) {
      for (const item of value) params.append(key, item);
    } else {
      params.append(key, String(value));
    }
  }
  const search = params.toString();
  return `${baseUrl}/websets/v0${path}${search ? `?${search}` : ""}`;
}
