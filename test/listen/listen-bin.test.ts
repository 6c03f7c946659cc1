// `listen` through the built bin, as a developer runs it: the emulator is Exa, a receiver on 127.0.0.1 checks
// Exa-Signature with its own HMAC code, and the store is a real SQLite file shared by successive runs.
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../../src/sandbox/emulator.js";
import { type Receiver, startReceiver } from "../helpers/receiver.js";
import { type ListenerProcess, listenEnv, startListener } from "./listener-process.js";

const SECRET = "whsec_listen_e2e_4b1f9a27c3";
const TYPES = ["webset.item.created", "webset.item.enriched"];

let emulator: Emulator;
let receiver: Receiver;
let dir: string;
const running: ListenerProcess[] = [];

beforeEach(async () => {
  emulator = await startEmulator();
  receiver = await startReceiver(SECRET);
  dir = mkdtempSync(join(tmpdir(), "listen-e2e-"));
});
afterEach(async () => {
  for (const listener of running.splice(0)) await listener.kill();
  await receiver.close();
  await emulator.close();
  rmSync(dir, { recursive: true, force: true });
});

const env = (extra: Record<string, string> = {}) => listenEnv(emulator.baseUrl, join(dir, "state.db"), extra);

function listen(args: string[], extra: Record<string, string> = {}): ListenerProcess {
  const listener = startListener(["--forward-to", receiver.url, ...args], env(extra));
  running.push(listener);
  return listener;
}

const receivedIds = () => receiver.received.map((request) => request.eventId);

let lastAt = 0;
/** An event at Exa's now, never in the same ms as the one before (ties are forwarded in id order). */
function addNow(type: string) {
  lastAt = Math.max(Date.now(), lastAt + 1);
  return emulator.store.addEvent({ type, createdAt: new Date(lastAt).toISOString() });
}

