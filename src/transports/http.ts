// Streamable HTTP at /mcp, stateless: each request gets a fresh server and transport, so nothing leaks
// between clients. Binds loopback by default and checks Host/Origin against DNS rebinding.
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from "node:http";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import type { Config } from "../config.js";
import { createServer, type ServerDependencies } from "../server.js";

export interface HttpOptions {
  host: string;
  port: number;
}

export interface RunningHttpServer {
  url: string;
  close(): Promise<void>;
}

const LOOPBACK_NAMES = ["127.0.0.1", "localhost", "[::1]", "::1"];
const MAX_BODY_BYTES = 4 * 1024 * 1024;

export async function serveHttp(
  config: Config,
  dependencies: ServerDependencies,
  options: HttpOptions,
  announce: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
): Promise<RunningHttpServer> {
  const allowedHosts = new Set([
    ...LOOPBACK_NAMES,
    options.host.toLowerCase(),
    ...(process.env.MCP_ALLOWED_HOSTS ?? "")
      .split(",")
      .map((host) => host.trim().toLowerCase())
      .filter(Boolean),
  ]);

  const httpServer = createHttpServer((request, response) => {
    handle(request, response).catch(() => {
      if (!response.headersSent) sendJsonError(response, 500, "Internal error");
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", "http://placeholder");
    if (url.pathname !== "/mcp") return sendJsonError(response, 404, "Not found: the MCP endpoint is /mcp");
    const rejection = rebindingRejection(request, allowedHosts);
    if (rejection) return sendJsonError(response, 403, rejection);
    if (request.method !== "POST") {
      // Stateless: no standalone SSE stream and no sessions to delete.
      response.setHeader("allow", "POST");
      return sendJsonError(response, 405, "Method not allowed: POST JSON-RPC to /mcp");
    }
    const body = await readJsonBody(request);
    if (body === undefined) return sendJsonError(response, 400, "Parse error: the body must be JSON-RPC in JSON");
    const server = createServer(config, dependencies);
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    response.on("close", () => {
      transport.close().catch(() => {});
      server.close().catch(() => {});
    });
    await server.connect(transport);
    await transport.handleRequest(request, response, body);
  }

  await new Promise<void>((resolve, reject) => {
    httpServer.once("error", reject);
    httpServer.listen(options.port, options.host, () => resolve());
  });
  const address = httpServer.address();
  const port = typeof address === "object" && address ? address.port : options.port;
  const hostForUrl = options.host.includes(":") ? `[${options.host}]` : options.host;
  const url = `http://${hostForUrl}:${port}/mcp`;
  announce(url);
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        httpServer.closeAllConnections();
        httpServer.close(() => resolve());
      }),
  };
}

/** A reason to refuse the request when its Host or Origin is not one we serve, else undefined. */
function rebindingRejection(request: IncomingMessage, allowedHosts: Set<string>): string | undefined {
  const host = request.headers.host;
  if (!host || !allowedHosts.has(hostnameOf(`http://${host}`))) {
    return `Forbidden: Host "${host ?? ""}" is not allowed (DNS rebinding protection). Set MCP_ALLOWED_HOSTS to allow it.`;
  }
  const origin = request.headers.origin;
  if (origin && origin !== "null" && !allowedHosts.has(hostnameOf(origin))) {
    return `Forbidden: Origin "${origin}" is not allowed (DNS rebinding protection).`;
  }
  if (origin === "null") return 'Forbidden: Origin "null" is not allowed.';
  return undefined;
}

function hostnameOf(url: string): string {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return "";
  }
}

async function readJsonBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    return undefined;
  }
}

function sendJsonError(response: ServerResponse, status: number, message: string): void {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify({ jsonrpc: "2.0", error: { code: -32000, message }, id: null }));
}
