// Streamable HTTP at /mcp, stateless: the SDK's createMcpHandler builds a fresh server for every request, in
// the protocol generation that request speaks (2026-07-28 per request, or a 2025 client's initialize and its
// follow-ups), so nothing leaks between clients and any number of replicas serve one client behind any load
// balancer. In front of the handler, in this order: GET /healthz (no auth, no Exa), Host/Origin (DNS
// rebinding), the bearer token, the method, the body size and the caller's X-Exa-Api-Key (refused where the
// operator's key serves every request). Nothing here logs a
// request: a token or key can only reach stderr through the server's redactor (src/server.ts). With --watch, a
// 2026-07-28 client's subscriptions/listen is the one long-lived request: its stream carries the watch's
// updates; a 2025 client would need a session and a GET stream, which a stateless server has not.
import { AsyncLocalStorage } from "node:async_hooks";
import { createHash, timingSafeEqual } from "node:crypto";
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from "node:http";
import { type Duplex, Readable } from "node:stream";
import { toNodeHandler } from "@modelcontextprotocol/node";
import { createMcpHandler } from "@modelcontextprotocol/server";
import type { Config } from "../config.js";
import { publishWatchUpdates } from "../resources/health.js";
import { createServer, type ServerDependencies } from "../server.js";
import { plural } from "../text/words.js";

export interface HttpOptions {
  host: string;
  port: number;
  /** Every request must carry `Authorization: Bearer <authToken>`; none required when undefined. */
  authToken?: string | undefined;
  /** The bind is not loopback: Host is checked only against `allowedHosts`, when there are any. */
  remoteCallers?: boolean;
  /** Use a request's X-Exa-Api-Key header for that request. */
  requestKeys?: boolean;
  /** Host names accepted besides loopback's and the bind host. */
  allowedHosts?: readonly string[];
  /** Browser origins accepted besides the server's own (scheme://host:port). */
  allowedOrigins?: readonly string[];
  /** Time a client has to send its headers; the whole request gets REQUEST_TIMEOUT_FACTOR times as long. */
  headersTimeoutMs?: number;
}

export interface RunningHttpServer {
  url: string;
  close(): Promise<void>;
}

/** Far above any MCP request this server takes (the largest is a webhook payload to verify). */
export const MAX_BODY_BYTES = 1024 * 1024;
/** Past the limit, this much more is read and discarded so the client can read its 413; beyond it, the socket closes. */
const DISCARD_BYTES = 128 * 1024 * 1024;
export const EXA_KEY_HEADER = "x-exa-api-key";
const REQUEST_TIMEOUT_FACTOR = 3;
const DEFAULT_HEADERS_TIMEOUT_MS = 10_000;
const LOOPBACK_NAMES = ["127.0.0.1", "localhost", "[::1]"];
const OPERATOR_KEY_REFUSAL =
  "Bad request: this server calls Exa with its operator's EXA_API_KEY and does not take an X-Exa-Api-Key header, so your key would not be used. Remove the header to use the operator's account, or ask the operator to start the server with --per-request-keys. Nothing was sent to Exa.";
/** An Exa key as a header can carry it: visible ASCII without commas (repeated headers are joined by ", "). */
const KEY_SHAPE = /^[\x21-\x2b\x2d-\x7e]{4,512}$/;
/** The hang-up signal of the request being served, for the server the SDK's handler builds for it. */
const hangUps = new AsyncLocalStorage<AbortSignal>();

