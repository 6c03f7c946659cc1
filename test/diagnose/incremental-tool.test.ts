// diagnose_failures through a real MCP client with a store: the second call reads only newer attempts and
// says so, the history answers "since when is it failing?" and "how often this month?", and a store that
// cannot open leaves a plain scan whose text says why nothing is kept.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { WebhookDiagnosis } from "../../src/diagnose/index.js";
import { createStoreAccess } from "../../src/store/access.js";
import { type Harness, startHarness } from "../helpers/harness.js";

const MINUTE = 60_000;
let harness: Harness | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

function diagnosisOf(structured: Record<string, unknown> | undefined): WebhookDiagnosis {
  return (structured as { webhooks: WebhookDiagnosis[] }).webhooks[0] as WebhookDiagnosis;
}

describe("diagnose_failures with a store", () => {
  it("reads only newer attempts the second time, and says since when the webhook is failing", async () => {
    harness = await startHarness();
    const { store } = harness.emulator;
    const start = Date.now() - 200 * MINUTE;
    const webhook = store.createWebhook({
      url: "https://hooks.acme.dev/exa",
      events: ["webset.created"],
      createdAt: start,
    });
    store.addAttempts(
      Array.from({ length: 120 }, (_, i) => ({
        webhookId: webhook.id,
        eventType: "webset.created",
        attemptedAt: start + i * MINUTE,
        successful: true,
        responseStatusCode: 200,
      })),
    );
    const first = await harness.call("diagnose_failures", { webhookId: webhook.id });
    expect(diagnosisOf(first.structured).verdict).toBe("healthy");
    expect(first.text).toContain(
      "Full scan (nothing remembered of this webhook yet); remembered, so the next diagnosis reads only newer attempts.",
    );
    expect(diagnosisOf(first.structured).history?.transitions).toMatchObject([{ from: "none", to: "healthy" }]);

    // The receiver breaks: every delivery since fails with a 500.
    store.addAttempts(
      Array.from({ length: 30 }, (_, i) => ({
        webhookId: webhook.id,
        eventType: "webset.created",
        attemptedAt: start + (150 + i) * MINUTE,
        successful: false,
        responseStatusCode: 500,
        responseBody: "upstream crashed",
      })),
    );
    const second = await harness.call("diagnose_failures", { webhookId: webhook.id });
    const diagnosis = diagnosisOf(second.structured);
    expect(diagnosis.verdict).toBe("failing");
    expect(diagnosis.attemptsScanned).toBe(150);
    expect(second.text).toMatch(
      /^Read 2 new pages \(30 new attempts\); 120 attempts from the scan at \d{4}-\d\d-\d\d \d\d:\d\d UTC\.$/m,
    );
    const history = diagnosis.history;
    expect(history?.transitions).toMatchObject([
      { from: "none", to: "healthy" },
      { from: "healthy", to: "failing", cause: expect.stringContaining("30 failures in a row") },
    ]);
    expect(history?.since).toBe(history?.transitions[1]?.at);
    expect(history?.last30Days).toEqual({ timesFailing: 1, delivered: 120, failed: 30 });
    expect(second.text).toMatch(
      /^History since \d{4}-\d\d-\d\d; failing since .* UTC; last 30 days: failing 1 time, 30 failed of 150 attempts\.$/m,
    );

    // Nothing new: the verdict holds, no change is recorded.
    const third = await harness.call("diagnose_failures", { webhookId: webhook.id });
    expect(diagnosisOf(third.structured).history?.transitions).toHaveLength(2);
    expect(third.text).toContain("Read 2 new pages (0 new attempts); 150 attempts from the scan at");
  });

  it("scans in full when the store cannot open, and says why history is not kept", async () => {
    // Not a database: the store refuses it (and keeps it as is).
    const path = join(mkdtempSync(join(tmpdir(), "exa-watchscan-")), "state.db");
    writeFileSync(path, "this is not a SQLite database, it only has the name of one\n".repeat(100));
    harness = await startHarness({ dependencies: { store: createStoreAccess({ engine: "sqlite", path }) } });
    const { store } = harness.emulator;
    const webhook = store.createWebhook({ url: "https://hooks.acme.dev/exa", events: ["webset.created"] });
    store.addAttempt({ webhookId: webhook.id, eventType: "webset.created", successful: true, responseStatusCode: 200 });
    const answer = await harness.call("diagnose_failures", { webhookId: webhook.id });
    expect(answer.isError).toBe(false);
    expect(diagnosisOf(answer.structured).history).toBeUndefined();
    expect(answer.text).toContain(`History is not kept because the state file ${path} is not a readable database (`);
    expect(answer.text).toContain(`Move ${path} aside (keep it if you want to inspect it) to start a fresh store.`);
  });
});
