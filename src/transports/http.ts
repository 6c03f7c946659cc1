// Streamable HTTP at /mcp, stateless: the SDK's createMcpHandler builds a fresh server for every request, in
// the protocol generation that request speaks (2026-07-28 per request, or a 2025 client's initialize and its
// follow-ups), so nothing leaks between clients. Binds loopback by default and checks Host/Origin in front of
// the handler against DNS rebinding.
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from "node:http";
import { toNodeHandler } from "@modelcontextprotocol/node";
import { createMcpHandler } from "@modelcontextprotocol/server";
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
  const mcp = createMcpHandler(({ era }) => createServer(config, dependencies, { era }));
  const serveMcp = toNodeHandler(mcp);

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
    await serveMcp(request, response);
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
    close: async () => {
      await mcp.close().catch(() => {});
      await new Promise<void>((resolve) => {
        httpServer.closeAllConnections();
        httpServer.close(() => resolve());
      });
    },
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

function sendJsonError(response: ServerResponse, status: number, message: string): void {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify({ jsonrpc: "2.0", error: { code: -32000, message }, id: null }));
}