export async function serveHttp(
  config: Config,
  dependencies: ServerDependencies,
  options: HttpOptions,
  announce: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
): Promise<RunningHttpServer> {
  const requestKeys = options.requestKeys ?? false;
  const operatorKey = !requestKeys && !config.sandbox && config.apiKey !== undefined;
  const mcp = createMcpHandler(
    ({ era, requestInfo }) =>
      createServer(config, dependencies, {
        era,
        stateless: true,
        requestKeys,
        // Checked in front (requestKeyRejection); read again here, where the SDK hands over the request.
        requestApiKey: requestKeys ? requestInfo?.headers.get(EXA_KEY_HEADER)?.trim() || undefined : undefined,
        connectionSignal: hangUps.getStore(),
      }),
    { maxRequestBodySize: MAX_BODY_BYTES },
  );
  // --watch: each transition's URIs go to the open subscriptions/listen streams that named them.
  const stopPublishing = dependencies.watch ? publishWatchUpdates(dependencies.watch.feed, mcp.notify) : undefined;
  const serveMcp = toNodeHandler(mcp, { maxRequestBodySize: MAX_BODY_BYTES });
  const expectedToken = options.authToken === undefined ? undefined : digest(options.authToken);
  const headersTimeout = options.headersTimeoutMs ?? DEFAULT_HEADERS_TIMEOUT_MS;

  const httpServer = createHttpServer(
    {
      headersTimeout,
      requestTimeout: headersTimeout * REQUEST_TIMEOUT_FACTOR,
      // Node checks both timeouts on this interval (30 s by default, which would let a trickle run that long).
      connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(headersTimeout / 4))),
    },
    (request, response) => {
      handle(request, response).catch(() => {
        if (!response.headersSent) sendJsonError(response, 500, "Internal error");
      });
    },
  );
  // A request Node cannot parse (CR or LF inside a header value, headers over the size limit) or one whose
  // headers did not arrive in time: a clear status and message instead of a bare close, then the socket is freed.
  httpServer.on("clientError", (error: NodeJS.ErrnoException, socket: Duplex) => {
    answerClientError(error, socket);
  });

  let origins: Set<string>;
  let allowedHosts: Set<string>;
  // On loopback the Host check is what stops DNS rebinding. Served to other machines, the name callers use is
  // not known here (a load balancer's, a proxy's): the token protects it, and MCP_ALLOWED_HOSTS narrows it.
  const checkHost = !options.remoteCallers || (options.allowedHosts?.length ?? 0) > 0;

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", "http://placeholder");
    if (url.pathname === "/healthz" && (request.method === "GET" || request.method === "HEAD")) {
      // For load balancers and orchestrators: no auth, no Exa, no server instance.
      response.writeHead(200, { "content-type": "application/json", "cache-control": "no-store" });
      response.end(request.method === "HEAD" ? undefined : '{"status":"ok"}');
      return;
    }
    if (url.pathname !== "/mcp") return sendJsonError(response, 404, "Not found: the MCP endpoint is /mcp");
    const rebinding = rebindingRejection(request, checkHost ? allowedHosts : undefined, origins);
    if (rebinding) return sendJsonError(response, 403, rebinding);
    if (expectedToken) {
      const refusal = bearerRefusal(request.headers.authorization, expectedToken);
      if (refusal) return sendUnauthorized(response, refusal);
    }
    if (request.method !== "POST") {
      // Stateless: no standalone SSE stream and no sessions to delete.
      response.setHeader("allow", "POST");
      return sendJsonError(response, 405, "Method not allowed: POST JSON-RPC to /mcp");
    }
    if (requestKeys) {
      const rejection = requestKeyRejection(request.headers[EXA_KEY_HEADER]);
      if (rejection) return sendJsonError(response, 400, rejection);
    } else if (operatorKey && request.headers[EXA_KEY_HEADER] !== undefined) {
      // Served anyway, the caller would act on the operator's account believing it their own.
      return sendJsonError(response, 400, OPERATOR_KEY_REFUSAL);
    }
    const hangUp = hangUpSignal(response);
    const body = await readBodyCapped(request);
    if (body.tooLarge) {
      // The client has finished writing (or passed DISCARD_BYTES): it reads this instead of a reset.
      response.setHeader("connection", "close");
      return sendJsonError(
        response,
        413,
        `Payload too large: a request body may have at most ${MAX_BODY_BYTES} bytes (this one ${body.declared ? `declares ${body.declared}` : "is longer"}).`,
      );
    }
    await hangUps.run(hangUp, () => serveMcp(replayed(request, body.bytes), response));
  }

  await new Promise<void>((resolve, reject) => {
    httpServer.once("error", reject);
    httpServer.listen(options.port, options.host, () => resolve());
  });
  const address = httpServer.address();
  const port = typeof address === "object" && address ? address.port : options.port;
  const hostForUrl = reachableHost(options.host);
  const url = `http://${hostForUrl}:${port}/mcp`;
  allowedHosts = new Set([
    ...LOOPBACK_NAMES,
    bracketed(options.host).toLowerCase(),
    ...(options.allowedHosts ?? []).map((host) => host.toLowerCase()),
  ]);
  origins = new Set([
    ...LOOPBACK_NAMES.map((name) => `http://${name}:${port}`),
    `http://${hostForUrl}:${port}`,
    ...(options.allowedOrigins ?? []),
  ]);
  announce(url);
  return {
    url,
    close: async () => {
      stopPublishing?.();
      await mcp.close().catch(() => {});
      await new Promise<void>((resolve) => {
        httpServer.closeAllConnections();
        httpServer.close(() => resolve());
      });
    },
  };
}

