// The guarded POST inside a network namespace of its own (run by netns.test.ts under `unshare -n`, with
// 10.0.0.5, 172.16.0.5, 192.168.1.5, 100.64.0.5, 169.254.169.254 and 1.2.3.4 added to lo): every address
// the guard refuses really has a receiver listening, so a refusal is the guard's doing, and every connect()
// the process makes is recorded through the `net.client.socket` diagnostics channel. Nothing can leave.
import { subscribe, unsubscribe } from "node:diagnostics_channel";
import { createServer, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { EgressPolicy, Resolver } from "../../src/net/egress.js";
import { keptConnections } from "../../src/net/kept-connections.js";
import { type GuardedPost, postGuarded } from "../../src/net/post.js";
import { type Receiver, startReceiver } from "../helpers/receiver.js";

export const INSIDE_NETNS = process.env.EXA_TEST_NETNS === "1";
/** The public address the namespace gives lo: "the internet" as far as the guard can tell. */
const PUBLIC = "1.2.3.4";

const SERVED: EgressPolicy = { scope: "served", allowPrivateTargets: false };
const LOCAL: EgressPolicy = { scope: "local", allowPrivateTargets: false };

let receivers: Receiver[] = [];
let connects: string[] = [];
const onSocket = (message: unknown) => {
  const socket = (message as { socket: Socket }).socket;
  socket.once("connect", () => connects.push(`${socket.remoteAddress}:${socket.remotePort}`));
};
beforeEach(() => {
  connects = [];
  subscribe("net.client.socket", onSocket);
});
afterEach(async () => {
  unsubscribe("net.client.socket", onSocket);
  await Promise.all(receivers.map((receiver) => receiver.close()));
  receivers = [];
});

async function receiverAt(host: string, port?: number, behave?: Parameters<typeof startReceiver>[1]) {
  const receiver = await startReceiver("whsec_netns", behave, { host, ...(port ? { port } : {}) });
  receivers.push(receiver);
  return receiver;
}

function post(url: string, policy: EgressPolicy, extra: Partial<GuardedPost> = {}) {
  return postGuarded({
    url,
    body: '{"id":"event_netns"}',
    headers: { "content-type": "application/json" },
    timeoutMs: 2000,
    maxResponseChars: 2000,
    policy,
    ...extra,
  });
}

describe.runIf(INSIDE_NETNS)("the guarded POST under unshare -n", () => {
  it("refuses each private, CGNAT, link-local and metadata address though a receiver listens there", async () => {
    const expected: [string, RegExp][] = [
      ["10.0.0.5", /a private address/],
      ["172.16.0.5", /a private address/],
      ["192.168.1.5", /a private address/],
      ["100.64.0.5", /a carrier-grade NAT address/],
      ["169.254.169.254", /a link-local address .*cloud metadata/],
    ];
    for (const [address, named] of expected) {
      const receiver = await receiverAt(address);
      for (const policy of [SERVED, LOCAL]) {
        const outcome = await post(receiver.url, policy);
        expect(outcome.statusCode, address).toBe(0);
        expect(outcome.refusal?.message, address).toMatch(named);
      }
      expect(receiver.connections, address).toBe(0);
    }
    expect(connects).toEqual([]);
    // Reachable all along: with the flag, a local server does reach the private receiver.
    const reachable = await receiverAt("10.0.0.5");
    const allowed = await post(reachable.url, { scope: "local", allowPrivateTargets: true });
    expect(allowed.statusCode).toBe(401);
    expect(reachable.connections).toBe(1);
  });

  it("a name resolving to loopback is refused when served; the same name is sent to locally", async () => {
    const loopback = await receiverAt("127.0.0.1");
    const url = loopback.url.replace("127.0.0.1", "localhost");
    const served = await post(url, SERVED);
    expect(served.refusal?.message).toContain("localhost resolves to 127.0.0.1");
    expect(loopback.connections).toBe(0);
    const local = await post(url, LOCAL);
    expect(local.statusCode).toBe(401);
    expect(loopback.connections).toBe(1);
  });

  it("connects to the address it checked: a second DNS answer cannot swap it (rebinding)", async () => {
    // The public receiver and a loopback service on the same port; the system resolver says localhost is
    // 127.0.0.1, the checked answer says 1.2.3.4. A stack resolving again would reach the loopback service.
    const publicReceiver = await receiverAt(PUBLIC);
    const port = Number(new URL(publicReceiver.url).port);
    const internal = await receiverAt("127.0.0.1", port);
    const answers = [PUBLIC, "127.0.0.1"];
    let lookups = 0;
    const rebinding: Resolver = async () => [{ address: answers[Math.min(lookups++, 1)] as string, family: 4 }];
    const url = `http://localhost:${port}/webhooks/exa`;

    const first = await post(url, SERVED, { resolve: rebinding });
    expect(first.address).toBe(PUBLIC);
    expect(first.statusCode).toBe(401);
    expect(publicReceiver.connections).toBe(1);
    expect(internal.connections).toBe(0);
    expect(connects).toEqual([`${PUBLIC}:${port}`]);
    expect(publicReceiver.received[0]?.headers.host).toBe(`localhost:${port}`);

    // Checked again at the next delivery: the name now resolves to loopback, so nothing is sent.
    const second = await post(url, SERVED, { resolve: rebinding });
    expect(second.refusal?.addressClass).toBe("loopback");
    expect(lookups).toBe(2);
    expect(internal.connections).toBe(0);
    expect(connects).toHaveLength(1);
  });

  it("kept connections: a DNS answer that changes between POSTs gets a new connection, checked again", async () => {
    // One port on three addresses; the name's answer moves between them from one POST to the next.
    const publicReceiver = await receiverAt(PUBLIC);
    const port = Number(new URL(publicReceiver.url).port);
    const privateReceiver = await receiverAt("10.0.0.5", port);
    const metadata = await receiverAt("169.254.169.254", port);
    const answers = [PUBLIC, PUBLIC, "10.0.0.5", PUBLIC, "169.254.169.254"];
    let lookups = 0;
    const moving: Resolver = async () => [{ address: answers[lookups++] as string, family: 4 }];
    const url = `http://localhost:${port}/webhooks/exa`;
    const connections = keptConnections();
    const send = () =>
      post(url, { scope: "local", allowPrivateTargets: true }, { resolve: moving, connections: connections });
    try {
      expect((await send()).address).toBe(PUBLIC);
      expect((await send()).address).toBe(PUBLIC);
      // The same checked address twice: one connection.
      expect(publicReceiver.received).toHaveLength(2);
      expect(connects).toEqual([`${PUBLIC}:${port}`]);

      // The answer moved: a connection of its own to the new address, never the one kept for the old.
      expect((await send()).address).toBe("10.0.0.5");
      expect(privateReceiver.received).toHaveLength(1);
      expect(connects).toEqual([`${PUBLIC}:${port}`, `10.0.0.5:${port}`]);
      expect((await send()).address).toBe(PUBLIC);
      expect(publicReceiver.received).toHaveLength(3);

      // Checked again though a connection to this host name is open: the metadata address is refused.
      const refused = await send();
      expect(refused.refusal?.addressClass).toBe("link_local");
      expect(metadata.connections).toBe(0);
      expect(metadata.received).toHaveLength(0);
      expect(publicReceiver.received).toHaveLength(3);
      expect(lookups).toBe(5);
    } finally {
      connections.close();
    }
  });

  it("does not follow a redirect to a private address", async () => {
    const internal = await receiverAt("10.0.0.5");
    const redirecting = await receiverAt(PUBLIC, undefined, () => ({
      kind: "answer",
      status: 307,
      headers: { location: internal.url },
    }));
    const outcome = await post(redirecting.url, { scope: "local", allowPrivateTargets: true });
    expect(outcome.statusCode).toBe(307);
    expect(outcome.responseHeaders.location).toBe(internal.url);
    expect(internal.connections).toBe(0);
  });

  it("a hanging receiver meets the deadline; a trickling one too, with the status it sent", async () => {
    const hanging = await receiverAt(PUBLIC, undefined, () => ({ kind: "hang" }));
    const hung = await post(hanging.url, SERVED, { timeoutMs: 300 });
    expect(hung).toMatchObject({ statusCode: 0, timedOut: true, answeredStatus: undefined });
    const trickling = await receiverAt(PUBLIC, undefined, () => ({ kind: "trickle", everyMs: 20 }));
    const trickled = await post(trickling.url, SERVED, { timeoutMs: 400 });
    expect(trickled).toMatchObject({ statusCode: 0, timedOut: true, answeredStatus: 200 });
  });

  it("reads only the first characters of a huge answer and stops the rest", async () => {
    let written = 0;
    let finished = false;
    const sockets = new Set<Socket>();
    const huge: Server = createServer((_request, response) => {
      response.writeHead(500, { "content-type": "text/html" });
      const chunk = "x".repeat(64 * 1024);
      const pump = () => {
        while (written < 1024 && response.write(chunk)) written++;
        if (written < 1024) response.once("drain", pump);
        else response.end(() => (finished = true));
      };
      response.on("close", () => sockets.clear());
      pump();
    });
    huge.on("connection", (socket) => sockets.add(socket));
    await new Promise<void>((resolve) => huge.listen(0, PUBLIC, resolve));
    try {
      const outcome = await post(`http://${PUBLIC}:${(huge.address() as AddressInfo).port}/`, SERVED, {
        maxResponseChars: 500,
      });
      expect(outcome.statusCode).toBe(500);
      expect(outcome.responseText).toBe("x".repeat(500));
      // 64 MB offered; the client stopped reading long before.
      expect(finished).toBe(false);
      expect(written).toBeLessThan(1024);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => huge.close(() => resolve()));
    }
  });
});
