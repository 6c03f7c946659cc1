// forward_events through the built bin (--sandbox over stdio) with a real MCP client: events emitted while it
// runs reach a handler on 127.0.0.1, signed, with a progress notification each; cancellation stops it;
// --read-only leaves it out; a target off this machine is refused with the next step.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type ClientSession, spawnBuiltServer } from "../helpers/harness.js";
import { type Receiver, startReceiver, verifyExaSignature } from "../helpers/receiver.js";
import { quietFor } from "../helpers/wait.js";
import { recordInbound } from "../helpers/wire.js";

let server: ClientSession;
let handler: Receiver;

beforeEach(async () => {
  handler = await startReceiver("unused", () => ({ kind: "answer", status: 200, body: "ok" }));
});
afterEach(async () => {
  await server?.close();
  await handler.close();
});

interface Forwarded {
  eventId: string;
  statusCode: number;
  accepted: boolean;
  latencyMs: number;
}

describe("forward_events", () => {
  it("forwards events emitted while it runs, signed, reporting progress per event, then lists them", async () => {
    server = await spawnBuiltServer(["--sandbox"]);
    const wire = recordInbound(server.client);
    const pending = server.client.callTool(
      {
        name: "forward_events",
        // since 1m: the events emitted below count even if they land before the first poll.
        arguments: {
          targetUrl: handler.url,
          types: ["webset.item.created"],
          since: "1m",
          maxEvents: 2,
          maxSeconds: 60,
        },
      },
      { onprogress: () => {}, timeout: 60_000 },
    );
    const first = await server.call("sandbox_emit_event", { type: "webset.item.created" });
    const second = await server.call("sandbox_emit_event", { type: "webset.item.created" });
    const emitted = [first, second].map((answer) => (answer.structured as { eventId: string }).eventId);
    const result = await pending;
    const structured = result.structuredContent as {
      forwarded: Forwarded[];
      stoppedBy: string;
      secretSource: string;
      localSecret: string;
    };
    expect(result.isError).toBeFalsy();
    expect(structured.stoppedBy).toBe("max_events");
    expect(structured.forwarded.map((item) => [item.eventId, item.statusCode, item.accepted])).toEqual([
      [emitted[0], 200, true],
      [emitted[1], 200, true],
    ]);
    expect(handler.received.map((request) => request.eventId)).toEqual(emitted);
    expect(structured.secretSource).toBe("local");
    for (const request of handler.received) {
      expect(verifyExaSignature(String(request.headers["exa-signature"]), request.raw, structured.localSecret)).toBe(
        true,
      );
    }
    const text = (result.content as { type: string; text: string }[])[0]?.text ?? "";
    expect(text).toMatch(
      /^\[sandbox: simulated data\] Forwarded 2 events to http:\/\/127\.0\.0\.1:\d+\/webhooks\/exa \(2 accepted, 0 failed; reached maxEvents\)\./,
    );
    expect(text).toContain(`- webset.item.created ${emitted[0]} → 200 in `);
    expect(text).toContain("Signed with a local forwarding secret for this call only (not an Exa secret)");
    // On the wire, in the server's order: one progress per event, both before the answer. (The SDK's client
    // dispatches notifications a microtask late and drops a progress that shares a read with the answer, so
    // its onprogress cannot show the last one reliably.)
    const answerAt = wire.findIndex(({ message }) => message.result?.structuredContent?.forwarded !== undefined);
    expect(answerAt).toBeGreaterThan(0);
    const sent = wire
      .slice(0, answerAt)
      .map(({ message }) => message)
      .filter((message) => message.method === "notifications/progress");
    expect(sent.map((message) => message.params?.progress)).toEqual([1, 2]);
    expect(sent[0]?.params?.message).toMatch(new RegExp(`^webset\\.item\\.created ${emitted[0]}: 200 in \\d+ ms$`));
    expect(sent[1]?.params?.message).toMatch(new RegExp(`^webset\\.item\\.created ${emitted[1]}: 200 in \\d+ ms$`));
  });

  it("shares the ledger with redeliver_events: an event redelivered to a target is not forwarded there again", async () => {
    server = await spawnBuiltServer(["--sandbox"]);
    const created = await server.call("create_webhook", { url: handler.url, events: ["import.completed"] });
    const webhookId = (created.structured as { webhook: { id: string } }).webhook.id;
    const emitted = await server.call("sandbox_emit_event", { type: "import.completed", webhookId });
    const eventId = (emitted.structured as { eventId: string }).eventId;
    const sent = await server.call("redeliver_events", { webhookId, eventIds: [eventId], dryRun: false });
    expect(sent.text).toContain("1 delivered");
    const received = handler.received.length;

    const result = await server.client.callTool(
      { name: "forward_events", arguments: { webhookId, targetUrl: handler.url, since: "1h", maxSeconds: 3 } },
      { timeout: 60_000 },
    );
    const structured = result.structuredContent as { forwarded: Forwarded[]; skipped: number };
    expect(structured.forwarded.map((item) => item.eventId)).not.toContain(eventId);
    expect(structured.skipped).toBe(1);
    const text = (result.content as { type: string; text: string }[])[0]?.text ?? "";
    expect(text).toContain("1 event already accepted at this target: not sent again.");
    expect(handler.received.slice(received).map((request) => request.eventId)).not.toContain(eventId);
  });

  it("stopped by maxEvents, it withdraws the claim it took ahead: redeliver_events then sends that event", async () => {
    server = await spawnBuiltServer(["--sandbox"]);
    const created = await server.call("create_webhook", { url: handler.url, events: ["import.completed"] });
    const webhookId = (created.structured as { webhook: { id: string } }).webhook.id;
    const eventIds: string[] = [];
    for (let i = 0; i < 3; i++) {
      const emitted = await server.call("sandbox_emit_event", { type: "import.completed", webhookId });
      eventIds.push((emitted.structured as { eventId: string }).eventId);
    }
    const result = await server.client.callTool(
      { name: "forward_events", arguments: { webhookId, targetUrl: handler.url, since: "1h", maxEvents: 2 } },
      { timeout: 60_000 },
    );
    const structured = result.structuredContent as { forwarded: Forwarded[] };
    expect(structured.forwarded.map((item) => item.eventId)).toEqual(eventIds.slice(0, 2));
    // The third was claimed while the second was in flight, never sent: not "outcome unknown" to anyone.
    const third = eventIds[2] as string;
    const sent = await server.call("redeliver_events", { webhookId, eventIds: [third], dryRun: false });
    expect(sent.text).toContain("1 delivered");
    const forwardedThird = handler.received.filter(
      (request) => request.eventId === third && request.headers["exa-forwarded-by"] !== undefined,
    );
    expect(forwardedThird).toEqual([]);
  });

  it("stops at cancellation: nothing is forwarded after it", async () => {
    server = await spawnBuiltServer(["--sandbox"]);
    const controller = new AbortController();
    const pending = server.client.callTool(
      { name: "forward_events", arguments: { targetUrl: handler.url, since: "1m", maxSeconds: 120, maxEvents: 50 } },
      { signal: controller.signal, timeout: 60_000 },
    );
    await server.call("sandbox_emit_event", { type: "webset.item.created" });
    await expect.poll(() => handler.received.length, { timeout: 25_000, interval: 20 }).toBe(1);
    controller.abort();
    await expect(pending).rejects.toThrow();
    await server.call("sandbox_emit_event", { type: "webset.item.created" });
    await quietFor(3_000); // more than a poll (2 s): a listener still running would have forwarded it
    expect(handler.received).toHaveLength(1);
  });

  it("refuses a target off this machine with the next step, and --read-only leaves the tool out", async () => {
    server = await spawnBuiltServer(["--sandbox"]);
    const refused = await server.call("forward_events", { targetUrl: "https://hooks.example.com/exa" });
    expect(refused.isError).toBe(true);
    expect(refused.text).toContain(
      "targetUrl https://hooks.example.com/exa is refused: its host is not a loopback address: listen forwards only to this machine",
    );
    await server.close();
    server = await spawnBuiltServer(["--sandbox", "--read-only"]);
    const { tools } = await server.client.listTools();
    expect(tools.map((tool) => tool.name)).not.toContain("forward_events");
  });
});
