// The demo account: its history comes from real deliveries to misbehaving local receivers, and
// diagnose_failures over it (through a real MCP client) shows every failure category and verdict.
import { classifyAttempt } from "../../src/diagnose/index.js";
import { DEMO_HISTORY_HOURS } from "../../src/sandbox/demo/layout.js";
import { type LaunchedSandbox, launchSandbox } from "../../src/sandbox/launch.js";
import type { diagnoseFailuresTool } from "../../src/tools/diagnose-failures.js";
import { describe, expect, sandboxTest } from "../helpers/fixtures.js";
import { type OutputOf, startHarness } from "../helpers/harness.js";

const it = sandboxTest({ seed: "demo" });

/** Longer than the seed's real-time limit for receivers that answer (5 s before this fix). */
const STALL_MS = 5_500;
const EXPECTED_CATEGORIES = ["unreachable", "timeout", "auth_rejected", "not_found", "redirect", "server_error"];

describe("demo seed", () => {
  it("holds a few hundred events and real attempts spread over about three days", ({ sandbox }) => {
    const { store } = sandbox.emulator;
    const report = sandbox.seedReport;
    expect(report?.events).toBeGreaterThanOrEqual(150);
    expect(report?.attempts).toBeGreaterThanOrEqual(300);
    const times = store
      .listWebhooks()
      .flatMap((webhook) => store.listAttempts(webhook.id).map((a) => Date.parse(a.attemptedAt)));
    const span = (Math.max(...times) - Math.min(...times)) / 3_600_000;
    expect(span).toBeGreaterThan(DEMO_HISTORY_HOURS - 12);
    expect(Math.max(...times)).toBeLessThanOrEqual(Date.now());
  });

  it("records every failure category with realistic evidence", ({ sandbox }) => {
    const { store } = sandbox.emulator;
    const failed = store
      .listWebhooks()
      .flatMap((webhook) => store.listAttempts(webhook.id))
      .filter((attempt) => !attempt.successful);
    const categories = new Set(failed.map((attempt) => classifyAttempt(attempt)));
    for (const category of EXPECTED_CATEGORIES) expect(categories).toContain(category);
    const bodies = failed.map((attempt) => attempt.responseBody ?? "");
    expect(bodies.some((body) => body.includes("TypeError: Cannot read properties of undefined"))).toBe(true);
    expect(bodies).toContain('{"error":"invalid signature"}');
    expect(bodies.some((body) => body.includes("Cannot POST /webhooks/exa"))).toBe(true);
    expect(bodies.some((body) => /^connect ECONNREFUSED 127\.0\.0\.1:\d+$/.test(body))).toBe(true);
    expect(bodies).toContain("timeout of 10000 ms exceeded");
  });

  it("diagnose_failures shows every category and verdict", async ({ launched: { harness } }) => {
    const answer = await harness.call("diagnose_failures", {});
    expect(answer.isError).toBe(false);
    // biome-ignore lint/suspicious/noExplicitAny: asserting on the tool's structured contract field by field
    const webhooks = (answer.structured as any).webhooks as any[];
    const categories = new Set(webhooks.flatMap((w) => w.groups.map((g: { category: string }) => g.category)));
    for (const category of EXPECTED_CATEGORIES) expect(categories).toContain(category);
    const verdicts = new Set(webhooks.map((w) => w.verdict));
    for (const verdict of ["healthy", "degraded", "failing", "inactive", "no_traffic"])
      expect(verdicts).toContain(verdict);
    const totals = webhooks.reduce(
      (sum, w) => ({
        delivered: sum.delivered + w.events.delivered,
        recovered: sum.recovered + w.events.recovered,
        undelivered: sum.undelivered + w.events.undelivered,
      }),
      { delivered: 0, recovered: 0, undelivered: 0 },
    );
    expect(totals.delivered).toBeGreaterThan(0);
    expect(totals.recovered).toBeGreaterThan(0);
    expect(totals.undelivered).toBeGreaterThan(0);
    const healthy = webhooks.find((w) => w.verdict === "healthy");
    expect(healthy.events.recovered).toBeGreaterThan(0);
  });

  it("has one webhook that went inactive, whose later events of its types were never attempted", ({ sandbox }) => {
    const { store } = sandbox.emulator;
    const tunnel = store.listWebhooks().find((w) => w.metadata?.name === "local-dev-tunnel");
    expect(tunnel?.status).toBe("inactive");
    const inactiveSince = Date.parse(tunnel?.updatedAt ?? "");
    const attempted = new Set(store.listAttempts(tunnel?.id ?? "").map((a) => a.eventId));
    const missed = store
      .listEvents()
      .filter((event) => tunnel?.events.includes(event.type) && Date.parse(event.createdAt) >= inactiveSince);
    expect(missed.length).toBeGreaterThan(0);
    for (const event of missed) expect(attempted.has(event.id)).toBe(false);
  });

  it("gives two fresh sandboxes the same webhook ids, secrets and event ids", async ({ sandbox }) => {
    const other = await launchSandbox({ seed: "demo" });
    try {
      const idsOf = async (s: LaunchedSandbox) => ({
        webhooks: s.emulator.store.listWebhooks().map((w) => [w.metadata?.name, w.id]),
        secrets: await s.handle.webhookSecrets(),
        events: s.emulator.store.listEvents().map((e) => [e.type, e.id, (e.data as { id?: string }).id]),
      });
      const [first, second] = [await idsOf(sandbox), await idsOf(other)];
      expect(second).toEqual(first);
      expect(first.webhooks).toHaveLength(9);
      expect(new Set(first.events.map(([, id]) => id)).size).toBe(first.events.length);
    } finally {
      await other.close();
    }
  });

  it("keeps delivering at runtime to the demo receivers", async ({ sandbox }) => {
    const { eventId, deliveredTo } = await sandbox.handle.emitEvent({ type: "webset.item.enriched" });
    expect(deliveredTo.length).toBeGreaterThanOrEqual(2);
    const healthy = sandbox.emulator.store.listWebhooks().find((w) => w.metadata?.name === "production-ingest");
    await expect
      .poll(
        () => sandbox.emulator.store.listAttempts(healthy?.id ?? "").some((a) => a.eventId === eventId && a.successful),
        // A real delivery, and on a 1-in-40 blip a retry 1 s later: longer than vitest's default of 1 s.
        { timeout: 20_000 },
      )
      .toBe(true);
  });
});

