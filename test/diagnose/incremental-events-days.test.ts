// The never-attempted check's remembered events are stored per UTC day: a later diagnosis rewrites only the
// days whose events changed (today's), not every event. Read from the SQLite file the server wrote.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStoreAccess } from "../../src/store/access.js";
import type { Store } from "../../src/store/types.js";
import { type Harness, startHarness } from "../helpers/harness.js";

const DAY = 86_400_000;
const TYPE = "webset.created";
const file = join(mkdtempSync(join(tmpdir(), "exa-webhooks-event-days-")), "state.db");
const access = createStoreAccess({ engine: "sqlite", path: file });
let harness: Harness;
let store: Store;

beforeAll(async () => {
  harness = await startHarness({ dependencies: { store: access } });
  const opened = await access.open();
  if (!opened.ok) throw new Error(opened.unavailable.detail);
  store = opened.store;
});
afterAll(async () => {
  await harness?.close();
  await access.close();
});

/** Each stored day of events with when it was last written. */
async function eventDays(webhookId: string): Promise<Map<string, number>> {
  // The account id the server keyed its rows by: the store's keyed hash of the API key.
  const account = store.accountId(harness.config.apiKey as string);
  const key = { account, webhookId, eventType: "*", outcome: "events" };
  const index = await store.history.getCheckpoint(key);
  // Before events were stored by day, this key held one blob of every event and no list of days.
  const days = (index?.aggregate as { days?: string[] } | undefined)?.days;
  if (!Array.isArray(days)) throw new Error("the events are not stored by day");
  const written = new Map<string, number>();
  for (const day of days) {
    const segment = await store.history.getCheckpoint({ ...key, eventType: `*@${day}` });
    written.set(day, segment?.updatedAt.getTime() ?? Number.NaN);
  }
  return written;
}

describe("remembered events by day", () => {
  it("a second diagnosis rewrites only the day its new events fall on", async () => {
    const now = Date.now();
    const webhook = harness.emulator.store.createWebhook({
      url: "https://hooks.acme.dev/exa",
      events: [TYPE],
      createdAt: now - 6 * DAY,
    });
    harness.emulator.store.addAttempts(
      Array.from({ length: 50 }, (_, i) => ({
        webhookId: webhook.id,
        eventType: TYPE,
        attemptedAt: now - 5 * DAY + i * 2 * 3_600_000,
        successful: true,
        responseStatusCode: 200,
      })),
    );
    await harness.call("diagnose_failures", { webhookId: webhook.id });
    const before = await eventDays(webhook.id);
    expect(before.size).toBeGreaterThanOrEqual(5);

    harness.emulator.store.addAttempts([
      { webhookId: webhook.id, eventType: TYPE, attemptedAt: now - 60_000, successful: true, responseStatusCode: 200 },
    ]);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = await harness.call("diagnose_failures", { webhookId: webhook.id });
    expect(second.text).toMatch(/^Read \d+ new pages? \(1 new attempts?\)/m);
    const after = await eventDays(webhook.id);
    const today = new Date(now - 60_000).toISOString().slice(0, 10);
    const rewritten = [...after].filter(([day, at]) => before.get(day) !== at).map(([day]) => day);
    expect(rewritten).toEqual([today]);
    expect([...after.keys()]).toEqual([...before.keys()]);
  });
});
