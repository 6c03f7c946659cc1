// diagnose_failures finds the events nobody tried to deliver: events of the webhook's subscribed types,
// listed from the Events API over the scanned window, whose id no scanned attempt carries. A real MCP
// client, the emulator over HTTP, events and attempts seeded in its store.
import type { DiagnosisReport, WebhookDiagnosis } from "../../src/diagnose/index.js";
import { describe, expect, test } from "../helpers/fixtures.js";

type Diagnosis = WebhookDiagnosis;

const TYPES = ["webset.item.created", "webset.idle"];
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const it = test
  .extend(
    "createWebhook",
    async ({ emulator }) =>
      (options: { createdAgoMs: number; name?: string; status?: "active" | "inactive" }) => {
        return emulator.store.createWebhook({
          url: "https://hooks.example.com/exa",
          events: TYPES,
          createdAt: Date.now() - options.createdAgoMs,
          ...(options.name ? { metadata: { name: options.name } } : {}),
          ...(options.status ? { status: options.status } : {}),
        }).id;
      },
  )
  /** An event `agoMs` ago; with `attempt`, one attempt on `webhookId` a second after it. */
  .extend(
    "event",
    async ({ emulator }) =>
      (agoMs: number, options: { type?: string; webhookId?: string; successful?: boolean } = {}): string => {
        const createdAt = Date.now() - agoMs;
        const created = emulator.store.addEvent({ type: options.type ?? (TYPES[0] as string), createdAt });
        if (options.webhookId !== undefined) {
          emulator.store.addAttempt({
            webhookId: options.webhookId,
            eventId: created.id,
            successful: options.successful ?? true,
            responseStatusCode: options.successful === false ? 500 : 200,
            responseBody: options.successful === false ? "boom" : "ok",
            attemptedAt: createdAt + 1000,
          });
        }
        return created.id;
      },
  )
  .extend("diagnose", async ({ harness }) => async (args: Record<string, unknown>) => {
    const answer = await harness.call("diagnose_failures", args);
    expect(answer.isError, answer.text).toBe(false);
    const report = answer.structured as unknown as DiagnosisReport & { webhooks: Diagnosis[] };
    return { report, text: answer.text, diagnosis: report.webhooks[0] as Diagnosis };
  })
  .extend(
    "eventListings",
    async ({ emulator }) =>
      () =>
        emulator.requests.filter((request) => request.path.endsWith("/events")).length,
  );

