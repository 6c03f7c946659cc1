// The standalone emulator driven by the official exa-js SDK (what users test their own code with), plus
// the /_sandbox/events control endpoint that makes it deliver real signed events to a local receiver.
// Named import: exa-js types resolve to its CJS declarations, where the default export is the module itself.
import { EventType, Exa, ExaError } from "exa-js";
import type { LaunchedSandbox } from "../../src/sandbox/launch.js";
import { describe, expect, sandboxTest } from "../helpers/fixtures.js";
import { answering, startReceiver } from "../helpers/receiver.js";

const it = sandboxTest({ seed: "empty", retryDelaysMs: [10] })
  .extend("exa", { scope: "file" }, ({ sandbox }) => new Exa("any-key", sandbox.emulator.baseUrl))
  .extend("acceptingReceiver", ({ receiverThat }) => receiverThat(answering(() => 200)));

async function emit(sandbox: LaunchedSandbox, body: unknown, key: string | null = "any-key") {
  const response = await fetch(`${sandbox.emulator.baseUrl}/_sandbox/events`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(key ? { "x-api-key": key } : {}) },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: await response.json() };
}

async function caught(promise: Promise<unknown>): Promise<ExaError> {
  try {
    await promise;
  } catch (error) {
    return error as ExaError;
  }
  throw new Error("expected the call to fail");
}

describe("exa-js against the emulator", () => {
  it("runs the whole webhook lifecycle", async ({ sandbox, exa, acceptingReceiver: receiver }) => {
    const created = await exa.websets.webhooks.create({
      url: receiver.url,
      events: [EventType.webset_item_created, EventType.import_created],
      metadata: { team: "growth" },
    });
    expect(created).toMatchObject({ object: "webhook", status: "active", url: receiver.url });
    expect(created.secret).toMatch(/^whsec_/);
    receiver.secret = created.secret as string;

    const listed = await exa.websets.webhooks.list({ limit: 10 });
    expect(listed.data.map((webhook) => webhook.id)).toContain(created.id);
    expect(listed.data.find((webhook) => webhook.id === created.id)?.secret).toBeNull();

    const fetched = await exa.websets.webhooks.get(created.id);
    expect(fetched).toMatchObject({ id: created.id, secret: null, metadata: { team: "growth" } });

    const updated = await exa.websets.webhooks.update(created.id, {
      events: [EventType.webset_item_created, EventType.import_created, EventType.monitor_created],
    });
    expect(updated.events).toContain("monitor.created");

    // Two events through the control endpoint, delivered for real and signed with the secret from create.
    const first = await emit(sandbox, { type: "webset.item.created" });
    expect(first).toMatchObject({ status: 200, json: { deliveredTo: [{ webhookId: created.id, url: receiver.url }] } });
    await sandbox.engine.idle();
    // The next attempt gets a later attemptedAt, so newest-first is defined.
    const firstDone = Date.now();
    await expect.poll(() => Date.now()).toBeGreaterThan(firstDone);
    const second = await emit(sandbox, { type: "import.created", webhookId: created.id });
    await sandbox.engine.idle();
    expect(receiver.received.map((delivery) => delivery.signatureValid)).toEqual([true, true]);

    const attempts = await exa.websets.webhooks.listAttempts(created.id, { limit: 10 });
    expect(attempts.data).toHaveLength(2);
    expect(attempts.data[0]).toMatchObject({ eventId: second.json.eventId, object: "webhook_attempt" });
    const filtered = await exa.websets.webhooks.listAttempts(created.id, { eventType: EventType.import_created });
    expect(filtered.data.map((attempt) => attempt.eventId)).toEqual([second.json.eventId]);
    const failed = await exa.websets.webhooks.listAttempts(created.id, { successful: false });
    expect(failed.data).toEqual([]);

    const events = await exa.websets.events.list({ types: [EventType.import_created] });
    expect(events.data.map((event) => event.id)).toEqual([second.json.eventId]);
    const event = await exa.websets.events.get(first.json.eventId);
    expect(event).toMatchObject({ id: first.json.eventId, object: "event", type: "webset.item.created" });

    const deleted = await exa.websets.webhooks.delete(created.id);
    expect(deleted).toMatchObject({ id: created.id, secret: null });
    const gone = await caught(exa.websets.webhooks.get(created.id));
    expect(gone).toBeInstanceOf(ExaError);
    expect(gone.statusCode).toBe(404);
    expect(gone.message).toContain("Webhook not found");
  });

  it("reports failed attempts through the successful filter", async ({ sandbox, exa }) => {
    const failing = await startReceiver(
      "",
      answering(() => 500),
    );
    try {
      const webhook = await exa.websets.webhooks.create({
        url: failing.url,
        events: [EventType.monitor_run_completed],
      });
      await emit(sandbox, { type: "monitor.run.completed" });
      await sandbox.engine.idle();
      const failed = await exa.websets.webhooks.listAttempts(webhook.id, { successful: false });
      expect(failed.data.map((attempt) => [attempt.attempt, attempt.responseStatusCode])).toEqual([
        [2, 500],
        [1, 500],
      ]);
      const ok = await exa.websets.webhooks.listAttempts(webhook.id, { successful: true });
      expect(ok.data).toEqual([]);
    } finally {
      await failing.close();
    }
  });

  it("rejects requests without an API key, like Exa", async ({ sandbox }) => {
    const response = await fetch(`${sandbox.emulator.baseUrl}/websets/v0/webhooks`);
    expect(response.status).toBe(401);
    expect((await emit(sandbox, { type: "webset.created" }, null)).status).toBe(401);
  });
});

describe("the control endpoint", () => {
  it("answers 400 for a wrong type or field and 404 for an unknown webhook", async ({ sandbox }) => {
    const wrongType = await emit(sandbox, { type: "webset.completed" });
    expect(wrongType.status).toBe(400);
    expect(wrongType.json.message).toMatch(/Invalid event type "webset.completed".*Valid types:/);
    expect((await emit(sandbox, { type: "webset.created", extra: 1 })).status).toBe(400);
    expect((await emit(sandbox, [])).status).toBe(400);
    const unknown = await emit(sandbox, { type: "webset.created", webhookId: "webhook_missing" });
    expect(unknown.status).toBe(404);
    expect(unknown.json.message).toContain("No webhook webhook_missing");
  });

  it("answers an event nobody subscribes to with an empty deliveredTo", async ({ sandbox }) => {
    const result = await emit(sandbox, { type: "webset.export.created" });
    expect(result.status).toBe(200);
    expect(result.json).toEqual({ eventId: expect.stringMatching(/^event_/), deliveredTo: [] });
  });

  it("only takes POST", async ({ sandbox }) => {
    const response = await fetch(`${sandbox.emulator.baseUrl}/_sandbox/events`, { headers: { "x-api-key": "k" } });
    expect(response.status).toBe(404);
  });
});
