// Small hostile HTTP peers on 127.0.0.1 for the client's fault tests: a raw peer whose handler the test
// writes, and a proxy in front of the emulator that lets a write land and then loses its answer.
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

export interface PeerRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: string;
}

export interface Peer {
  /** Origin to give as EXA_BASE_URL. */
  baseUrl: string;
  requests: PeerRequest[];
  close(): Promise<void>;
}

export type PeerHandler = (request: PeerRequest, res: ServerResponse, req: IncomingMessage) => void | Promise<void>;

/** A peer that answers every request with the test's handler. */
export async function startPeer(handler: PeerHandler): Promise<Peer> {
  const requests: PeerRequest[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    void readAll(req).then(async (body) => {
      const url = new URL(req.url ?? "/", "http://peer");
      const request = { method: req.method ?? "GET", path: url.pathname, query: url.searchParams, body };
      requests.push(request);
      try {
        await handler(request, res, req);
      } catch {
        res.destroy();
      }
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}

/** How the proxy loses the answer of a request it let through to the emulator. */
export type Loss = "reset" | "hang" | { status: number; body?: string; contentType?: string };

/**
 * Forwards every request to `target` (the emulator, so writes really land), then for the requests `lose`
 * picks, throws the emulator's answer away and resets, hangs, or answers with another status instead.
 */
export async function startLossyProxy(
  target: string,
  lose: (request: PeerRequest, index: number) => Loss | undefined,
): Promise<Peer> {
  let index = 0;
  return startPeer(async (request, res, req) => {
    const loss = lose(request, index++);
    const answer = await forward(target, req, request);
    if (loss === undefined) {
      res.writeHead(answer.status, answer.headers);
      res.end(answer.body);
    } else if (loss === "reset") {
      const socket = req.socket as Socket & { resetAndDestroy?: () => void };
      socket.resetAndDestroy?.() ?? socket.destroy();
    } else if (loss !== "hang") {
      res.writeHead(loss.status, {
        "content-type": loss.contentType ?? "application/json",
        "x-request-id": "req_lossy_proxy",
      });
      res.end(loss.body ?? JSON.stringify({ error: "Bad Gateway", message: "upstream connection lost" }));
    }
  });
}

async function forward(
  target: string,
  req: IncomingMessage,
  request: PeerRequest,
): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  const url = new URL(req.url ?? "/", target);
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      url,
      { method: request.method, headers: { ...req.headers, host: url.host } },
      (response) => {
        void readAll(response).then((body) => {
          const headers: Record<string, string> = {};
          for (const [name, value] of Object.entries(response.headers)) {
            if (typeof value === "string" && name !== "content-length" && name !== "transfer-encoding")
              headers[name] = value;
          }
          resolve({ status: response.statusCode ?? 502, headers, body });
        }, reject);
      },
    );
    outgoing.on("error", reject);
    outgoing.end(request.body);
  });
}

function readAll(stream: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    stream.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    stream.on("error", reject);
  });
}