describe("never-attempted events of one webhook", () => {
  it("an active webhook with events of its types and no attempts is degraded, not no_traffic", async ({
    createWebhook,
    event,
    diagnose,
  }) => {
    const id = createWebhook({ createdAgoMs: 5 * HOUR });
    const older = event(3 * HOUR, { type: "webset.idle" });
    const newer = event(2 * HOUR);
    const { diagnosis, text } = await diagnose({ webhookId: id });
    expect(diagnosis.events.neverAttempted).toBe(2);
    expect(diagnosis.missedEvents).toEqual({
      undelivered: [],
      neverAttempted: [newer, older],
      truncated: false,
      // The ledger's fold (issue 20): nothing redelivered, both outstanding.
      recovered: [],
      outstanding: 2,
    });
    expect(diagnosis.verdict).toBe("degraded");
    expect(diagnosis.complete).toBe(true);
    expect(text).toContain("2 never attempted");
    expect(text).toContain(`redeliver_events {"webhookId":"${id}","undelivered":true}`);
    expect(text).toContain('"types":["webset.item.created","webset.idle"]');
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(3072);
  });

  it("counts only events no attempt carries, of subscribed types, after the webhook was created", async ({
    createWebhook,
    event,
    diagnose,
  }) => {
    const id = createWebhook({ createdAgoMs: 10 * HOUR });
    event(9 * HOUR, { webhookId: id });
    event(8 * HOUR, { webhookId: id, successful: false });
    const missed = event(7 * HOUR);
    event(6 * HOUR, { type: "import.created" });
    event(11 * HOUR);
    const { diagnosis } = await diagnose({ webhookId: id });
    expect(diagnosis.events.undelivered).toBe(1);
    expect(diagnosis.events.neverAttempted).toBe(1);
    expect(diagnosis.missedEvents.neverAttempted).toEqual([missed]);
    expect(diagnosis.missedEvents.undelivered).toHaveLength(1);
  });

  it("a healthy history with one never-attempted event is not healthy", async ({ createWebhook, event, diagnose }) => {
    const id = createWebhook({ createdAgoMs: 30 * HOUR });
    for (let i = 0; i < 20; i++) event((25 - i) * HOUR, { webhookId: id });
    const missed = event(3 * HOUR + 30 * MINUTE);
    const { diagnosis, text } = await diagnose({ webhookId: id });
    expect(diagnosis.verdict).toBe("degraded");
    expect(diagnosis.missedEvents.neverAttempted).toEqual([missed]);
    expect(text.split("\n")[0]).toContain("1 never attempted");
  });

  it("leaves out the last 10 minutes: a brand-new event may not be attempted yet", async ({
    createWebhook,
    event,
    diagnose,
  }) => {
    const id = createWebhook({ createdAgoMs: 2 * HOUR });
    event(HOUR, { webhookId: id });
    const judged = event(11 * MINUTE);
    event(9 * MINUTE);
    const { diagnosis } = await diagnose({ webhookId: id });
    expect(diagnosis.missedEvents.neverAttempted).toEqual([judged]);
  });

  it("looks back at most 60 days (Exa deletes older events) and says which undelivered events are gone", async ({
    emulator,
    createWebhook,
    event,
    diagnose,
  }) => {
    const id = createWebhook({ createdAgoMs: 90 * DAY });
    event(70 * DAY, { webhookId: id, successful: false });
    event(65 * DAY);
    const kept = event(50 * DAY);
    event(2 * DAY, { webhookId: id, successful: false });
    const { diagnosis, text } = await diagnose({ webhookId: id });
    expect(diagnosis.missedEvents.neverAttempted).toEqual([kept]);
    expect(diagnosis.events.undelivered).toBe(2);
    expect(text).toMatch(/1 of them older than 60 days/);
    const listing = emulator.requests.find((request) => request.path.endsWith("/events"));
    const after = Date.parse(listing?.query.get("createdAfter") ?? "");
    expect(Date.now() - after).toBeLessThanOrEqual(60 * DAY + MINUTE);
  });

  it("starts the window at since, and at the oldest scanned attempt without it", async ({
    createWebhook,
    event,
    diagnose,
  }) => {
    const id = createWebhook({ createdAgoMs: 20 * HOUR });
    event(18 * HOUR);
    event(12 * HOUR, { webhookId: id });
    const recent = event(5 * HOUR);
    const withoutSince = await diagnose({ webhookId: id });
    expect(withoutSince.diagnosis.missedEvents.neverAttempted).toEqual([recent]);
    const withSince = await diagnose({ webhookId: id, since: "19h" });
    expect(withSince.diagnosis.events.neverAttempted).toBe(2);
  });

  it("an incomplete attempt scan: never-attempted events could not be judged, and none are claimed", async ({
    createWebhook,
    event,
    diagnose,
    eventListings,
  }) => {
    const id = createWebhook({ createdAgoMs: 20 * HOUR });
    for (let i = 0; i < 5; i++) event((10 - i) * HOUR, { webhookId: id });
    event(2 * HOUR);
    const before = eventListings();
    const { diagnosis, text } = await diagnose({ webhookId: id, maxAttempts: 2 });
    expect(diagnosis.complete).toBe(false);
    expect(diagnosis.events.neverAttempted).toBe(0);
    expect(diagnosis.missedEvents.neverAttempted).toEqual([]);
    expect(text).toMatch(/never-attempted events could not be judged/i);
    expect(eventListings()).toBe(before);
  });

  it("an events page that keeps failing is a cut in coverage, and healthy becomes unknown", async ({
    emulator,
    createWebhook,
    event,
    diagnose,
  }) => {
    const id = createWebhook({ createdAgoMs: 20 * HOUR });
    for (let i = 0; i < 5; i++) event((10 - i) * HOUR, { webhookId: id });
    emulator.faults.add({ path: /\/events$/, status: 500, times: Number.POSITIVE_INFINITY });
    const { diagnosis, text } = await diagnose({ webhookId: id });
    expect(diagnosis.complete).toBe(false);
    expect(diagnosis.verdict).toBe("unknown");
    expect(diagnosis.incompleteReason).toMatch(/listing events .*failed/);
    expect(text).toMatch(/could not be judged|listing events/);
  });

  it("many events: paged concurrently in time slices, each counted once, at most 100 ids newest first", async ({
    createWebhook,
    event,
    diagnose,
    eventListings,
  }) => {
    const id = createWebhook({ createdAgoMs: 30 * DAY });
    event(29 * DAY, { webhookId: id });
    const ids: string[] = [];
    for (let i = 0; i < 1500; i++) ids.unshift(event(20 * DAY - i * 10 * MINUTE));
    const { diagnosis } = await diagnose({ webhookId: id });
    expect(diagnosis.events.neverAttempted).toBe(1500);
    expect(diagnosis.missedEvents.neverAttempted).toEqual(ids.slice(0, 100));
    expect(diagnosis.missedEvents.truncated).toBe(true);
    expect(eventListings()).toBeGreaterThan(8);
    expect(eventListings()).toBeLessThan(8 + 20);
  });

  it("names the webhook by metadata.name, as one safe line", async ({ createWebhook, diagnose }) => {
    const id = createWebhook({ createdAgoMs: HOUR, name: "billing\n`sync`" });
    const { text } = await diagnose({ webhookId: id });
    expect(text.split("\n")[0]).toContain(`${id} (billing 'sync')`);
  });

  it("labels failures of the last hour as possibly still retried", async ({ createWebhook, event, diagnose }) => {
    const id = createWebhook({ createdAgoMs: 5 * HOUR });
    event(4 * HOUR, { webhookId: id });
    event(20 * MINUTE, { webhookId: id, successful: false });
    const { text } = await diagnose({ webhookId: id });
    expect(text).toContain("Exa may still be retrying");
  });

  it("an inactive webhook: its events after it stopped are never attempted; inactive is still first", async ({
    createWebhook,
    event,
    diagnose,
  }) => {
    const id = createWebhook({ createdAgoMs: 10 * HOUR, status: "inactive" });
    event(9 * HOUR, { webhookId: id, successful: false });
    event(3 * HOUR);
    const { diagnosis, text } = await diagnose({ webhookId: id });
    expect(diagnosis.verdict).toBe("inactive");
    expect(diagnosis.events.neverAttempted).toBe(1);
    expect(text).toMatch(/Recover 2 missed events \(1 undelivered, 1 never attempted\)/);
  });
});

describe("never-attempted events across the account", () => {
  it("each webhook is checked against its own types and window, and ranked by what it missed", async ({
    emulator,
    createWebhook,
    event,
    diagnose,
  }) => {
    const quiet = createWebhook({ createdAgoMs: 10 * HOUR, name: "quiet" });
    const other = emulator.store.createWebhook({
      url: "https://other.example.com/exa",
      events: ["import.created"],
      createdAt: Date.now() - 10 * HOUR,
    }).id;
    event(9 * HOUR, { type: "import.created", webhookId: other });
    const missed = event(5 * HOUR);
    const { report, text } = await diagnose({});
    const byId = new Map(report.webhooks.map((d) => [d.webhookId, d]));
    expect(byId.get(quiet)?.missedEvents.neverAttempted).toEqual([missed]);
    expect(byId.get(quiet)?.verdict).toBe("degraded");
    expect(byId.get(other)?.events.neverAttempted).toBe(0);
    expect(byId.get(other)?.verdict).toBe("healthy");
    expect(report.webhooks[0]?.webhookId).toBe(quiet);
    expect(text).toContain(`${quiet} (quiet) degraded`);
  });
});
