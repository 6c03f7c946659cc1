// The request lifecycle on node:http: record → read body → latency → faults → auth → route → JSON reply.
// Nothing a client sends may crash the process; every failure becomes an Exa-shaped HTTP error.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { ApiError, badRequest, internalError, notFound, payloadTooLarge, toErrorJson, unauthorized } from "./errors.js";
import { type FaultInjector, type FaultKind, faultAction } from "./faults.js";
import { newRequestId } from "./ids.js";
import { apiPathOf, matchRoute, type RouteResult } from "./routes.js";
import type { EmulatorStore } from "./store.js";

export const MAX_BODY_BYTES = 1024 * 1024;
// Past this, stop draining an oversized upload and drop the connection.
const MAX_DRAIN_BYTES = 64 * 1024 * 1024;

export interface RecordedRequest {
  method: string;
  /** Raw pathname as received, e.g. "/websets/v0/webhooks/webhook_x/attempts". */
  path: string;
  query: URLSearchParams;
  /** Wall-clock ms when received (real time even with an injected clock, so retry spacing is measurable). */
  at: number;
  /** Whether a non-empty API key was sent (the key itself is never recorded). */
  apiKey: boolean;
  requestId: string;
  /** Raw body text ("" when none; empty when over the size limit). */
  body: string;
  /** Status sent; undefined while pending and for hang/reset faults. */
  status?: number;
  fault?: FaultKind;
  /** Wall-clock ms when the client dropped the connection before an answer (an abort or cancellation). */
  clientClosedAt?: number;
}

/**
 * Extra routes outside Exa's API (the sandbox's /_sandbox/... control endpoint). Returns undefined for a
 * path it does not own; throws ApiError like any route.
 */
export type ControlHandler = (request: {
  method: string;
  path: string;
  json(): unknown;
}) => Promise<RouteResult | undefined>;

interface ServerDeps {
  store: EmulatorStore;
  faults: FaultInjector;
  requests: RecordedRequest[];
  clock: () => number;
  /** Read per request, so it can be attached after the server starts. */
  control?: { handler?: ControlHandler };
  /** While set, requests wait for it before they are served (the sandbox seeds its demo account behind it). */
  gate?: { until?: Promise<unknown> };
}

interface EmulatorServer {
  server: Server;
  /** Ends hung requests and pending latency waits, destroys sockets, and stops listening. */
  close(): Promise<void>;
}

const JSON_TYPE = "application/json; charset=utf-8";