describe("listen --forward-to", () => {
  it("forwards a webhook's new events signed with its real secret, byte for byte; a restart forwards what came meanwhile, nothing twice", async () => {
    const webhook = emulator.store.createWebhook({ url: "https://example.com/exa", events: TYPES });
    const before = addNow("webset.item.created");
    const secrets = { EXA_WEBHOOK_SECRETS: `${webhook.id}=${webhook.secret}` };
    receiver.secret = webhook.secret as string;

    const first = listen(["--webhook", webhook.id], secrets);
    const [banner] = await first.waitFor("banner");
    expect(banner).toMatchObject({ webhookId: webhook.id, types: TYPES, target: receiver.url, secretSource: "env" });
    expect(banner?.localSecret).toBeUndefined();
    expect(first.stdout()).not.toContain(webhook.secret as string);

    const b = addNow("webset.item.created");
    addNow("webset.created"); // not subscribed
    const c = addNow("webset.item.enriched");
    await first.waitFor("result", 2);
    expect(receivedIds()).toEqual([b.id, c.id]);
    expect(receivedIds()).not.toContain(before.id);
    expect(receiver.received.every((request) => request.signatureValid)).toBe(true);
    expect(receiver.received[0]?.raw.toString("utf8")).toBe(JSON.stringify(emulator.store.getEvent(b.id)));
    expect(receiver.received[0]?.headers["exa-forwarded-by"]).toMatch(/^exa-webhooks-mcp\/\S+ listen$/);
    expect(first.results().map((line) => [line.eventId, line.statusCode, line.accepted])).toEqual([
      [b.id, 200, true],
      [c.id, 200, true],
    ]);

    expect(await first.interrupt()).toBe(0);
    expect(first.lines.at(-1)).toMatchObject({ kind: "stopped", forwarded: 2, failed: 0, watermark: c.createdAt });

    const whileStopped = addNow("webset.item.enriched");
    const second = listen(["--webhook", webhook.id], secrets);
    const [resumed] = await second.waitFor("banner");
    expect(resumed?.resumedAfter).toBe(c.createdAt);
    await second.waitFor("result", 1);
    const late = addNow("webset.item.created");
    await second.waitFor("result", 2);
    expect(await second.interrupt()).toBe(0);
    expect(receivedIds()).toEqual([b.id, c.id, whileStopped.id, late.id]);
  });

  it("--since backfills a fresh cursor oldest first; past Exa's 60 days it names the span already deleted", async () => {
    const now = Date.now();
    const at = (msAgo: number) => new Date(now - msAgo).toISOString();
    // Added newest first, so the list's own order is the reverse of the forwarding order.
    const recent = emulator.store.addEvent({ type: "webset.item.created", createdAt: at(30 * 60_000) });
    const tieB = emulator.store.addEvent({
      id: "event_b_tie",
      type: "webset.item.created",
      createdAt: at(2 * 3_600_000),
    });
    const tieA = emulator.store.addEvent({
      id: "event_a_tie",
      type: "webset.item.created",
      createdAt: at(2 * 3_600_000),
    });
    emulator.store.addEvent({ type: "webset.item.created", createdAt: at(4 * 3_600_000) }); // before --since

    const listener = listen(["--events", "webset.item.created", "--since", "3h"]);
    const [banner] = await listener.waitFor("banner");
    expect(banner?.expired).toBeUndefined();
    await listener.waitFor("result", 3);
    expect(await listener.interrupt()).toBe(0);
    expect(receivedIds()).toEqual([tieA.id, tieB.id, recent.id]);

    const other = await startReceiver(SECRET);
    try {
      const far = startListener(
        ["--forward-to", other.url, "--events", "webset.item.created", "--since", "90d", "--output", "compact"],
        env(),
      );
      running.push(far);
      await expect
        .poll(() => far.stdout(), { timeout: 20_000, interval: 20 })
        .toMatch(/Exa keeps events 60 days: \S+ to \S+ is already deleted and cannot be forwarded\./);
    } finally {
      await other.close();
    }
  });

  it("a backfill of 50 events reuses its connection to the receiver: far fewer connections than events, each event once, in order", async () => {
    const now = Date.now();
    const events = Array.from({ length: 50 }, (_, i) =>
      emulator.store.addEvent({
        type: "webset.item.created",
        createdAt: new Date(now - (50 - i) * 1_000).toISOString(),
      }),
    );
    const listener = listen(["--events", "webset.item.created", "--since", "1h"]);
    await listener.waitFor("result", 50);
    expect(await listener.interrupt()).toBe(0);
    expect(receivedIds()).toEqual(events.map((event) => event.id));
    // Every POST got an answer (401 here: the receiver checks for another secret), none a reset connection.
    expect(listener.results().filter((line) => line.statusCode === 0)).toEqual([]);
    // One for the health check at start, one kept for the POSTs (a new one only after a second idle).
    expect(receiver.connections).toBeLessThan(10);
  });

  it("without the webhook's secret it signs with a local forwarding secret, minted once, kept in the store and printed", async () => {
    const first = listen(["--events", "webset.item.created"]);
    const [banner] = await first.waitFor("banner");
    expect(banner).toMatchObject({ secretSource: "local" });
    const local = banner?.localSecret as string;
    expect(local).toMatch(/^whsec_local_/);
    expect(await first.interrupt()).toBe(0);

    const second = listen(["--events", "webset.item.created", "--output", "compact"]);
    await expect.poll(() => second.stdout(), { timeout: 20_000, interval: 20 }).toContain(local);
    expect(second.stdout()).toContain("not your webhook's Exa secret");
    receiver.secret = local;
    const event = emulator.store.addEvent({ type: "webset.item.created" });
    await expect.poll(() => receivedIds(), { timeout: 20_000, interval: 20 }).toEqual([event.id]);
    expect(receiver.received[0]?.signatureValid).toBe(true);
    expect(await second.interrupt()).toBe(0);
  });

  it("--replay sends one event again, even one this target accepted before, then exits", async () => {
    const webhook = emulator.store.createWebhook({ url: "https://example.com/exa", events: TYPES });
    receiver.secret = webhook.secret as string;
    const event = emulator.store.addEvent({
      type: "webset.item.created",
      createdAt: new Date(Date.now() - 60_000).toISOString(),
    });
    const secrets = { EXA_WEBHOOK_SECRETS: `${webhook.id}=${webhook.secret}` };
    const backfill = listen(["--webhook", webhook.id, "--since", "5m"], secrets);
    await backfill.waitFor("result", 1);
    expect(await backfill.interrupt()).toBe(0);

    const replay = listen(["--webhook", webhook.id, "--replay", event.id], secrets);
    expect(await replay.exit()).toBe(0);
    expect(replay.results()).toMatchObject([{ eventId: event.id, statusCode: 200, accepted: true }]);
    expect(receivedIds()).toEqual([event.id, event.id]);
  });

  it("a second listener on the same cursor says who holds it and exits 2; another target is another cursor", async () => {
    const first = listen(["--events", "webset.item.created"]);
    await first.waitFor("banner");
    const second = listen(["--events", "webset.item.created"]);
    expect(await second.exit()).toBe(2);
    const refusal = second.lines.find((line) => line.kind === "notice");
    expect(refusal?.message).toMatch(
      new RegExp(
        `^Another listener holds this cursor \\(these types to ${receiver.url.replace(/[.]/g, "\\.")}\\): listen pid ${first.child.pid} on `,
      ),
    );
    expect(refusal?.message).toContain("Stop it first, or forward to another URL.");

    const other = await startReceiver(SECRET);
    try {
      const third = startListener(["--forward-to", other.url, "--events", "webset.item.created"], env());
      running.push(third);
      await third.waitFor("banner");
      expect(await third.interrupt()).toBe(0);
    } finally {
      await other.close();
    }
    expect(await first.interrupt()).toBe(0);
  });
});

