// Peers for the hosting tests: the harness's HTTP client coming from another loopback address (127.0.0.2
// stands in for a remote machine), the built bin run to a refusal, a proxy in front of the emulator that records which Exa
// key each request carried, and a round-robin load balancer.
import { spawn } from "node:child_process";
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from "node:http";
import { connect, type Socket } from "node:net";
import { Readable } from "node:stream";
import type { ClientOptions } from "@modelcontextprotocol/client";
import { BIN_PATH, type ClientSession, connectClient } from "../helpers/harness.js";

/** Tokens and keys the tests use; none may appear in anything a server writes. */
export const AUTH_TOKEN = "hosting-token-4c1d9e27b85f4a03";
export const CALLER_KEY_A = "caller-key-a-91f2c7d04e6b";
export const CALLER_KEY_B = "caller-key-b-38e5a1f9c20d";
export const REMOTE_ADDRESS = "127.0.0.2";
export const RAW_SECRETS = [AUTH_TOKEN, CALLER_KEY_A, CALLER_KEY_B];

/** Runs the bin to its exit (a refusal to start): code and stderr. */
export async function runBinToExit(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; stderr: string; stdout: string }> {
  const child = spawn(process.execPath, [BIN_PATH, ...args], {
    env: { PATH: process.env.PATH ?? "", XDG_STATE_HOME: process.env.XDG_STATE_HOME ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  let stdout = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  child.stdout?.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.once("close", resolve));
  return { code, stderr, stdout };
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface RawRequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** The client socket's own address: 127.0.0.2 plays a remote machine. */
  localAddress?: string;
}

/** One HTTP request with node:http (fetch cannot pick its source address or forge Host). */
export function rawRequest(url: string, options: RawRequestOptions = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      url,
      {
        method: options.method ?? "POST",
        headers: options.headers,
        ...(options.localAddress ? { localAddress: options.localAddress } : {}),
        agent: false,
      },
      (response) => {
        let body = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => {
          body += chunk;
        });
        response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
      },
    );
    request.on("error", reject);
    request.end(options.body);
  });
}

export const MCP_HEADERS = { "content-type": "application/json", accept: "application/json, text/event-stream" };
export const TOOLS_LIST = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list", params: {} });

/** A fetch for the SDK's client transport that sends from `localAddress`. */
export function fetchFrom(localAddress: string): typeof fetch {
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const headers = new Headers(init?.headers);
    const body = init?.body === undefined || init.body === null ? undefined : String(init.body);
    return new Promise<Response>((resolve, reject) => {
      const request = httpRequest(
        url,
        {
          method: init?.method ?? "GET",
          headers: Object.fromEntries(headers.entries()),
          localAddress,
          agent: false,
          signal: init?.signal ?? undefined,
        },
        (response) => {
          const responseHeaders = new Headers();
          for (const [name, value] of Object.entries(response.headers)) {
            if (value !== undefined) responseHeaders.set(name, Array.isArray(value) ? value.join(", ") : value);
          }
          const status = response.statusCode ?? 0;
          const stream = status === 204 || status === 202 ? null : (Readable.toWeb(response) as ReadableStream);
          if (!stream) response.resume();
          resolve(new Response(stream, { status, headers: responseHeaders }));
        },
      );
      request.on("error", reject);
      request.end(body);
    });
  }) as typeof fetch;
}

export interface HostedClientOptions {
  token?: string;
  exaKey?: string;
  localAddress?: string;
  client?: ClientOptions;
}

/** The harness's client over Streamable HTTP, from `localAddress` (127.0.0.2 by default), with token and key headers. */
export function connectHosted(url: string, options: HostedClientOptions = {}): Promise<ClientSession> {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.exaKey) headers["x-exa-api-key"] = options.exaKey;
  return connectClient({
    transport: { kind: "http", url, headers, fetch: fetchFrom(options.localAddress ?? REMOTE_ADDRESS) },
    client: options.client ?? {},
  });
}

export interface KeyRecorder {
  baseUrl: string;
  /** The x-api-key of every request forwarded, in order. */
  keys: (string | undefined)[];
  close(): Promise<void>;
}

/**
 * A proxy in front of the emulator that records each request's x-api-key. For GET .../webhooks/webhook_echo it
 * answers itself, a 400 whose message echoes the key (a hostile upstream: the key must still not come out).
 */
export async function startKeyRecorder(upstream: string): Promise<KeyRecorder> {
  const keys: (string | undefined)[] = [];
  const target = new URL(upstream);
  const server = createServer((request, response) => {
    const key = request.headers["x-api-key"];
    keys.push(typeof key === "string" ? key : undefined);
    if (request.url?.endsWith("/webhooks/webhook_echo")) {
      response.writeHead(400, { "content-type": "application/json" });
      response.end(JSON.stringify({ error: `invalid key ${key}`, message: `the key ${key} is not valid here` }));
      return;
    }
    const forward = httpRequest(
      { host: target.hostname, port: target.port, path: request.url, method: request.method, headers: request.headers },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    forward.on("error", () => response.destroy());
    request.pipe(forward);
  });
  const baseUrl = await listen(server);
  return { baseUrl, keys, close: () => closeServer(server) };
}

export interface RoundRobin {
  url: string;
  /** Requests forwarded to each upstream, by index. */
  served: number[];
  close(): Promise<void>;
}

/** A tiny round-robin load balancer: request N goes to upstream N mod count, responses streamed back. */
export async function startRoundRobin(upstreams: string[]): Promise<RoundRobin> {
  const served = upstreams.map(() => 0);
  let next = 0;
  const server = createServer((request, response) => {
    const index = next++ % upstreams.length;
    served[index] = (served[index] ?? 0) + 1;
    const target = new URL(upstreams[index] as string);
    const forward = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        path: request.url,
        method: request.method,
        // Hop-by-hop headers stay on this hop, as any load balancer keeps them (its upstream sockets are pooled).
        headers: { ...withoutHopByHop(request.headers), host: target.host },
      },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    forward.on("error", () => response.destroy());
    request.pipe(forward);
  });
  const origin = await listen(server);
  return { url: `${origin}/mcp`, served, close: () => closeServer(server) };
}

function withoutHopByHop(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const { connection: _connection, "keep-alive": _keepAlive, ...rest } = headers;
  return rest;
}

export async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  return `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
}

export function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** A raw TCP connection to `url`'s host and port, from `localAddress`. */
export function openSocket(url: string, localAddress = REMOTE_ADDRESS): Promise<Socket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port), localAddress }, () => resolve(socket));
    socket.once("error", reject);
  });
}

/** Everything the peer sends until it closes the connection. */
export function readUntilClosed(socket: Socket): Promise<string> {
  return new Promise((resolve) => {
    let text = "";
    socket.on("data", (chunk: Buffer) => {
      text += chunk.toString();
    });
    socket.on("error", () => {});
    socket.on("close", () => resolve(text));
  });
}
