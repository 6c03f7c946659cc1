// Real signed deliveries from the sandbox to receivers on loopback: signatures checked by the receiver's
// own HMAC code, retries after failures, transport errors, redirects, status and shutdown handling.
import { SandboxInputError } from "../../src/sandbox/handle.js";
import { type LaunchedSandbox, launchSandbox } from "../../src/sandbox/launch.js";
import { closedPortUrl, startSandboxReceiver } from "../../src/sandbox/receivers/receiver.js";
import { describe, expect, sandboxTest } from "../helpers/fixtures.js";
import { answering, startReceiver } from "../helpers/receiver.js";

const FAST_RETRIES = [20, 20, 20, 20];

// The runtime's own timeout (10 s): these receivers answer, and a short limit would race their answers on
// a loaded machine. The timeout test has a sandbox of its own with a short one.
const it = sandboxTest({ seed: "empty", retryDelaysMs: FAST_RETRIES })
  /** Closes what a test hands it (its receivers, a sandbox of its own) after the test, once deliveries are idle. */
  .extend("track", async ({ sandbox }, { onCleanup }) => {
    const closables: { close(): Promise<void> }[] = [];
    onCleanup(async () => {
      await sandbox.engine.idle();
      for (const closable of closables.splice(0)) await closable.close();
    });
    return <T extends { close(): Promise<void> }>(closable: T): T => {
      closables.push(closable);
      return closable;
    };
  });

function subscribe(sandbox: LaunchedSandbox, url: string, events = ["webset.item.created"]) {
  return sandbox.emulator.store.createWebhook({ url, events });
}

