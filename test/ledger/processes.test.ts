// The ledger across processes, through the built bin: two servers on one store redelivering the same events at
// once POST each exactly once (counted at the receiver); a server SIGKILLed mid-redelivery leaves "outcome
// unknown", which the next run reports and does not resend without force; over --http with per-request keys,
// one caller's rows are invisible to another.
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import type { RedeliveryOutput } from "../../src/redeliver/schema.js";
import { connectClient, startBin, type ToolAnswer } from "../helpers/harness.js";
import { cleanupEngines, freshPostgresUrl, NO_POSTGRES_MESSAGE, TEST_POSTGRES, tempDir } from "../store/engines.js";
import { binCommand, binOn, type LedgerWorld, startWorld, WEBHOOK_ID } from "./setup.js";

afterAll(cleanupEngines);
let world: LedgerWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const output = (answer: ToolAnswer) => answer.structured as unknown as RedeliveryOutput;

async function twoAtOnce(store: string) {
  const events = 40;
  // The receiver takes a moment per POST, so the two runs overlap all along.
  world = await startWorld(events, (request) => ({
    kind: "answer",
    status: request.signatureValid ? 200 : 401,
    delayMs: 5,
  }));
  const current = world;
  const [one, two] = await Promise.all([binOn(current, store), binOn(current, store)]);
  try {
    // Opposite orders: the two collide on every event instead of one trailing the other.
    const ids = current.eventIds;
    const [a, b] = await Promise.all([
      one.call("redeliver_events", { webhookId: WEBHOOK_ID, eventIds: ids, dryRun: false }),
      two.call("redeliver_events", { webhookId: WEBHOOK_ID, eventIds: [...ids].reverse(), dryRun: false }),
    ]);
    expect(a.isError, a.text).toBe(false);
    expect(b.isError, b.text).toBe(false);
    const posts = current.postsPerEvent();
    expect([...posts.keys()].sort()).toEqual([...ids].sort());
    expect([...posts.values()].every((count) => count === 1)).toBe(true);
    expect(output(a).delivered + output(b).delivered).toBe(events);
    // What one did not send, it says the other did (or holds): nothing is silently dropped.
    for (const run of [output(a), output(b)]) {
      expect(run.delivered + run.alreadyDelivered.length + run.outcomeUnknown.length).toBe(events);
    }
  } finally {
    await Promise.all([one.close(), two.close()]);
  }
}

describe("two servers on one store redeliver the same events at once", () => {
  it("sharing one SQLite file: each event is POSTed exactly once", async () => {
    await twoAtOnce(join(tempDir(), "state.db"));
  });

  it("sharing one PostgreSQL database: each event is POSTed exactly once", async () => {
    if (!TEST_POSTGRES) throw new Error(NO_POSTGRES_MESSAGE);
    await twoAtOnce(await freshPostgresUrl(TEST_POSTGRES));
  });
});

describe("a server SIGKILLed mid-redelivery", () => {
  it("leaves outcome unknown: the next run reports it and sends nothing without force", async () => {
    // The receiver reads each body and never answers: the server is killed while its POST is in flight.
    world = await startWorld(1, () => ({ kind: "hang" }));
    const current = world;
    const store = join(tempDir(), "state.db");
    const running = await startBin(binCommand(current, ["--http", "--port", "0", "--store", store]));
    const first = await connectClient({ transport: { kind: "http", url: running.url } });
    const call = first.call("redeliver_events", { webhookId: WEBHOOK_ID, undelivered: true, dryRun: false });
    call.catch(() => {});
    await expect.poll(() => current.receiver.received.length, { timeout: 20_000 }).toBe(1);
    const exited = new Promise((resolve) => running.child.once("exit", resolve));
    running.child.kill("SIGKILL");
    await exited;
    await first.client.close().catch(() => {});

    const next = await binOn(current, store);
    try {
      const again = await next.call("redeliver_events", { webhookId: WEBHOOK_ID, undelivered: true, dryRun: false });
      expect(again.isError, again.text).toBe(false);
      expect(output(again).outcomeUnknown).toMatchObject([{ eventId: current.eventIds[0] }]);
      expect(again.text).toMatch(/claimed at \S+ · no outcome recorded/);
      expect(output(again).results).toEqual([]);
      expect(again.text).toContain("1 event with outcome unknown: an earlier run claimed it and never recorded");
      expect(again.text).toContain("force:true sends them anyway");
      expect(current.receiver.received).toHaveLength(1);

      const diagnosis = await next.call("diagnose_failures", { webhookId: WEBHOOK_ID });
      expect(diagnosis.text).toContain("1 with an unknown outcome");
    } finally {
      await next.close();
    }
  });
});

describe("over --http with per-request keys", () => {
  it("each caller's redeliveries are its own: another key neither sees nor blocks them", async () => {
    world = await startWorld(3);
    const current = world;
    const store = join(tempDir(), "state.db");
    // No EXA_API_KEY: every request brings its own.
    const hosted = await startBin(
      binCommand(current, ["--http", "--port", "0", "--store", store], { EXA_API_KEY: "" }),
    );
    const caller = (key: string) =>
      connectClient({ transport: { kind: "http", url: hosted.url, headers: { "x-exa-api-key": key } } });
    const [alice, bob] = await Promise.all([caller("exa-key-alice-1f2e3d"), caller("exa-key-bob-9a8b7c")]);
    try {
      const sent = await alice.call("redeliver_events", { webhookId: WEBHOOK_ID, undelivered: true, dryRun: false });
      expect(output(sent).delivered).toBe(3);
      const alicePlan = await alice.call("redeliver_events", { webhookId: WEBHOOK_ID, undelivered: true });
      expect(output(alicePlan).planned).toEqual([]);
      expect(output(alicePlan).alreadyDelivered).toHaveLength(3);

      const bobPlan = await bob.call("redeliver_events", { webhookId: WEBHOOK_ID, undelivered: true });
      expect(output(bobPlan).alreadyDelivered).toEqual([]);
      expect(
        output(bobPlan)
          .planned.map((event) => event.eventId)
          .sort(),
      ).toEqual([...current.eventIds].sort());
      const bobDiagnosis = await bob.call("diagnose_failures", { webhookId: WEBHOOK_ID });
      expect(bobDiagnosis.structured).toMatchObject({
        webhooks: [{ missedEvents: { recovered: [], outstanding: 3 } }],
      });
      const aliceDiagnosis = await alice.call("diagnose_failures", { webhookId: WEBHOOK_ID });
      expect(aliceDiagnosis.structured).toMatchObject({ webhooks: [{ missedEvents: { outstanding: 0 } }] });
    } finally {
      await Promise.all([alice.close(), bob.close()]);
      await hosted.stop();
    }
  });
});
