// Done when (issue 22): through the built bin against the emulator, a webhook turning failing, then at_risk,
// then recovered, each seen as it happens, and each alert arriving signed at a local URL.
import { afterEach, describe, expect, it } from "vitest";
import type { RunningBin } from "../helpers/harness.js";
import { type Receiver, startReceiver, verifyExaSignature } from "../helpers/receiver.js";
import { UNTIL_TEST_TIMEOUT } from "../helpers/wait.js";
import { control, spawnWatch, startEmulatorBin, transitionsOf, type WatchProcess, webhookNamed } from "./watch-bin.js";

const ALERT_SECRET = "alert-secret-for-tests-91c2";

let emulator: RunningBin | undefined;
let watch: WatchProcess | undefined;
let alerts: Receiver | undefined;
afterEach(async () => {
  await watch?.stop();
  await alerts?.close();
  await emulator?.stop();
});

describe("watch through the built bin", () => {
  it("sees a webhook turn failing, then at_risk, then recovered, and alerts each once, signed", async () => {
    emulator = await startEmulatorBin();
    alerts = await startReceiver(ALERT_SECRET);
    const id = await webhookNamed(emulator.url, "production-ingest");
    watch = spawnWatch(
      ["--interval", "1s", "--at-risk-after", "8", "--alert-url", `${alerts.url}/alerts`, "--store", "memory"],
      { EXA_BASE_URL: emulator.url, EXA_WEBHOOKS_ALERT_SECRET: ALERT_SECRET },
    );
    const seen = () => transitionsOf(watch?.lines ?? [], id).map((line) => `${line.from}→${line.to}:${line.decision}`);
    await expect.poll(seen, UNTIL_TEST_TIMEOUT).toEqual(["none→healthy:baseline"]);

    await control(emulator.url, "/_sandbox/receivers", { webhookId: id, behavior: "crashing" });
    // Two events: two failures at once, then the emulator's retries (1, 2, 4, 8 s) make the run longer.
    for (let n = 0; n < 2; n++)
      await control(emulator.url, "/_sandbox/events", { type: "webset.created", webhookId: id });
    await expect.poll(seen, UNTIL_TEST_TIMEOUT).toContain("healthy→failing:alert");
    await expect.poll(seen, UNTIL_TEST_TIMEOUT).toContain("failing→at_risk:alert");

    await control(emulator.url, "/_sandbox/receivers", { webhookId: id, behavior: "healthy" });
    await control(emulator.url, "/_sandbox/events", { type: "webset.created", webhookId: id });
    await expect.poll(seen, UNTIL_TEST_TIMEOUT).toContain("at_risk→recovered:alert");
    expect(seen().slice(0, 4)).toEqual([
      "none→healthy:baseline",
      "healthy→failing:alert",
      "failing→at_risk:alert",
      "at_risk→recovered:alert",
    ]);

    const atRisk = transitionsOf(watch.lines, id).find((line) => line.to === "at_risk");
    const evidence = atRisk?.evidence as { consecutiveFailures: number; lastSuccessAt: string | null };
    expect(evidence.consecutiveFailures).toBeGreaterThanOrEqual(8);
    expect(evidence.lastSuccessAt).not.toBeNull();
    expect(String(atRisk?.cause)).toContain("rule unpublished by Exa");

    // The alerts at the local URL: one per transition, signed, Slack-compatible text plus the fields.
    await expect.poll(() => alerts?.received.length, UNTIL_TEST_TIMEOUT).toBe(3);
    const bodies = alerts.received.map((request) => {
      const header = String(request.headers["exa-webhooks-signature"]);
      expect(verifyExaSignature(header, request.raw, ALERT_SECRET), "signed with the alert secret").toBe(true);
      return JSON.parse(request.raw.toString()) as Record<string, unknown>;
    });
    expect(bodies.map((body) => `${body.from}→${body.to}`)).toEqual([
      "healthy→failing",
      "failing→at_risk",
      "at_risk→recovered",
    ]);
    expect(String(bodies[1]?.text)).toMatch(/production-ingest .* is at risk of deactivation/);
    expect(String(bodies[1]?.text)).toContain("Exa does not publish when it deactivates a webhook");
    expect(bodies[2]?.next).toEqual({ tool: "redeliver_events", arguments: { webhookId: id, undelivered: true } });
    expect(watch.stderr()).toContain("signed (Exa-Webhooks-Signature)");
    expect(watch.stdout() + watch.stderr()).not.toContain(ALERT_SECRET);
  }, 60_000);
});
