// Done when (issue 22): the server's --watch through the built bin: a transition reaches a subscribed client
// as notifications/resources/updated (a 2026-07-28 client through subscriptions/listen, a 2025 client through
// resources/subscribe), and with --channel as notifications/claude/channel to a client that declares it.
import type { ClientOptions } from "@modelcontextprotocol/client";
import { afterEach, describe, expect, it } from "vitest";
import { type ClientSession, type RunningBin, spawnBuiltServer } from "../helpers/harness.js";
import { UNTIL_TEST_TIMEOUT } from "../helpers/wait.js";
import { control, EMULATOR_KEY, startEmulatorBin, webhookNamed } from "./watch-bin.js";

const HEALTH = "exa-webhooks://health";

let emulator: RunningBin | undefined;
let session: ClientSession | undefined;
afterEach(async () => {
  await session?.close();
  await emulator?.stop();
});

async function serverWithWatch(flags: string[], client: ClientOptions): Promise<ClientSession> {
  if (!emulator) throw new Error("start the emulator first");
  return spawnBuiltServer(
    ["--watch", "1s", ...flags],
    { EXA_BASE_URL: emulator.url, EXA_API_KEY: EMULATOR_KEY, EXA_WEBHOOKS_STORE: "memory" },
    client,
  );
}

/** Breaks the webhook's receiver and sends it two events: failing within a tick or two. */
async function breakWebhook(webhookId: string): Promise<void> {
  if (!emulator) throw new Error("start the emulator first");
  await control(emulator.url, "/_sandbox/receivers", { webhookId, behavior: "crashing" });
  for (let n = 0; n < 2; n++) await control(emulator.url, "/_sandbox/events", { type: "webset.created", webhookId });
}

describe("the server's --watch through the built bin", () => {
  it("sends resources/updated on a transition to a 2026-07-28 client listening for the URI", async () => {
    emulator = await startEmulatorBin();
    const id = await webhookNamed(emulator.url, "production-ingest");
    const uri = `exa-webhooks://webhooks/${id}/health`;
    session = await serverWithWatch([], { versionNegotiation: { mode: "auto" } });
    expect(session.client.getProtocolEra()).toBe("modern");
    expect(session.client.getServerCapabilities()?.resources?.subscribe).toBe(true);
    const updated: string[] = [];
    session.client.setNotificationHandler("notifications/resources/updated", (notification) => {
      updated.push(notification.params.uri);
    });
    const subscription = await session.client.listen({ resourceSubscriptions: [uri] });
    expect(subscription.honoredFilter.resourceSubscriptions).toEqual([uri]);
    // The first look is done once the fleet resource lists the webhook.
    await expect
      .poll(async () => textOf(await session?.readResource(HEALTH)), UNTIL_TEST_TIMEOUT)
      .toContain(`production-ingest (${id}) healthy since`);
    // The first look was a change too (from nothing): its update came before the read's answer.
    expect(updated).toEqual([uri]);
    updated.length = 0;

    await breakWebhook(id);
    await expect.poll(() => updated, UNTIL_TEST_TIMEOUT).toContain(uri);
    // Only the URI asked for: the fleet resource changed too, but this listen did not name it.
    expect(updated).not.toContain(HEALTH);
    const read = textOf(await session.readResource(uri));
    expect(read).toMatch(/^production-ingest \S+ is (failing|at risk of deactivation) since/);
    expect(read).toContain(`Next: diagnose_failures {"webhookId":"${id}"}`);
    await subscription.close();
  }, 60_000);

  it("sends resources/updated to a 2025 client only for what it subscribed to, and the channel message with --channel", async () => {
    emulator = await startEmulatorBin();
    const id = await webhookNamed(emulator.url, "production-ingest");
    session = await serverWithWatch(["--channel"], {
      supportedProtocolVersions: ["2025-11-25"],
      capabilities: { experimental: { "claude/channel": {} } },
    });
    expect(session.client.getServerCapabilities()?.experimental?.["claude/channel"]).toEqual({});
    const updated: string[] = [];
    const channel: { content: string; meta: Record<string, string> }[] = [];
    session.client.setNotificationHandler("notifications/resources/updated", (notification) => {
      updated.push(notification.params.uri);
    });
    session.client.fallbackNotificationHandler = async (notification) => {
      if (notification.method === "notifications/claude/channel") channel.push(notification.params as never);
    };
    await session.client.subscribeResource({ uri: HEALTH });
    await expect
      .poll(async () => textOf(await session?.readResource(HEALTH)), UNTIL_TEST_TIMEOUT)
      .toContain(`(${id}) healthy since`);
    updated.length = 0;

    await breakWebhook(id);
    await expect.poll(() => channel.length, UNTIL_TEST_TIMEOUT).toBeGreaterThan(0);
    expect(channel[0]?.meta).toMatchObject({ webhook_id: id, from: "healthy", to: "failing" });
    expect(channel[0]?.content).toContain(`Next: diagnose_failures {"webhookId":"${id}"}`);
    expect(updated).toContain(HEALTH);
    expect(updated, "a URI the client never subscribed to").not.toContain(`exa-webhooks://webhooks/${id}/health`);
  }, 60_000);
});

function textOf(read: Awaited<ReturnType<ClientSession["readResource"]>> | undefined): string {
  const first = read?.contents[0];
  return first && "text" in first ? first.text : "";
}