export function createEmulatorServer(deps: ServerDeps): EmulatorServer {
  const sockets = new Set<Socket>();
  const wakeups = new Set<() => void>();
  let closing = false;

  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        wakeups.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      wakeups.add(wake);
    });

  const server = createServer((req, res) => {
    handle(req, res, deps, sleep, () => closing).catch(() => {
      // handle() answers its own errors; reaching here means the socket is already unusable.
      res.destroy();
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  // Malformed HTTP (bad request line, oversized headers): answer 400 rather than letting it surface as an error.
  server.on("clientError", (_error, socket) => {
    if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
    else socket.destroy();
  });

  const close = async (): Promise<void> => {
    closing = true;
    for (const wake of [...wakeups]) wake();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    for (const socket of sockets) socket.destroy();
    await closed;
  };

  return { server, close };
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  deps: ServerDeps,
  sleep: (ms: number) => Promise<void>,
  isClosing: () => boolean,
): Promise<void> {
  const requestId = newRequestId();
  const method = (req.method ?? "GET").toUpperCase();
  const { pathname, search } = splitTarget(req.url ?? "/");
  const apiKey = readApiKey(req);
  const record: RecordedRequest = {
    method,
    path: pathname,
    query: new URLSearchParams(search),
    at: Date.now(),
    apiKey: apiKey !== undefined,
    requestId,
    body: "",
  };
  deps.requests.push(record);
  // Lets tests see that a cancellation really reached the wire; our own resets and shutdown do not count.
  res.on("close", () => {
    if (!res.writableFinished && record.fault !== "reset" && !isClosing()) record.clientClosedAt = Date.now();
  });
  const errorContext = () => ({ requestId, path: apiPathOf(pathname), now: deps.clock() });

  const send = (status: number, body: string, headers: Record<string, string> = {}): void => {
    if (res.headersSent || res.destroyed) return;
    record.status = status;
    // Date from the emulator's clock, as Exa's answers carry Exa's: listen measures "now" by it.
    const date = new Date(deps.clock()).toUTCString();
    res.writeHead(status, { "x-request-id": requestId, "content-type": JSON_TYPE, date, ...headers });
    res.end(body);
  };
  const sendError = (error: ApiError): void => send(error.status, JSON.stringify(toErrorJson(error, errorContext())));

  const body = await readBody(req);
  if (body.kind === "aborted") return;
  if (body.kind === "ok") record.body = body.text;

  if (deps.gate?.until) await deps.gate.until;
  if (deps.faults.latencyMs > 0) await sleep(deps.faults.latencyMs);
  if (isClosing()) {
    res.destroy();
    return;
  }

  const rule = deps.faults.take(method, pathname);
  if (rule) {
    const action = faultAction(rule, errorContext());
    record.fault = rule.kind ?? "status";
    if (action.kind === "hang") return; // left open until the client aborts or close() destroys the socket
    if (action.kind === "reset") {
      const socket = req.socket as Socket & { resetAndDestroy?: () => void };
      if (typeof socket.resetAndDestroy === "function") socket.resetAndDestroy();
      else socket.destroy();
      return;
    }
    send(action.status, action.body, action.headers);
    return;
  }

  try {
    if (body.kind === "too-large") throw payloadTooLarge(`Request body exceeds ${MAX_BODY_BYTES} bytes`);
    if (apiKey === undefined) {
      throw unauthorized("Missing or invalid API key. Send it in the x-api-key header.");
    }
    const control = await deps.control?.handler?.({ method, path: pathname, json: () => parseJson(record.body) });
    if (control) {
      send(control.status, JSON.stringify(control.body));
      return;
    }
    const route = matchRoute(method, pathname);
    if (!route) throw notFound(`Cannot ${method} ${apiPathOf(pathname)}`);
    const result = route.handler({
      store: deps.store,
      id: route.id,
      query: record.query,
      json: () => parseJson(record.body),
    });
    send(result.status, JSON.stringify(result.body));
  } catch (error) {
    sendError(error instanceof ApiError ? error : internalError());
    if (!(error instanceof ApiError)) process.stderr.write(`[exa-emulator] ${String(error)}\n`);
  }
}

/** Splits the request target without URL parsing, which would reinterpret "//x" or "/a/../b". */
function splitTarget(target: string): { pathname: string; search: string } {
  const q = target.indexOf("?");
  return q === -1 ? { pathname: target, search: "" } : { pathname: target.slice(0, q), search: target.slice(q + 1) };
}

function readApiKey(req: IncomingMessage): string | undefined {
  const header = req.headers["x-api-key"];
  const key = (Array.isArray(header) ? header[0] : header)?.trim();
  if (key) return key;
  const bearer = /^Bearer\s+(\S.*)$/i.exec(req.headers.authorization ?? "")?.[1]?.trim();
  return bearer || undefined;
}

type BodyResult = { kind: "ok"; text: string } | { kind: "too-large" } | { kind: "aborted" };

// Oversized bodies are drained (not cut off) so the client reads our 413 instead of a broken pipe.
function readBody(req: IncomingMessage): Promise<BodyResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_DRAIN_BYTES) req.destroy();
      else if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on("end", () =>
      resolve(
        size > MAX_BODY_BYTES ? { kind: "too-large" } : { kind: "ok", text: Buffer.concat(chunks).toString("utf8") },
      ),
    );
    req.on("error", () => resolve({ kind: "aborted" }));
    req.on("close", () => {
      if (!req.complete) resolve({ kind: "aborted" });
    });
  });
}

function parseJson(text: string): unknown {
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw badRequest(error instanceof SyntaxError ? error.message : "Malformed JSON body");
  }
}