/**
 * Aborts when the response closes before it has ended: the client hung up. Not the SDK's Request.signal: that
 * follows the socket through Request objects the SDK lets go of mid-call, and a collected one stops relaying it.
 */
function hangUpSignal(response: ServerResponse): AbortSignal {
  const hangUp = new AbortController();
  response.once("close", () => {
    if (!response.writableFinished) hangUp.abort(new Error("The client closed the connection."));
  });
  return hangUp.signal;
}

type CappedBody = { tooLarge: false; bytes: Buffer } | { tooLarge: true; declared: string | undefined };

/**
 * The body up to MAX_BODY_BYTES. Past it the rest is read and thrown away, up to DISCARD_BYTES, so the 413 is
 * sent once the client has stopped writing: answered while it still writes, the close that follows the
 * answer reaches the client as EPIPE or a reset instead of the 413.
 */
function readBodyCapped(request: IncomingMessage): Promise<CappedBody> {
  const declared = request.headers["content-length"];
  const tooLarge: CappedBody = { tooLarge: true, declared: Number(declared) > MAX_BODY_BYTES ? declared : undefined };
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    request.on("data", (chunk: Buffer) => {
      received += chunk.length;
      if (received <= MAX_BODY_BYTES) chunks.push(chunk);
      else if (received > DISCARD_BYTES) {
        request.pause();
        resolve(tooLarge);
      }
    });
    request.once("end", () =>
      resolve(received > MAX_BODY_BYTES ? tooLarge : { tooLarge: false, bytes: Buffer.concat(chunks) }),
    );
    request.once("error", reject);
  });
}

/**
 * The request with its body read again from `bytes`, for the SDK's adapter, which reads headers, method, url and
 * the body stream of what it is given (duck-typed, as its docs say an Express request is).
 */
function replayed(request: IncomingMessage, bytes: Buffer): IncomingMessage {
  const body = Readable.from(bytes.length ? [bytes] : []);
  return Object.assign(body, {
    headers: request.headers,
    method: request.method,
    url: request.url,
  }) as unknown as IncomingMessage;
}

/** The host to announce: a wildcard bind is reached on loopback from this machine, not at 0.0.0.0. */
function reachableHost(host: string): string {
  if (host === "0.0.0.0" || host === "") return "127.0.0.1";
  if (host === "::" || host === "[::]") return "[::1]";
  return bracketed(host);
}

function bracketed(host: string): string {
  return host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
}

/** A reason to refuse the request when its Host (if checked) or Origin is not one we serve, else undefined. */
function rebindingRejection(
  request: IncomingMessage,
  allowedHosts: Set<string> | undefined,
  origins: Set<string>,
): string | undefined {
  const host = request.headers.host;
  if (allowedHosts && (!host || !allowedHosts.has(hostnameOf(`http://${host}`)))) {
    return `Forbidden: Host "${host ?? ""}" is not allowed (DNS rebinding protection). Set MCP_ALLOWED_HOSTS to allow it.`;
  }
  const origin = request.headers.origin;
  if (origin === undefined) return undefined;
  // The whole origin: a page on another port of localhost is another site.
  if (!origins.has(originOf(origin))) {
    return `Forbidden: Origin "${origin.slice(0, 200)}" is not allowed (DNS rebinding protection). Set MCP_ALLOWED_ORIGINS to allow it, as scheme://host:port.`;
  }
  return undefined;
}

