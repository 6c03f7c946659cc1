// diagnose_failures end to end: a real MCP client, the emulator over HTTP, histories seeded in it.
import type { DiagnosisReport, WebhookDiagnosis } from "../../src/diagnose/index.js";
import { describe, expect, test } from "../helpers/fixtures.js";
import { startHarness } from "../helpers/harness.js";
import { type SeedHistory, seedHistory } from "../helpers/seed.js";
import { quietFor, UNTIL_TEST_TIMEOUT } from "../helpers/wait.js";

type Diagnosis = WebhookDiagnosis;
type Report = DiagnosisReport;

const TYPES = ["webset.item.created", "webset.item.enriched", "webset.idle"];
const NOW = Date.now();
const HOUR = 3_600_000;

const it = test
  /** A history on one webhook: 60 s apart, ending before NOW; override what the test is about. */
  .extend(
    "seed",
    async ({ emulator }) =>
      (webhookId: string, history: Partial<SeedHistory> & Pick<SeedHistory, "events" | "failureRate" | "failure">) => {
        seedHistory(emulator.store, { webhookId, types: TYPES, startMs: NOW - 100 * HOUR, stepMs: 60_000, ...history });
      },
  )
  .extend("createWebhook", async ({ emulator }) => (url: string, status?: "active" | "inactive") => {
    return emulator.store.createWebhook({ url, events: TYPES, ...(status ? { status } : {}) }).id;
  })
  .extend("diagnose", async ({ harness }) => async (args: Record<string, unknown>, target = harness) => {
    const answer = await target.call("diagnose_failures", args);
    expect(answer.isError, answer.text).toBe(false);
    return { report: answer.structured as Report, text: answer.text };
  });

