// Push over --http (issue 22) through the built bin: `--http --watch 1s` against the emulator bin. A 2026-07-28
// client's subscriptions/listen stream carries notifications/resources/updated when a webhook turns failing; a
// 2025 client (stateless hosting: no session, no GET stream) is not offered resources.subscribe and reads
// instead; with --per-request-keys a caller whose key is not the watch's hears and reads nothing of it.
import type { ClientOptions } from "@modelcontextprotocol/client";
import { afterEach, describe, expect, it } from "vitest";
import { builtBin, type ClientSession, connectClient, type RunningBin, startBin } from "../helpers/harness.js";
import { quietFor, UNTIL_TEST_TIMEOUT } from "../helpers/wait.js";
import { control, EMULATOR_KEY, startEmulatorBin, webhookNamed } from "./watch-bin.js";

const HEALTH = "exa-webhooks://health";
/** A caller's own key, of another account than the watch's (the emulator would refuse it: it is never sent). */
const OTHER_KEY = "caller-key-b-38e5a1f9c20d";
const MODERN: ClientOptions = { versionNegotiation: { mode: "auto" } };

let emulator: RunningBin | undefined;
let server: RunningBin | undefined;
let sessions: ClientSession[] = [];
afterEach(async () => {
  await Promise.all(sessions.map((session) => session.close()));
  sessions = [];
  await server?.stop();
  await emulator?.stop();
});

async function httpServerWithWatch(flags: string[] = []): Promise<RunningBin> {
  if (!emulator) throw new Error("start the emulator first");
  server = await startBin(
    builtBin(["--http", "--port", "0", "--watch", "1s", ...flags], {
      EXA_BASE_URL: emulator.url,
      EXA_API_KEY: EMULATOR_KEY,
      EXA_WEBHOOKS_STORE: "memory",
    }),
  );
  return server;
}

async function client(options: ClientOptions, headers?: Record<string, string>): Promise<ClientSession> {
  if (!server) throw new Error("start the server first");
  const session = await connectClient({
    transport: { kind: "http", url: server.url, ...(headers ? { headers } : {}) },
    client: options,
  });
  sessions.push(session);
  return session;
}

/** Breaks the webhook's receiver and sends it two events: failing within a tick or two. */
async function breakWebhook(webhookId: string): Promise<void> {
  if (!emulator) throw new Error("start the emulator first");
  await control(emulator.url, "/_sandbox/receivers", { webhookId, behavior: "crashing" });
  for (let n = 0; n < 2; n++) await control(emulator.url, "/_sandbox/events", { type: "webset.created", webhookId });
}

function updatesOf(session: ClientSession): string[] {
  const updated: string[] = [];
  session.client.setNotificationHandler("notifications/resources/updated", (notification) => {
    updated.push(notification.params.uri);
  });
  return updated;
}

async function firstLookDone(session: ClientSession, id: string): Promise<void> {
  await expect
    .poll(async () => textOf(await session.readResource(HEALTH)), UNTIL_TEST_TIMEOUT)
    .toContain(`(${id}) healthy since`);
}

describe("push over --http --watch through the built bin", () => {
  it("sends resources/updated on a 2026-07-28 client's subscriptions/listen stream when a webhook turns failing", async () => {
    emulator = await startEmulatorBin();
    const id = await webhookNamed(emulator.url, "production-ingest");
    const uri = `exa-webhooks://webhooks/${id}/health`;
    await httpServerWithWatch(["--channel"]);
    const session = await client(MODERN);
    expect(session.client.getProtocolEra()).toBe("modern");
    expect(session.client.getServerCapabilities()?.resources?.subscribe).toBe(true);
    // A channel message is no listen notification: over HTTP there is nothing to carry it.
    expect(session.client.getServerCapabilities()?.experimental?.["claude/channel"]).toBeUndefined();
    const updated = updatesOf(session);
    const subscription = await session.client.listen({ resourceSubscriptions: [uri, HEALTH] });
    expect(subscription.honoredFilter.resourceSubscriptions).toEqual([uri, HEALTH]);
    await firstLookDone(session, id);
    updated.length = 0;

    await breakWebhook(id);
    await expect.poll(() => updated, UNTIL_TEST_TIMEOUT).toContain(uri);
    expect(updated).toContain(HEALTH);
    const read = textOf(await session.readResource(uri));
    expect(read).toMatch(/^production-ingest \S+ is (failing|at risk of deactivation) since/);
    await subscription.close();
  }, 60_000);

  it("does not offer resources.subscribe to a 2025 client, which it cannot push to, and serves its reads", async () => {
    emulator = await startEmulatorBin();
    const id = await webhookNamed(emulator.url, "production-ingest");
    await httpServerWithWatch();
    const session = await client({ supportedProtocolVersions: ["2025-11-25"] });
    expect(session.client.getProtocolEra()).toBe("legacy");
    expect(session.client.getServerCapabilities()?.resources?.subscribe).toBeUndefined();
    await firstLookDone(session, id);
  }, 60_000);

  it("with --per-request-keys, tells a listener with another account's key nothing of the watch's account", async () => {
    emulator = await startEmulatorBin();
    const id = await webhookNamed(emulator.url, "production-ingest");
    const uri = `exa-webhooks://webhooks/${id}/health`;
    await httpServerWithWatch(["--per-request-keys"]);
    const own = await client(MODERN, { "x-exa-api-key": EMULATOR_KEY });
    const other = await client(MODERN, { "x-exa-api-key": OTHER_KEY });
    expect(own.client.getServerCapabilities()?.resources?.subscribe).toBe(true);
    expect(other.client.getServerCapabilities()?.resources?.subscribe, "no push to offer it").toBeUndefined();
    const ownUpdates = updatesOf(own);
    const otherUpdates = updatesOf(other);
    const ownListen = await own.client.listen({ resourceSubscriptions: [uri, HEALTH] });
    const otherListen = await other.client.listen({ resourceSubscriptions: [uri, HEALTH] });
    expect(otherListen.honoredFilter.resourceSubscriptions).toBeUndefined();
    await firstLookDone(own, id);

    await breakWebhook(id);
    await expect.poll(() => ownUpdates, UNTIL_TEST_TIMEOUT).toContain(uri);
    // The transition reached the right listener; one more tick for anything that would reach the other.
    await quietFor(1500);
    expect(otherUpdates).toEqual([]);
    const fleet = await other.readResource(HEALTH).then(textOf, (error: Error) => error.message);
    expect(fleet, "the fleet read with another key").toContain("not found");
    expect(fleet).not.toContain(id);
    // The URI names the id the caller sent; the answer must not add the watch's view of it.
    const one = await other.readResource(uri).then(textOf, (error: Error) => error.message);
    expect(one).toContain("not found");
    expect(one).not.toMatch(/production-ingest|failing|healthy/);
    await ownListen.close();
    await otherListen.close();
  }, 60_000);
});

function textOf(read: Awaited<ReturnType<ClientSession["readResource"]>> | undefined): string {
  const first = read?.contents[0];
  return first && "text" in first ? first.text : "";
}
