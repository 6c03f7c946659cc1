// A local webhook receiver on loopback (node:http, port 0): reads the raw body and hands it to a behaviour.
// Also a "closed port": a port that was bound and released, so connecting to it is refused for real.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

/** The path real receivers mount their Exa handler on; the demo webhooks point at it. */
export const RECEIVER_PATH = "/webhooks/exa";

export type ReceiverBehavior = (request: IncomingMessage, rawBody: string, response: ServerResponse) => void;

export interface Receiver {
  /** e.g. http://127.0.0.1:41234/webhooks/exa */
  url: string;
  /** Requests answered or dropped so far. */
  readonly requests: number;
  close(): Promise<void>;
}

export async function startReceiver(behavior: ReceiverBehavior): Promise<Receiver> {
  const sockets = new Set<Socket>();
  let requests = 0;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      requests++;
      behavior(request, Buffer.concat(chunks).toString("utf8"), response);
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  const port = await listen(server);
  return {
    url: `http://127.0.0.1:${port}${RECEIVER_PATH}`,
    get requests() {
      return requests;
    },
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}

/** A URL on a loopback port nobody listens on: bind port 0, note the port, close it again. */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  const port = await listen(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}${RECEIVER_PATH}`;
}

function listen(server: ReturnType<typeof createServer>): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}
