// The time budget of one diagnose_failures call is shared fairly across the account's webhooks.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../../src/sandbox/emulator.js";
import { type Harness, startHarness } from "../helpers/harness.js";
import { seedHistory } from "../helpers/seed.js";

const TYPES = ["webset.item.created", "webset.idle"];
let emulator: Emulator;
let harness: Harness;

beforeEach(async () => {
  emulator = await startEmulator();
  harness = await startHarness({ emulator, env: { EXA_DIAGNOSE_BUDGET_MS: "1500" } });
});
afterEach(async () => {
  await harness.close();
  await emulator.close();
});

describe("time budget across webhooks", () => {
  it("scans part of every webhook instead of starving the last ones", async () => {
    for (let i = 0; i < 3; i++) {
      const webhookId = emulator.store.createWebhook({ url: `https://h${i}.example.com/exa`, events: TYPES }).id;
      seedHistory(emulator.store, {
        webhookId,
        events: 20_000,
        types: TYPES,
        failureRate: 0.5,
        failure: { status: 500, body: "boom" },
        startMs: Date.now() - 30 * 86_400_000,
        stepMs: 60_000,
        seed: i + 1,
      });
    }
    // 20 ms a page: 20 000 attempts per webhook cannot fit in 1.5 s for all three.
    emulator.faults.latencyMs = 20;
    const answer = await harness.call("diagnose_failures", {});
    expect(answer.isError).toBe(false);
    const report = answer.structured as {
      webhooks: { attemptsScanned: number; complete: boolean; incompleteReason?: string }[];
    };
    expect(report.webhooks).toHaveLength(3);
    for (const webhook of report.webhooks) {
      expect(webhook.attemptsScanned).toBeGreaterThan(0);
      expect(webhook.complete).toBe(false);
      expect(webhook.incompleteReason).toMatch(/time budget/);
    }
  });
});
