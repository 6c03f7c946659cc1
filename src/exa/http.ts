// One Exa HTTP request with auth, per-attempt timeout, caller cancellation, retries and typed errors.
// Everything above this file deals in parsed objects; nothing below it knows about MCP.
import type { z } from "zod";
import {
  ExaApiError,
  ExaNetworkError,
  ExaResponseError,
  ExaTimeoutError,
  parseErrorBody,
  RequestCancelledError,
} from "./errors.js";
import { fetchFailureText } from "./fetch-failure.js";
import { backoffDelay, isRetryable, MAX_RETRIES, MAX_RETRY_WAIT_MS, parseRetryAfter, sleep } from "./retry.js";

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
  onRetry?: (notice: RetryNotice) => void;
}

export interface ExaRequest<S extends z.ZodType> {
  method: "GET" | "POST" | "PATCH" | "DELETE";
  /** Path under /websets/v0, already built from validated segments (see pathSegment). */
  path: string;
  query?: Record<string, QueryValue>;
  body?: unknown;
  schema: S;
  signal?: AbortSignal | undefined;
}

type AttemptOutcome =
  | { kind: "response"; response: Response; text: string }
  | { kind: "network"; detail: string }
  | { kind: "timeout" };

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

  for (let retry = 0; ; retry++) {
    const attempts = retry + 1;
    const outcome = await attemptOnce(options, request, url);

    if (outcome.kind === "response") {
      const { response, text } = outcome;
      const requestId = response.headers.get("x-request-id") ?? undefined;
      if (response.ok) return { value: parseBody(request.schema, text, label, requestId), body: text };

      const parsed = parseErrorBody(text, response.status);
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
      if (retry >= MAX_RETRIES || !isRetryable(request.method, cause)) throw error;
      if (retryAfter !== undefined && retryAfter > MAX_RETRY_WAIT_MS) throw error;
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
        ? new ExaTimeoutError(host, options.timeoutMs, attempts)
        : new ExaNetworkError(host, outcome.detail, attempts);
    if (retry >= MAX_RETRIES || !isRetryable(request.method, { kind: outcome.kind })) throw failure;
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

async function attemptOnce<S extends z.ZodType>(
  options: ExaHttpOptions,
  request: ExaRequest<S>,
  url: string,
): Promise<AttemptOutcome> {
  if (request.signal?.aborted) throw new RequestCancelledError();
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, options.timeoutMs);
  const onCallerAbort = () => controller.abort();
  request.signal?.addEventListener("abort", onCallerAbort, { once: true });
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
    // The body read is covered by the same timeout and cancellation as the headers.
    const text = await response.text();
    return { kind: "response", response, text };
  } catch (error) {
    if (request.signal?.aborted) throw new RequestCancelledError();
    if (timedOut) return { kind: "timeout" };
    return { kind: "network", detail: fetchFailureText(error) };
  } finally {
    clearTimeout(timer);
    request.signal?.removeEventListener("abort", onCallerAbort);
  }
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
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ExaResponseError(`Exa answered ${label} with a body that is not JSON.`, requestId);
  }
  const result = schema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue?.path.length ? ` at ${issue.path.join(".")}` : "";
    throw new ExaResponseError(
      `Exa answered ${label} with an unexpected shape (${issue?.message ?? "invalid"}${where}).`,
      requestId,
    );
  }
  return result.data;
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
