// The error responses the emulator sends, in the body shapes real Exa mixes:
// shape 1 (NestJS-style 404s), shape 2 (validation 400s) and shape 3 (typed errors with a request id).
import { STATUS_CODES } from "node:http";

type ErrorBody =
  | { kind: "nest"; message: string }
  | { kind: "bad-request"; error?: string; message: string }
  | { kind: "typed"; type: string; code: string; message: string };

/** Thrown by routes and parsers; the HTTP layer turns it into a response with `toErrorJson`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorBody,
  ) {
    super(body.message);
    this.name = "ApiError";
  }
}

export function badRequest(message: string): ApiError {
  return new ApiError(400, { kind: "bad-request", message });
}

export function notFound(message: string): ApiError {
  return new ApiError(404, { kind: "nest", message });
}

export function unauthorized(message: string): ApiError {
  return new ApiError(401, { kind: "typed", type: "UNAUTHORIZED", code: "INVALID_API_KEY", message });
}

export function payloadTooLarge(message: string): ApiError {
  return new ApiError(413, { kind: "bad-request", error: "Payload Too Large", message });
}

export function internalError(): ApiError {
  return new ApiError(500, {
    kind: "typed",
    type: "INTERNAL_ERROR",
    code: "INTERNAL_SERVER_ERROR",
    message: "Internal server error",
  });
}

// Type/code pairs for typed (shape 3) bodies, used by injected status faults.
const TYPED_CODES: Record<number, [type: string, code: string]> = {
  400: ["BAD_REQUEST", "INVALID_REQUEST"],
  401: ["UNAUTHORIZED", "INVALID_API_KEY"],
  402: ["PAYMENT_REQUIRED", "INSUFFICIENT_CREDITS"],
  403: ["FORBIDDEN", "FORBIDDEN"],
  404: ["NOT_FOUND", "NOT_FOUND"],
  409: ["CONFLICT", "CONFLICT"],
  422: ["UNPROCESSABLE_ENTITY", "UNPROCESSABLE_ENTITY"],
  429: ["RATE_LIMITED", "RATE_LIMIT_EXCEEDED"],
  500: ["INTERNAL_ERROR", "INTERNAL_SERVER_ERROR"],
  502: ["BAD_GATEWAY", "BAD_GATEWAY"],
  503: ["SERVICE_UNAVAILABLE", "SERVICE_UNAVAILABLE"],
};

/** A shape-3 error for any status, as an injected fault would carry it. */
export function typedErrorFor(status: number): ApiError {
  const [type, code] = TYPED_CODES[status] ?? ["ERROR", `HTTP_${status}`];
  return new ApiError(status, { kind: "typed", type, code, message: STATUS_CODES[status] ?? `HTTP ${status}` });
}

/** The JSON body for an error; `path` is the API path as Exa reports it (without the `/websets` prefix). */
export function toErrorJson(error: ApiError, context: { requestId: string; path: string; now: number }): unknown {
  const body = error.body;
  switch (body.kind) {
    case "nest":
      return {
        statusCode: error.status,
        message: body.message,
        timestamp: new Date(context.now).toISOString(),
        path: context.path,
      };
    case "bad-request":
      return { error: body.error ?? "Bad Request", message: body.message };
    case "typed":
      return { error: { type: body.type, code: body.code, message: body.message }, requestId: context.requestId };
  }
}
