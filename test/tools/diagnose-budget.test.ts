// The time budget of one diagnose_failures call is shared fairly across the account's webhooks.
// The work is made endless instead of slow: a proxy in front of the emulator answers each webhook's newest
// pages (the heads) at once and holds every further page until the client gives up. So every webhook's
// scan can only end at its deadline, whatever the machine's speed; the budget only has to outlast three
// quick head reads, with a wide margin, and it can never be enough to finish a scan.
import type { diagnoseFailuresTool } from "../../src/tools/diagnose-failures.js";
import { startLossyProxy } from "../exa/peer.js";
import { describe, expect, test } from "../helpers/fixtures.js";
import { type OutputOf, startHarness } from "../helpers/harness.js";
import { seedHistory } from "../helpers/seed.js";

const TYPES = ["webset.item.created", "webset.idle"];
/** About 1.5 s per webhook: hundreds of times what reading two small head pages takes, even under load. */
const BUDGET_MS = 4_500;
const it = test
  /** A page past the heads (one of the typed partitions, or a cursor page) is held until the client gives up. */
  .extend("proxy", async ({ emulator }, { onCleanup }) => {
    const proxy = await startLossyProxy(emulator.baseUrl, (request) =>
      request.path.endsWith("/attempts") && (request.query.has("eventType") || request.query.has("cursor"))
        ? "hang"
        : undefined,
    );
    onCleanup(() => proxy.close());
    return proxy;
  })
  .extend("proxiedHarness", async ({ emulator, proxy }, { onCleanup }) => {
    const harness = await startHarness({
      emulator,
      env: {
        EXA_BASE_URL: proxy.baseUrl,
        EXA_DIAGNOSE_BUDGET_MS: String(BUDGET_MS),
        // A held page must end by the budget, not by the per-request timeout (that would be a failed page).
        EXA_TIMEOUT_MS: "600000",
      },
    });
    onCleanup(() => harness.close());
    return harness;
  });

describe("time budget across webhooks", () => {
  it("scans part of every webhook instead of starving the last ones", async ({
    emulator,
    proxy,
    proxiedHarness: harness,
  }) => {
    for (let i = 0; i < 3; i++) {
      const webhookId = emulator.store.createWebhook({ url: `https://h${i}.example.com/exa`, events: TYPES }).id;
      seedHistory(emulator.store, {
        webhookId,
        events: 1_000,
        types: TYPES,
        failureRate: 0.5,
        failure: { status: 500, body: "boom" },
        startMs: Date.now() - 30 * 86_400_000,
        stepMs: 60_000,
        seed: i + 1,
      });
    }
    const answer = await harness.call("diagnose_failures", {});
    expect(answer.isError).toBe(false);
    const report = answer.structured as OutputOf<typeof diagnoseFailuresTool>;
    expect(report.webhooks).toHaveLength(3);
    // Without the fair share the first webhook would wait out the whole budget and the others scan nothing.
    for (const webhook of report.webhooks) {
      expect(webhook.attemptsScanned).toBeGreaterThan(0);
      expect(webhook.complete).toBe(false);
      expect(webhook.incompleteReason).toMatch(/time budget/);
    }
    // The held pages were asked for, so each scan really ended at its deadline with work left.
    expect(proxy.requests.filter((request) => request.query.has("eventType")).length).toBeGreaterThan(0);
  });
});