describe("signed deliveries", () => {
  it("POSTs the Event JSON with a valid Exa-Signature and retries after 500s", async ({ sandbox, track }) => {
    const receiver = track(
      await startReceiver(
        "",
        answering((n) => (n <= 2 ? 500 : 200)),
      ),
    );
    const webhook = subscribe(sandbox, receiver.url);
    receiver.secret = webhook.secret as string;

    const { eventId, deliveredTo } = await sandbox.handle.emitEvent({ type: "webset.item.created" });
    expect(deliveredTo).toEqual([{ webhookId: webhook.id, url: receiver.url }]);
    await sandbox.engine.idle();

    expect(receiver.received).toHaveLength(3);
    for (const delivery of receiver.received) {
      expect(delivery.signatureValid).toBe(true);
      expect(delivery.headers["content-type"]).toBe("application/json");
      expect(delivery.headers["exa-signature"]).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
      const event = JSON.parse(delivery.body);
      expect(event).toMatchObject({ id: eventId, object: "event", type: "webset.item.created" });
      expect(event.data).toMatchObject({ object: "webset_item", websetId: expect.stringMatching(/^webset_/) });
    }

    const attempts = sandbox.emulator.store.listAttempts(webhook.id).reverse();
    expect(attempts.map((a) => [a.attempt, a.responseStatusCode, a.successful])).toEqual([
      [1, 500, false],
      [2, 500, false],
      [3, 200, true],
    ]);
    expect(attempts[0]).toMatchObject({
      eventId,
      eventType: "webset.item.created",
      url: receiver.url,
      responseBody: "handler failed with 500",
    });
    expect(attempts[0]?.responseHeaders).toMatchObject({ "x-receiver": "test" });
  });

  it("gives up after the last scheduled attempt", async ({ sandbox, track }) => {
    const receiver = track(
      await startReceiver(
        "",
        answering(() => 503),
      ),
    );
    const webhook = subscribe(sandbox, receiver.url);
    await sandbox.handle.emitEvent({ type: "webset.item.created", webhookId: webhook.id });
    await sandbox.engine.idle();
    expect(receiver.received).toHaveLength(FAST_RETRIES.length + 1);
    expect(sandbox.emulator.store.listAttempts(webhook.id).map((a) => a.attempt)).toEqual([5, 4, 3, 2, 1]);
  });

  it("records a refused connection and a timeout as status 0 with the error text", async ({ track }) => {
    // 300 ms against the slow receiver's 12 s, timed in this process after the request arrived: the sender's
    // timer always fires first, however loaded the machine.
    const timed = await launchSandbox({ seed: "empty", retryDelaysMs: FAST_RETRIES, deliveryTimeoutMs: 300 });
    track(timed);
    const refused = timed.emulator.store.createWebhook({ url: await closedPortUrl(), events: ["webset.item.created"] });
    const slowUrl = track(await startSandboxReceiver({ behavior: "slow" })).url;
    const slow = timed.emulator.store.createWebhook({ url: slowUrl, events: ["webset.item.created"] });
    await timed.handle.emitEvent({ type: "webset.item.created", webhookId: refused.id });
    await timed.handle.emitEvent({ type: "webset.item.created", webhookId: slow.id });
    await timed.engine.idle();
    const [refusedAttempt] = timed.emulator.store.listAttempts(refused.id);
    expect(refusedAttempt).toMatchObject({ responseStatusCode: 0, successful: false });
    expect(refusedAttempt?.responseBody).toMatch(/^connect ECONNREFUSED 127\.0\.0\.1:\d+$/);
    const [slowAttempt] = timed.emulator.store.listAttempts(slow.id);
    expect(slowAttempt).toMatchObject({ responseStatusCode: 0, responseBody: "timeout of 300 ms exceeded" });
  });

  it("does not follow redirects", async ({ sandbox, track }) => {
    const webhook = subscribe(sandbox, track(await startSandboxReceiver({ behavior: "redirect" })).url);
    await sandbox.handle.emitEvent({ type: "webset.item.created", webhookId: webhook.id });
    await sandbox.engine.idle();
    const [attempt] = sandbox.emulator.store.listAttempts(webhook.id);
    expect(attempt?.responseStatusCode).toBe(301);
    expect(attempt?.responseHeaders?.location).toMatch(/^https:\/\//);
  });

  it("delivers only to active subscribers, and to a named webhook even when not subscribed", async ({
    sandbox,
    track,
  }) => {
    const receiver = track(
      await startReceiver(
        "",
        answering(() => 200),
      ),
    );
    const subscribed = subscribe(sandbox, receiver.url, ["import.created"]);
    const other = subscribe(sandbox, receiver.url, ["monitor.created"]);
    const inactive = subscribe(sandbox, receiver.url, ["import.created"]);
    sandbox.emulator.store.setWebhookStatus(inactive.id, "inactive");

    const toAll = await sandbox.handle.emitEvent({ type: "import.created" });
    expect(toAll.deliveredTo.map((target) => target.webhookId)).toEqual([subscribed.id]);
    const named = await sandbox.handle.emitEvent({ type: "import.created", webhookId: other.id, data: { id: "x" } });
    expect(named.deliveredTo.map((target) => target.webhookId)).toEqual([other.id]);
    await sandbox.engine.idle();
    expect(JSON.parse(receiver.received.at(-1)?.body ?? "{}").data).toEqual({ id: "x" });
    expect(sandbox.emulator.store.listAttempts(inactive.id)).toEqual([]);

    await expect(sandbox.handle.emitEvent({ type: "import.created", webhookId: inactive.id })).rejects.toThrow(
      /inactive/,
    );
    await expect(sandbox.handle.emitEvent({ type: "import.created", webhookId: "webhook_nope" })).rejects.toThrow(
      /No webhook webhook_nope.*list_webhooks/,
    );
    await expect(sandbox.handle.emitEvent({ type: "webset.completed" })).rejects.toBeInstanceOf(SandboxInputError);
  });
});

describe("shutdown", () => {
  it("close() cancels scheduled retries", async ({ track }) => {
    const own = await launchSandbox({ seed: "empty", retryDelaysMs: [60_000] });
    const receiver = track(
      await startReceiver(
        "",
        answering(() => 500),
      ),
    );
    const webhook = own.emulator.store.createWebhook({ url: receiver.url, events: ["webset.created"] });
    await own.handle.emitEvent({ type: "webset.created" });
    // However long a loaded machine takes to deliver it (vitest's default would give up after 1 s).
    await expect.poll(() => own.emulator.store.listAttempts(webhook.id).length, { timeout: 20_000 }).toBe(1);
    await own.close();
    // With the 60 s retry still scheduled, idle() would not resolve within the test timeout.
    await own.engine.idle();
    expect(receiver.received).toHaveLength(1);
  });
});
