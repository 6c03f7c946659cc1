// The tests' one webhook receiver, on 127.0.0.1 (or another address of lo inside `unshare -n`), written the way a
// user would write one: node:http, the raw body, and its own HMAC-SHA256 check of Exa-Signature with a timing-safe
// compare (not the project's signing code). Each request's answer comes from `behave`, so one receiver can be
// healthy, failing, slow, trickling, resetting or hanging: redelivery, the guarded POST and the sandbox's
// deliveries all test against it. (The product's own receivers, for `--sandbox`, are src/sandbox/receivers/.)
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo, Socket } from "node:net";

export interface Received {
  headers: IncomingHttpHeaders;
  /** The body exactly as it arrived. */
  raw: Buffer;
  /** The same body as UTF-8 text. */
  body: string;
  eventId: string | undefined;
  signatureValid: boolean;
}

export type Behaviour =
  | { kind: "answer"; status: number; body?: string; headers?: Record<string, string>; delayMs?: number }
  /** Headers at once, then one byte every `everyMs`, never finishing. */
  | { kind: "trickle"; everyMs: number }
  /** Destroys the socket without an answer. */
  | { kind: "reset" }
  /** Never answers. */
  | { kind: "hang" };

/** Answers every request with the status `statusFor(n)` gives the n-th (1-based), signed or not: "ok" below 400, a handler's error text from 400 on. */
export function answering(statusFor: (n: number) => number): (request: Received, n: number) => Behaviour {
  return (_request, n) => {
    const status = statusFor(n);
    return {
      kind: "answer",
      status,
      body: status >= 400 ? `handler failed with ${status}` : "ok",
      headers: { "x-receiver": "test" },
    };
  };
}

export interface Receiver {
  url: string;
  received: Received[];
  /** TCP connections accepted: every connect() that reached this receiver, whether or not it sent a request. */
  readonly connections: number;
  /** The secret this receiver verifies with; may be set later (a webhook's secret comes from create). */
  secret: string;
  close(): Promise<void>;
}

export async function startReceiver(
  secret: string,
  behave: (request: Received, n: number) => Behaviour = (request) =>
    request.signatureValid
      ? { kind: "answer", status: 200, body: "ok" }
      : { kind: "answer", status: 401, body: "invalid signature" },
  /** Where to listen: 127.0.0.1 on a free port unless told; inside `unshare -n`, any address added to lo. */
  at: { host?: string; port?: number } = {},
): Promise<Receiver> {
  const received: Received[] = [];
  let connections = 0;
  const state = { secret };
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const raw = Buffer.concat(chunks);
      const header = request.headers["exa-signature"];
      const entry: Received = {
        headers: request.headers,
        raw,
        body: raw.toString("utf8"),
        eventId: eventIdOf(raw),
        signatureValid: typeof header === "string" && verifyExaSignature(header, raw, state.secret),
      };
      received.push(entry);
      const behaviour = behave(entry, received.length);
      if (behaviour.kind === "reset") {
        request.socket.destroy();
        return;
      }
      if (behaviour.kind === "hang") return;
      if (behaviour.kind === "trickle") {
        response.writeHead(200, { "content-type": "text/plain" });
        const timer = setInterval(() => response.write("."), behaviour.everyMs);
        timers.add(timer);
        response.on("close", () => clearInterval(timer));
        return;
      }
      const send = () => {
        response.writeHead(behaviour.status, { "content-type": "text/plain", ...behaviour.headers });
        response.end(behaviour.body ?? "");
      };
      if (behaviour.delayMs) {
        const timer = setTimeout(send, behaviour.delayMs);
        timers.add(timer);
      } else send();
    });
  });
  server.on("connection", (socket) => {
    connections++;
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  const host = at.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(at.port ?? 0, host, resolve);
  });
  const shownHost = host.includes(":") ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${(server.address() as AddressInfo).port}/webhooks/exa`,
    received,
    get connections() {
      return connections;
    },
    get secret() {
      return state.secret;
    },
    set secret(value: string) {
      state.secret = value;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function eventIdOf(raw: Buffer): string | undefined {
  try {
    const id = (JSON.parse(raw.toString("utf8")) as { id?: unknown }).id;
    return typeof id === "string" ? id : undefined;
  } catch {
    return undefined;
  }
}

/** Exa's scheme: `t=<unix>,v1=<hex>`, HMAC-SHA256 of `${t}.${raw body}`, any v1 may match, 300 s tolerance. */
export function verifyExaSignature(header: string, raw: Buffer, secret: string): boolean {
  let t: string | undefined;
  const given: Buffer[] = [];
  for (const part of header.split(",")) {
    const at = part.indexOf("=");
    const name = part.slice(0, at).trim();
    const value = part.slice(at + 1).trim();
    if (name === "t") t = value;
    if (name === "v1") given.push(Buffer.from(value, "hex"));
  }
  if (!t || !/^\d+$/.test(t) || Math.abs(Date.now() / 1000 - Number(t)) > 300) return false;
  const expected = createHmac("sha256", secret)
    .update(Buffer.concat([Buffer.from(`${t}.`, "utf8"), raw]))
    .digest();
  return given.some((candidate) => candidate.length === expected.length && timingSafeEqual(candidate, expected));
}