function hostnameOf(url: string): string {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return "";
  }
}

/** Normalized (default ports dropped, lower case); "null" for anything that is not an http(s) origin. */
function originOf(value: string): string {
  try {
    return new URL(value).origin;
  } catch {
    return "null";
  }
}

interface BearerRefusal {
  error: "invalid_request" | "invalid_token";
  message: string;
}

function bearerRefusal(header: string | undefined, expected: Buffer): BearerRefusal | undefined {
  if (header === undefined) {
    return {
      error: "invalid_request",
      message:
        'Unauthorized: this server needs "Authorization: Bearer <token>" (the token its operator set in MCP_AUTH_TOKEN).',
    };
  }
  const match = /^Bearer +([\x21-\x7e]+) *$/i.exec(header);
  if (!match?.[1]) {
    return {
      error: "invalid_request",
      message: 'Unauthorized: the Authorization header is malformed; send "Authorization: Bearer <token>".',
    };
  }
  // Both sides hashed to one length, so the comparison takes the same time whatever was sent.
  if (!timingSafeEqual(digest(match[1]), expected)) {
    return { error: "invalid_token", message: "Unauthorized: the bearer token is not this server's." };
  }
  return undefined;
}

function digest(text: string): Buffer {
  return createHash("sha256").update(text).digest();
}

/** Why the X-Exa-Api-Key header cannot be used, or undefined (absent is fine: the tool says how to send one). */
function requestKeyRejection(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  const value = Array.isArray(header) ? header.join(", ") : header.trim();
  if (KEY_SHAPE.test(value)) return undefined;
  // Never echo the value: it may be a real key with a stray character.
  return `Bad request: the X-Exa-Api-Key header must hold one Exa API key (4-512 visible ASCII characters, no spaces or commas; ${value.includes(",") ? "it holds several" : `it is ${plural(value.length, "character")} long`}). Nothing was sent to Exa.`;
}

function sendUnauthorized(response: ServerResponse, refusal: BearerRefusal): void {
  response.setHeader("www-authenticate", `Bearer realm="exa-webhooks-mcp", error="${refusal.error}"`);
  sendJsonError(response, 401, refusal.message);
}

function sendJsonError(response: ServerResponse, status: number, message: string): void {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(jsonRpcError(message));
}

function jsonRpcError(message: string): string {
  return JSON.stringify({ jsonrpc: "2.0", error: { code: -32000, message }, id: null });
}

const CLIENT_ERRORS: Record<string, [number, string, string]> = {
  ERR_HTTP_REQUEST_TIMEOUT: [408, "Request Timeout", "the request did not arrive in time"],
  HPE_HEADER_OVERFLOW: [431, "Request Header Fields Too Large", "the request headers are too large"],
};

/** Node's parser codes for a header it cannot take: a CR or LF inside a value, a control character. */
const BAD_HEADER = /HEADER|_CR_|_LF_|CR_EXPECTED|LF_EXPECTED/;

function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  const code = error.code ?? "";
  if (!socket.writable || code === "ECONNRESET") {
    socket.destroy();
    return;
  }
  const [status, reason, problem] = CLIENT_ERRORS[code] ?? [
    400,
    "Bad Request",
    BAD_HEADER.test(code)
      ? `a request header holds a character HTTP does not allow there, such as CR or LF inside a value (${code})`
      : `the request is not valid HTTP/1.1 (${code || "unparsable"})`,
  ];
  const body = jsonRpcError(`${reason}: ${problem}.`);
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
  // end() leaves the socket half-open until the peer closes; a slow-loris peer never does.
  setTimeout(() => socket.destroy(), 1000).unref();
}