describe("diagnose_failures on one webhook", () => {
  it("finds the cause, counts delivered/recovered/undelivered, and recommends the next check", async ({
    emulator,
    seed,
    createWebhook,
    diagnose,
  }) => {
    const id = createWebhook("https://hooks.example.com/exa");
    seed(id, {
      events: 400,
      failureRate: 0.25,
      recoveryRate: 0.5,
      failure: {
        status: 500,
        body: "TypeError: Cannot read properties of undefined (reading 'id')\n    at handler (/app/routes/exa.js:42:17)",
      },
      startMs: NOW - 48 * HOUR,
    });
    const { report, text } = await diagnose({ webhookId: id });
    const diagnosis = report.webhooks[0] as Diagnosis;
    expect(diagnosis.webhookId).toBe(id);
    expect(diagnosis.complete).toBe(true);
    const stored = emulator.store.listAttempts(id);
    expect(diagnosis.attemptsScanned).toBe(stored.length);
    expect(diagnosis.failedAttempts).toBe(stored.filter((attempt) => !attempt.successful).length);
    expect(diagnosis.events.total).toBe(400);
    expect(diagnosis.events.delivered + diagnosis.events.recovered + diagnosis.events.undelivered).toBe(400);
    expect(diagnosis.events.recovered).toBeGreaterThan(0);
    expect(diagnosis.events.undelivered).toBeGreaterThan(0);
    expect(diagnosis.groups[0]?.category).toBe("server_error");
    expect(diagnosis.groups[0]?.statusCode).toBe(500);
    expect(diagnosis.groups[0]?.sampleResponse).toContain("TypeError");
    expect(["degraded", "failing"]).toContain(diagnosis.verdict);
    expect(text).toContain("server_error");
    expect(text).toContain("list_events");
    expect(Buffer.byteLength(text)).toBeLessThan(3072);
  });

  it("an inactive webhook says so first", async ({ seed, createWebhook, diagnose }) => {
    const id = createWebhook("https://hooks.example.com/gone", "inactive");
    seed(id, {
      events: 50,
      failureRate: 1,
      failure: { status: 0, body: "getaddrinfo ENOTFOUND hooks.example.com" },
      startMs: NOW - 10 * HOUR,
    });
    const { report, text } = await diagnose({ webhookId: id });
    expect(report.webhooks[0]?.verdict).toBe("inactive");
    expect(report.webhooks[0]?.groups[0]?.category).toBe("unreachable");
    expect(text.split("\n")[0]).toMatch(/inactive/i);
  });

  it("no attempts is no_traffic, not healthy", async ({ createWebhook, diagnose }) => {
    const id = createWebhook("https://hooks.example.com/quiet");
    const { report } = await diagnose({ webhookId: id });
    expect(report.webhooks[0]?.verdict).toBe("no_traffic");
    expect(report.webhooks[0]?.window).toEqual({ from: null, to: null });
  });

  it("since bounds the window; older attempts left unscanned, or maxAttempts, make it complete:false", async ({
    emulator,
    seed,
    createWebhook,
    diagnose,
  }) => {
    const id = createWebhook("https://hooks.example.com/exa");
    seed(id, {
      events: 600,
      failureRate: 0.1,
      failure: { status: 404, body: "Cannot POST /exa" },
      stepMs: 10 * 60_000,
    });
    const recent = await diagnose({ webhookId: id, since: "24h" });
    const windowed = recent.report.webhooks[0] as Diagnosis;
    expect(windowed.complete).toBe(false);
    expect(windowed.incompleteReason).toMatch(/^limited to attempts since \S+; older attempts were not scanned$/);
    expect(recent.text).toContain("; older attempts were not scanned.");
    const expected = emulator.store
      .listAttempts(id)
      .filter((attempt) => Date.parse(attempt.attemptedAt) >= NOW - 24 * HOUR);
    // Attempts landing between NOW and the call's own clock are few; allow for the seconds that passed.
    expect(Math.abs(windowed.attemptsScanned - expected.length)).toBeLessThanOrEqual(1);
    expect(Date.parse(windowed.window.from ?? "")).toBeGreaterThanOrEqual(NOW - 24 * HOUR - 60_000);

    // A window reaching past the oldest attempt (100 h of history) leaves nothing out: complete.
    const all = (await diagnose({ webhookId: id, since: "30d" })).report.webhooks[0] as Diagnosis;
    expect(all.complete).toBe(true);
    expect(all.incompleteReason).toBeUndefined();
    expect(all.attemptsScanned).toBe(emulator.store.listAttempts(id).length);

    const capped = await diagnose({ webhookId: id, maxAttempts: 100 });
    const cut = capped.report.webhooks[0] as Diagnosis;
    expect(cut.complete).toBe(false);
    expect(cut.incompleteReason).toMatch(/maxAttempts/);
    expect(cut.attemptsScanned).toBeLessThanOrEqual(100 + 200);
    expect(capped.text).toMatch(/not complete|incomplete|partial/i);
  });

  it("includes attempts of event types the webhook no longer subscribes to, however old", async ({
    emulator,
    seed,
    diagnose,
  }) => {
    const id = emulator.store.createWebhook({ url: "https://hooks.example.com/exa", events: ["webset.idle"] }).id;
    seed(id, { events: 3000, failureRate: 0.2, failure: { status: 500, body: "boom" } });
    // A type dropped long ago: all its attempts are older than anything the newest pages show.
    emulator.store.addAttempts(
      Array.from({ length: 40 }, (_, i) => ({
        webhookId: id,
        eventId: `event_dropped_${i}`,
        eventType: "webset.export.completed",
        successful: false,
        responseStatusCode: 410,
        responseBody: "Gone",
        attempt: 1,
        attemptedAt: NOW - 200 * HOUR + i * 60_000,
      })),
    );
    const { report } = await diagnose({ webhookId: id });
    const diagnosis = report.webhooks[0] as Diagnosis;
    expect(diagnosis.complete).toBe(true);
    expect(diagnosis.attemptsScanned).toBe(emulator.store.listAttempts(id).length);
    expect(diagnosis.groups.map((group) => group.statusCode)).toContain(410);
  });

  it("a partition failing mid-scan gives a partial result with the reason", async ({
    emulator,
    seed,
    createWebhook,
    diagnose,
  }) => {
    const id = createWebhook("https://hooks.example.com/exa");
    seed(id, {
      events: 3000,
      failureRate: 0.2,
      failure: { status: 502, body: "<html><body><h1>502 Bad Gateway</h1></body></html>" },
    });
    // One request at a time, so the request order is fixed: a clean run finds the index of a second page
    // (a partition mid-scan), and the four 503s below are that page's request and its three retries.
    const sequential = await startHarness({ emulator, env: { EXA_MAX_CONCURRENCY: "1" } });
    const pageRequests = () => emulator.requests.filter((request) => request.path.endsWith("/attempts"));
    const before = pageRequests().length;
    await diagnose({ webhookId: id }, sequential);
    const secondPage = pageRequests()
      .slice(before)
      .findIndex((request) => request.query.has("eventType") && request.query.has("cursor"));
    expect(secondPage).toBeGreaterThan(2);
    await sequential.close();
    emulator.faults.add({ path: "/attempts", skip: secondPage, status: 503, times: 4 });
    // A server of its own: one that remembers the first scan would read only what is new, and no second page.
    const fresh = await startHarness({ emulator, env: { EXA_MAX_CONCURRENCY: "1" } });
    const { report, text } = await diagnose({ webhookId: id }, fresh).finally(() => fresh.close());
    const diagnosis = report.webhooks[0] as Diagnosis;
    expect(diagnosis.complete).toBe(false);
    expect(diagnosis.incompleteReason).toMatch(/partition failed: .*503/);
    expect(diagnosis.attemptsScanned).toBeGreaterThan(0);
    expect(diagnosis.attemptsScanned).toBeLessThan(emulator.store.listAttempts(id).length);
    expect(text).toMatch(/503/);
  });

  it("results are identical whatever the concurrency", async ({ emulator, seed, createWebhook, diagnose }) => {
    const id = createWebhook("https://hooks.example.com/exa");
    seed(id, {
      events: 2500,
      failureRate: 0.3,
      recoveryRate: 0.3,
      failure: { status: 401, body: '{"error":"invalid signature"}' },
    });
    const reports: Report[] = [];
    for (const concurrency of ["1", "3", "8"]) {
      const run = await startHarness({ emulator, env: { EXA_MAX_CONCURRENCY: concurrency } });
      try {
        reports.push((await diagnose({ webhookId: id }, run)).report);
      } finally {
        await run.close();
      }
    }
    // The history is dated by each run's own clock (when its first verdict was recorded); the scan is not.
    const [first, ...rest] = reports.map((report) =>
      JSON.stringify(report.webhooks.map(({ history: _history, ...diagnosis }) => diagnosis)),
    );
    for (const other of rest) expect(other).toBe(first);
    expect(reports[0]?.webhooks[0]?.groups[0]?.category).toBe("auth_rejected");
  });
});

