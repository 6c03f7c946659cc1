// Kept connections under the guarded POST, against receivers on 127.0.0.1: POSTs to one checked address share
// a connection; a receiver that closed the idle connection gets the next POST on a new one (nothing lost,
// nothing twice); one that read a POST and then closed without answering is not sent it again silently; and
// the idle limit never cuts a POST whose answer is slow.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import type { EgressPolicy } from "../../src/net/egress.js";
import { KEPT_IDLE_MS, type KeptConnections, keptConnections } from "../../src/net/kept-connections.js";
import { postGuarded } from "../../src/net/post.js";

const LOCAL: EgressPolicy = { scope: "local", allowPrivateTargets: false };

/** A receiver written for these tests: it counts connections, keeps each request's body, and can drop sockets. */
interface Peer {
  url: string;
  bodies: string[];
  connections: number;
  /** Connections still open. */
  readonly open: number;
  /** Closes every connection from the receiver's side now (what an idle timeout does). */
  dropConnections(): void;
  close(): Promise<void>;
}

const peers: Peer[] = [];
const sets: KeptConnections[] = [];
afterEach(async () => {
  for (const set of sets.splice(0)) set.close();
  await Promise.all(peers.splice(0).map((peer) => peer.close()));
});

async function startPeer(answer: (request: IncomingMessage, response: ServerResponse, n: number) => void) {
  const sockets = new Set<Socket>();
  const peer = { bodies: [] as string[], connections: 0 } as Peer;
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      peer.bodies.push(Buffer.concat(chunks).toString("utf8"));
      answer(request, response, peer.bodies.length);
    });
  });
  server.on("connection", (socket) => {
    peer.connections++;
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  Object.defineProperty(peer, "open", { get: () => sockets.size });
  peer.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  peer.dropConnections = () => {
    for (const socket of sockets) socket.destroy();
  };
  peer.close = () =>
    new Promise<void>((resolve) => {
      peer.dropConnections();
      server.close(() => resolve());
    });
  peers.push(peer);
  return peer;
}

const answerOk = (_request: IncomingMessage, response: ServerResponse) => response.end("ok");

function kept(): KeptConnections {
  const set = keptConnections();
  sets.push(set);
  return set;
}

function post(url: string, body: string, connections: KeptConnections | undefined, timeoutMs = 5_000) {
  return postGuarded({
    url,
    body,
    headers: { "content-type": "application/json" },
    timeoutMs,
    maxResponseChars: 200,
    policy: LOCAL,
    connections,
  });
}

describe("kept connections", () => {
  it("50 POSTs to one checked address share one connection; without a set, each opens its own", async () => {
    const peer = await startPeer(answerOk);
    const connections = kept();
    for (let i = 0; i < 50; i++) expect((await post(peer.url, `{"n":${i}}`, connections)).statusCode).toBe(200);
    expect(peer.bodies).toHaveLength(50);
    expect(peer.connections).toBe(1);

    const fresh = await startPeer(answerOk);
    for (let i = 0; i < 5; i++) await post(fresh.url, `{"n":${i}}`, undefined);
    expect(fresh.connections).toBe(5);
  });

  it("a receiver that closed the idle connection gets the next POST on a new one: once, not lost", async () => {
    const peer = await startPeer(answerOk);
    const connections = kept();
    expect((await post(peer.url, '{"n":1}', connections)).statusCode).toBe(200);
    // One turn of the loop puts the socket back among the idle ones; then the receiver's idle timeout fires
    // just before the next POST: its close has arrived but is not read yet.
    await new Promise((resolve) => setImmediate(resolve));
    peer.dropConnections();
    const second = await post(peer.url, '{"n":2}', connections);
    expect(second).toMatchObject({ statusCode: 200, responseText: "ok" });
    expect(peer.bodies).toEqual(['{"n":1}', '{"n":2}']);
    expect(peer.connections).toBe(2);
  });

  it("a receiver that read a POST and closed without answering is not sent it again", async () => {
    const peer = await startPeer((request, response, n) => {
      if (n === 1) response.end("ok");
      else request.socket.destroy();
    });
    const connections = kept();
    expect((await post(peer.url, '{"n":1}', connections)).statusCode).toBe(200);
    const second = await post(peer.url, '{"n":2}', connections);
    // It may have acted on it: a failure to report, never a silent second send.
    expect(second.statusCode).toBe(0);
    expect(second.responseText).toMatch(/socket hang up|ECONNRESET/);
    expect(peer.bodies).toEqual(['{"n":1}', '{"n":2}']);
    expect(peer.connections).toBe(1);
  });

  it("the idle limit does not cut a kept connection whose answer is slower than it", async () => {
    const peer = await startPeer((_request, response) => setTimeout(() => response.end("late"), KEPT_IDLE_MS + 300));
    const connections = kept();
    expect(await post(peer.url, '{"n":1}', connections)).toMatchObject({ statusCode: 200, responseText: "late" });
    expect(await post(peer.url, '{"n":2}', connections)).toMatchObject({ statusCode: 200, responseText: "late" });
    expect(peer.connections).toBe(1);
  });

  it("closing the set closes its idle connections: the next POST opens a new one", async () => {
    const peer = await startPeer(answerOk);
    const connections = kept();
    await post(peer.url, '{"n":1}', connections);
    expect(peer.open).toBe(1);
    connections.close();
    await expect.poll(() => peer.open).toBe(0);
    expect((await post(peer.url, '{"n":2}', connections)).statusCode).toBe(200);
    expect(peer.connections).toBe(2);
  });
});