describe("demo seed on a stalled machine", () => {
  // A loaded machine, or a long GC pause, can leave the process without CPU for seconds while deliveries are
  // in flight. When it runs again its timers fire before it reads the answers waiting on the sockets, so a
  // real-time limit turned answers of healthy receivers into timeouts: "healthy" became "degraded".
  it("records every answering receiver's answer, and the slow one still as a timeout", async () => {
    const stalled = await launchSandbox({ seed: "demo", seedInBackground: true });
    try {
      const { store } = stalled.emulator;
      const healthy = () => store.listWebhooks().find((w) => w.metadata?.name === "production-ingest");
      // Checked on every turn of the event loop, not on expect.poll's timer: the stall must land while the
      // other deliveries are still in flight, and they finish within a few milliseconds.
      while (store.listAttempts(healthy()?.id ?? "").length === 0)
        await new Promise((resolve) => setImmediate(resolve));
      // Deliveries are in flight: stop the whole thread (without spinning a core) for longer than any limit.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, STALL_MS);
      await stalled.ready;

      const unanswered: string[] = [];
      for (const webhook of store.listWebhooks()) {
        const name = webhook.metadata?.name;
        const attempts = store.listAttempts(webhook.id);
        if (name === "enrichment-worker") {
          expect(attempts.length).toBeGreaterThan(0);
          for (const attempt of attempts) expect(attempt.responseBody).toBe("timeout of 10000 ms exceeded");
        } else if (name !== "local-dev-tunnel") {
          for (const attempt of attempts)
            if (attempt.responseStatusCode === 0) unanswered.push(`${name}: ${attempt.responseBody}`);
        }
      }
      // Only the slow receiver times out, and only the closed port is unreachable.
      expect(unanswered).toEqual([]);
      const harness = await startHarness({
        emulator: stalled.emulator,
        flags: { sandbox: true },
        dependencies: { sandbox: stalled.handle },
      });
      try {
        const answer = await harness.call("diagnose_failures", { webhookId: healthy()?.id });
        expect((answer.structured as OutputOf<typeof diagnoseFailuresTool>).webhooks[0]?.verdict).toBe("healthy");
      } finally {
        await harness.close();
      }
    } finally {
      await stalled.close();
    }
  });
});