describe("diagnose_failures across the account", () => {
  it("covers every webhook and ranks broken before healthy", async ({ emulator, seed, createWebhook, diagnose }) => {
    const healthy = createWebhook("https://ok.example.com/exa");
    const broken = createWebhook("https://broken.example.com/exa");
    const quiet = createWebhook("https://quiet.example.com/exa");
    seed(healthy, {
      events: 100,
      failureRate: 0,
      failure: { status: 500, body: "" },
      startMs: NOW - 5 * HOUR,
    });
    seed(broken, {
      events: 100,
      failureRate: 1,
      failure: { status: 0, body: "connect ECONNREFUSED 10.0.0.5:443" },
      startMs: NOW - 5 * HOUR,
    });
    // Every page of this one fails (400 is not retried): it cannot be read at all.
    const unreadable = createWebhook("https://unreadable.example.com/exa");
    seed(unreadable, { events: 50, failureRate: 1, failure: { status: 500, body: "x" }, startMs: NOW - 5 * HOUR });
    emulator.faults.add({ path: `/webhooks/${unreadable}/attempts`, status: 400, times: Number.POSITIVE_INFINITY });
    const { report, text } = await diagnose({});
    expect(report.webhooks.map((webhook) => webhook.webhookId)).toEqual([broken, unreadable, quiet, healthy]);
    expect(report.webhooks.map((webhook) => webhook.verdict)).toEqual(["failing", "unknown", "no_traffic", "healthy"]);
    expect(report.webhooks[0]?.groups[0]?.category).toBe("unreachable");
    expect(report.webhooks[1]).toMatchObject({ attemptsScanned: 0, complete: false });
    expect(text.indexOf(broken)).toBeLessThan(text.indexOf(healthy));
    // Unread is unknown, not quiet: the text says so and why, without the quiet webhook's advice.
    const unreadLine = text.split("\n").find((line) => line.includes(unreadable)) ?? "";
    expect(unreadLine).toMatch(/unknown: could not read its successful or failed attempts .*400/);
    expect(unreadLine).not.toMatch(/no delivery attempts|check the webhook's events/);
  });

  it("an account without webhooks says so", async ({ diagnose }) => {
    const { report, text } = await diagnose({});
    expect(report.webhooks).toEqual([]);
    expect(text).toContain("No webhooks");
  });
});

describe("progress and cancellation", () => {
  it("sends progress notifications to a client that asked for them", async ({ harness, seed, createWebhook }) => {
    const id = createWebhook("https://hooks.example.com/exa");
    seed(id, {
      events: 3000,
      failureRate: 0.2,
      failure: { status: 500, body: "x" },
    });
    const updates: { progress: number; message?: string }[] = [];
    const result = await harness.client.callTool(
      { name: "diagnose_failures", arguments: { webhookId: id } },
      {
        onprogress: (progress) => updates.push(progress),
      },
    );
    expect(result.isError).not.toBe(true);
    expect(updates.length).toBeGreaterThan(1);
    expect(updates.at(-1)?.progress).toBeGreaterThan(0);
  });

  it("cancellation stops further requests to Exa", async ({ emulator, harness, seed, createWebhook }) => {
    const id = createWebhook("https://hooks.example.com/exa");
    seed(id, {
      events: 20_000,
      failureRate: 0.2,
      failure: { status: 500, body: "x" },
      startMs: NOW - 1000 * HOUR,
    });
    emulator.faults.latencyMs = 20;
    const controller = new AbortController();
    const pending = harness.client.callTool(
      { name: "diagnose_failures", arguments: { webhookId: id } },
      {
        signal: controller.signal,
      },
    );
    const attemptRequests = () => emulator.requests.filter((request) => request.path.endsWith("/attempts")).length;
    await expect.poll(attemptRequests, UNTIL_TEST_TIMEOUT).toBeGreaterThanOrEqual(5);
    controller.abort();
    await expect(pending).rejects.toThrow();
    await quietFor(150);
    const settled = attemptRequests();
    await quietFor(300);
    expect(attemptRequests()).toBe(settled);
    // 20 000 attempts need far more than this many pages: the scan really stopped early.
    expect(settled).toBeLessThan(40);
  });
});

describe("input", () => {
  it("a bad since says what it accepts", async ({ harness }) => {
    const answer = await harness.call("diagnose_failures", { since: "last tuesday" });
    expect(answer.isError).toBe(true);
    expect(answer.text).toMatch(/since/);
    expect(answer.text).toMatch(/24h|ISO/);
  });

  it("an unknown webhook is a 404 with the next step", async ({ harness }) => {
    const answer = await harness.call("diagnose_failures", { webhookId: "webhook_nope" });
    expect(answer.isError).toBe(true);
    expect(answer.text).toContain("No webhook webhook_nope. Call list_webhooks");
  });
});
