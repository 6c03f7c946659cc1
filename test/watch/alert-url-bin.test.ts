// Alerts to --alert-url that cannot be delivered (issue 22): a URL that is down, one that never answers, one
// that redirects. Through the built bin: the alert is retried with backoff, the failure is reported with what
// to do, a redirect is never followed, and the watch goes on ticking. Without a secret the banner says so.
import { afterEach, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../../src/sandbox/emulator.js";
import { runBin } from "../helpers/harness.js";
import { type Receiver, startReceiver } from "../helpers/receiver.js";
import { UNTIL_TEST_TIMEOUT } from "../helpers/wait.js";
import { spawnWatch, ticksOf, type WatchProcess } from "./watch-bin.js";

let emulator: Emulator | undefined;
let watches: WatchProcess[] = [];
let receivers: Receiver[] = [];
afterEach(async () => {
  await Promise.all(watches.map((watch) => watch.stop()));
  await Promise.all(receivers.map((receiver) => receiver.close()));
  watches = [];
  receivers = [];
  await emulator?.close();
});

describe("alerts that cannot be delivered, through the built bin", () => {
  it("retries a down, a hanging and a redirecting alert URL, reports each failure, follows no redirect, keeps ticking", async () => {
    emulator = await startEmulator();
    const webhook = emulator.store.createWebhook({ url: "https://r.example.com/h", events: ["webset.created"] });
    emulator.store.addAttempt({ webhookId: webhook.id, eventType: "webset.created", successful: true });

    const closed = await startReceiver("unused");
    const downUrl = `${closed.url}/alerts`;
    await closed.close();
    const hanging = await startReceiver("unused", () => ({ kind: "hang" }));
    const target = await startReceiver("unused");
    const redirecting = await startReceiver("unused", () => ({
      kind: "answer",
      status: 307,
      headers: { location: `${target.url}/elsewhere` },
    }));
    receivers = [hanging, target, redirecting];
    const watchWith = (alertUrl: string) => {
      const watch = spawnWatch(["--interval", "1s", "--output", "json", "--store", "memory", "--alert-url", alertUrl], {
        EXA_BASE_URL: emulator?.baseUrl as string,
        EXA_RETRY_BASE_MS: "20",
        EXA_WEBHOOKS_ALERT_TIMEOUT_MS: "300",
      });
      watches.push(watch);
      return watch;
    };
    const down = watchWith(downUrl);
    const slow = watchWith(`${hanging.url}/alerts`);
    const redirect = watchWith(`${redirecting.url}/alerts`);
    for (const watch of watches)
      await expect.poll(() => ticksOf(watch.lines).length, UNTIL_TEST_TIMEOUT).toBeGreaterThanOrEqual(1);

    // Two failures in a row after the success: failing, one alert each.
    for (let n = 0; n < 2; n++)
      emulator.store.addAttempt({ webhookId: webhook.id, eventType: "webset.created", successful: false });
    const failure = (watch: WatchProcess) => () => watch.lines.find((line) => line.type === "alert_failed");
    await expect.poll(failure(down), UNTIL_TEST_TIMEOUT).toMatchObject({ attempts: 4, to: "failing" });
    expect(String(failure(down)()?.reason)).toMatch(/could not connect: .*check that the alert receiver is up/);
    await expect.poll(failure(slow), UNTIL_TEST_TIMEOUT).toMatchObject({ attempts: 4 });
    expect(String(failure(slow)()?.reason)).toContain("no answer within 300 ms");
    await expect.poll(failure(redirect), UNTIL_TEST_TIMEOUT).toMatchObject({ attempts: 1 });
    expect(String(failure(redirect)()?.reason)).toContain("answered 307 redirecting to http://127.0.0.1:");
    expect(String(failure(redirect)()?.reason)).toContain(
      "alerts never follow redirects: set --alert-url to the final URL",
    );
    expect(hanging.received.length + hanging.connections, "retried").toBeGreaterThanOrEqual(4);
    expect(target.received, "the redirect was not followed").toHaveLength(0);
    for (const watch of watches) {
      const ticks = ticksOf(watch.lines).length;
      await expect.poll(() => ticksOf(watch.lines).length, UNTIL_TEST_TIMEOUT).toBeGreaterThan(ticks);
      expect(watch.stderr()).toContain("UNSIGNED: set EXA_WEBHOOKS_ALERT_SECRET");
    }
  }, 60_000);

  it("refuses an alert URL that is plain http beyond loopback, before watching", () => {
    const run = runBin(["watch", "--sandbox", "--alert-url", "http://alerts.example.com/hook"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(
      "--alert-url http://alerts.example.com is plain http to a host that is not loopback: alerts would travel in clear. Use https://",
    );
  });
});
