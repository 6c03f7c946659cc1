// MCP logging: the capability is declared, logging/setLevel works, and retries reach the client as messages.
import { describe, expect, it } from "../helpers/fixtures.js";
import { TEST_API_KEY } from "../helpers/harness.js";

describe("logging", () => {
  it("declares the capability and reports a retry with its backoff, never the key", async ({ harness }) => {
    expect(harness.client.getServerCapabilities()?.logging).toBeDefined();
    await harness.client.setLoggingLevel("debug");
    const messages: { level: string; data: unknown }[] = [];
    harness.client.setNotificationHandler("notifications/message", (notification) => {
      messages.push(notification.params);
    });
    harness.emulator.faults.add({ status: 503 });
    const answer = await harness.call("list_webhooks");
    expect(answer.isError).toBe(false);
    const retry = messages.find((message) => String(message.data).includes("Retrying GET /webhooks"));
    expect(retry?.level).toBe("warning");
    expect(String(retry?.data)).toMatch(/in \d+ ms \(retry 1\): HTTP 503/);
    expect(JSON.stringify(messages)).not.toContain(TEST_API_KEY);
  });

  it("reports diagnosis progress per webhook", async ({ harness }) => {
    await harness.client.setLoggingLevel("info");
    const messages: string[] = [];
    harness.client.setNotificationHandler("notifications/message", (notification) => {
      messages.push(String(notification.params.data));
    });
    const webhook = harness.emulator.store.createWebhook({ url: "https://example.com/h", events: ["webset.idle"] });
    const answer = await harness.call("diagnose_failures", {});
    expect(answer.isError).toBe(false);
    // Log notifications are not ordered with the call's answer: give the last one a moment.
    const arrived = { timeout: 5_000, interval: 10 };
    await expect.poll(() => messages, arrived).toContain("scanning the delivery attempts of 1 webhook");
    await expect
      .poll(() => messages, arrived)
      .toContain(`diagnosed ${webhook.id} (1/1): no_traffic, 0 attempts scanned`);
  });

  it("honours the level: warnings are not sent when the client asked for errors only", async ({ harness }) => {
    await harness.client.setLoggingLevel("error");
    const messages: unknown[] = [];
    harness.client.setNotificationHandler("notifications/message", (notification) => {
      messages.push(notification.params);
    });
    harness.emulator.faults.add({ status: 503 });
    await harness.call("list_webhooks");
    expect(messages).toEqual([]);
  });
});
