// A local webhook receiver on loopback (node:http): verifies Exa-Signature on every POST with its webhook's
// secret, answers the way its current behaviour says, and logs what it got. Its behaviour can change while it
// runs; "down" stops listening (connections are refused for real) and any other behaviour listens again on the
// same port, so the webhook's URL keeps working once the receiver is "fixed".
import { createServer } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import type { ReceivedDelivery } from "../handle.js";
import { randomIds } from "../ids.js";
import { answer, signatureValid } from "./behaviors.js";
import { RECEIVER_BEHAVIORS, type ReceiverBehavior } from "./catalog.js";

/** The path real receivers mount their Exa handler on; the demo webhooks point at it. */
const RECEIVER_PATH = "/webhooks/exa";
/** Oldest entries are dropped past this, so a long session cannot grow the log without bound. */
const MAX_LOG_ENTRIES = 10_000;

export interface SandboxReceiver {
  /** e.g. http://127.0.0.1:41234/webhooks/exa */
  readonly url: string;
  readonly behavior: ReceiverBehavior;
  /** The secret of the webhook pointing here; set once the webhook exists (create returns it). */
  secret: string | undefined;
  /** Every POST received, oldest first. */
  readonly log: readonly ReceivedDelivery[];
  /** Switches behaviour; resolves once the port listens again (or has stopped, for "down"). */
  setBehavior(behavior: ReceiverBehavior): Promise<void>;
  close(): Promise<void>;
}

interface ReceiverOptions {
  behavior: ReceiverBehavior;
  /** A proxy in front fails 1 request in this many with a 503 (the demo's healthy receiver blips). */
  failEvery?: number;
}

export async function startSandboxReceiver(options: ReceiverOptions): Promise<SandboxReceiver> {
  const sockets = new Set<Socket>();
  const log: ReceivedDelivery[] = [];
  // The billing receiver of the demo still checks the secret of a webhook that was deleted and recreated.
  const staleSecret = randomIds.webhookSecret();
  let behavior = options.behavior;
  let failEvery = behavior === "flaky" ? RECEIVER_BEHAVIORS.flaky.proxyFailsEvery : options.failEvery;
  let requestNumber = 0;

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const rawBody = Buffer.concat(chunks).toString("utf8");
      const header = request.headers["exa-signature"];
      const secret = receiver.secret;
      const entry: ReceivedDelivery = {
        receivedAt: new Date().toISOString(),
        ...eventOf(rawBody),
        redelivery: request.headers["exa-redelivery"] === "1",
        signatureValid: typeof header === "string" && secret !== undefined && signatureValid(header, rawBody, secret),
        statusCode: 0,
        accepted: false,
      };
      if (log.push(entry) > MAX_LOG_ENTRIES) log.shift();
      response.on("finish", () => {
        entry.statusCode = response.statusCode;
        entry.accepted = entry.signatureValid && response.statusCode >= 200 && response.statusCode < 300;
      });
      requestNumber++;
      answer(behavior, request, rawBody, response, {
        secret,
        staleSecret,
        proxyFails: failEvery !== undefined && requestNumber % failEvery === 0,
      });
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  const port = await listen(server, 0);
  const stop = async (): Promise<void> => {
    if (!server.listening) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of sockets) socket.destroy();
    await closed;
  };
  if (behavior === "down") await stop();

  const receiver: SandboxReceiver = {
    url: `http://127.0.0.1:${port}${RECEIVER_PATH}`,
    get behavior() {
      return behavior;
    },
    secret: undefined,
    log,
    async setBehavior(next) {
      // A fix fixes the proxy too: only "flaky" keeps failing.
      failEvery = next === "flaky" ? RECEIVER_BEHAVIORS.flaky.proxyFailsEvery : undefined;
      requestNumber = 0;
      behavior = next;
      if (next === "down") await stop();
      else if (!server.listening) await listen(server, port);
    },
    close: stop,
  };
  return receiver;
}

/** A URL on a loopback port nobody listens on: bind port 0, note the port, close it again. */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  const port = await listen(server, 0);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}${RECEIVER_PATH}`;
}

function eventOf(rawBody: string): { eventId: string | undefined; eventType: string | undefined } {
  try {
    const { id, type } = JSON.parse(rawBody) as { id?: unknown; type?: unknown };
    return { eventId: typeof id === "string" ? id : undefined, eventType: typeof type === "string" ? type : undefined };
  } catch {
    return { eventId: undefined, eventType: undefined };
  }
}

function listen(server: ReturnType<typeof createServer>, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const failed = (error: NodeJS.ErrnoException): void => {
      reject(
        error.code === "EADDRINUSE"
          ? new Error(`Port ${port} was taken by another program while the receiver was down.`)
          : error,
      );
    };
    server.once("error", failed);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", failed);
      resolve((server.address() as AddressInfo).port);
    });
  });
}