describe("listen forwards each event's own bytes", () => {
  let peer: Server;
  afterEach(async () => {
    await new Promise((resolve) => peer.close(resolve));
  });

  it("keeps spacing, key order and escapes exactly as the page had them, and the id unchanged", async () => {
    const eventText = `{ "createdAt" : "2026-01-01T00:00:05.000Z",\n    "id":"event_bytes1", "type":"webset.item.created",\n    "data": {"name":"caf\\u00e9 \\"quoted\\"", "n": 1.50 }, "object":"event" }`;
    const page = `{\n  "data": [\n    ${eventText}\n  ],\n  "hasMore": false,\n  "nextCursor": null\n}`;
    // Exa's clock five seconds before the event; --since a minute before that. (The listing just below the start
    // carries createdBefore, and is empty.)
    peer = createServer((request, response) => {
      const url = new URL(request.url ?? "/", "http://x");
      const body = url.searchParams.has("createdBefore") ? `{"data":[],"hasMore":false,"nextCursor":null}` : page;
      response.writeHead(200, { "content-type": "application/json", date: "Thu, 01 Jan 2026 00:00:00 GMT" });
      response.end(body);
    });
    await new Promise<void>((resolve) => peer.listen(0, "127.0.0.1", resolve));
    const listener = startListener(
      ["--forward-to", receiver.url, "--events", "webset.item.created", "--since", "2025-12-31T23:59:00Z"],
      env({ EXA_BASE_URL: `http://127.0.0.1:${(peer.address() as AddressInfo).port}` }),
    );
    running.push(listener);
    await listener.waitFor("result", 1);
    expect(await listener.interrupt()).toBe(0);
    expect(receiver.received).toHaveLength(1);
    expect(receiver.received[0]?.raw.toString("utf8")).toBe(eventText);
    expect(receiver.received[0]?.eventId).toBe("event_bytes1");
  });
});
