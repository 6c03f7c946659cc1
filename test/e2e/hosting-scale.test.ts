// Scale out: two processes of the built bin behind a round-robin load balancer (no sticky sessions) serve one
// client a whole session, each request on whichever replica the balancer picks, a diagnosis with progress and
// log messages included. Both protocol generations; per-request keys and the bearer token on every request.

import type { ClientOptions } from "@modelcontextprotocol/client";
import { LOG_LEVEL_META_KEY } from "@modelcontextprotocol/client";
import { startEmulator } from "../../src/sandbox/emulator.js";
import type { createWebhookTool } from "../../src/tools/create-webhook.js";
import { describe, expect, test } from "../helpers/fixtures.js";
import { builtBin, type OutputOf, startBin } from "../helpers/harness.js";
import { AUTH_TOKEN, CALLER_KEY_A, connectHosted, RAW_SECRETS, startRoundRobin } from "./hosting-helpers.js";

/** The emulator (three webhooks with history), two replicas of the built bin on it, and a balancer before them. */
// biome-ignore lint/correctness/noEmptyPattern: vitest reads what a fixture depends on from this pattern: nothing.
const it = test.extend("balancer", { scope: "file" }, async ({}, { onCleanup }) => {
  const emulator = await startEmulator();
  const { store } = emulator;
  for (let index = 0; index < 3; index++) {
    const webhook = store.createWebhook({ url: `https://example.com/scale${index}`, events: ["webset.idle"] });
    store.addAttempts(
      Array.from({ length: 40 }, (_, attempt) => ({
        webhookId: webhook.id,
        eventType: "webset.idle",
        successful: attempt % 4 !== 0,
        responseStatusCode: attempt % 4 ? 200 : 503,
      })),
    );
  }
  const env = { EXA_BASE_URL: emulator.baseUrl, MCP_AUTH_TOKEN: AUTH_TOKEN };
  const replicas = await Promise.all(
    [0, 1].map(() => startBin(builtBin(["--http", "--host", "0.0.0.0", "--port", "0"], env))),
  );
  const balancer = await startRoundRobin(replicas.map((replica) => replica.url.replace("/mcp", "")));
  onCleanup(async () => {
    await balancer.close();
    await Promise.all(replicas.map((replica) => replica.stop()));
    for (const replica of replicas) for (const secret of RAW_SECRETS) expect(replica.stderr()).not.toContain(secret);
    await emulator.close();
  });
  return balancer;
});

describe("two replicas behind a round-robin balancer", () => {
  it.for<[string, ClientOptions]>([
    ["2026-07-28", { versionNegotiation: { mode: "auto" as const } }],
    ["2025-11-25", { supportedProtocolVersions: ["2025-11-25"] }],
  ])("serve a %s client a whole session", async ([era, options], { balancer }) => {
    const before = [...balancer.served];
    const session = await connectHosted(balancer.url, { token: AUTH_TOKEN, exaKey: CALLER_KEY_A, client: options });
    const { client } = session;
    try {
      expect(client.getNegotiatedProtocolVersion()).toBe(era);
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name)).toContain("diagnose_failures");

      const created = await session.call("create_webhook", {
        url: "https://example.com/scaled",
        events: ["webset.idle"],
      });
      expect(created.isError).toBe(false);
      const webhookId = (created.structured as OutputOf<typeof createWebhookTool>).webhook.id;
      // Written through one replica, read through the other: the state is Exa's, not the server's.
      expect((await session.call("get_webhook", { webhookId })).text).toContain(webhookId);

      if (era !== "2026-07-28") await client.setLoggingLevel("info");
      let logs = 0;
      client.setNotificationHandler("notifications/message", () => {
        logs++;
      });
      const progress: number[] = [];
      const diagnosis = await client.callTool(
        { name: "diagnose_failures", arguments: {}, _meta: { [LOG_LEVEL_META_KEY]: "info" } },
        { onprogress: (update) => progress.push(update.progress) },
      );
      expect(diagnosis.isError).not.toBe(true);
      expect(JSON.stringify(diagnosis.content)).toContain("webhooks");
      expect(progress.length).toBeGreaterThan(0);
      expect(progress).toEqual([...progress].sort((a, b) => a - b));
      expect(logs).toBeGreaterThan(0);

      expect((await session.call("delete_webhook", { webhookId })).isError).toBe(false);
      const gone = await session.call("get_webhook", { webhookId });
      expect(gone.isError).toBe(true);
      expect(gone.text).toContain(webhookId);
    } finally {
      await session.close();
    }
    const during = balancer.served.map((count, index) => count - (before[index] ?? 0));
    // Every replica took part of the session.
    for (const count of during) expect(count).toBeGreaterThanOrEqual(3);
  });
});
