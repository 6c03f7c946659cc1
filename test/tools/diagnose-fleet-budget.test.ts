// A budget spent on what fits (issue 18 §3): 1,000 small webhooks behind a 40 ms upstream with a 15 s budget.
// An equal share of 15 s is 15 ms, less than one round trip, so the old schedule finished none of them; one
// after another, each with at least a round trip's worth, about 180 fit. Through the built bin over stdio.
import type { DiagnosisReport } from "../../src/diagnose/index.js";
import { startEmulator } from "../../src/sandbox/emulator.js";
import { describe, expect, test } from "../helpers/fixtures.js";
import { spawnBuiltServer, TEST_API_KEY } from "../helpers/harness.js";

const WEBHOOKS = 1_000;
const TYPES = ["webset.idle"];
const it = test
  /** 1,000 webhooks behind a 40 ms emulator, and the ids of the inactive ones. */
  // biome-ignore lint/correctness/noEmptyPattern: vitest reads what a fixture depends on from this pattern: nothing.
  .extend("fleet", { scope: "file" }, async ({}, { onCleanup }) => {
    const emulator = await startEmulator();
    onCleanup(() => emulator.close());
    const inactive: string[] = [];
    const start = Date.now() - 3 * 86_400_000;
    for (let i = 0; i < WEBHOOKS; i++) {
      const webhook = emulator.store.createWebhook({ url: `https://h${i}.example.com/exa`, events: TYPES });
      // Every 50th is inactive, spread through the list: the worst known before any scan.
      if (i % 50 === 49) inactive.push(emulator.store.setWebhookStatus(webhook.id, "inactive").id);
      emulator.store.addAttempts(
        [0, 1].map((attempt) => ({
          webhookId: webhook.id,
          eventType: "webset.idle",
          eventId: `event_${i}`,
          successful: attempt === 1,
          responseStatusCode: attempt === 1 ? 200 : 503,
          attemptedAt: new Date(start + i * 60_000 + attempt * 1_000).toISOString(),
        })),
      );
    }
    emulator.faults.latencyMs = 40;
    return { emulator, inactive };
  })
  .extend("client", { scope: "file" }, async ({ fleet }, { onCleanup }) => {
    const client = await spawnBuiltServer([], {
      EXA_API_KEY: TEST_API_KEY,
      EXA_BASE_URL: fleet.emulator.baseUrl,
      EXA_DIAGNOSE_BUDGET_MS: "15000",
    });
    onCleanup(() => client.close());
    return client;
  });

describe("the fleet budget", () => {
  it("diagnoses at least 150 of 1,000 webhooks in full, inactive ones first, and names the rest", async ({
    client,
    fleet: { inactive },
  }) => {
    const answer = await client.call("diagnose_failures", {});
    expect(answer.isError).toBe(false);
    const report = answer.structured as DiagnosisReport;
    const complete = report.webhooks.filter((webhook) => webhook.complete);
    expect(complete.length).toBeGreaterThanOrEqual(150);
    // Every webhook is either diagnosed or named as not reached, once.
    const reached = report.webhooks.map((webhook) => webhook.webhookId);
    expect(new Set([...reached, ...(report.notReached ?? [])]).size).toBe(WEBHOOKS);
    expect(reached.length + (report.notReached?.length ?? 0)).toBe(WEBHOOKS);
    // The inactive webhooks, spread through the list, were scanned before the others.
    for (const id of inactive) expect(reached).toContain(id);
    expect(answer.text).toContain(`Not reached: the time budget ran out before ${report.notReached?.length} webhooks`);
    expect(answer.text).toContain("raise EXA_DIAGNOSE_BUDGET_MS");
  }, 60_000);
});
