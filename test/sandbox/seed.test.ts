// The demo account: its history comes from real deliveries to misbehaving local receivers, and
// diagnose_failures over it (through a real MCP client) shows every failure category and verdict.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { classifyAttempt } from "../../src/diagnose/index.js";
import { DEMO_HISTORY_HOURS } from "../../src/sandbox/demo/layout.js";
import { type LaunchedSandbox, launchSandbox } from "../../src/sandbox/launch.js";
import { type Harness, startHarness } from "../helpers/harness.js";

let sandbox: LaunchedSandbox;
let harness: Harness;

beforeAll(async () => {
  sandbox = await launchSandbox({ seed: "demo" });
  harness = await startHarness({
    emulator: sandbox.emulator,
    flags: { sandbox: true },
    dependencies: { sandbox: sandbox.handle },
  });
});
afterAll(async () => {
  await harness.close();
  await sandbox.close();
});

const EXPECTED_CATEGORIES = ["unreachable", "timeout", "auth_rejected", "not_found", "redirect", "server_error"];

describe("demo seed", () => {
  it("holds a few hundred events and real attempts spread over about three days", () => {
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

  it("records every failure category with realistic evidence", () => {
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

  it("diagnose_failures shows every category and verdict", async () => {
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

  it("keeps delivering at runtime to the demo receivers", async () => {
    const { eventId, deliveredTo } = await sandbox.handle.emitEvent({ type: "webset.item.enriched" });
    expect(deliveredTo.length).toBeGreaterThanOrEqual(2);
    const healthy = sandbox.emulator.store.listWebhooks().find((w) => w.metadata?.name === "production-ingest");
    await expect
      .poll(() =>
        sandbox.emulator.store.listAttempts(healthy?.id ?? "").some((a) => a.eventId === eventId && a.successful),
      )
      .toBe(true);
  });
});
