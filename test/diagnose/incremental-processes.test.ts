// Two servers on one SQLite file: each keeps what it remembered decoded in its process between calls, and uses
// that copy only while the store still holds what it saved. After the other server wrote, the next diagnosis
// builds on the store (the other's attempts, not re-read from Exa), and equals a fresh scan. Through the built bin.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WebhookDiagnosis } from "../../src/diagnose/index.js";
import { type Emulator, startEmulator } from "../../src/sandbox/emulator.js";
import { type ClientSession, spawnBuiltServer, startHarness, TEST_API_KEY } from "../helpers/harness.js";

const MINUTE = 60_000;
const TYPE = "webset.created";
let emulator: Emulator;
const servers: ClientSession[] = [];
const file = join(mkdtempSync(join(tmpdir(), "exa-webhooks-kept-")), "state.db");

beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  for (const server of servers) await server.close();
  await emulator?.close();
});

const startServer = async () => {
  const server = await spawnBuiltServer(["--store", file], {
    EXA_API_KEY: TEST_API_KEY,
    EXA_BASE_URL: emulator.baseUrl,
  });
  servers.push(server);
  return server;
};

function addAttempts(webhookId: string, fromMs: number, count: number, failing: boolean): void {
  emulator.store.addAttempts(
    Array.from({ length: count }, (_, i) => ({
      webhookId,
      eventType: TYPE,
      attemptedAt: fromMs + i * MINUTE,
      successful: !failing,
      responseStatusCode: failing ? 500 : 200,
      ...(failing ? { responseBody: "upstream crashed" } : {}),
    })),
  );
}

async function diagnose(server: Pick<ClientSession, "call">, webhookId: string) {
  const answer = await server.call("diagnose_failures", { webhookId });
  expect(answer.isError, answer.text).toBe(false);
  const diagnosis = (answer.structured as { webhooks: WebhookDiagnosis[] }).webhooks[0] as WebhookDiagnosis;
  return { text: answer.text, diagnosis };
}

/** What a fresh scan must equal: the verdict, what was scanned, the failure groups and the events' outcomes. */
const outcome = (diagnosis: WebhookDiagnosis) => {
  const { memory: _memory, history: _history, ...rest } = diagnosis;
  return rest;
};

describe("a diagnosis after another server wrote the store", () => {
  it("builds on what the other server saved, not on its own stale copy, and equals a fresh scan", async () => {
    const start = Date.now() - 300 * MINUTE;
    const webhook = emulator.store.createWebhook({
      url: "https://hooks.acme.dev/exa",
      events: [TYPE],
      createdAt: start,
    });
    addAttempts(webhook.id, start, 120, false);
    const [first, second] = [await startServer(), await startServer()];

    const full = await diagnose(first, webhook.id);
    expect(full.text).toContain("Full scan (nothing remembered of this webhook yet); remembered");

    // The receiver breaks; the second server sees it first and saves the 30 failures to the file.
    addAttempts(webhook.id, start + 150 * MINUTE, 30, true);
    const other = await diagnose(second, webhook.id);
    expect(other.text).toMatch(/^Read \d+ new pages \(30 new attempts\); 120 attempts from the scan at /m);

    // The first server's copy lacks those 30: had it used the copy, it would read them again as new.
    addAttempts(webhook.id, start + 190 * MINUTE, 5, true);
    const next = await diagnose(first, webhook.id);
    expect(next.text).toMatch(/^Read \d+ new pages \(5 new attempts\); 150 attempts from the scan at /m);
    expect(next.diagnosis.verdict).toBe("failing");
    expect(next.diagnosis.attemptsScanned).toBe(155);

    const fresh = await startHarness({ emulator });
    try {
      expect(outcome(next.diagnosis)).toEqual(outcome((await diagnose(fresh, webhook.id)).diagnosis));
    } finally {
      await fresh.close();
    }
  });
});
